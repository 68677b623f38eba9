// The program with `consortium:kubeconfig` (a secret) and `consortium:kubeContext`, under pulumi.runtime.setMocks (a
// test double for the engine: no provider plugin, no cluster). A Kubernetes fleet with a bridge, PoCo and a Kubernetes
// worker pool: every Kubernetes object — the fleet's StatefulSets, the bridge agents', the monitor's, the pool's and
// kata-deploy's release — goes through the one explicit provider the program declares, whose kubeconfig input is a
// secret; without a kubeconfig no provider is declared and the objects keep the default (ambient) one, as before.
// The mock monitor's registerResource is wrapped to see the provider reference each request carries.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import consortium from "../../program/index";
import { BRIDGE_ENDPOINTS, bridgeSettings, consortiumRaw, HOME_RPC } from "../bridge-targets/fixture";
import { installMocks, isSecret, Registered, runProgram, setConsortiumConfig, visible } from "../support/pulumiMocks";
import { kubePoolRaw } from "../workerPool/fixture";

const DEPLOYER_KEY = "0x" + "5e".repeat(32);
const ADMIN = "0x00000000000000000000000000000000000000a2";
const FLEET = { target: "kubernetes", namespace: "acme-chain" };
const PROVIDER_TYPE = "pulumi:providers:kubernetes";
/** A credential marker: it must reach the provider as a secret, and nothing else in plaintext. */
const TOKEN = "MARKER-KUBE-TOKEN-51c0";
const KUBECONFIG = stringify({
  apiVersion: "v1",
  kind: "Config",
  "current-context": "prod",
  clusters: [{ name: "prod-cluster", cluster: { server: "https://10.20.30.40:6443", "certificate-authority-data": Buffer.from("MARKER-CA").toString("base64") } }],
  contexts: [
    { name: "prod", context: { cluster: "prod-cluster", user: "deployer" } },
    { name: "ops", context: { cluster: "prod-cluster", user: "deployer" } },
  ],
  users: [{ name: "deployer", user: { token: TOKEN } }],
});

let registered: Registered[] = [];
/** The provider reference of each registration request, by `<type>::<name>`. */
const providerOf = new Map<string, string>();
const urnOf = new Map<string, string>();

beforeAll(() => {
  registered = installMocks(true);
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: any, cb: any): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const key = `${req.getType()}::${req.getName()}`;
    providerOf.set(key, req.getProvider());
    return register(req, (err: unknown, resp: any) => {
      if (resp) urnOf.set(key, resp.getUrn());
      callback(err, resp);
    });
  };
});
beforeEach(() => {
  registered.length = 0;
  providerOf.clear();
  urnOf.clear();
});

function configure(extra: Record<string, unknown>, kubeconfig?: string) {
  const raw = { ...consortiumRaw(FLEET, bridgeSettings({ home: { rpcUrl: HOME_RPC } })), poco: { admin: ADMIN }, workerPools: [kubePoolRaw()], ...extra };
  setConsortiumConfig(raw, { deployerKey: DEPLOYER_KEY, bridgeEndpoints: JSON.stringify(BRIDGE_ENDPOINTS), ...(kubeconfig !== undefined ? { kubeconfig } : {}) });
}

/** Every Kubernetes object declared (not the provider itself). */
const kubeObjects = () => registered.filter((r) => r.type.startsWith("kubernetes:"));
const requestOf = (r: Registered) => providerOf.get(`${r.type}::${r.name}`);

describe("a stack with consortium:kubeconfig (mocks)", () => {
  it("declares one explicit Kubernetes provider from the secret kubeconfig and the kubeContext", async () => {
    configure({ kubeContext: "ops" }, KUBECONFIG);
    await runProgram(consortium);
    const providers = registered.filter((r) => r.type === PROVIDER_TYPE);
    expect(providers.map((p) => p.name)).toEqual(["cluster"]);
    const inputs = providers[0].inputs;
    expect(isSecret(inputs.kubeconfig)).toBe(true);
    expect((inputs.kubeconfig as { value: unknown }).value).toBe(KUBECONFIG);
    expect(inputs.context).toBe("ops");
  }, 60_000);

  it("puts every Kubernetes object on it: the fleet's StatefulSets, the bridge's, the monitor's and the worker pool's", async () => {
    configure({}, KUBECONFIG);
    await runProgram(consortium);
    const provider = `${urnOf.get(`${PROVIDER_TYPE}::cluster`)}::cluster-id`;
    expect(provider).toMatch(/^urn:pulumi:.*::pulumi:providers:kubernetes::cluster::cluster-id$/);

    const statefulSets = registered.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet").map((r) => r.name);
    // The fleet's nodes (children of the Fleet component, not of the target) and the pool's workloads.
    for (const name of ["fleet-alpha-node", "fleet-beta-node", "fleet-gamma-node", "fleet-rpc-org-0-node", "pool-kube-core-node", "pool-kube-config-server-node"]) {
      expect(statefulSets, name).toContain(name);
    }
    expect(statefulSets.some((n) => n.startsWith("pool-kube-worker"))).toBe(true);
    const objects = kubeObjects();
    expect(objects.length).toBeGreaterThan(40);
    for (const r of objects) expect(requestOf(r), `${r.type} ${r.name}`).toBe(provider);
    // Both namespaces (the fleet's and the pool's) and kata-deploy's release, children of the targets and the pool.
    expect(objects.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => r.name).sort()).toEqual(["fleet-namespace", "pool-kube-namespace"]);
    expect(objects.some((r) => r.type === "kubernetes:helm.sh/v3:Release")).toBe(true);
    // Nothing else is sent to the Kubernetes provider: keys and contracts keep theirs.
    for (const r of registered.filter((x) => !x.type.startsWith("kubernetes:") && x.type !== PROVIDER_TYPE)) expect(requestOf(r) ?? "", r.name).not.toContain("providers:kubernetes");
  }, 60_000);

  it("keeps the kubeconfig out of every other resource, out of the outputs, and secret in the provider", async () => {
    configure({}, KUBECONFIG);
    const out = await runProgram(consortium);
    for (const r of registered) expect(JSON.stringify(visible(r.inputs)), `${r.type} ${r.name}`).not.toContain(TOKEN);
    expect(JSON.stringify(out)).not.toContain(TOKEN);
    expect(JSON.stringify(out)).not.toContain("10.20.30.40");
  }, 60_000);
});

describe("a stack without consortium:kubeconfig (mocks)", () => {
  it("declares no provider: every Kubernetes object keeps the default (ambient) one, as before", async () => {
    configure({});
    await runProgram(consortium);
    expect(registered.filter((r) => r.type === PROVIDER_TYPE)).toEqual([]);
    const objects = kubeObjects();
    expect(objects.length).toBeGreaterThan(40);
    for (const r of objects) expect(requestOf(r) ?? "", `${r.type} ${r.name}`).toBe("");
  }, 60_000);

  it("refuses a kubeconfig in a stack where nothing runs on Kubernetes, before declaring anything", async () => {
    setConsortiumConfig({ ...consortiumRaw({ target: "docker" }, bridgeSettings()), kubeContext: "prod" }, { deployerKey: DEPLOYER_KEY, bridgeEndpoints: JSON.stringify(BRIDGE_ENDPOINTS), kubeconfig: KUBECONFIG });
    const failure = consortium().then(
      () => undefined,
      (e: Error) => e,
    );
    const err = await failure;
    expect(err?.message).toMatch(/consortium:kubeconfig: is set, but nothing in this stack runs on Kubernetes .* Fix: remove it \(pulumi config rm consortium:kubeconfig\)/);
    expect(err?.message).toMatch(/consortium:kubeContext: is set, but nothing in this stack runs on Kubernetes/);
    expect(err?.message).not.toContain(TOKEN);
    expect(registered).toEqual([]);
  });
});
