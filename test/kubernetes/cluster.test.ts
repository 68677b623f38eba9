// The Kubernetes target for real: a one-node cluster built and started here (testkit/kubernetes/cluster.ts: etcd,
// control plane, containerd + runc, kubelet, kube-proxy, CoreDNS) and `pulumi up` through the real Pulumi Kubernetes
// provider plugin (lib/toolchain/kubernetes.ts), the stack pointed at the cluster by its `consortium:kubeconfig`
// secret. What it proves: the API server accepts every object the target renders, the pods run, and the chain seals.
import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTools } from "../../lib/toolchain/resolve";
import { waitForSealingBy } from "../../testkit/clique";
import { startTestCluster, TestCluster } from "../../testkit/kubernetes/cluster";
import { clusterImage } from "../../testkit/kubernetes/images";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";

const NAMESPACE = "kube-chain";
const AUTHORITIES = [
  { name: "alpha", member: "org-a" },
  { name: "beta", member: "org-b" },
  { name: "gamma", member: "org-c" },
];
const GETH_IMAGE = "consortium-test/geth:1.13.15-k8s";

interface Item {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

describe("a consortium on fleet.target kubernetes (real cluster, real provider plugin)", () => {
  let cluster: TestCluster;
  let scratch: ScratchStack;
  let stack: Stack;
  let signers: string[];

  const items = async (kind: string): Promise<Item[]> => JSON.parse(await cluster.kubectl(["get", kind, "-n", NAMESPACE, "-o", "json"])).items as Item[];
  /** The RPC node's Service, as the host reaches it: its cluster IP (kube-proxy on this node routes it). */
  const rpcServiceUrl = async (node: string) => `http://${await cluster.kubectl(["get", "service", node, "-n", NAMESPACE, "-o", "jsonpath={.spec.clusterIP}"])}:8545`;

  beforeAll(async () => {
    const tools = await ensureTools({ build: false, kubernetes: "cluster", log: () => {} });
    cluster = await startTestCluster(tools.kubernetes!);
    await cluster.importImages([await clusterImage(tools.geth, GETH_IMAGE, () => {})]);
    scratch = await createScratchStack({
      name: "kube",
      tools,
      config: {
        name: "kube",
        chainId: 31_417,
        blockPeriodSeconds: 1,
        authorities: AUTHORITIES,
        fleet: {
          target: "kubernetes",
          namespace: NAMESPACE,
          images: { geth: GETH_IMAGE },
          storageSize: "1Gi",
          // Six geth pods on a 2-core test node.
          resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "1", memoryLimit: "1Gi" },
        },
      },
    });
    stack = scratch.stack;
    await stack.setConfig("consortium:kubeconfig", { value: cluster.kubeconfig, secret: true });
    const up = await stack.up({ onOutput: (o) => process.stdout.write(o) });
    signers = up.outputs.signers.value as string[];
  }, 900_000);

  afterAll(async () => {
    await scratch?.dispose();
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

  it("a second up changes nothing", async () => {
    await stack.preview({ expectNoChanges: true });
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
