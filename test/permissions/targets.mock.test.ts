// The policy gateways on the container targets, under pulumi.runtime.setMocks (a test double for the engine: the
// Docker and Kubernetes provider plugins cannot be installed here). With permissions, each member's RPC node publishes
// nothing: a gateway container of the pinned gateway image takes its place on the member's RPC bind address (Docker),
// or a StatefulSet and Service beside it (Kubernetes); it guards the node where the stack's workloads reach it, its
// API keys only in a secret (a 0600 upload, a Kubernetes Secret), its policy listing the stack's own accounts with the
// operator's. The gateway itself runs for real in test/permissions/stack.test.ts (local target) and gateway.test.ts.
import { computeAddress, getAddress } from "ethers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { K8sObject } from "../../render/kubernetes/meta";
import { IMAGE_GATEWAY_PROGRAM } from "../../render/permissions/gateway";
import { TX_PERMISSION_ADDRESS } from "../../render/permissions/txPermission";
import { DEFAULT_GATEWAY_IMAGE } from "../../settings/permissions";
import { BRIDGE_ENDPOINTS, bridgeSettings, consortiumRaw, HOME_RPC, HOSTS, MEMBERS } from "../bridge-targets/fixture";
import { schemaErrors, typeErrors } from "../kubernetes/schema";
import { imageId, installMocks, isSecret, Registered, registeredOne, runProgram, setConsortiumConfig, visible } from "../support/pulumiMocks";

const CONTAINER = "docker:index/container:Container";
const USER = getAddress("0x00000000000000000000000000000000000000b0");
const OPS_KEY = "MARKER-API-KEY-".padEnd(40, "x");
const DEPLOYER_KEY = "0x" + "5e".repeat(32);

let registered: Registered[] = [];
beforeAll(() => {
  registered = installMocks();
});
beforeEach(() => {
  registered.length = 0;
});

const one = (type: string, name: string) => registeredOne(registered, type, name);

function run(fleet: Record<string, unknown>, bridge = bridgeSettings(), more: Record<string, unknown> = {}) {
  setConsortiumConfig(
    { ...consortiumRaw(fleet, bridge), permissions: { read: "keys", transact: [USER], deploy: [] }, ...more },
    { deployerKey: DEPLOYER_KEY, bridgeEndpoints: JSON.stringify(BRIDGE_ENDPOINTS), permissionKeys: JSON.stringify({ ops: OPS_KEY }) },
  );
  return runProgram(consortium);
}

describe("the policy gateways on the docker target (one host per member)", () => {
  it("publish each member's RPC port in place of its node, guard the node on the network, keep the keys secret", async () => {
    const out = await run({ target: "docker", hosts: HOSTS });
    for (const m of MEMBERS) {
      // The node's p2p port stays published (its peers on other hosts dial it); its RPC port no longer.
      expect((one(CONTAINER, `fleet-rpc-${m}`).inputs.ports ?? []).map((p: { internal: number }) => p.internal)).not.toContain(8545);
      const c = one(CONTAINER, `gateway-${m}`).inputs;
      expect(c).toMatchObject({ name: `acme-gateway-${m}`, image: imageId(DEFAULT_GATEWAY_IMAGE), user: "10001:10001", workingDir: "/node" });
      expect([...c.entrypoints, ...c.command]).toEqual([IMAGE_GATEWAY_PROGRAM.node, IMAGE_GATEWAY_PROGRAM.main, "--config", "gateway.json"]);
      // On the member's RPC bind address (loopback of its host unless fleet.rpcBind says otherwise), where its RPC node was.
      expect(c.ports).toEqual([{ internal: 8545, external: 8545, ip: "127.0.0.1", protocol: "tcp" }]);
      const uploads = one(CONTAINER, `gateway-${m}-prepare`).inputs.uploads;
      expect(isSecret(uploads)).toBe(true);
      const files = Object.fromEntries((uploads as { value: { file: string; content: string; permissions: string }[] }).value.map((u) => [u.file.replace("/node/", ""), u]));
      expect(Object.keys(files).sort()).toEqual(["api-keys.json", "gateway.json", "policy.json"]);
      expect(files["api-keys.json"].permissions).toBe("0600");
      expect(JSON.parse(files["api-keys.json"].content)).toEqual({ ops: OPS_KEY, stack: expect.stringMatching(/^mock-api-key-/) });
      expect(JSON.parse(files["gateway.json"].content)).toEqual({ listen: { host: "0.0.0.0", port: 8545 }, upstream: `http://acme-rpc-${m}:8545`, policyFile: "policy.json", keysFile: "api-keys.json" });
      const policy = JSON.parse(files["policy.json"].content);
      expect(policy).toMatchObject({ read: "keys", deploy: [computeAddress(DEPLOYER_KEY)] });
      // The operator's user, the deployer and the three bridge validators.
      expect(policy.transact).toEqual(expect.arrayContaining([USER, computeAddress(DEPLOYER_KEY)]));
      expect(policy.transact).toHaveLength(5);
      expect(out.memberRpcUrls[m]).toBe("http://127.0.0.1:8545");
    }
    expect(out.rpcUrl).toBe(out.memberRpcUrls[MEMBERS[0]]);
    expect(out.permissions).toEqual({ read: "keys", transact: expect.arrayContaining([USER]), deploy: [computeAddress(DEPLOYER_KEY)] });
    expect(JSON.stringify(registered.map((r) => visible(r.inputs)))).not.toContain(OPS_KEY);
  });

  it("make the bridge app ask each holder for a read key, for the wallet's URL of the first member's gateway", async () => {
    const out = await run({ target: "docker", hosts: HOSTS }, bridgeSettings(), { monitoring: { image: "consortium-deployer/monitor:0.1.0" } });
    const uploads = one(CONTAINER, "monitor-prepare").inputs.uploads as { value: { file: string; content: string }[] };
    const config = JSON.parse(uploads.value.find((u) => u.file.endsWith("monitor.json"))!.content);
    expect(config.bridge.home).toMatchObject({ walletRpcUrl: out.memberRpcUrls[MEMBERS[0]], walletKeyRequired: true });
    expect(JSON.stringify(config)).not.toContain(OPS_KEY);
  });
});

describe("the policy gateways on the kubernetes target", () => {
  it("are StatefulSets of the gateway image with a Secret for the keys, a Service each, all passing the schemas", async () => {
    const out = await run({ target: "kubernetes", namespace: "acme-chain" }, bridgeSettings({ home: { rpcUrl: HOME_RPC } }));
    const m = MEMBERS[0];
    const sts = one("kubernetes:apps/v1:StatefulSet", `gateway-${m}-node`);
    expect(sts.inputs.spec.template.spec.containers[0].image).toBe(DEFAULT_GATEWAY_IMAGE);
    const configMap = one("kubernetes:core/v1:ConfigMap", `gateway-${m}-files`);
    expect(JSON.parse(configMap.inputs.data["gateway.json"]).upstream).toBe(`http://rpc-${m}.acme-chain.svc.cluster.local:8545`);
    const secret = one("kubernetes:core/v1:Secret", `gateway-${m}-keys`);
    expect(isSecret(secret.inputs.data)).toBe(true);
    expect(JSON.parse(Buffer.from((secret.inputs.data as { value: Record<string, string> }).value["api-keys.json"], "base64").toString()).ops).toBe(OPS_KEY);
    const service = one("kubernetes:core/v1:Service", `gateway-${m}-service`);
    const objects = [configMap, service, sts].map((r) => r.inputs as K8sObject);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    expect(typeErrors(objects)).toEqual([]);
    expect(out.rpcUrl).toBe(`http://gateway-${m}.acme-chain.svc.cluster.local:8545`);
    // The deployer reaches the home chain through the operator's URL of a gateway (the gateways' own are in-cluster
    // names), presenting the stack's own key as the path; the URL a secret.
    const stackKey = JSON.parse(Buffer.from((secret.inputs.data as { value: Record<string, string> }).value["api-keys.json"], "base64").toString()).stack;
    const homeContract = one("pulumi-nodejs:dynamic/bridge:BridgeContract", "bridge-home-validators").inputs.rpcUrl;
    expect(isSecret(homeContract)).toBe(true);
    expect(homeContract.value).toBe(`${HOME_RPC}/${stackKey}`);
    expect(JSON.stringify(registered.map((r) => visible(r.inputs)))).not.toContain(OPS_KEY);
  });
});

describe("permissions on AuRa (OpenEthereum on docker)", () => {
  it("put the transaction permission contract with the settings' lists in every node's chain spec, and check it on chain", async () => {
    setConsortiumConfig({
      name: "acme",
      chainId: 31418,
      engine: "aura",
      client: "openethereum",
      authorities: MEMBERS.map((member, i) => ({ name: `a${i}`, member })),
      fleet: { target: "docker", hosts: HOSTS },
      permissions: { transact: [USER], deploy: [], owner: USER },
    });
    await runProgram(consortium);
    const uploads = one(CONTAINER, "fleet-a0-prepare").inputs.uploads;
    const files = (uploads.value ?? uploads) as { file: string; content: string }[];
    const spec = JSON.parse(files.find((f) => f.file.endsWith("chainspec.json"))!.content);
    expect(spec.params).toMatchObject({ transactionPermissionContract: TX_PERMISSION_ADDRESS, transactionPermissionContractTransition: "0x0" });
    expect(Object.keys(spec.accounts[TX_PERMISSION_ADDRESS].storage)).toHaveLength(2); // the owner, and USER's types
    // After the genesis, `up` checks the contract against the settings (the owner alone sends changes).
    const onChain = one("pulumi-nodejs:dynamic/permissions:OnChainPolicy", "permissions-on-chain").inputs;
    expect(onChain).toMatchObject({ contract: TX_PERMISSION_ADDRESS, transact: [USER], deploy: [], owner: USER, genesisAccounts: [USER] });
  });
});
