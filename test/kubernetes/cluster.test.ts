// The Kubernetes target for real: a one-node cluster built and started here (testkit/kubernetes/cluster.ts: etcd,
// control plane, containerd + runc, kubelet, kube-proxy, CoreDNS) and `pulumi up` through the real Pulumi Kubernetes
// provider plugin (lib/toolchain/kubernetes.ts), the stack pointed at the cluster by its `consortium:kubeconfig`
// secret. What it proves: the API server accepts every object the target renders, the pods run, and the chain seals.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { JsonRpcProvider } from "ethers";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { engineTempDir } from "../../lib/cli/engineTemp";
import { checkDrift } from "../../lib/drift/check";
import { ensureTools } from "../../lib/toolchain/resolve";
import { waitForSealingBy } from "../../testkit/clique";
import { startTestCluster, TestCluster } from "../../testkit/kubernetes/cluster";
import { testClusterFleet, TEST_GETH_IMAGE } from "../../testkit/kubernetes/fleet";
import { clusterImage } from "../../testkit/kubernetes/images";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";

const NAMESPACE = "kube-chain";
const AUTHORITIES = [
  { name: "alpha", member: "org-a" },
  { name: "beta", member: "org-b" },
  { name: "gamma", member: "org-c" },
];
/** The same client under another tag: what an upgrade changes in the StatefulSets (a new image). */
const GETH_IMAGE_NEXT = "consortium-test/geth:1.13.15-k8s-next";

interface Item {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** Timestamps of the blocks from the first one at or after `since` (unix seconds) to the head. */
async function blockTimesSince(url: string, since: number): Promise<number[]> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
  try {
    const times: number[] = [];
    for (let n = await provider.getBlockNumber(); n >= 0; n--) {
      const t = (await provider.getBlock(n))!.timestamp;
      times.unshift(t);
      if (t < since) break;
    }
    return times;
  } finally {
    provider.destroy();
  }
}

/** Files directly in `dir` whose text contains `secret` (the unreadable skipped). */
function filesHolding(dir: string, secret: string): string[] {
  const holds = (file: string) => {
    try {
      return readFileSync(file, "utf8").includes(secret);
    } catch {
      return false;
    }
  };
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && holds(join(dir, e.name)))
    .map((e) => join(dir, e.name));
}

describe("a consortium on fleet.target kubernetes (real cluster, real provider plugin)", () => {
  let cluster: TestCluster;
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let signers: string[];

  const items = async (kind: string): Promise<Item[]> => JSON.parse(await cluster.kubectl(["get", kind, "-n", NAMESPACE, "-o", "json"])).items as Item[];
  const rpcServiceUrl = (node: string) => cluster.serviceUrl(NAMESPACE, node, 8545);

  beforeAll(async () => {
    const tools = await ensureTools({ build: false, kubernetes: "cluster", log: () => {} });
    cluster = await startTestCluster(tools.kubernetes!);
    await cluster.importImages([await clusterImage(tools.geth, TEST_GETH_IMAGE, () => {}), await clusterImage(tools.geth, GETH_IMAGE_NEXT, () => {})]);
    scratch = await createScratchStack({
      name: "kube",
      tools,
      config: {
        name: "kube",
        chainId: 31_417,
        blockPeriodSeconds: 1,
        authorities: AUTHORITIES,
        fleet: testClusterFleet(NAMESPACE),
      },
    });
    stack = scratch.stack;
    await stack.setConfig("consortium:kubeconfig", { value: cluster.kubeconfig, secret: true });
    const up = await stack.up({ onOutput: (o) => process.stdout.write(o) });
    signers = up.outputs.signers.value as string[];
  }, 900_000);

  afterAll(async () => {
    // The stack's resources all live in the cluster, stopped below (the teardown by `pulumi destroy` is proven above).
    await scratch?.dispose({ destroy: false });
    await cluster?.stop();
  }, 600_000);

  it("the API server holds the rendered objects: a StatefulSet with its claim per node, Services, NetworkPolicies, Secrets", async () => {
    const nodes = [...AUTHORITIES.map((a) => a.name), "rpc-org-a", "rpc-org-b", "rpc-org-c"];
    const statefulSets = await items("statefulsets");
    expect(statefulSets.map((s) => s.metadata.name).sort()).toEqual([...nodes].sort());
    const claims = await items("persistentvolumeclaims");
    expect(claims).toHaveLength(nodes.length);
    expect(claims.every((c) => c.status?.phase === "Bound")).toBe(true);
    expect((await items("services")).map((s) => s.metadata.name).sort()).toEqual([...nodes].sort());
    expect((await items("networkpolicies")).length).toBe(nodes.length);
    expect((await items("secrets")).map((s) => s.metadata.name).sort()).toEqual(nodes.map((n) => `${n}-keys`).sort());
  });

  it("every signer seals: the signers recovered from the headers read through an RPC node's Service", async () => {
    const url = await rpcServiceUrl("rpc-org-a");
    const sealedBy = await waitForSealingBy(url, signers, 9, 240_000);
    expect([...new Set(sealedBy.map((s) => s.toLowerCase()))].sort()).toEqual(signers.map((s) => s.toLowerCase()).sort());
  });

  it("a second up changes nothing, and the drift check finds nothing", async () => {
    // The drift check's code-vs-state half is the preview of a second up: any planned change is a finding.
    expect(await checkDrift(stack)).toEqual([]);
  });

  it("leaves no copy of the cluster's credentials in the system's temp folder: the provider's kubeconfig files stay in the engine's own, removed on exit", async () => {
    const clientKey = (parse(cluster.kubeconfig) as { users: { user: Record<string, string> }[] }).users[0].user["client-key-data"];
    expect(clientKey.length).toBeGreaterThan(100);
    expect(filesHolding(tmpdir(), clientKey)).toEqual([]);
    // Where the plugin did write them (pulumi-resource-kubernetes copies its kubeconfig on every configure, for Helm).
    expect(filesHolding(engineTempDir(scratch.projectDir), clientKey).length).toBeGreaterThan(0);
  });

  it("drift: a deleted StatefulSet, an edited ConfigMap and a scaled-down replica are reported, and healed by up --refresh", async () => {
    const files = JSON.parse(await cluster.kubectl(["get", "configmap", "rpc-org-b-files", "-n", NAMESPACE, "-o", "json"])) as { data: Record<string, string> };
    const [edited] = Object.keys(files.data).sort();
    await cluster.kubectl(["delete", "statefulset", "rpc-org-c", "-n", NAMESPACE, "--wait=true"]);
    await cluster.kubectl(["patch", "configmap", "rpc-org-b-files", "-n", NAMESPACE, "--type=merge", "-p", JSON.stringify({ data: { [edited]: `${files.data[edited]}\n# edited by hand\n` } })]);
    await cluster.kubectl(["scale", "statefulset", "gamma", "-n", NAMESPACE, "--replicas=0"]);

    const findings = await checkDrift(stack);
    const drifted = (suffix: string) => findings.find((f) => f.phase === "state-vs-world" && f.resource.endsWith(suffix));
    expect(drifted("-rpc-org-c-node")?.op).toBe("delete");
    expect(drifted("-rpc-org-b-files")?.fields.some((f) => f.startsWith("data"))).toBe(true);
    expect(drifted("-gamma-node")?.fields.some((f) => f.includes("replicas"))).toBe(true);
    expect(findings.map((f) => f.resource).sort()).toEqual([drifted("-gamma-node")!, drifted("-rpc-org-b-files")!, drifted("-rpc-org-c-node")!].map((f) => f.resource).sort());

    await stack.up({ refresh: true });
    expect(await checkDrift(stack)).toEqual([]);
    expect(JSON.parse(await cluster.kubectl(["get", "configmap", "rpc-org-b-files", "-n", NAMESPACE, "-o", "json"])).data).toEqual(files.data);
    const replicas = Object.fromEntries((await items("statefulsets")).map((s) => [s.metadata.name, s.spec?.replicas]));
    expect(replicas).toMatchObject({ gamma: 1, "rpc-org-c": 1 });
    const sealedBy = await waitForSealingBy(await rpcServiceUrl("rpc-org-c"), signers, 9, 240_000);
    expect(new Set(sealedBy.map((s) => s.toLowerCase())).size).toBe(signers.length);
  });

  it("a client upgrade (a new image tag) replaces the sealers one at a time: never fewer than a quorum ready, the chain sealing after", async () => {
    const sealers = AUTHORITIES.map((a) => `${a.name}-0`);
    const readySealers = async () => {
      const pods = JSON.parse(await cluster.kubectl(["get", "pods", "-n", NAMESPACE, "-o", "json"])).items as { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
      return pods.filter((p) => sealers.includes(p.metadata.name) && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
    };
    await stack.setConfig("consortium:fleet.images.geth", { value: GETH_IMAGE_NEXT }, true);
    const started = Math.floor(Date.now() / 1000);
    const fewestReady: number[] = [];
    let upgrading = true;
    const watch = (async () => {
      while (upgrading) {
        fewestReady.push(await readySealers());
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    try {
      await stack.up();
    } finally {
      upgrading = false;
      await watch;
    }
    // Clique with three signers seals on with any two (a signer may seal one block in two).
    expect(Math.min(...fewestReady)).toBeGreaterThanOrEqual(2);
    expect(fewestReady).toContain(2); // each sealer was replaced, so each was once not ready
    const images = (await items("statefulsets")).map((s) => ((s.spec?.template as { spec: { containers: { image: string }[] } }).spec.containers[0].image));
    expect(new Set(images)).toEqual(new Set([GETH_IMAGE_NEXT]));
    const url = await rpcServiceUrl("rpc-org-a");
    const sealedBy = await waitForSealingBy(url, signers, 9, 240_000);
    expect(new Set(sealedBy.map((s) => s.toLowerCase())).size).toBe(signers.length);
    // The chain never stood still while the pods were replaced: no two blocks of the upgrade's time far apart.
    const times = await blockTimesSince(url, started);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(15);
  });

  it("teardown (`npm run down`: destroy but the protected keys) leaves no pod, Service, StatefulSet or claim, and the next up seals with the same keys", async () => {
    await stack.destroy({ excludeProtected: true });
    // The namespace is the stack's: deleting it takes everything in it (the Secrets too, whatever their retainOnDelete).
    expect(await cluster.kubectl(["get", "namespace", NAMESPACE, "--ignore-not-found", "-o", "name"])).toBe("");
    const left = await cluster.kubectl(["get", "pods,services,statefulsets,persistentvolumeclaims,secrets", "--all-namespaces", "-l", "app.kubernetes.io/part-of=kube", "-o", "name"]);
    expect(left).toBe("");
    const again = await stack.up();
    expect(again.outputs.signers.value).toEqual(signers);
    const sealedBy = await waitForSealingBy(await rpcServiceUrl("rpc-org-b"), signers, 9, 240_000);
    expect(new Set(sealedBy.map((s) => s.toLowerCase())).size).toBe(signers.length);
  });
});
