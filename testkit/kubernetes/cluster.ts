// A one-node Kubernetes cluster on this machine for the tests: etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler on loopback; containerd (Debian's) with runc and the CNI bridge plugin; a kubelet and kube-proxy
// on the pods' bridge, which the harness makes; CoreDNS for Service names; local volumes as the default StorageClass; the
// Kata RuntimeClass handled by runc (a TEST DOUBLE: there is no Kata here). Everything is built by
// `npm run tools -- --kubernetes` (lib/toolchain/kubernetes.ts), started here and stopped by `stop()`. Root only.
// One cluster at a time per machine: its interface, bridge and address ranges are fixed (testkit/kubernetes/config.ts).
import { execa } from "execa";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { KubernetesTools } from "../../lib/toolchain/kubernetes";
import { ensureDocker, importBinaryImage } from "../dockerd";
import { ensurePrograms } from "../debianPackages";
import { freePort } from "../freePort";
import { makeClusterPki, kubeconfig } from "./certificates";
import { CLUSTER, cniConfig, clusterObjects, containerdConfig, corefile, kubeletConfig, RUNC_OOM_WRAPPER } from "./config";
import { Daemon, startDaemon, waitUntil } from "./daemons";

export type Log = (message: string) => void;

export interface TestCluster {
  dir: string;
  /** Admin kubeconfig with embedded certificates (what a stack's `consortium:kubeconfig` secret would hold). */
  kubeconfig: string;
  kubeconfigFile: string;
  /** Runs the built kubectl against the cluster; returns its stdout. */
  kubectl(args: string[], input?: string): Promise<string>;
  /** `http://<cluster IP>:<port>` of a Service: how the host reaches it (kube-proxy on this node routes cluster IPs). */
  serviceUrl(namespace: string, service: string, port: number): Promise<string>;
  /** Copies images from the Docker engine into the cluster's containerd. */
  importImages(tags: string[]): Promise<void>;
  /** Seconds from start() to a Ready node with DNS and storage. */
  startSeconds: number;
  stop(): Promise<void>;
}

const VOLUMES = 40;
/** The cluster's directory is /tmp/<prefix><random>: short, for containerd's socket paths, and found again by removeStaleClusters. */
const DIR_PREFIX = "consortium-k8s-";

async function sh(cmd: string): Promise<void> {
  await execa("sh", ["-c", cmd]);
}

async function sysctl(key: string, value: string): Promise<string | undefined> {
  const file = `/proc/sys/${key.replace(/\./g, "/")}`;
  if (!existsSync(file)) return undefined;
  const before = (await execa("cat", [file])).stdout.trim();
  await writeFile(file, value);
  return before;
}

/** Whether a process here may lower its oom_score_adj (kubelet gives pod sandboxes -998). */
async function negativeOomScoreAllowed(): Promise<boolean> {
  return (await execa("sh", ["-c", "echo -1 > /proc/self/oom_score_adj"], { reject: false })).exitCode === 0;
}

async function killContainers(address: string): Promise<void> {
  const ctr = (args: string[]) => execa("ctr", ["--address", address, "--namespace", "k8s.io", ...args], { reject: false, timeout: 30_000 });
  const tasks = (await ctr(["tasks", "list", "--quiet"])).stdout.split("\n").filter(Boolean);
  for (const id of tasks) await ctr(["tasks", "kill", "--signal", "SIGKILL", id]);
  for (const id of tasks) await ctr(["tasks", "delete", "--force", id]);
}

/**
 * Takes down what an interrupted run left (a test process killed before its `stop()`): its containers, its daemons
 * (every one names its cluster's directory on its command line), their mounts, the pods' bridge and kube-proxy's rules.
 */
async function removeStaleClusters(bin: KubernetesTools["bin"], log: Log): Promise<void> {
  const stale = (await readdir("/tmp")).filter((d) => d.startsWith(DIR_PREFIX)).map((d) => join("/tmp", d));
  for (const dir of stale) {
    log(`taking down the cluster an interrupted run left in ${dir} ...`);
    const socket = join(dir, "containerd.sock");
    if (existsSync(socket)) await killContainers(socket);
    // "[/]" keeps pkill from matching the shell that runs it.
    await sh(`pkill -KILL -f "[/]${dir.slice(1)}/" || true`);
    await new Promise((r) => setTimeout(r, 500));
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
  if (stale.length > 0) await removePodNetworks();
  if (stale.length > 0 || existsSync(`/sys/class/net/${CLUSTER.podBridge}`)) {
    await removeNetworkRules(bin);
    await sh(`ip link del ${CLUSTER.podBridge} 2>/dev/null || true`);
  }
}

/**
 * The pods' network namespaces (containerd names them cni-<id>), which only a kubelet taking its pods down removes. The
 * test machine runs no other kubelet: every cni-* namespace is this cluster's.
 */
async function removePodNetworks(): Promise<void> {
  await sh("for ns in $(ip netns list | awk '/^cni-/{print $1}'); do ip netns del \"$ns\"; done");
}

const FORWARD_RULES = ["-i", "-o"].map((dir) => `${dir} ${CLUSTER.podBridge} -m comment --comment consortium-test-cluster -j ACCEPT`);

/**
 * The harness's FORWARD rules, kube-proxy's (its own --cleanup) and the kubelet's chains (KUBE-FIREWALL and its
 * canaries, which nothing else removes). The test machine runs no other kubelet: every KUBE-* chain is this cluster's.
 */
async function removeNetworkRules(bin: KubernetesTools["bin"]): Promise<void> {
  for (const r of FORWARD_RULES) await sh(`while iptables -D FORWARD ${r} 2>/dev/null; do :; done`);
  await execa(bin["kube-proxy"], ["--cleanup"], { reject: false });
  await sh(
    [
      "for t in filter nat mangle; do",
      `  iptables -t $t -S | grep -E '^-A [A-Z]+ .*-j KUBE-' | grep -vE '^-A KUBE-' | sed 's/^-A/-D/' | while read -r rule; do eval iptables -t $t $rule; done`,
      "  for c in $(iptables -t $t -S | awk '/^-N KUBE-/{print $2}'); do iptables -t $t -F $c; done",
      "  for c in $(iptables -t $t -S | awk '/^-N KUBE-/{print $2}'); do iptables -t $t -X $c; done",
      "done",
    ].join("\n"),
  );
}

async function unmountUnder(dir: string): Promise<void> {
  await sh(`grep " ${dir}/" /proc/mounts | cut -d" " -f2 | sort -r | xargs -r -n1 umount -l || true`);
}

export async function startTestCluster(tools: KubernetesTools, log: Log = (m) => console.log(`[cluster] ${m}`)): Promise<TestCluster> {
  const started = Date.now();
  if (process.getuid?.() !== 0) throw new Error("the test cluster runs a kubelet and containerd: run the tests as root");
  await ensurePrograms({ containerd: "containerd", runc: "runc", iptables: "iptables", conntrack: "conntrack", openssl: "openssl" }, log);
  if (!existsSync("/usr/lib/cni/bridge")) await ensurePrograms({ "/usr/lib/cni/bridge": "containernetworking-plugins" }, log);
  const docker = await ensureDocker(log);
  const bin = tools.bin;
  await removeStaleClusters(bin, log);
  const dir = await mkdtemp(join("/tmp", DIR_PREFIX));
  const logs = join(dir, "logs");
  for (const d of ["pki", "logs", "cni", "etcd", "kubelet", "pod-logs", "volumes"]) await mkdir(join(dir, d), { recursive: true });
  for (let i = 0; i < VOLUMES; i++) await mkdir(join(dir, "volumes", String(i)));
  const daemons: Daemon[] = [];
  const restore: (() => Promise<void>)[] = [];
  const start = (name: string, program: string, args: string[]) => {
    const d = startDaemon(name, program, args, logs);
    daemons.push(d);
    return d;
  };
  const kubeconfigFile = join(dir, "admin.kubeconfig");
  const kubectl = async (args: string[], input?: string) =>
    (await execa(bin.kubectl, ["--kubeconfig", kubeconfigFile, ...args], { ...(input !== undefined ? { input } : {}), timeout: 120_000 })).stdout;

  const stop = async () => {
    log("stopping: pods first, so that their sandboxes and networks are taken down by the kubelet ...");
    const kubelet = daemons.find((d) => d.name === "kubelet");
    if (kubelet?.running()) {
      // Their controllers first (a stack left on the cluster), so that no pod is made again; then the pods. One the
      // kubelet has not taken down within the wait is killed with containerd below, its network namespace removed.
      await kubectl(["delete", "statefulsets,deployments,daemonsets", "--all", "--all-namespaces", "--wait=false"]).catch((e) => log(`deleting controllers: ${(e as Error).message}`));
      await kubectl(["delete", "pods", "--all", "--all-namespaces", "--grace-period=1", "--wait=true", "--timeout=30s"]).catch((e) => log(`deleting pods: ${(e as Error).message.split("\n")[0]}`));
    }
    for (const d of [...daemons].reverse()) {
      // What the kubelet did not take down (a failed start, a pod stuck terminating) goes before containerd does.
      if (d.name === "containerd" && d.running()) await killContainers(join(dir, "containerd.sock"));
      await d.stop();
    }
    // "[c]" keeps pkill from matching the shell that runs it.
    await sh(`pkill -KILL -f "[c]ontainerd-shim.*${dir}" || true`);
    await unmountUnder(dir);
    await removePodNetworks();
    await removeNetworkRules(bin);
    await sh(`ip link del ${CLUSTER.podBridge} 2>/dev/null || true`);
    for (const r of restore.reverse()) await r();
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    if (docker.started) await docker.stop();
  };

  try {
    log(`cluster directory ${dir}`);
    // The node's address on the pods' bridge, made here (kubelet refuses a loopback node address).
    const prefix = CLUSTER.podSubnet.split("/")[1];
    await sh(`ip link del ${CLUSTER.podBridge} 2>/dev/null || true; ip link add ${CLUSTER.podBridge} type bridge && ip addr add ${CLUSTER.nodeIp}/${prefix} dev ${CLUSTER.podBridge} && ip link set ${CLUSTER.podBridge} up`);
    // Pods talk to each other over the bridge, which iptables sees (below); a Docker engine on the machine makes
    // FORWARD drop by default.
    await sh(FORWARD_RULES.map((r) => `iptables -I FORWARD ${r}`).join(" && "));
    // Pods reach Services through the node (routing, and iptables on bridged traffic): what kube-proxy relies on.
    for (const [key, value] of [["net.ipv4.ip_forward", "1"], ["net.bridge.bridge-nf-call-iptables", "1"]]) {
      const before = await sysctl(key, value);
      if (before !== undefined && before !== value) restore.push(async () => void (await sysctl(key, before)));
    }

    const pki = await makeClusterPki(join(dir, "pki"), { nodeName: CLUSTER.nodeName, nodeIp: CLUSTER.nodeIp, apiServiceIp: CLUSTER.apiServiceIp });
    const [etcdClient, etcdPeer, apiPort, cmPort, schedPort, healthz, proxyHealthz, proxyMetrics] = await Promise.all(Array.from({ length: 8 }, () => freePort()));
    const server = `https://127.0.0.1:${apiPort}`;
    const adminConfig = await kubeconfig({ server, caFile: pki.ca.cert, user: "admin", ...pki.admin });
    await writeFile(kubeconfigFile, adminConfig, { mode: 0o600 });
    await writeFile(join(dir, "node.kubeconfig"), await kubeconfig({ server, caFile: pki.ca.cert, user: `system:node:${CLUSTER.nodeName}`, ...pki.node }), { mode: 0o600 });

    log("starting etcd and the control plane ...");
    start("etcd", bin.etcd, [
      "--data-dir", join(dir, "etcd"),
      "--listen-client-urls", `http://127.0.0.1:${etcdClient}`,
      "--advertise-client-urls", `http://127.0.0.1:${etcdClient}`,
      "--listen-peer-urls", `http://127.0.0.1:${etcdPeer}`,
      "--initial-advertise-peer-urls", `http://127.0.0.1:${etcdPeer}`,
      "--initial-cluster", `default=http://127.0.0.1:${etcdPeer}`,
      "--unsafe-no-fsync",
    ]);
    const apiserver = start("kube-apiserver", bin["kube-apiserver"], [
      "--etcd-servers", `http://127.0.0.1:${etcdClient}`,
      "--bind-address", "127.0.0.1",
      "--secure-port", String(apiPort),
      "--advertise-address", CLUSTER.nodeIp,
      "--service-cluster-ip-range", CLUSTER.serviceRange,
      "--client-ca-file", pki.ca.cert,
      "--tls-cert-file", pki.apiserver.cert,
      "--tls-private-key-file", pki.apiserver.key,
      "--kubelet-client-certificate", pki.apiserverKubeletClient.cert,
      "--kubelet-client-key", pki.apiserverKubeletClient.key,
      "--kubelet-certificate-authority", pki.ca.cert,
      "--kubelet-preferred-address-types", "InternalIP",
      "--service-account-issuer", `https://kubernetes.default.svc.${CLUSTER.clusterDomain}`,
      "--service-account-key-file", pki.serviceAccount.publicKey,
      "--service-account-signing-key-file", pki.serviceAccount.key,
      "--authorization-mode", "Node,RBAC",
      "--allow-privileged=true",
    ]);
    await waitUntil("the API server is ready", async () => (await kubectl(["get", "--raw", "/readyz"])) === "ok", 120_000, daemons);
    const controlPlaneFlags = (port: number) => [
      "--kubeconfig", kubeconfigFile,
      "--authentication-kubeconfig", kubeconfigFile,
      "--authorization-kubeconfig", kubeconfigFile,
      "--bind-address", "127.0.0.1",
      "--secure-port", String(port),
      "--leader-elect=false",
    ];
    start("kube-controller-manager", bin["kube-controller-manager"], [
      ...controlPlaneFlags(cmPort),
      "--service-account-private-key-file", pki.serviceAccount.key,
      "--root-ca-file", pki.ca.cert,
      "--cluster-signing-cert-file", pki.ca.cert,
      "--cluster-signing-key-file", pki.ca.key,
      "--use-service-account-credentials=false",
    ]);
    start("kube-scheduler", bin["kube-scheduler"], controlPlaneFlags(schedPort));

    log("starting containerd and the node ...");
    let runc: string | undefined;
    if (!(await negativeOomScoreAllowed())) {
      runc = join(dir, "runc-oom-clamp");
      await writeFile(runc, RUNC_OOM_WRAPPER, { mode: 0o755 });
      log("this machine refuses negative oom_score_adj: runc runs through a wrapper that raises the sandboxes' -998 to 0");
    }
    await writeFile(join(dir, "containerd.toml"), containerdConfig(dir, runc));
    await writeFile(join(dir, "cni", "10-consortium-test.conflist"), cniConfig(dir));
    const containerd = start("containerd", "containerd", ["--config", join(dir, "containerd.toml")]);
    await waitUntil("containerd answers", async () => (await execa("ctr", ["--address", join(dir, "containerd.sock"), "version"], { reject: false })).exitCode === 0, 60_000, [containerd]);
    const importImages = async (tags: string[]) => {
      for (const tag of tags) {
        await sh(`docker save ${tag} | ctr --address ${join(dir, "containerd.sock")} --namespace k8s.io images import --no-unpack=false -`);
      }
    };
    await importBinaryImage(bin.pause, CLUSTER.sandboxImage, log, { changes: ['ENTRYPOINT ["/usr/local/bin/pause"]'] });
    await importImages([CLUSTER.sandboxImage]);

    await writeFile(join(dir, "resolv.conf"), "");
    await writeFile(join(dir, "kubelet.json"), kubeletConfig(dir, { healthz }));
    start("kubelet", bin.kubelet, [
      "--config", join(dir, "kubelet.json"),
      "--kubeconfig", join(dir, "node.kubeconfig"),
      "--hostname-override", CLUSTER.nodeName,
      "--node-ip", CLUSTER.nodeIp,
      "--root-dir", join(dir, "kubelet"),
      "--cert-dir", join(dir, "pki"),
    ]);
    start("kube-proxy", bin["kube-proxy"], [
      "--kubeconfig", kubeconfigFile,
      "--hostname-override", CLUSTER.nodeName,
      "--proxy-mode", "iptables",
      "--cluster-cidr", CLUSTER.podSubnet,
      "--nodeport-addresses", `${CLUSTER.nodeIp}/32`,
      "--healthz-bind-address", `127.0.0.1:${proxyHealthz}`,
      "--metrics-bind-address", `127.0.0.1:${proxyMetrics}`,
      // Leave the machine's conntrack table size alone.
      "--conntrack-max-per-core=0",
    ]);
    await writeFile(join(dir, "Corefile"), corefile(kubeconfigFile));
    start("coredns", bin.coredns, ["-conf", join(dir, "Corefile")]);
    await waitUntil(
      "the node is Ready",
      async () => (await kubectl(["get", "node", CLUSTER.nodeName, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])) === "True",
      180_000,
      daemons,
    );
    await kubectl(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: clusterObjects(dir, VOLUMES) }));
    // The default service account appears shortly after a namespace: pods of `default` wait for it.
    await waitUntil("the default service account exists", async () => (await kubectl(["get", "serviceaccount", "default", "-o", "name"])).length > 0, 60_000, [apiserver]);
    const startSeconds = (Date.now() - started) / 1000;
    log(`ready in ${startSeconds.toFixed(1)} s (node ${CLUSTER.nodeName} at ${CLUSTER.nodeIp}, API ${server})`);
    const serviceUrl = async (namespace: string, service: string, port: number) =>
      `http://${await kubectl(["get", "service", service, "-n", namespace, "-o", "jsonpath={.spec.clusterIP}"])}:${port}`;
    return { dir, kubeconfig: adminConfig, kubeconfigFile, kubectl, serviceUrl, importImages, startSeconds, stop };
  } catch (e) {
    await stop().catch((s) => log(`cleaning up after a failed start: ${(s as Error).message}`));
    throw e;
  }
}
