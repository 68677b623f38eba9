// components/fleet/Fleet on a KubernetesTarget under pulumi.runtime.setMocks: a test double for the Pulumi engine.
// The Kubernetes provider plugin cannot be downloaded here and no cluster exists, so nothing is applied: these
// tests check the resource graph, parenting, options, secrecy and that the component creates exactly the objects
// render/kubernetes renders (whose schemas schema.test.ts checks offline).
// The mock monitor's registerResource is wrapped to record the request the engine would receive (parent,
// provider, dependencies, retainOnDelete), because the mocks' newResource sees only type, name and inputs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assert, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Fleet, FleetAuthority } from "../../components/fleet/Fleet";
import { declareTarget } from "../../components/targets/declareTarget";
import { KubernetesTarget } from "../../components/targets/kubernetes/KubernetesTarget";
import { renderKubernetesWorkloads } from "../../render/kubernetes/fleet";
import { parseConsortiumSpec } from "../../settings/parse";
import { addressOf, AUTHORITIES, fixtureFleet, keystoreOf, kubeSpec, markers, MEMBERS, publicKeyOf, RPC_NODES } from "./fixture";

interface Registered {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, any>;
  parent: string;
  provider: string;
  dependencies: string[];
  retainOnDelete: boolean;
  additionalSecretOutputs: string[];
  /** Alias specs the request carries (names the resource was known by before). */
  aliases: string[];
}
let registered: Registered[] = [];
let requests = new Map<string, Omit<Registered, "inputs" | "urn">>();
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const request = requests.get(`${args.type}::${args.name}`)!;
        registered.push({ ...request, inputs: args.inputs, urn: "" });
        // A member's RPC node's generated key (fleet-rpc-org-<k>-node): the fixture's public part, a marker as private key.
        const k = Number(/rpc-org-(\d+)-node$/.exec(args.name)?.[1] ?? 1) - 1;
        const state = args.type.endsWith("keys:GeneratedKey") ? { ...args.inputs, publicKey: publicKeyOf(9 + k), privateKey: markers(RPC_NODES[k]).nodeKey } : args.inputs;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "consortium-mock",
    "mock",
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    requests.set(`${req.getType()}::${req.getName()}`, {
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent(),
      provider: req.getProvider(),
      dependencies: req.getDependenciesList(),
      retainOnDelete: req.hasRetainondelete() && req.getRetainondelete(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      aliases: (req.getAliasesList?.() ?? []).map((a: any) => JSON.stringify(a.toObject())),
    });
    return register(req, (err: unknown, resp: any) => {
      const r = registered.find((x) => x.type === req.getType() && x.name === req.getName());
      if (r && resp) r.urn = resp.getUrn();
      callback(err, resp);
    });
  };
});

beforeEach(() => {
  registered = [];
  requests = new Map();
});

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
/** Waits until every registration the program queued has reached the mock engine. */
const settle = () => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
const unwrap = (v: any) => (v && typeof v === "object" && SECRET_SIG in v ? v.value : v);
const k8sObjects = () => registered.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:pulumi"));

function authorities(secret = false): FleetAuthority[] {
  return AUTHORITIES.map((name, i) => ({
    name,
    nodePublicKey: publicKeyOf(i),
    address: addressOf(i),
    keystore: keystoreOf(i),
    nodeKey: secret ? pulumi.secret(markers(name).nodeKey) : markers(name).nodeKey,
    password: secret ? pulumi.secret(markers(name).password) : markers(name).password,
  }));
}

async function deploy(opts: { spec?: ReturnType<typeof kubeSpec>; secretInputs?: boolean; resourceOpts?: pulumi.ComponentResourceOptions } = {}) {
  const spec = opts.spec ?? kubeSpec();
  const target = declareTarget("fleet", spec, () => assert.fail("no local settings on Kubernetes"), opts.resourceOpts) as KubernetesTarget;
  const fleet = new Fleet("fleet", { spec, target, authorities: authorities(opts.secretInputs), chain: fixtureFleet(spec).chain }, opts.resourceOpts);
  await value(fleet.nodes);
  await settle();
  return { fleet, target };
}

describe("Fleet on Kubernetes: resource graph", () => {
  it("declares the namespace, per node a ConfigMap, Secret, StatefulSet, Service, NetworkPolicy, per authority a PDB, and each member's RPC node key", async () => {
    await deploy();
    const count = (t: string) => registered.filter((r) => r.type === t).length;
    expect(count("consortium:fleet:Fleet")).toBe(1);
    expect(count("consortium:target:KubernetesTarget")).toBe(1);
    expect(count("kubernetes:core/v1:Namespace")).toBe(1);
    for (const t of ["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Secret", "kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]) {
      expect(count(t), t).toBe(6);
    }
    expect(registered.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget").map((r) => r.name).sort()).toEqual(AUTHORITIES.map((a) => `fleet-${a}-disruption-budget`));
    expect(registered.filter((r) => r.type.endsWith("keys:GeneratedKey")).map((r) => [r.name, r.inputs.kind]).sort()).toEqual(RPC_NODES.map((n) => [`fleet-${n}-node`, "node"]));
    expect(registered).toHaveLength(2 + 1 + 5 * 6 + 3 + 3);
  });

  it("parents every node's object to the fleet, the namespace to the target, and creates StatefulSets after their files and keys", async () => {
    await deploy();
    const component = registered.find((r) => r.type === "consortium:fleet:Fleet")!;
    const target = registered.find((r) => r.type === "consortium:target:KubernetesTarget")!;
    expect(component.urn).toMatch(/::consortium:fleet:Fleet::fleet$/);
    // The fleet and its children answer to the Kubernetes fleet of earlier versions; the namespace to its child.
    expect(component.aliases.join(" ")).toContain("consortium:fleet:KubernetesFleet");
    const namespace = registered.find((r) => r.name === "fleet-namespace")!;
    expect(namespace.parent).toBe(target.urn);
    expect(namespace.aliases.join(" ")).toContain("consortium:fleet:KubernetesFleet::fleet");
    for (const r of registered.filter((x) => x !== component && x !== target && x !== namespace)) {
      expect(r.parent, r.name).toBe(component.urn);
      expect(r.urn, r.name).toContain(`::consortium:fleet:Fleet$${r.type}::${r.name}`);
    }
    const urnOf = (name: string) => registered.find((r) => r.name === name)!.urn;
    const sts = registered.find((r) => r.name === "fleet-alpha-node")!;
    expect(sts.dependencies).toEqual(expect.arrayContaining([urnOf("fleet-namespace"), urnOf("fleet-alpha-files"), urnOf("fleet-alpha-keys")]));
  });

  it("creates exactly the objects render/kubernetes renders", async () => {
    await deploy();
    const f = fixtureFleet();
    const rendered = renderKubernetesWorkloads(f.ctx, f.nodes);
    const created = k8sObjects().map((r) => ({ ...r.inputs, ...(r.inputs.data ? { data: unwrap(r.inputs.data) } : {}) }));
    const key = (o: any) => `${o.kind}/${o.metadata.name}`;
    expect(created.map(key).sort()).toEqual(rendered.map(key).sort());
    for (const o of rendered) expect(created.find((c) => key(c) === key(o)), key(o)).toEqual(o);
  });

  it("uses a Kubernetes provider given to the component for every Kubernetes child", async () => {
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}", namespace: "ignored" });
    await deploy({ resourceOpts: { provider } });
    const providerUrn = registered.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "cluster")!.urn;
    const objects = k8sObjects();
    expect(objects).toHaveLength(1 + 5 * 6 + 3);
    for (const r of objects) expect(r.provider, r.name).toBe(`${providerUrn}::cluster-id`);
    expect(registered.find((r) => r.type.endsWith("GeneratedKey"))!.provider).not.toContain("cluster");
  });
});

describe("Fleet on Kubernetes: secrets", () => {
  for (const secretInputs of [false, true]) {
    it(`marks Secret data secret and retains Secrets on delete (${secretInputs ? "secret" : "plain"} key inputs)`, async () => {
      await deploy({ secretInputs });
      const secrets = registered.filter((r) => r.type === "kubernetes:core/v1:Secret");
      expect(secrets).toHaveLength(6);
      for (const s of secrets) {
        expect(s.inputs.data[SECRET_SIG], s.name).toBeDefined();
        expect(s.retainOnDelete, s.name).toBe(true);
        expect(s.additionalSecretOutputs, s.name).toEqual(expect.arrayContaining(["data"]));
      }
      for (const r of registered.filter((x) => x.type !== "kubernetes:core/v1:Secret")) expect(r.retainOnDelete, r.name).toBe(false);
    });
  }

  it("puts no key material in any other object, in the component's inputs or in its outputs", async () => {
    const { fleet, target } = await deploy();
    const outputs = JSON.stringify(await value(pulumi.all([fleet.nodes, fleet.enodes, fleet.rpcUrl!, fleet.memberRpcUrls, target.namespace])));
    const values = [...AUTHORITIES, ...RPC_NODES].flatMap((n) => Object.values(markers(n)));
    for (const r of registered.filter((x) => x.type !== "kubernetes:core/v1:Secret" && !x.type.endsWith("GeneratedKey"))) {
      const text = JSON.stringify(r.inputs);
      for (const v of values) {
        expect(text.includes(v) || text.includes(Buffer.from(v).toString("base64")), `${r.type} ${r.name}`).toBe(false);
      }
    }
    for (const v of values) expect(outputs.includes(v)).toBe(false);
    expect(registered.find((r) => r.type === "consortium:fleet:Fleet")!.inputs).toEqual({});
    // Public objects stay readable in state: no secret taint spreads to them.
    for (const r of k8sObjects().filter((x) => x.type !== "kubernetes:core/v1:Secret")) expect(JSON.stringify(r.inputs).includes(SECRET_SIG), r.name).toBe(false);
  });
});

describe("Fleet on Kubernetes: outputs and arguments", () => {
  it("exposes the first member's RPC node as the RPC URL, every member's, and enodes at the Services' DNS names", async () => {
    const { fleet, target } = await deploy();
    const url = (n: string) => `http://${n}.acme-chain.svc.cluster.local:8545`;
    expect(await value(fleet.rpcUrl!)).toBe(url("rpc-org-1"));
    expect(await value(fleet.memberRpcUrls)).toEqual({ "org-1": url("rpc-org-1"), "org-2": url("rpc-org-2"), "org-3": url("rpc-org-3") });
    // In the cluster the deployer and the bridge agents reach a member's RPC node the same way: its Service.
    expect(await value(fleet.memberStackRpcUrls)).toEqual(await value(fleet.memberRpcUrls));
    expect(await value(target.namespace)).toBe("acme-chain");
    expect(await value(fleet.enodes)).toEqual([...AUTHORITIES, ...RPC_NODES].map((n, i) => `enode://${publicKeyOf(i < 3 ? i : 6 + i)}@${n}.acme-chain.svc.cluster.local:${30303 + i}`));
    const nodes = await value(fleet.nodes);
    expect(nodes.map((n) => [n.name, n.member, n.role, n.signer, n.rpcUrl])).toEqual([
      ...AUTHORITIES.map((n, i) => [n, MEMBERS[i], "authority", addressOf(i), undefined]),
      ...RPC_NODES.map((n, i) => [n, MEMBERS[i], "rpc", undefined, url(n)]),
    ]);
  });

  it("without RPC nodes, has no RPC URL at all (no authority serves one) and generates no key", async () => {
    const { fleet } = await deploy({ spec: kubeSpec({ rpcNode: false }) });
    expect(fleet.rpcUrl).toBeUndefined();
    expect(await value(fleet.memberRpcUrls)).toEqual({});
    expect((await value(fleet.nodes)).every((n) => n.rpcUrl === undefined)).toBe(true);
    expect(registered.some((r) => r.type.endsWith("GeneratedKey"))).toBe(false);
    expect(k8sObjects()).toHaveLength(1 + 6 * 3);
  });

  it("keeps the first member's RPC node key under the old single RPC node key's name (alias): same enode after the upgrade", async () => {
    await deploy();
    const aliases = (name: string) => registered.find((r) => r.name === name)!.aliases.join(" ");
    expect(aliases("fleet-rpc-org-1-node")).toContain('"name":"fleet-rpc-node"');
    expect(aliases("fleet-rpc-org-2-node")).toBe("");
  });

  it("rejects bad arguments with a ResourceError before declaring any child", async () => {
    const chain = fixtureFleet().chain;
    const spec = kubeSpec();
    const make = (auths: FleetAuthority[]) => () => new Fleet("bad", { spec, target: new KubernetesTarget("bad", { spec }), authorities: auths, chain });
    const local = parseConsortiumSpec({ name: "acme", chainId: 31415, authorities: [{ name: "alpha", member: "a" }] });
    expect(() => new KubernetesTarget("bad", { spec: local })).toThrow(/KubernetesTarget bad: .*fleet target is local, not kubernetes/);
    expect(make([])).toThrow(/Fleet bad: no authority to run/);
    // The settings refuse such names with the field and the fix (settings/parse.ts); the fleet guards its callers.
    expect(make([{ ...authorities()[0], name: "rpc-org-2" }, authorities()[1]])).toThrow(/authority rpc-org-2 is not in the spec/);
    expect(() => make([])()).toThrow(pulumi.ResourceError);
    await settle();
    // Only the targets' own namespaces exist: no object of any node.
    expect(registered.filter((r) => !r.type.startsWith("consortium:")).map((r) => r.name)).toEqual(["bad-namespace", "bad-namespace", "bad-namespace"]);
  });

  it("refuses workload names that are no DNS label, or taken twice", () => {
    const target = new KubernetesTarget("names", { spec: kubeSpec() });
    expect(() => target.sites("fleet", [{ name: "Alpha", member: "org-1" }], { peers: true, portsEach: 3 })).toThrow(/"Alpha" is not a DNS label/);
    target.sites("fleet", [{ name: "alpha", member: "org-1" }], { peers: true, portsEach: 3 });
    expect(() => target.sites("bridge", [{ name: "alpha", member: "org-1" }], { peers: false, portsEach: 1 })).toThrow(/two workloads are named "alpha"/);
  });
});
