// REAL: a Clique fleet of 3 signers (one member each) + each member's RPC node as containers on a real dockerd. Run
// specs come from renderContainerFleet, container descriptions from render/docker, and lib/docker's runner applies
// them in the order the DockerFleet component gives the Pulumi provider. Images are built locally from binaries (no
// registry). Attacked from another container on the fleet's network: no signer answers a request for its key.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIRST_BLOCK_TIMEOUT_MS, waitForBlock, waitForSealingBy } from "../../testkit/clique";
import { docker } from "../../testkit/docker/engine";
import { importHelperImage } from "../../testkit/docker/helperImage";
import { containerState, healthBy, readContainerFile, removeFleet, runNode, startContainer, stopContainer } from "../../testkit/docker/runner";
import { ContainerDescription } from "../../render/docker/container";
import { DockerEngine, ensureDocker, importBinaryImage } from "../../testkit/dockerd";
import { ensureTools } from "../../lib/toolchain/resolve";
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
    rpcUrl = fx.plan.rpcUrl!;
    await waitForBlock(rpcUrl, 1, FIRST_BLOCK_TIMEOUT_MS);
    // On a fresh machine this installs docker.io (apt-get) first.
  }, 600_000);

  afterAll(async () => {
    await removeFleet(name).catch(() => {});
    await docker(["rmi", "-f", gethImage, helperImage], { reject: false });
    await engine?.stop();
  }, 120_000);

  it("runs each node as uid 10001 with its files in the volume (key files 0600, keystore included), restart unless-stopped, only RPC nodes published on loopback", async () => {
    const alpha = container("alpha");
    const nodekey = await readContainerFile(alpha.name, "/node/nodekey");
    expect([nodekey.mode & 0o777, nodekey.uid, nodekey.gid]).toEqual([0o600, 10001, 10001]);
    expect(nodekey.content.toString()).toBe(fx.secrets.alpha.nodeKey.replace(/^0x/, ""));
    const password = await readContainerFile(alpha.name, "/node/password");
    expect([password.mode & 0o777, password.uid]).toEqual([0o600, 10001]);
    const keystorePath = alpha.secretFiles.find((f) => f.source === "keystore")!.path;
    const keystore = await readContainerFile(alpha.name, keystorePath);
    expect([keystore.mode & 0o777, keystore.uid, keystore.gid]).toEqual([0o600, 10001, 10001]);
    expect(keystore.content.toString()).toBe(fx.secrets.alpha.keystore);
    const genesis = await readContainerFile(alpha.name, "/node/genesis.json");
    expect([genesis.mode & 0o777, genesis.uid]).toEqual([0o644, 10001]);
    const dataDir = await readContainerFile(alpha.name, "/node/data/keystore");
    expect([dataDir.type, dataDir.uid]).toEqual(["5", 10001]);

    const inspect = JSON.parse((await docker(["inspect", ...fx.plan.containers.map((c) => c.name)])).stdout);
    for (const c of inspect) {
      expect(c.Config.User).toBe("10001:10001");
      expect(c.HostConfig.RestartPolicy.Name).toBe("unless-stopped");
      expect(c.Config.Healthcheck.Test[0]).toBe("CMD");
    }
    // Sealers publish nothing; each member's RPC node its own port on loopback (one engine: counting up).
    const bindings = inspect.map((c: any) => Object.values(c.HostConfig.PortBindings ?? {}).flat());
    const first = Number(rpcUrl.split(":").pop());
    expect(bindings).toEqual([[], [], [], ...[0, 1, 2].map((k) => [{ HostIp: "127.0.0.1", HostPort: String(first + k) }])]);
    expect(inspect[0].NetworkSettings.Networks[`${name}-net`].IPAddress).toBe(alpha.network.ipv4Address);
  });

  it("every signer seals blocks, seen through the published RPC port", async () => {
    expect(rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const sealedBy = await waitForSealingBy(rpcUrl, fx.signers, 6, 45_000);
    expect(new Set(sealedBy)).toEqual(new Set(fx.signers));
  }, 50_000);

  it("the exec-form healthchecks (geth attach over IPC on sealers, over HTTP on RPC nodes; the image has no shell) turn healthy", async () => {
    const deadline = Date.now() + 40_000;
    for (const node of ["alpha", "rpc-org-0"]) expect(await healthBy(container(node).name, deadline), node).toBe("healthy");
  }, 45_000);

  it("from another container on the fleet's network, no sealer answers (connection refused) and the members' RPC nodes answer reads", async () => {
    const net = fx.plan.networks[0].name;
    /**
     * A JSON-RPC POST from a throwaway container on the fleet's network: raw HTTP through busybox nc (the static
     * busybox's wget cannot resolve even an IP without glibc's NSS modules). Its response body, or why it failed.
     */
    const fromNetwork = async (ip: string, port: number, method: string, params: unknown[]) => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
      const request = `POST / HTTP/1.0\r\nHost: ${ip}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const r = await docker(["run", "--rm", "--network", net, helperImage, "sh", "-c", 'printf "%s" "$1" | nc -w 5 "$2" "$3"', "sh", request, ip, String(port)], { reject: false });
      return { exitCode: r.exitCode, body: r.stdout.split("\r\n\r\n").slice(1).join("\r\n\r\n"), out: `${r.stdout}${r.stderr}` };
    };
    for (const node of AUTHORITIES) {
      const c = container(node);
      const ip = c.network.ipv4Address!;
      const signer = fx.signers[AUTHORITIES.indexOf(node)];
      for (const [method, params] of [
        ["eth_sendTransaction", [{ from: signer, to: signer, value: "0x1" }]],
        ["clique_propose", ["0x00000000000000000000000000000000000000aa", true]],
      ] as const) {
        // Its slot's RPC port (8545) and the Engine API port (8551, loopback inside the container) both refuse.
        for (const port of [8545, 8551]) {
          const r = await fromNetwork(ip, port, method, [...params]);
          expect(r.exitCode, `${node}:${port} ${method}: ${r.out}`).not.toBe(0);
          expect(r.out, `${node}:${port} ${method}`).toMatch(/Connection refused/i);
        }
      }
    }
    for (const rpc of fx.plan.rpcNodes) {
      const ip = container(rpc.node).network.ipv4Address!;
      const r = await fromNetwork(ip, 8545, "eth_blockNumber", []);
      expect(r.exitCode, `${rpc.node}: ${r.out}`).toBe(0);
      expect(Number(JSON.parse(r.body).result)).toBeGreaterThan(0);
      // It holds no key: there is no account to send from.
      const send = await fromNetwork(ip, 8545, "eth_sendTransaction", [{ from: fx.signers[0], to: fx.signers[0], value: "0x1" }]);
      expect(send.body, rpc.node).toMatch(/unknown account/);
    }
  }, 120_000);

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
