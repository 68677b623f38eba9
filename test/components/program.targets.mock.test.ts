// The program on the container targets, for every supported engine/client pair, under pulumi.runtime.setMocks
// (a test double for the engine: the Docker and Kubernetes provider plugins cannot be installed here).
import { computeAddress } from "ethers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { installMocks, Registered, runProgram, setConsortiumConfig } from "../support/pulumiMocks";

const PAIRS = [
  ["clique", "geth"],
  ["clique", "nethermind"],
  ["aura", "nethermind"],
  ["aura", "openethereum"],
  ["qbft", "besu"],
] as const;
const AUTHORITIES = ["alpha", "beta", "gamma"];
// The SDK's own wait for outstanding resource registrations (internal, but the only way to observe them all).

let registered: Registered[] = [];
beforeAll(() => {
  registered = installMocks();
});
beforeEach(() => {
  registered.length = 0;
});

function configure(engine: string, client: string, fleet: Record<string, unknown>) {
  setConsortiumConfig({ name: "acme", chainId: "31418", engine, client, authorities: AUTHORITIES.map((name, i) => ({ name, member: `org-${i}` })), fleet });
}

const run = () => runProgram(consortium);


describe.each(PAIRS)("engine %s on %s", (engine, client) => {
  it("deploys to Docker: a fleet on a DockerTarget with a container per node, of the client's pinned image", async () => {
    configure(engine, client, { target: "docker" });
    const out = await run();
    expect(out.target).toBe("docker");
    expect(out.client).toBe(client);
    expect(out.signers).toHaveLength(3);
    expect(registered.filter((r) => r.type === "consortium:fleet:Fleet")).toHaveLength(1);
    expect(registered.filter((r) => r.type === "consortium:target:DockerTarget")).toHaveLength(1);
    const containers = registered.filter((r) => r.type === "docker:index/container:Container" && !/prepare|init/.test(r.name));
    expect(containers.map((c) => c.name).sort()).toEqual(["fleet-alpha", "fleet-beta", "fleet-gamma", "fleet-rpc-org-0", "fleet-rpc-org-1", "fleet-rpc-org-2"]); // + each member's RPC node
    // Only the members' RPC nodes publish their RPC port; no sealer, on any client, publishes more than p2p.
    for (const c of containers) expect((c.inputs.ports as { internal: number }[]).map((p) => p.internal), c.name).toEqual(c.name.includes("rpc-org") ? [8545] : []);
    expect(out.rpcUrl).toBe("http://127.0.0.1:8545");
    expect(out.memberRpcUrls).toEqual({ "org-0": "http://127.0.0.1:8545", "org-1": "http://127.0.0.1:8546", "org-2": "http://127.0.0.1:8547" });
    const images = registered.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs.name);
    expect(images.some((i: string) => i.startsWith({ geth: "ethereum/client-go:", nethermind: "nethermind/nethermind:", openethereum: "openethereum/openethereum:", besu: "hyperledger/besu:" }[client]))).toBe(true);
    expect(out.enodes).toHaveLength(6);
    // QBFT validators are their node keys' addresses; Clique/AuRa sealers sign with separate keystore keys.
    const nodeKeyAddresses = (out.enodes as string[]).slice(0, 3).map((e) => computeAddress("0x04" + /^enode:\/\/([0-9a-f]{128})@/.exec(e)![1]));
    if (engine === "qbft") expect(out.signers).toEqual(nodeKeyAddresses);
    else for (const a of nodeKeyAddresses) expect(out.signers).not.toContain(a);
  });

  it("deploys to Kubernetes: a StatefulSet, Service, ConfigMap and retained Secret per node", async () => {
    configure(engine, client, { target: "kubernetes", namespace: "acme-chain" });
    const out = await run();
    expect(out.target).toBe("kubernetes");
    const kinds = (t: string) => registered.filter((r) => r.type === t).length;
    expect(kinds("kubernetes:apps/v1:StatefulSet")).toBe(6);
    expect(kinds("kubernetes:core/v1:Service")).toBe(6);
    expect(kinds("kubernetes:core/v1:Secret")).toBe(6);
    expect(kinds("kubernetes:core/v1:ConfigMap")).toBe(6);
    expect(out.rpcUrl).toBe("http://rpc-org-0.acme-chain.svc.cluster.local:8545");
    expect(Object.keys(out.memberRpcUrls as object)).toEqual(["org-0", "org-1", "org-2"]);
    // Signer keystores (Clique, AuRa) travel in Secrets only, never in a ConfigMap.
    const configMaps = JSON.stringify(registered.filter((r) => r.type === "kubernetes:core/v1:ConfigMap").map((r) => r.inputs));
    expect(configMaps).not.toMatch(/UTC--|\\"crypto\\"/);
    if (engine === "qbft") {
      // Besu validators are the node keys: the chain file lists their addresses, and no keystore is shipped.
      const nodeKeys = registered.filter((r) => r.type.endsWith("keys:GeneratedKey") && /^(alpha|beta|gamma)-node$/.test(r.name));
      expect(nodeKeys).toHaveLength(3);
      const secrets = JSON.stringify(registered.filter((r) => r.type === "kubernetes:core/v1:ConfigMap").map((r) => r.inputs));
      expect(secrets).not.toContain("keystore");
    }
  });
});
