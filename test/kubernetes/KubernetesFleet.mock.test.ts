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
import { parseConsortiumSpec } from "../../spec/parse";
import { addressOf, AUTHORITIES, fixtureFleet, keystoreOf, kubeSpec, markers, publicKeyOf } from "./fixture";

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
        // The RPC node's generated key: its public part, and a marker as its private key.
        const state = args.type.endsWith("keys:GeneratedKey") ? { ...args.inputs, publicKey: publicKeyOf(9), privateKey: markers("rpc").nodeKey } : args.inputs;
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
    member: `org-${i + 1}`,
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
  it("declares the namespace, per node a ConfigMap, Secret, StatefulSet, Service, NetworkPolicy, per authority a PDB, and the RPC node's key", async () => {
    await deploy();
    const count = (t: string) => registered.filter((r) => r.type === t).length;
    expect(count("consortium:fleet:KubernetesFleet")).toBe(1);
    expect(count("kubernetes:core/v1:Namespace")).toBe(1);
    for (const t of ["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:Secret", "kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]) {
      expect(count(t), t).toBe(4);
    }
    expect(registered.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget").map((r) => r.name).sort()).toEqual(AUTHORITIES.map((a) => `fleet-${a}-disruption-budget`));
    expect(registered.filter((r) => r.type.endsWith("keys:GeneratedKey")).map((r) => [r.name, r.inputs.kind])).toEqual([["fleet-rpc-node", "node"]]);
    expect(registered).toHaveLength(1 + 1 + 5 * 4 + 3 + 1);
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
    expect(objects).toHaveLength(24);
    for (const r of objects) expect(r.provider, r.name).toBe(`${providerUrn}::cluster-id`);
    expect(registered.find((r) => r.type.endsWith("GeneratedKey"))!.provider).not.toContain("cluster");
  });
});

describe("KubernetesFleet secrets", () => {
  for (const secretInputs of [false, true]) {
    it(`marks Secret data secret and retains Secrets on delete (${secretInputs ? "secret" : "plain"} key inputs)`, async () => {
      await deploy({ secretInputs });
      const secrets = registered.filter((r) => r.type === "kubernetes:core/v1:Secret");
      expect(secrets).toHaveLength(4);
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
    const outputs = JSON.stringify(await value(pulumi.all([fleet.nodes, fleet.enodes, fleet.rpcUrl, fleet.namespace])));
    const values = [...AUTHORITIES, "rpc"].flatMap((n) => Object.values(markers(n)));
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
  it("exposes the in-cluster RPC URL of the RPC node and enodes at the Services' DNS names", async () => {
    const fleet = await deploy();
    expect(await value(fleet.rpcUrl)).toBe("http://rpc.acme-chain.svc.cluster.local:8545");
    expect(await value(fleet.namespace)).toBe("acme-chain");
    expect(await value(fleet.enodes)).toEqual([...AUTHORITIES, "rpc"].map((n, i) => `enode://${publicKeyOf(n === "rpc" ? 9 : i)}@${n}.acme-chain.svc.cluster.local:${30303 + i}`));
    const nodes = await value(fleet.nodes);
    expect(nodes.map((n) => [n.name, n.signer])).toEqual([...AUTHORITIES.map((n, i) => [n, addressOf(i)]), ["rpc", undefined]]);
  });

  it("without an RPC node, serves RPC from the first authority and generates no key", async () => {
    const fleet = await deploy({ spec: kubeSpec({ rpcNode: false }) });
    expect(await value(fleet.rpcUrl)).toBe("http://alpha.acme-chain.svc.cluster.local:8545");
    expect(registered.some((r) => r.type.endsWith("GeneratedKey"))).toBe(false);
    expect(k8sObjects()).toHaveLength(1 + 6 * 3);
  });

  it("rejects bad arguments with a ResourceError before declaring any child", () => {
    const chain = fixtureFleet().chain;
    const make = (spec: ReturnType<typeof kubeSpec>, auths: KubernetesFleetAuthority[]) => () => new KubernetesFleet("bad", { spec, authorities: auths, chain });
    const local = parseConsortiumSpec({ name: "acme", chainId: 31415, authorities: [{ name: "alpha", member: "a" }] });
    expect(make(local, authorities())).toThrow(/KubernetesFleet bad: fleet target is local, not kubernetes/);
    expect(make(kubeSpec(), [])).toThrow(/no authority to run/);
    expect(make(kubeSpec(), [{ ...authorities()[0], name: "rpc" }])).toThrow(/two nodes are named "rpc" \(the RPC node's name\)/);
    expect(make(kubeSpec(), [{ ...authorities()[0], name: "Alpha" }])).toThrow(/"Alpha" is not a DNS label/);
    const { password: _, ...noPassword } = authorities()[0];
    expect(make(kubeSpec(), [noPassword])).toThrow(/alpha has a signer keystore but no password/);
    expect(() => make(kubeSpec(), [])()).toThrow(pulumi.ResourceError);
    expect(registered.filter((r) => r.type !== "consortium:fleet:KubernetesFleet")).toEqual([]);
  });
});
