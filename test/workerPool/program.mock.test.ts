// The program with worker pools (a bare-metal pool on two SSH hosts and a Kubernetes pool) beside a bridge and PoCo,
// previewed under pulumi.runtime.setMocks (no engine, no chain, no host contacted; test/support/pulumiMocks.ts answers
// the PoCo and worker-pool resources). Checks which chain URL each side gets, that the registration waits for PoCo's
// setup and is sent by the deployer for the scheduler key, that no secret is in plaintext, and the spec's refusals.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { BRIDGE_ENDPOINTS, bridgeSettings, consortiumRaw, HOME_RPC } from "../bridge-targets/fixture";
import { installMocks, isSecret, recordRegistrations, Registered, Registration, runProgram, setConsortiumConfig, visible } from "../support/pulumiMocks";
import { kubePoolRaw } from "./fixture";

const DEPLOYER_KEY = "0x" + "5e".repeat(32);
const ADMIN = "0x00000000000000000000000000000000000000a2";
/** The home chain as the bare-metal scheduler host reaches it. */
const METAL_CHAIN_URL = "http://10.0.0.2:8545";
const FLEET = { target: "kubernetes", namespace: "acme-chain" };
const FLEET_RPC = "http://rpc-org-0.acme-chain.svc.cluster.local:8545";
const REGISTRATION = "pulumi-nodejs:dynamic/workerpool:WorkerpoolRegistration";
const HOST_SETUP = "pulumi-nodejs:dynamic/target:SshHostSetup";
const HOST_CONTAINER = "pulumi-nodejs:dynamic/target:SshHostContainer";

const host = (name: string, address: string) => ({
  name,
  address,
  hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForMocksOnlyxxxxxxxxxxxxxxxxxxxx",
  kataArtifact: { url: "https://github.com/kata-containers/kata-containers/releases/download/3.18.0/kata-static-3.18.0-amd64.tar.xz", sha256: "a".repeat(64) },
});
const metalPool = (extra: Record<string, unknown> = {}) => ({
  name: "metal",
  coreUrl: "http://10.0.0.5:13000",
  chainRpcUrl: METAL_CHAIN_URL,
  target: { kind: "ssh", hosts: [host("h1", "10.0.0.5"), host("h2", "10.0.0.6")], coreBind: "10.0.0.5" },
  ...extra,
});

let registered: Registered[] = [];
let requests: Map<string, Registration>;
beforeAll(() => {
  registered = installMocks(true);
  requests = recordRegistrations();
});
beforeEach(() => {
  registered.length = 0;
  requests.clear();
});

function configure(extra: Record<string, unknown>) {
  const raw = { ...consortiumRaw(FLEET, bridgeSettings({ home: { rpcUrl: HOME_RPC } })), ...extra };
  setConsortiumConfig(raw, { deployerKey: DEPLOYER_KEY, bridgeEndpoints: JSON.stringify(BRIDGE_ENDPOINTS) });
}

const run = () => runProgram(consortium);

const of = (type: string) => registered.filter((r) => r.type === type);
const one = (type: string, name: string) => registered.find((r) => r.type === type && r.name === name)!;

describe("program with worker pools, a bridge and PoCo (mocks, preview)", () => {
  it("declares both pools, registered in PoCo by the deployer for each scheduler key, with the chain URL each side reaches", async () => {
    configure({ poco: { admin: ADMIN }, workerPools: [metalPool(), kubePoolRaw()] });
    const out = await run();

    const address = /^0x[0-9a-fA-F]{40}$/;
    expect(out.poco.workerpoolRegistry).toMatch(address);
    expect(out.workerPools.metal.owner).toMatch(address);
    expect(out.workerPools.kube.owner).toMatch(address);
    const registrations = of(REGISTRATION);
    expect(registrations.map((r) => r.name).sort()).toEqual(["pool-kube-registration", "pool-metal-registration"]);
    for (const r of registrations) {
      const pool = r.name.split("-")[1];
      // Sent through the URL PoCo is deployed through (bridge.home.rpcUrl: the fleet's in-cluster name is not the
      // deployer's to reach), to PoCo's registry, by the deployer, once PoCo's deployment is done.
      expect(r.inputs).toMatchObject({ rpcUrl: HOME_RPC, chainId: 31418, registry: out.poco.workerpoolRegistry, description: pool, owner: out.workerPools[pool].owner });
      expect(isSecret(r.inputs.deployerKey)).toBe(true);
      const request = requests.get(`${REGISTRATION}::${r.name}`)!;
      expect(request.dependencies.some((d) => d.endsWith("poco:PocoDeployment::poco-deployment"))).toBe(true);
      expect(request.parent).toContain(`consortium:workerpool:WorkerPool::pool-${pool}`);
    }

    // Outputs: addresses, where the pool runs and its URLs; never a key.
    expect(out.workerPools.metal).toMatchObject({
      coreUrl: "http://10.0.0.5:13000",
      chainRpcUrl: METAL_CHAIN_URL,
      where: { kind: "ssh", schedulerHost: "h1", hosts: [{ name: "h1", address: "10.0.0.5", workers: 1 }, { name: "h2", address: "10.0.0.6", workers: 1 }] },
    });
    expect(out.workerPools.metal.workers).toHaveLength(2);
    // The Kubernetes pool beside a Kubernetes fleet dials the fleet's in-cluster RPC Service.
    expect(out.workerPools.kube).toMatchObject({ coreUrl: "http://kube-core.pool-kube.svc.cluster.local:13000", chainRpcUrl: FLEET_RPC, where: { kind: "kubernetes", namespace: "pool-kube", replicas: 2 } });
    expect(JSON.stringify(out.workerPools)).not.toMatch(/keystore|password|privateKey/i);

    // The scheduler side gets its pool's chain URL and PoCo's hub.
    expect(of(HOST_SETUP).map((h) => h.name).sort()).toEqual(["pool-metal-h1", "pool-metal-h2"]);
    const containers = of(HOST_CONTAINER);
    const configServer = containers.find((c) => c.name === "pool-metal-config-server")!.inputs;
    expect(configServer.connection.name).toBe("h1");
    expect(configServer.container.env).toMatchObject({ IEXEC_BLOCKCHAIN_NODE_ADDRESS: METAL_CHAIN_URL, IEXEC_HUB_ADDRESS: out.poco.hub, IEXEC_CHAIN_ID: "31418" });
    expect(containers.filter((c) => c.inputs.connection.name === "h2").map((c) => c.name)).toEqual(["pool-metal-worker-h2-0"]);
    const kubeConfig = one("kubernetes:apps/v1:StatefulSet", "pool-kube-config-server-node");
    expect(kubeConfig.inputs.spec.template.spec.containers[0].env).toContainEqual({ name: "IEXEC_BLOCKCHAIN_NODE_ADDRESS", value: FLEET_RPC });

    // No password or deployer key in plaintext in any declared resource.
    for (const r of registered) {
      const plain = JSON.stringify(visible(r.inputs));
      expect(plain, r.name).not.toMatch(/mock-password-/);
      expect(plain, r.name).not.toContain(DEPLOYER_KEY.slice(2));
    }
  }, 60_000);

  it("refuses worker pools without poco, naming workerPools and the fix", async () => {
    configure({ workerPools: [metalPool()] });
    await expect(consortium()).rejects.toThrow(/consortium:workerPools: needs the PoCo contracts .* Fix: add `poco: \{\}`/);
  });

  it("refuses a bare-metal pool without a chain URL for its scheduler, and a loopback one", async () => {
    configure({ poco: { admin: ADMIN }, workerPools: [metalPool({ chainRpcUrl: undefined })] });
    await expect(consortium()).rejects.toThrow(/consortium:workerPools\[0\]\.chainRpcUrl: is missing: the scheduler side runs on host h1.*Fix: give the home chain's JSON-RPC URL as the scheduler host reaches it/);
    configure({ poco: { admin: ADMIN }, workerPools: [metalPool({ chainRpcUrl: "http://127.0.0.1:8545" })] });
    await expect(consortium()).rejects.toThrow(/consortium:workerPools\[0\]\.chainRpcUrl: "http:\/\/127\.0\.0\.1:8545" is a loopback address/);
  });
});
