// REAL: a Clique fleet of 3 signers + 1 RPC node as containers on a real dockerd. Run specs come from
// renderContainerFleet, container descriptions from render/docker, and lib/docker's runner applies them in the
// order the DockerFleet component gives the Pulumi provider. Images are built locally from binaries (no registry).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForBlock, waitForSealingBy } from "../../lib/clique";
import { docker } from "../../lib/docker/engine";
import { importHelperImage } from "../../lib/docker/helperImage";
import { containerState, readContainerFile, removeFleet, runNode, startContainer, stopContainer } from "../../lib/docker/runner";
import { ContainerDescription } from "../../render/docker/container";
import { DockerEngine, ensureDocker, importBinaryImage } from "../../scripts/toolchain/docker";
import { ensureTools } from "../../scripts/toolchain/resolve";
import { createFleetFixture, FleetFixture } from "./fleetHarness";

const AUTHORITIES = ["alpha", "beta", "gamma"];

describe("geth fleet on a real dockerd", () => {
  const id = randomBytes(3).toString("hex");
  const name = `dfleet-${id}`;
  const gethImage = `consortium-test/geth:${id}`;
  const helperImage = `consortium-test/helper:${id}`;
  let engine: DockerEngine | undefined;
  let fx: FleetFixture;
  let rpcUrl: string;
  const container = (node: string): ContainerDescription => fx.plan.containers.find((c) => c.node === node)!;
  /** The current head (waitForBlock(…, 0) answers at once; it also rides out an RPC that is not up yet). */
  const head = () => waitForBlock(rpcUrl, 0, 20_000);

  beforeAll(async () => {
    engine = await ensureDocker(() => {});
    const { geth } = await ensureTools({ build: false, log: () => {} });
    await importBinaryImage(geth, gethImage, () => {});
    await importHelperImage(helperImage);
    fx = await createFleetFixture({ name, gethImage, helperImage, authorities: AUTHORITIES });
    for (const c of fx.plan.containers) await runNode(c, fx.secrets[c.node]);
    rpcUrl = fx.plan.rpcUrl;
    await waitForBlock(rpcUrl, 1, 30_000);
  }, 120_000);

  afterAll(async () => {
    await removeFleet(name).catch(() => {});
    await docker(["rmi", "-f", gethImage, helperImage], { reject: false });
    await engine?.stop();
  }, 120_000);

  it("runs each node as uid 10001 with its files in the volume (secrets 0600), restart unless-stopped, RPC on loopback only", async () => {
    const alpha = container("alpha");
    const nodekey = await readContainerFile(alpha.name, "/node/nodekey");
    expect([nodekey.mode & 0o777, nodekey.uid, nodekey.gid]).toEqual([0o600, 10001, 10001]);
    expect(nodekey.content.toString()).toBe(fx.secrets.alpha.nodeKey.replace(/^0x/, ""));
    const password = await readContainerFile(alpha.name, "/node/password");
    expect([password.mode & 0o777, password.uid]).toEqual([0o600, 10001]);
    const genesis = await readContainerFile(alpha.name, "/node/genesis.json");
    expect([genesis.mode & 0o777, genesis.uid]).toEqual([0o644, 10001]);
    const dataDir = await readContainerFile(alpha.name, "/node/data/keystore");
    expect([dataDir.type, dataDir.uid]).toEqual(["5", 10001]);

    const inspect = JSON.parse((await docker(["inspect", alpha.name, container("rpc").name])).stdout);
    for (const c of inspect) {
      expect(c.Config.User).toBe("10001:10001");
      expect(c.HostConfig.RestartPolicy.Name).toBe("unless-stopped");
      expect(c.Config.Healthcheck.Test[0]).toBe("CMD");
    }
    expect(inspect[0].HostConfig.PortBindings).toEqual({});
    expect(Object.values(inspect[1].HostConfig.PortBindings)).toEqual([[{ HostIp: "127.0.0.1", HostPort: rpcUrl.split(":").pop() }]]);
    expect(inspect[0].NetworkSettings.Networks[`${name}-net`].IPAddress).toBe(alpha.network.ipv4Address);
  });

  it("every signer seals blocks, seen through the published RPC port", async () => {
    expect(rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sealedBy = await waitForSealingBy(rpcUrl, fx.signers, 6, 45_000);
    expect(new Set(sealedBy)).toEqual(new Set(fx.signers));
  }, 50_000);

  it("the exec-form healthcheck (geth attach; the image has no shell) turns healthy", async () => {
    const deadline = Date.now() + 25_000;
    let health = "";
    while (Date.now() < deadline && health !== "healthy") {
      health = (await containerState(container("rpc").name)).Health?.Status ?? "none";
      if (health !== "healthy") await new Promise((r) => setTimeout(r, 1000));
    }
    expect(health).toBe("healthy");
  }, 30_000);

  it("a stopped signer leaves the chain sealing; started again, it rejoins and seals", async () => {
    const gamma = container("gamma");
    await stopContainer(gamma.name);
    expect((await containerState(gamma.name)).Running).toBe(false);
    // Windows start after the stop (and after the restart) so blocks sealed before it cannot count.
    const stoppedAt = await head();
    await waitForBlock(rpcUrl, stoppedAt + 4, 20_000);
    const rest = fx.signers.filter((_, i) => AUTHORITIES[i] !== "gamma");
    expect(new Set(await waitForSealingBy(rpcUrl, rest, 4, 20_000))).toEqual(new Set(rest));

    await startContainer(gamma.name);
    expect((await containerState(gamma.name)).Running).toBe(true);
    const restartedAt = await head();
    await waitForBlock(rpcUrl, restartedAt + 6, 20_000);
    expect(new Set(await waitForSealingBy(rpcUrl, fx.signers, 6, 45_000))).toEqual(new Set(fx.signers));
  }, 90_000);
});
