// REAL: the policy gateway on the Docker target, on a real dockerd, in front of a member's RPC node: a one-signer
// Clique fleet as containers (test/docker/fleetHarness.ts), and the gateway's container as the Docker target
// describes it (render/permissions/gateway.ts → render/docker sites and container, applied by
// testkit/docker/runner.ts) with its API keys in a 0600 file, as PolicyGateways uploads them. Its image is a stand-in
// for templates/gateway/Dockerfile's build (no base image can be pulled here): this machine's Node.js with /app laid
// out as the Dockerfile lays it out (testkit/nodeAppImage.ts, a test double for `docker build`). The engine's Docker
// provider plugin cannot run here, so this is the Docker placement proven short of `pulumi up`
// (test/permissions/targets.mock.test.ts checks what the program declares).
import { randomBytes } from "node:crypto";
import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINER_RPC_PORT } from "../../render/fleet";
import { containerName, dockerFleetSpec, renderContainer } from "../../render/docker/container";
import { dockerSites } from "../../render/docker/sites";
import { GATEWAY_GROUP, GATEWAY_KEYS_FILE, gatewayName, gatewayWorkload, IMAGE_GATEWAY_PROGRAM } from "../../render/permissions/gateway";
import { rpcNodeName } from "../../settings/consortium";
import type { PermissionsSpec } from "../../settings/permissions";
import { FIRST_BLOCK_TIMEOUT_MS, waitForBlock } from "../../testkit/clique";
import { docker } from "../../testkit/docker/engine";
import { importHelperImage } from "../../testkit/docker/helperImage";
import { healthBy, readContainerFile, removeFleet, runNode } from "../../testkit/docker/runner";
import { DockerEngine, ensureDocker, importBinaryImage } from "../../testkit/dockerd";
import { importNodeAppImage, nodeAppImage } from "../../testkit/nodeAppImage";
import { ensureTools } from "../../lib/toolchain/resolve";
import { createFleetFixture, FleetFixture, freePort } from "../docker/fleetHarness";

/** Init code of a contract whose runtime returns 42. */
const CREATE_42 = "0x600a600c600039600a6000f3602a60005260206000f3";

describe("the policy gateway's container on a real dockerd", () => {
  const id = randomBytes(3).toString("hex");
  const name = `dgw-${id}`;
  const gethImage = `consortium-test/geth:${id}`;
  const helperImage = `consortium-test/helper:${id}`;
  const gatewayImage = `consortium-test/gateway:${id}`;
  const key = randomBytes(24).toString("hex");
  const listed = Wallet.createRandom();
  const stranger = Wallet.createRandom();
  let engine: DockerEngine | undefined;
  let fx: FleetFixture;
  let member: string;
  let gatewayUrl: string;
  const providers: JsonRpcProvider[] = [];

  const rpc = async (url: string, method: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }) });
    return { status: res.status, body: (await res.json()) as { result?: string; error?: { code: number; message: string } } };
  };
  const throughGateway = () => {
    const p = new JsonRpcProvider(`${gatewayUrl}/${key}`, fx.spec.chainId, { staticNetwork: true, pollingInterval: 250 });
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    engine = await ensureDocker(() => {});
    const { geth } = await ensureTools({ build: false, log: () => {} });
    await importBinaryImage(geth, gethImage, () => {});
    await importHelperImage(helperImage);
    await importNodeAppImage(nodeAppImage("templates/gateway/Dockerfile"), gatewayImage, () => {});
    fx = await createFleetFixture({ name, gethImage, helperImage, authorities: ["alpha"], prefunded: [listed.address, stranger.address] });
    for (const c of fx.plan.containers) await runNode(c, fx.secrets[c.node]);
    await waitForBlock(fx.plan.rpcUrl!, 1, FIRST_BLOCK_TIMEOUT_MS);

    // The gateway as the Docker target places it (PolicyGateways' site request), guarding the member's RPC node by
    // its container name on the fleet's network, published on loopback.
    member = fx.spec.authorities[0].member;
    const hostPort = await freePort();
    const { sites } = dockerSites({
      consortium: name,
      fleet: dockerFleetSpec(fx.spec),
      requests: [{ name: gatewayName(member), member, serves: ["rpc"] }],
      options: { peers: false, portsEach: 1, publish: { firstHostPorts: { rpc: hostPort }, on: "loopback" } },
    });
    const policy: PermissionsSpec = { read: "keys", transact: [listed.address], deploy: [] };
    const workload = gatewayWorkload({
      member,
      upstream: `http://${containerName(name, rpcNodeName(member))}:${CONTAINER_RPC_PORT}`,
      policy,
      site: sites[0],
      program: IMAGE_GATEWAY_PROGRAM,
      image: gatewayImage,
    });
    expect(workload.group).toBe(GATEWAY_GROUP);
    const c = renderContainer({ consortium: name, workload, placement: sites[0].placement, published: sites[0].published, helperImage });
    // The keys file is filled by PolicyGateways (its secret upload), not from node key material: the same file here.
    const keysFile = c.secretFiles.find((f) => f.path.endsWith(`/${GATEWAY_KEYS_FILE}`))!;
    expect(keysFile.mode).toBe(0o600);
    await runNode({ ...c, files: [...c.files, { path: keysFile.path, content: JSON.stringify({ holder: key }), mode: keysFile.mode }], secretFiles: [] }, { nodeKey: "" });
    gatewayUrl = `http://127.0.0.1:${hostPort}`;
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${gatewayUrl}/healthz`).then((r) => r.ok, () => false)) === false) {
      if (Date.now() > deadline) throw new Error(`the gateway did not answer: ${(await docker(["logs", "--tail", "20", containerName(name, gatewayName(member))], { reject: false })).stderr}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 600_000);

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await removeFleet(name).catch(() => {});
    await docker(["rmi", "-f", gethImage, helperImage, gatewayImage], { reject: false });
    await engine?.stop();
  }, 120_000);

  it("answers no read without the key and reads the node by name with it; runs unprivileged, published on loopback, its keys file 0600", async () => {
    const none = await rpc(gatewayUrl, "eth_blockNumber");
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe(-32001);
    const keyed = await rpc(gatewayUrl, "eth_blockNumber", { authorization: `Bearer ${key}` });
    expect(Number(keyed.body.result)).toBeGreaterThan(0);
    const gateway = containerName(name, gatewayName(member));
    const [inspect] = JSON.parse((await docker(["inspect", gateway])).stdout);
    expect(inspect.Config.User).toBe("10001:10001");
    expect(Object.values(inspect.HostConfig.PortBindings).flat()).toEqual([{ HostIp: "127.0.0.1", HostPort: gatewayUrl.split(":").pop() }]);
    const keys = await readContainerFile(gateway, `${inspect.Config.WorkingDir}/${GATEWAY_KEYS_FILE}`);
    expect(keys.mode & 0o777).toBe(0o600);
  }, 60_000);

  it("sends a listed account's transfer, refuses the stranger's and the listed account's creation by level; the stranger's nonce does not move", async () => {
    const sent = await listed.connect(throughGateway()).sendTransaction({ to: stranger.address, value: 1n });
    expect((await sent.wait(1, 30_000))!.status).toBe(1);
    await expect(stranger.connect(throughGateway()).sendTransaction({ to: listed.address, value: 1n })).rejects.toThrow(/may not send transactions on this consortium \(permissions\.transact\)/);
    await expect(listed.connect(throughGateway()).sendTransaction({ data: CREATE_42 })).rejects.toThrow(/may not create contracts on this consortium \(permissions\.deploy\)/);
    expect(await throughGateway().getTransactionCount(stranger.address, "pending")).toBe(0);
  }, 90_000);

  it("turns healthy by its own check inside the image", async () => {
    expect(await healthBy(containerName(name, gatewayName(member)), Date.now() + 60_000)).toBe("healthy");
  }, 70_000);
});
