// The program with a bridge on the docker and kubernetes targets, under pulumi.runtime.setMocks (a test double for
// the engine: the Docker and Kubernetes provider plugins cannot be installed here, and the bridge's contract
// resources are answered by test/support/pulumiMocks.ts). Checks one agent per validator with the pinned image,
// its files (keystore, password and endpoints only ever inside a secret), its volume, loopback-only ports, a provider
// per member host, the home endpoints agents (their own member's RPC node) and deployment use, and that the Kubernetes
// objects pass the schemas.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { K8sObject } from "../../render/kubernetes/meta";
import { schemaErrors, typeErrors } from "../kubernetes/schema";
import { imageId, installMocks, recordRegistrations, Registered, registeredOne, Registration, runProgram, SECRET_SIG, setConsortiumConfig } from "../support/pulumiMocks";
import { BRIDGE_ENDPOINTS, bridgeSettings, consortiumRaw, HOME_RPC, HOSTS, MEMBERS, VALIDATORS } from "./fixture";

const DEPLOYER_KEY = "0x" + "5e".repeat(32);
const AGENT_IMAGE = "registry.example/bridge-agent:1.2.3";
const isWrapped = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && SECRET_SIG in v;
/** Inputs with every secret-wrapped value replaced by a placeholder: what is visible in plaintext. */
const visible = (v: unknown): unknown =>
  isWrapped(v) ? "[secret]" : Array.isArray(v) ? v.map(visible) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visible(x)])) : v;

let registered: Registered[] = [];
let requests = new Map<string, Registration>();
beforeAll(() => {
  registered = installMocks();
  requests = recordRegistrations();
});
beforeEach(() => {
  registered.length = 0;
  requests.clear();
});

function configure(fleet: Record<string, unknown>, bridge: Record<string, unknown>) {
  const raw = consortiumRaw(fleet, bridge);
  setConsortiumConfig(raw, { deployerKey: DEPLOYER_KEY, bridgeEndpoints: JSON.stringify(BRIDGE_ENDPOINTS) });
}

const run = () => runProgram(consortium);

const one = (type: string, name: string) => registeredOne(registered, type, name);
const request = (type: string, name: string) => requests.get(`${type}::${name}`)!;
const CONTAINER = "docker:index/container:Container";
/** The agents' long-running containers (each also has a one-shot prepare step). */
const agentContainers = () => registered.filter((r) => r.type === CONTAINER && r.name.startsWith("bridge-agent-") && !r.name.endsWith("-prepare"));

/** No password, deployer key, validator keystore password or configured RPC URL in plaintext in any resource's inputs. */
function expectNoPlaintextSecrets() {
  expect(registered.length).toBeGreaterThan(0);
  for (const r of registered) {
    const plain = JSON.stringify(visible(r.inputs));
    expect(plain, r.name).not.toMatch(/mock-password-/);
    expect(plain, r.name).not.toContain(DEPLOYER_KEY.slice(2));
    expect(plain, r.name).not.toContain("MARKER-KEY");
    expect(plain, r.name).not.toContain("mainnet.example.org");
  }
}

describe("bridge agents on the docker target (one host per member)", () => {
  const fleet = { target: "docker", hosts: HOSTS };
  const bridge = bridgeSettings({ home: { rpcUrl: HOME_RPC }, agent: { image: AGENT_IMAGE } });

  it("runs one agent container per validator, of the pinned agent image, on its member's host", async () => {
    configure(fleet, bridge);
    const out = await run();
    expect(agentContainers().map((r) => r.name)).toEqual(VALIDATORS.map((v) => `bridge-agent-${v}`));
    // One member per host: each agent's health on 8645 of its own host's loopback.
    expect(out.bridge.agents).toEqual({ alpha: "http://127.0.0.1:8645/healthz", beta: "http://127.0.0.1:8645/healthz", gamma: "http://127.0.0.1:8645/healthz" });
    // On each member's host, through the target's provider for that host (the fleet's), of the pinned agent image.
    const imageName = AGENT_IMAGE.replace(/[^A-Za-z0-9-]+/g, "-");
    for (const [i, v] of VALIDATORS.entries()) {
      const member = MEMBERS[i];
      expect(one("pulumi:providers:docker", `fleet-${member}`).inputs.host).toBe(HOSTS[member].url);
      expect(one("docker:index/remoteImage:RemoteImage", `fleet-${member}-${imageName}-image`).inputs.name).toBe(AGENT_IMAGE);
      for (const [type, name] of [[CONTAINER, `bridge-agent-${v}`], [CONTAINER, `bridge-agent-${v}-prepare`], ["docker:index/volume:Volume", `bridge-agent-${v}-data`]]) {
        expect(request(type, name).provider, name).toContain(`consortium:target:DockerTarget$pulumi:providers:docker::fleet-${member}::`);
        expect(request(type, name).parent, name).toContain("consortium:bridge:TokenBridge::bridge");
      }
      const c = one(CONTAINER, `bridge-agent-${v}`).inputs;
      expect(c).toMatchObject({ name: `acme-bridge-agent-${v}`, image: imageId(AGENT_IMAGE), user: "10001:10001", restart: "unless-stopped", mustRun: true, workingDir: "/node" });
      expect(c.entrypoints).toEqual(["node"]);
      expect(c.command).toEqual(["/app/dist/agent/main.js", "--config", "agent.json"]);
      expect(c.ports).toEqual([{ internal: 8080, external: 8645, ip: "127.0.0.1", protocol: "tcp" }]);
      expect(c.networksAdvanced).toEqual([{ name: "acme-net" }]);
      expect(c.mounts).toEqual([{ type: "volume", target: "/node", source: `acme-bridge-agent-${v}-data`, volumeOptions: { noCopy: true } }]);
      expect(c.healthcheck.tests[3]).toContain("http://127.0.0.1:8080/healthz");
      expect(one("docker:index/volume:Volume", `bridge-agent-${v}-data`).inputs.name).toBe(`acme-bridge-agent-${v}-data`);
      // Agents start once the contracts they serve exist.
      expect(request(CONTAINER, `bridge-agent-${v}-prepare`).dependencies.some((d) => d.endsWith("::bridge-home-gateway"))).toBe(true);
    }
  });

  it("uploads the files owned by uid 10001, keystore, password and endpoints 0600, the whole list only as a secret", async () => {
    configure(fleet, bridge);
    await run();
    expectNoPlaintextSecrets();
    for (const [i, v] of VALIDATORS.entries()) {
      const wrapped = one(CONTAINER, `bridge-agent-${v}-prepare`).inputs.uploads;
      expect(isWrapped(wrapped), v).toBe(true);
      expect(request(CONTAINER, `bridge-agent-${v}-prepare`).additionalSecretOutputs).toContain("uploads");
      const files = Object.fromEntries((wrapped.value as any[]).map((u) => [u.file, u]));
      expect(Object.keys(files).sort()).toEqual(["/node/agent.json", "/node/foreign-rpc-url", "/node/home-rpc-url", "/node/keystore.json", "/node/password"]);
      for (const f of ["/node/password", "/node/keystore.json", "/node/home-rpc-url", "/node/foreign-rpc-url"]) expect(files[f], f).toMatchObject({ owner: "10001", group: "10001", permissions: "0600" });
      expect(files["/node/password"].content).toMatch(/^mock-password-/);
      // Each agent reads home through its own member's RPC node on its own host, and Ethereum through its own endpoint.
      expect(files["/node/home-rpc-url"].content).toBe(`http://acme-rpc-${MEMBERS[i]}:8545`);
      expect(files["/node/foreign-rpc-url"].content).toBe(BRIDGE_ENDPOINTS[v].foreign);
      const config = JSON.parse(files["/node/agent.json"].content);
      expect(config).toMatchObject({ dbFile: "agent.sqlite", passwordFile: "password", health: { host: "0.0.0.0", port: 8080 }, home: { rpcUrlFile: "home-rpc-url" } });
    }
    // The deployment reaches home at bridge.home.rpcUrl, as a secret.
    const gateway = one("pulumi-nodejs:dynamic/bridge:BridgeContract", "bridge-home-gateway");
    expect(isWrapped(gateway.inputs.rpcUrl) && gateway.inputs.rpcUrl.value).toBe(HOME_RPC);
    expect(request(gateway.type, gateway.name).additionalSecretOutputs).toContain("rpcUrl");
    const deployment = one("pulumi-nodejs:dynamic/bridge:BridgeDeployment", "bridge-deployment");
    expect(isWrapped(deployment.inputs.homeRpcUrl) && deployment.inputs.homeRpcUrl.value).toBe(HOME_RPC);
    expect(isWrapped(deployment.inputs.deployerKey)).toBe(true);
    expect(request(deployment.type, deployment.name).additionalSecretOutputs).toEqual(expect.arrayContaining(["foreignRpcUrl", "homeRpcUrl"]));
    // A stack made before, whose vault binding was its own resource, hands that state to the deployment.
    expect(request(deployment.type, deployment.name).aliases).toContainEqual(expect.stringMatching(/pulumi-nodejs:dynamic\/bridge:VaultBinding::bridge-vault-binding$/));
    // Each contract is taken on at the address the deployment reports, by a resource that depends on it.
    expect(request(gateway.type, gateway.name).dependencies.some((d) => d.endsWith("::bridge-deployment"))).toBe(true);
  });

  it("needs no shared home endpoint: each member's agent has its own member's RPC node on its host", async () => {
    configure(fleet, bridgeSettings());
    await run();
    expect(agentContainers()).toHaveLength(3);
  });
});

describe("bridge agents on the local target", () => {
  it("still runs one local process per validator, its password a secret file", async () => {
    configure({ target: "local" }, bridgeSettings());
    const out = await run();
    expectNoPlaintextSecrets();
    for (const [i, v] of VALIDATORS.entries()) {
      const proc = one("pulumi-nodejs:dynamic/fleet:LocalNodeProcess", `bridge-agent-${v}`).inputs;
      expect(proc.args.slice(1)).toEqual(["--config", "agent.json"]);
      expect(isWrapped(proc.secretFiles)).toBe(true);
      const secretFiles = proc.secretFiles.value as Record<string, string>;
      expect(Object.keys(secretFiles).sort()).toEqual(["foreign-rpc-url", "home-rpc-url", "keystore.json", "password"]);
      // Its own member's RPC node, as this machine reaches it.
      expect(secretFiles["home-rpc-url"]).toBe(out.memberRpcUrls[MEMBERS[i]]);
      expect(Object.keys(proc.files)).toEqual(["agent.json"]);
      expect(JSON.parse(proc.files["agent.json"]).health.host).toBe("127.0.0.1");
    }
    expect(Object.keys(out.bridge.agents)).toEqual(VALIDATORS);
  });
});

describe("bridge agents on the kubernetes target", () => {
  const fleet = { target: "kubernetes", namespace: "acme-chain" };

  it("declares per validator a ConfigMap, a retained Secret, a Service, a NetworkPolicy and a StatefulSet that pass the schemas", async () => {
    configure(fleet, bridgeSettings({ home: { rpcUrl: HOME_RPC } }));
    const out = await run();
    expectNoPlaintextSecrets();
    expect(out.bridge.agents.alpha).toBe("http://bridge-agent-alpha.acme-chain.svc.cluster.local:8080/healthz");
    const objects: K8sObject[] = [];
    for (const v of VALIDATORS) {
      const sts = one("kubernetes:apps/v1:StatefulSet", `bridge-agent-${v}-node`);
      expect(request(sts.type, sts.name).parent).toContain("consortium:bridge:TokenBridge::bridge");
      expect(sts.inputs.spec.replicas).toBe(1);
      expect(sts.inputs.spec.template.spec.containers[0].image).toBe("consortium-deployer/bridge-agent:0.1.0");
      const secret = one("kubernetes:core/v1:Secret", `bridge-agent-${v}-keys`);
      expect(isWrapped(secret.inputs.data), v).toBe(true);
      const data = secret.inputs.data.value as Record<string, string>;
      const text = (k: string) => Buffer.from(data[k], "base64").toString();
      expect(text("password")).toMatch(/^mock-password-/);
      // Agents dial their own member's RPC Service; the deployment uses bridge.home.rpcUrl.
      expect(text("home-rpc-url")).toBe(`http://rpc-${MEMBERS[VALIDATORS.indexOf(v)]}.acme-chain.svc.cluster.local:8545`);
      expect(request(secret.type, secret.name).retainOnDelete).toBe(true);
      const configMap = one("kubernetes:core/v1:ConfigMap", `bridge-agent-${v}-files`);
      expect(JSON.parse(configMap.inputs.data["agent.json"]).home.rpcUrlFile).toBe("home-rpc-url");
      const service = one("kubernetes:core/v1:Service", `bridge-agent-${v}-service`);
      const policy = one("kubernetes:networking.k8s.io/v1:NetworkPolicy", `bridge-agent-${v}-network-policy`);
      objects.push(...[configMap, { ...secret, inputs: { ...secret.inputs, data: secret.inputs.data.value } }, service, policy, sts].map((r) => r.inputs as K8sObject));
    }
    expect(one("pulumi-nodejs:dynamic/bridge:BridgeContract", "bridge-home-validators").inputs.rpcUrl.value).toBe(HOME_RPC);
    expect(objects.flatMap(schemaErrors)).toEqual([]);
    expect(typeErrors(objects)).toEqual([]);
  });

  it("fails early without bridge.home.rpcUrl, naming the key and the fix", async () => {
    configure(fleet, bridgeSettings());
    // Refused with the settings, before any resource exists.
    await expect(consortium()).rejects.toThrow(/consortium:bridge\.home\.rpcUrl: is missing: .*Fix: set bridge\.home\.rpcUrl/);
    expect(registered).toEqual([]);
  });
});
