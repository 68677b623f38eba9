// Configuration files of the test cluster's programs (pure: paths and addresses in, file text out).

/** Names and addresses of the cluster (one at a time per machine: they are fixed). */
export const CLUSTER = {
  nodeName: "consortium-test-node",
  /**
   * The pods' bridge, made by the harness before the CNI bridge plugin finds it; the node's address is its gateway
   * address (kubelet refuses a loopback node address): pods reach the node and its DNS directly.
   */
  podBridge: "ckh-br0",
  nodeIp: "10.232.0.1",
  podSubnet: "10.232.0.0/24",
  serviceRange: "10.233.0.0/16",
  /** The `kubernetes` Service's address: the first of the service range. */
  apiServiceIp: "10.233.0.1",
  clusterDomain: "cluster.local",
  sandboxImage: "consortium-test/pause:1",
  /** The RuntimeClass handler worker pools ask for (Kata's); in this cluster it is runc: a TEST DOUBLE for Kata. */
  kataHandler: "kata-qemu-runtime-rs",
} as const;

/**
 * Some machines (this sandbox's VMs) refuse a negative oom_score_adj, which kubelet asks for every pod sandbox
 * (-998), so runc fails with "can't get final child's PID from pipe". There, runc runs through this wrapper, which
 * raises a negative score to 0 in the container's bundle before runc reads it: test clusters only.
 */
export const RUNC_OOM_WRAPPER = [
  "#!/bin/sh",
  "# Test cluster only (testkit/kubernetes/config.ts): this machine refuses negative oom_score_adj values.",
  'prev=""',
  'for arg in "$@"; do',
  '  if [ "$prev" = "--bundle" ] || [ "$prev" = "-b" ]; then sed -i \'s/"oomScoreAdj":-[0-9]*/"oomScoreAdj":0/\' "$arg/config.json"; fi',
  '  prev="$arg"',
  "done",
  'exec runc "$@"',
  "",
].join("\n");

/** `runcBinary`: the runc wrapper where the machine needs it (RUNC_OOM_WRAPPER), else runc on PATH. */
export function containerdConfig(dir: string, runcBinary?: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  const runtime = (name: string) => [
    `[${cri}.containerd.runtimes.${name}]`,
    '  runtime_type = "io.containerd.runc.v2"',
    ...(runcBinary ? [`[${cri}.containerd.runtimes.${name}.options]`, `  BinaryName = "${runcBinary}"`] : []),
  ];
  return [
    "version = 2",
    `root = "${dir}/containerd/root"`,
    `state = "${dir}/containerd/state"`,
    "[grpc]",
    `  address = "${dir}/containerd.sock"`,
    // containerd's own debug and metrics listeners stay off; the CRI streaming server on loopback.
    `[${cri}]`,
    `  sandbox_image = "${CLUSTER.sandboxImage}"`,
    '  stream_server_address = "127.0.0.1"',
    '  stream_server_port = "0"',
    "  enable_selinux = false",
    `[${cri}.containerd]`,
    '  default_runtime_name = "runc"',
    ...runtime("runc"),
    // TEST DOUBLE: the handler Kata's RuntimeClass names runs plain runc here (no Kata binaries, no /dev/kvm).
    ...runtime(`"${CLUSTER.kataHandler}"`),
    `[${cri}.cni]`,
    '  bin_dir = "/usr/lib/cni"',
    `  conf_dir = "${dir}/cni"`,
    "",
  ].join("\n");
}

/** The pods' network: one bridge on the node, addresses from a file-backed pool in the cluster's directory. */
export function cniConfig(dir: string): string {
  return JSON.stringify({
    cniVersion: "1.0.0",
    name: "consortium-test",
    plugins: [
      {
        type: "bridge",
        bridge: CLUSTER.podBridge,
        isGateway: true,
        ipMasq: false,
        // A pod reaching its own Service is sent back to itself over the bridge.
        hairpinMode: true,
        ipam: { type: "host-local", ranges: [[{ subnet: CLUSTER.podSubnet }]], routes: [{ dst: "0.0.0.0/0" }], dataDir: `${dir}/cni-ipam` },
      },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  }, null, 2);
}

export function kubeletConfig(dir: string, ports: { healthz: number }): string {
  return JSON.stringify({
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    address: CLUSTER.nodeIp,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: ports.healthz,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: `${dir}/pki/ca.crt` } },
    authorization: { mode: "AlwaysAllow" },
    tlsCertFile: `${dir}/pki/kubelet.crt`,
    tlsPrivateKeyFile: `${dir}/pki/kubelet.key`,
    containerRuntimeEndpoint: `unix://${dir}/containerd.sock`,
    cgroupDriver: "cgroupfs",
    // This machine's cgroups are v1, which kubelet ≥ 1.35 refuses unless told otherwise.
    failCgroupV1: false,
    failSwapOn: false,
    clusterDNS: [CLUSTER.nodeIp],
    clusterDomain: CLUSTER.clusterDomain,
    // Pods get the cluster's DNS and nothing of the machine's resolver.
    resolvConf: `${dir}/resolv.conf`,
    podLogsDir: `${dir}/pod-logs`,
    // A shared machine's disk may be nearly full: no eviction or image collection for it in a short test.
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "0%", "imagefs.available": "0%", "nodefs.inodesFree": "0%" },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    localStorageCapacityIsolation: false,
    serializeImagePulls: false,
    maxPods: 60,
  }, null, 2);
}

export function corefile(kubeconfigFile: string): string {
  return [
    `${CLUSTER.clusterDomain}:53 {`,
    `  bind ${CLUSTER.nodeIp}`,
    `  kubernetes ${CLUSTER.clusterDomain} {`,
    `    kubeconfig ${kubeconfigFile}`,
    "  }",
    "}",
    // Nothing outside the cluster is resolved: the pods have no other network.
    ".:53 {",
    `  bind ${CLUSTER.nodeIp}`,
    "  template ANY ANY {",
    "    rcode NXDOMAIN",
    "  }",
    "}",
    "",
  ].join("\n");
}

/** The default StorageClass (local volumes the harness makes, bound where the pod runs) and the Kata RuntimeClass. */
export function clusterObjects(dir: string, volumes: number): object[] {
  const storageClass = {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "local", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "kubernetes.io/no-provisioner",
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: "Retain",
  };
  const pv = (i: number) => ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: `local-${i}` },
    spec: {
      capacity: { storage: "100Gi" },
      accessModes: ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "local",
      local: { path: `${dir}/volumes/${i}` },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [CLUSTER.nodeName] }] }] } },
    },
  });
  const runtimeClass = { apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: CLUSTER.kataHandler }, handler: CLUSTER.kataHandler };
  return [storageClass, ...Array.from({ length: volumes }, (_, i) => pv(i)), runtimeClass];
}
