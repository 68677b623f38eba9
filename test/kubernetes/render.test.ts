// render/kubernetes: the objects of a 3-authority Clique/geth fleet plus the members' RPC nodes, field by field and
// against a golden file. Pure functions: no cluster, no Pulumi (schemas: schema.test.ts; the init script run: initScript.test.ts).
import { describe, expect, it } from "vitest";
import { fileItems } from "../../render/kubernetes/fileKeys";
import { renderSecret, secretData } from "../../render/kubernetes/files";
import { renderKubernetesWorkloads } from "../../render/kubernetes/fleet";
import { initMarker, renderInitScript, shellQuote } from "../../render/kubernetes/initScript";
import { K8sObject, kubeContext, workloadRef } from "../../render/kubernetes/meta";
import { renderDisruptionBudget } from "../../render/kubernetes/disruptionBudget";
import { CONTAINER_METRICS_PORT } from "../../render/fleet";
import { parseConsortiumSpec } from "../../settings/parse";
import { expectGolden } from "../render/golden";
import { AUTHORITIES, fixtureFleet, keystoreOf, kubeSpec, markers, publicKeyOf, RPC_NODES } from "./fixture";

type Obj = K8sObject & Record<string, any>;
const render = (spec = kubeSpec()) => {
  const f = fixtureFleet(spec);
  return { ...f, objects: renderKubernetesWorkloads(f.ctx, f.nodes) as Obj[] };
};
const find = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const NODES = [...AUTHORITIES, ...RPC_NODES];

describe("renderKubernetesFleet", () => {
  it("renders the namespace, then per node ConfigMap, Secret, StatefulSet, Service, NetworkPolicy and (authorities) a PDB", () => {
    const { objects } = render();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/acme-chain",
      ...AUTHORITIES.flatMap((n) => [`ConfigMap/${n}-files`, `Secret/${n}-keys`, `StatefulSet/${n}`, `Service/${n}`, `NetworkPolicy/${n}`, `PodDisruptionBudget/${n}`]),
      ...RPC_NODES.flatMap((n) => [`ConfigMap/${n}-files`, `Secret/${n}-keys`, `StatefulSet/${n}`, `Service/${n}`, `NetworkPolicy/${n}`]),
    ]);
    for (const o of objects.slice(1)) expect(o.metadata.namespace).toBe("acme-chain");
  });

  it("matches the golden file (3 Clique/geth authorities + 3 member RPC nodes)", () => {
    expectGolden("kubernetes/clique-geth-fleet.json", render().objects);
  });

  it("labels every node object with client, node, role, group and consortium", () => {
    const { objects } = render();
    for (const o of objects.slice(1)) {
      const node = o.metadata.name.replace(/-(files|keys)$/, "");
      expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toEqual({
        "app.kubernetes.io/name": "geth",
        "app.kubernetes.io/instance": node,
        "app.kubernetes.io/component": RPC_NODES.includes(node) ? "rpc" : "authority",
        "app.kubernetes.io/part-of": "acme",
        "consortium-deployer/group": "nodes",
        "app.kubernetes.io/managed-by": "consortium-deployer",
      });
    }
    expect(objects[0].metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });
});

describe("StatefulSet", () => {
  it("runs the run spec's command in the node directory as one unprivileged replica", () => {
    const { objects, nodes } = render();
    const run = nodes[0].workload;
    const sts = find(objects, "StatefulSet", "alpha");
    expect(sts.spec).toMatchObject({ replicas: 1, serviceName: "alpha", persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } });
    const pod = sts.spec.template.spec;
    expect(sts.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/part-of": "acme", "app.kubernetes.io/instance": "alpha" });
    expect(sts.spec.template.metadata.labels).toMatchObject(sts.spec.selector.matchLabels);
    const [main] = pod.containers;
    expect(main).toMatchObject({ name: "geth", image: "ethereum/client-go:v1.13.15", command: ["geth"], args: run.args, workingDir: "/node" });
    expect(main.args).toContain("--mine");
    // An authority serves no JSON-RPC (its signer key is unlocked): no RPC port, probed over IPC inside the container;
    // p2p and its own metrics only.
    expect(main.ports).toEqual([
      { name: "p2p", containerPort: 30303, protocol: "TCP" },
      { name: "p2p-udp", containerPort: 30303, protocol: "UDP" },
      { name: "metrics", containerPort: CONTAINER_METRICS_PORT, protocol: "TCP" },
    ]);
    expect(main.args).not.toContain("--http");
    expect(main.args).not.toContain("--allow-insecure-unlock");
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      expect(main[probe]).toMatchObject({ exec: { command: ["geth", "attach", "--datadir", "/node/data", "--exec", "eth.blockNumber", "/node/data/geth.ipc"] }, timeoutSeconds: 5 });
      expect(main[probe]).not.toHaveProperty("tcpSocket");
    }
    expect(main.resources).toEqual({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    for (const c of [...pod.initContainers, main]) {
      expect(c.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    }
    expect(pod.automountServiceAccountToken).toBe(false);
    // Only the init container sees the ConfigMap and Secret; the client reads its copies on the PVC.
    expect(main.volumeMounts.map((m: any) => m.name)).toEqual(["node", "tmp"]);
  });

  it("claims storage of the spec's class and size, or the cluster default class", () => {
    const claim = (spec = kubeSpec()) => find(render(spec).objects, "StatefulSet", "beta").spec.volumeClaimTemplates[0];
    expect(claim()).toMatchObject({ metadata: { name: "node" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "20Gi" } } } });
    const dflt = claim(kubeSpec({ storageClass: undefined, storageSize: "50Gi" }));
    expect(dflt.spec).not.toHaveProperty("storageClassName");
    expect(dflt.spec.resources.requests.storage).toBe("50Gi");
  });

  it("maps every file to a ConfigMap/Secret key without '/' and back to its path through volume items", () => {
    const { objects, nodes } = render();
    for (const { workload: node, secretValues } of nodes) {
      const pod = find(objects, "StatefulSet", node.name).spec.template.spec;
      const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);
      const cm = find(objects, "ConfigMap", `${node.name}-files`);
      const secret = find(objects, "Secret", `${node.name}-keys`);
      const files = Object.fromEntries(volume("files").configMap.items.map((i: any) => [i.path, cm.data[i.key]]));
      expect(files).toEqual(node.files);
      const keys = Object.fromEntries(volume("keys").secret.items.map((i: any) => [i.path, Buffer.from(secret.data[i.key], "base64").toString()]));
      expect(keys).toEqual(secretValues);
      for (const key of [...Object.keys(cm.data), ...Object.keys(secret.data)]) expect(key).toMatch(/^[-._a-zA-Z0-9]+$/);
      expect(volume("keys").secret.defaultMode).toBe(0o440);
    }
    // The signer keystore is in the Secret (copied 0600), never in the ConfigMap.
    expect(Object.keys(find(objects, "ConfigMap", "alpha-files").data)).not.toContainEqual(expect.stringMatching(/keystore/));
    expect(Object.keys(find(objects, "Secret", "alpha-keys").data)).toContainEqual(expect.stringMatching(/^data_keystore_UTC--/));
  });

  it("rolls the pod when the node's public files change", () => {
    const hash = (spec = kubeSpec()) => find(render(spec).objects, "StatefulSet", "alpha").spec.template.metadata.annotations["consortium-deployer/files-sha256"];
    expect(hash()).toMatch(/^[0-9a-f]{64}$/);
    expect(hash()).toBe(hash());
    expect(hash(kubeSpec({ rpcNode: false }))).not.toBe(hash()); // one static peer fewer in config.toml
  });
});

describe("init script", () => {
  const alpha = fixtureFleet().nodes[0].workload;

  it("copies public files 0644 and secret files 0600 under umask 077, then runs init once per chain", () => {
    const script = renderInitScript(alpha);
    expect(script).toMatch(/^set -eu\numask 077\n/);
    expect(script).toContain("cp '/etc/consortium/keys/nodekey' 'nodekey'\nchmod 0600 'nodekey'");
    expect(script).toContain("cp '/etc/consortium/keys/password' 'password'\nchmod 0600 'password'");
    expect(script).toMatch(/mkdir -p 'data\/keystore'\ncp '\/etc\/consortium\/keys\/data\/keystore\/UTC--[^']+' 'data\/keystore\/UTC--[^']+'\nchmod 0600 'data\/keystore\/UTC--/);
    expect(script).not.toContain("/etc/consortium/files/data/keystore");
    expect(script).toContain("cp '/etc/consortium/files/genesis.json' 'genesis.json'\nchmod 0644 'genesis.json'");
    expect(script).toContain("mkdir -p 'data/keystore'");
    const marker = initMarker(alpha);
    expect(script).toContain(`if [ ! -e '${marker}' ]; then\n  'geth' '--datadir' 'data' 'init' 'genesis.json'\n  touch '${marker}'\nfi`);
  });

  it("names the init marker after what init reads: a new genesis changes it, a new peer list does not", () => {
    const marker = initMarker(alpha);
    expect(initMarker(fixtureFleet(kubeSpec(), (c) => c + " ").nodes[0].workload)).not.toBe(marker);
    expect(initMarker(fixtureFleet(kubeSpec({ rpcNode: false })).nodes[0].workload)).toBe(marker);
  });

  it("quotes every word for the shell", () => {
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});

describe("Service, NetworkPolicy, PodDisruptionBudget", () => {
  it("gives every node a ClusterIP Service (resolvable while its pod is away) reaching it before readiness; only the RPC nodes publish RPC", () => {
    const { objects } = render();
    NODES.forEach((name, i) => {
      const svc = find(objects, "Service", name);
      expect(svc.spec).toMatchObject({ type: "ClusterIP", publishNotReadyAddresses: true, selector: { "app.kubernetes.io/instance": name } });
      expect(svc.spec.ports.map((p: any) => `${p.name}:${p.port}/${p.protocol}`)).toEqual([
        `p2p:${30303 + i}/TCP`, `p2p-udp:${30303 + i}/UDP`, ...(RPC_NODES.includes(name) ? ["rpc:8545/TCP"] : []), `metrics:${CONTAINER_METRICS_PORT}/TCP`,
      ]);
    });
  });

  it("peers dial each other at the Services' DNS names", () => {
    const { objects } = render();
    const toml = find(objects, "ConfigMap", "alpha-files").data["config.toml"];
    expect(toml).toContain(`enode://${publicKeyOf(1)}@beta.acme-chain.svc.cluster.local:30304`);
    expect(toml).toContain(`enode://${publicKeyOf(9)}@rpc-org-1.acme-chain.svc.cluster.local:30306`);
    expect(toml).toContain(`enode://${publicKeyOf(11)}@rpc-org-3.acme-chain.svc.cluster.local:30308`);
    expect(toml).not.toContain("alpha.acme-chain");
  });

  it("admits p2p and metrics only from the consortium's nodes and RPC from the namespace only on the RPC nodes: an authority admits those two only", () => {
    const policy = (name: string, spec = kubeSpec()) => find(render(spec).objects, "NetworkPolicy", name).spec;
    const alpha = policy("alpha");
    expect(alpha.policyTypes).toEqual(["Ingress"]);
    expect(alpha.podSelector.matchLabels["app.kubernetes.io/instance"]).toBe("alpha");
    expect(alpha.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: { "app.kubernetes.io/part-of": "acme", "consortium-deployer/group": "nodes" } } }],
        ports: [{ protocol: "TCP", port: 30303 }, { protocol: "UDP", port: 30303 }, { protocol: "TCP", port: CONTAINER_METRICS_PORT }],
      },
    ]);
    for (const rpc of RPC_NODES) expect(policy(rpc).ingress[1]).toEqual({ from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 8545 }] });
    // Without RPC nodes the stack has no RPC endpoint: the authorities still admit p2p (each its own port) and metrics, nothing else.
    const p2pMoved = (by: number) => (p: any) => ({ ...p, port: p.port === CONTAINER_METRICS_PORT ? p.port : p.port + by });
    for (const name of AUTHORITIES) expect(policy(name, kubeSpec({ rpcNode: false })).ingress).toEqual(alpha.ingress.map((r: any) => ({ ...r, ports: r.ports.map(p2pMoved(AUTHORITIES.indexOf(name))) })));
  });

  it("lets no Service select an authority's pod on an RPC port, nor any authority pod declare one", () => {
    for (const spec of [kubeSpec(), kubeSpec({ rpcNode: false })]) {
      const { objects } = render(spec);
      const podLabels = (name: string) => find(objects, "StatefulSet", name).spec.template.metadata.labels;
      for (const name of AUTHORITIES) {
        const pod = find(objects, "StatefulSet", name).spec.template.spec;
        expect(pod.containers.flatMap((c: any) => c.ports.map((p: any) => p.containerPort))).toEqual([30303 + AUTHORITIES.indexOf(name), 30303 + AUTHORITIES.indexOf(name), CONTAINER_METRICS_PORT]);
        for (const svc of objects.filter((o) => o.kind === "Service")) {
          const selects = Object.entries(svc.spec.selector).every(([k, v]) => podLabels(name)[k] === v);
          if (selects) expect(svc.spec.ports.map((p: any) => p.name)).toEqual(["p2p", "p2p-udp", "metrics"]);
        }
      }
    }
  });

  it("protects every authority, and only authorities, with a PodDisruptionBudget", () => {
    const { objects, ctx, nodes } = render();
    const pdbs = objects.filter((o) => o.kind === "PodDisruptionBudget");
    expect(pdbs.map((p) => p.metadata.name)).toEqual(AUTHORITIES);
    expect(pdbs[0].spec).toEqual({ minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/part-of": "acme", "app.kubernetes.io/instance": "alpha" } }, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    expect(() => renderDisruptionBudget(ctx, workloadRef(nodes[3].workload))).toThrow(/only critical workloads/);
  });
});

describe("secrets", () => {
  it("keeps secret values out of every object but the node's Secret", () => {
    const { objects } = render();
    for (const o of objects) {
      const text = JSON.stringify(o);
      for (const name of NODES) {
        for (const value of Object.values(markers(name))) {
          const b64 = Buffer.from(value).toString("base64");
          const own = o.kind === "Secret" && o.metadata.name === `${name}-keys` && !(RPC_NODES.includes(name) && value.includes("PASSWORD"));
          expect(text.includes(value) || text.includes(b64), `${o.kind}/${o.metadata.name} ∌ ${value}`).toBe(own && text.includes(b64));
        }
      }
    }
  });

  it("puts each signer keystore in its authority's Secret only (0600 in the pod), in no ConfigMap or other object", () => {
    const { objects } = render();
    AUTHORITIES.forEach((name, i) => {
      const b64 = Buffer.from(keystoreOf(i)).toString("base64");
      for (const o of objects) {
        const text = JSON.stringify(o);
        expect(text.includes(keystoreOf(i)) || text.includes(JSON.stringify(keystoreOf(i)).slice(1, -1)), `${o.kind}/${o.metadata.name}`).toBe(false);
        expect(text.includes(b64), `${o.kind}/${o.metadata.name}`).toBe(o.kind === "Secret" && o.metadata.name === `${name}-keys`);
      }
    });
  });

  it("refuses values that do not match the secret files exactly", () => {
    const run = { name: "alpha", secretFiles: { nodekey: "nodeKey" as const, password: "password" as const } };
    expect(() => secretData(run, { nodekey: "k" })).toThrow(/no value for secret file password/);
    expect(() => secretData(run, { nodekey: "k", password: "p", extra: "x" })).toThrow(/unknown secret files extra/);
    const { ctx, nodes } = fixtureFleet();
    expect(renderSecret(ctx, workloadRef(nodes[0].workload), nodes[0].workload, nodes[0].secretValues).type).toBe("Opaque");
  });
});

describe("input errors", () => {
  it("refuses file paths that escape the node directory or clash as keys", () => {
    expect(() => fileItems(["/etc/passwd"], "alpha")).toThrow(/must be relative/);
    expect(() => fileItems(["data/../../x"], "alpha")).toThrow(/must be relative/);
    expect(() => fileItems(["a/b", "a_b"], "alpha")).toThrow(/"a\/b" and "a_b" both map to the key "a_b"/);
    expect(() => fileItems(["bad name"], "alpha")).toThrow(/invalid ConfigMap\/Secret key/);
  });

  it("refuses a spec for another target and duplicate node names", () => {
    const local = parseConsortiumSpec({ name: "acme", chainId: 31415, authorities: [{ name: "alpha", member: "a" }] });
    expect(() => kubeContext(local)).toThrow(/fleet target is local/);
    const f = fixtureFleet();
    expect(() => renderKubernetesWorkloads(f.ctx, [f.nodes[0], f.nodes[0]])).toThrow(/two workloads are named alpha/);
  });
});
