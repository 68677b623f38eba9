// components/fleet/kubernetes/KubernetesFleet under pulumi.runtime.setMocks: a test double for the Pulumi engine.
// The Kubernetes provider plugin cannot be downloaded here and no cluster exists, so nothing is applied: these
// tests check the resource graph, parenting, options, secrecy and that the component creates exactly the objects
// render/kubernetes renders (whose schemas schema.test.ts checks offline).
// The mock monitor's registerResource is wrapped to record the request the engine would receive (parent,
// provider, dependencies, retainOnDelete), because the mocks' newResource sees only type, name and inputs.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KubernetesFleet, KubernetesFleetAuthority } from "../../components/fleet/kubernetes/KubernetesFleet";
import { renderKubernetesFleet } from "../../render/kubernetes/fleet";
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

function authorities(secret = false): KubernetesFleetAuthority[] {
  return AUTHORITIES.map((name, i) => ({
    name,
    member: MEMBERS[i],
    nodePublicKey: publicKeyOf(i),
    signer: { address: addressOf(i), keystore: keystoreOf(i) },
    nodeKey: secret ? pulumi.secret(markers(name).nodeKey) : markers(name).nodeKey,
    password: secret ? pulumi.secret(markers(name).password) : markers(name).password,
  }));
}

async function deploy(opts: { spec?: ReturnType<typeof kubeSpec>; secretInputs?: boolean; resourceOpts?: pulumi.ComponentResourceOptions } = {}) {
  const spec = opts.spec ?? kubeSpec();
  const fleet = new KubernetesFleet("fleet", { spec, authorities: authorities(opts.secretInputs), chain: fixtureFleet(spec).chain }, opts.resourceOpts);
  await value(fleet.nodes);
  await settle();
  return fleet;
}

describe("KubernetesFleet resource graph", () => {
  it("declares the namespace, per node a ConfigMap, Secret, StatefulSet, Service, NetworkPolicy, per authority a PDB, and each member's RPC node key", async () => {
    await deploy();
    const count = (t: string) => registered.filter((r) => r.type === t).length;
    expect(count("consortium:fleet:KubernetesFleet")).toBe(1);
    expect(count("kubernetes:core/v1:Namespace")).toBe(1);
    for (const t of ["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Secret", "kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]) {
      expect(count(t), t).toBe(6);
    }
    expect(registered.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget").map((r) => r.name).sort()).toEqual(AUTHORITIES.map((a) => `fleet-${a}-disruption-budget`));
    expect(registered.filter((r) => r.type.endsWith("keys:GeneratedKey")).map((r) => [r.name, r.inputs.kind]).sort()).toEqual(RPC_NODES.map((n) => [`fleet-${n}-node`, "node"]));
    expect(registered).toHaveLength(1 + 1 + 5 * 6 + 3 + 3);
  });

  it("parents every child to the fleet, and creates StatefulSets after their files and keys", async () => {
    await deploy();
    const component = registered.find((r) => r.type === "consortium:fleet:KubernetesFleet")!;
    expect(component.urn).toMatch(/::consortium:fleet:KubernetesFleet::fleet$/);
    for (const r of registered.filter((x) => x !== component)) {
      expect(r.parent, r.name).toBe(component.urn);
      expect(r.urn, r.name).toContain(`::consortium:fleet:KubernetesFleet$${r.type}::${r.name}`);
    }
    const urnOf = (name: string) => registered.find((r) => r.name === name)!.urn;
    const sts = registered.find((r) => r.name === "fleet-alpha-node")!;
    expect(sts.dependencies).toEqual(expect.arrayContaining([urnOf("fleet-namespace"), urnOf("fleet-alpha-files"), urnOf("fleet-alpha-keys")]));
  });

  it("creates exactly the objects render/kubernetes renders", async () => {
    await deploy();
    const f = fixtureFleet();
    const rendered = renderKubernetesFleet(f.ctx, f.nodes);
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

describe("KubernetesFleet secrets", () => {
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
    const fleet = await deploy();
    const outputs = JSON.stringify(await value(pulumi.all([fleet.nodes, fleet.enodes, fleet.rpcUrl!, fleet.memberRpcUrls, fleet.namespace])));
    const values = [...AUTHORITIES, ...RPC_NODES].flatMap((n) => Object.values(markers(n)));
    for (const r of registered.filter((x) => x.type !== "kubernetes:core/v1:Secret" && !x.type.endsWith("GeneratedKey"))) {
      const text = JSON.stringify(r.inputs);
      for (const v of values) {
        expect(text.includes(v) || text.includes(Buffer.from(v).toString("base64")), `${r.type} ${r.name}`).toBe(false);
      }
    }
    for (const v of values) expect(outputs.includes(v)).toBe(false);
    expect(registered.find((r) => r.type === "consortium:fleet:KubernetesFleet")!.inputs).toEqual({});
    // Public objects stay readable in state: no secret taint spreads to them.
    for (const r of k8sObjects().filter((x) => x.type !== "kubernetes:core/v1:Secret")) expect(JSON.stringify(r.inputs).includes(SECRET_SIG), r.name).toBe(false);
  });
});

describe("KubernetesFleet outputs and arguments", () => {
  it("exposes the first member's RPC node as the RPC URL, every member's, and enodes at the Services' DNS names", async () => {
    const fleet = await deploy();
    const url = (n: string) => `http://${n}.acme-chain.svc.cluster.local:8545`;
    expect(await value(fleet.rpcUrl!)).toBe(url("rpc-org-1"));
    expect(await value(fleet.memberRpcUrls)).toEqual({ "org-1": url("rpc-org-1"), "org-2": url("rpc-org-2"), "org-3": url("rpc-org-3") });
    expect(await value(fleet.namespace)).toBe("acme-chain");
    expect(await value(fleet.enodes)).toEqual([...AUTHORITIES, ...RPC_NODES].map((n, i) => `enode://${publicKeyOf(i < 3 ? i : 6 + i)}@${n}.acme-chain.svc.cluster.local:${30303 + i}`));
    const nodes = await value(fleet.nodes);
    expect(nodes.map((n) => [n.name, n.member, n.role, n.signer, n.rpcUrl])).toEqual([
      ...AUTHORITIES.map((n, i) => [n, MEMBERS[i], "authority", addressOf(i), undefined]),
      ...RPC_NODES.map((n, i) => [n, MEMBERS[i], "rpc", undefined, url(n)]),
    ]);
  });

  it("without RPC nodes, has no RPC URL at all (no authority serves one) and generates no key", async () => {
    const fleet = await deploy({ spec: kubeSpec({ rpcNode: false }) });
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

  it("rejects bad arguments with a ResourceError before declaring any child", () => {
    const chain = fixtureFleet().chain;
    const make = (spec: ReturnType<typeof kubeSpec>, auths: KubernetesFleetAuthority[]) => () => new KubernetesFleet("bad", { spec, authorities: auths, chain });
    const local = parseConsortiumSpec({ name: "acme", chainId: 31415, authorities: [{ name: "alpha", member: "a" }] });
    expect(make(local, authorities())).toThrow(/KubernetesFleet bad: fleet target is local, not kubernetes/);
    expect(make(kubeSpec(), [])).toThrow(/no authority to run/);
    expect(make(kubeSpec(), [{ ...authorities()[0], name: "rpc-org-2" }, authorities()[1]])).toThrow(/two nodes are named "rpc-org-2" \(a member's RPC node\)/);
    expect(make(kubeSpec(), [{ ...authorities()[0], member: "a-member-name-that-is-far-too-long" }])).toThrow(/"rpc-a-member-name-that-is-far-too-long" is not a DNS label.*shorten the member's name/);
    expect(make(kubeSpec(), [{ ...authorities()[0], name: "Alpha" }])).toThrow(/"Alpha" is not a DNS label/);
    const { password: _, ...noPassword } = authorities()[0];
    expect(make(kubeSpec(), [noPassword])).toThrow(/alpha has a signer keystore but no password/);
    expect(() => make(kubeSpec(), [])()).toThrow(pulumi.ResourceError);
    expect(registered.filter((r) => r.type !== "consortium:fleet:KubernetesFleet")).toEqual([]);
  });
});
