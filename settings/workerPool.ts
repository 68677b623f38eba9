// The `workerPools` setting: iExec worker pools whose task containers run under Kata Containers, on bare-metal hosts
// reached over SSH or on Kubernetes. Every bad field is reported with its fix, like the rest of the spec.
import { DNS_FIX, DNS_LABEL, int, isRecord, parseResources, pinnedImage, PodResources, quantity, Report, show } from "./fields";

/** Pinned images (iexechub/<name>); the iExec tags are the v8 line the scheduler and workers must share. */
export const POOL_IMAGES = {
  core: "iexechub/iexec-core:8.6.0",
  worker: "iexechub/iexec-worker:8.6.0",
  blockchainAdapter: "iexechub/iexec-blockchain-adapter-api:8.6.0",
  configServer: "iexechub/iexec-config-server:8.6.0",
  resultProxy: "iexechub/iexec-result-proxy:8.6.0",
  mongo: "mongo:4.4.29",
  /** Docker-in-Docker sidecar of Kubernetes workers (task containers run in it, inside the Kata pod). */
  dind: "docker:26.1.4-dind",
};
export type PoolImage = keyof typeof POOL_IMAGES;

export const POOL_DEFAULTS = {
  corePort: 13000,
  workersPerHost: 1,
  sshPort: 22,
  sshUser: "root",
  dockerDaemonConfigPath: "/etc/docker/daemon.json",
  restartCommand: "systemctl restart docker",
  baseDir: "/var/lib/iexec-worker",
  secretsDir: "/etc/iexec-worker",
  /** Kata 4.x's shim (containerd-shim-kata-v2) needs Docker ≥ 26. */
  minDockerVersion: "26.0.0",
  /** A Kata static release extracts to /opt/kata; Docker ≥ 23 accepts a shim's absolute path as runtimeType. */
  kataRuntime: { runtimeType: "/opt/kata/bin/containerd-shim-kata-v2" } as KataRuntime,
  vhostModules: ["vhost_net", "vhost_vsock"],
  namespace: "iexec-pool",
  runtimeClassName: "kata-qemu-runtime-rs",
  replicas: 1,
  /** A pod's sizes on Kubernetes: a worker's bound its Kata VM (the task containers run inside it). */
  podResources: { cpuRequest: "500m", memoryRequest: "1Gi", cpuLimit: "2", memoryLimit: "4Gi" } as PodResources,
  storageSize: "10Gi",
  kataDeploy: { chart: "oci://ghcr.io/kata-containers/kata-deploy-charts/kata-deploy", version: "3.18.0", namespace: "kube-system" },
};

/** How Docker starts the `kata` runtime: a containerd shim (real Kata) or an OCI runtime binary (`path`, tests). */
export interface KataRuntime {
  runtimeType?: string;
  path?: string;
}

/** Where a host gets Kata from: a release tarball on the deploying machine, or a URL the host downloads (pinned by digest). */
export type KataArtifact = { path: string } | { url: string; sha256: string };

export interface SshHostSpec {
  /** DNS label: names the host's resources and workers. */
  name: string;
  /** Host name or IP address the deploying machine connects to. */
  address: string;
  port: number;
  user: string;
  /** Private key file on the deploying machine; without it the SSH agent (`SSH_AUTH_SOCK`) is used. */
  sshKeyPath?: string;
  /** The host's public key (`ssh-ed25519 AAAA…`, as in known_hosts): the connection is refused on any other key. */
  hostKey: string;
  kataArtifact: KataArtifact;
  dockerDaemonConfigPath: string;
  restartCommand: string;
  /** The workers' base directory, bound at the same path (tasks' inputs and outputs; iexec-worker asks Docker for binds under it). */
  baseDir: string;
  /** Directory of the 0600 wallet and password files (one 0700 folder per worker). */
  secretsDir: string;
  workers: number;
}

export interface SshTargetSpec {
  kind: "ssh";
  hosts: SshHostSpec[];
  /** Host (by name) that runs the scheduler side; it may run workers too. */
  schedulerHost: string;
  /** Address the core's port is published on at the scheduler host (default 127.0.0.1: reach it through a tunnel or a private interface). */
  coreBind: string;
  /** Lowest Docker engine version accepted on a host. Lower it only for a test engine without Kata (and say so). */
  minDockerVersion: string;
  /** The `kata` runtime entry of daemon.json. */
  kataRuntime: KataRuntime;
  /** Kernel modules Kata's VMs need (checked under /sys/module). */
  vhostModules: string[];
  /** Docker network of the worker and scheduler containers ("bridge", "host", or a network that exists on the hosts). */
  network: string;
}

export interface KubernetesTargetSpec {
  kind: "kubernetes";
  namespace: string;
  runtimeClassName: string;
  replicas: number;
  /** kata-deploy's pinned Helm chart; `install: false` when the cluster already runs Kata. */
  kataDeploy: { install: boolean; chart: string; version: string; namespace: string };
  baseDir: string;
  /** Each pod's requests and limits, and each workload's claim. */
  resources: PodResources;
  storageSize: string;
}

export interface WorkerPoolSpec {
  /** DNS label: names the pool's resources. */
  name: string;
  /** Description registered on chain with the workerpool. */
  description: string;
  /** URL workers reach iexec-core at; derived from the target when absent (Kubernetes Service DNS, or the scheduler host). */
  coreUrl?: string;
  /**
   * JSON-RPC URL of the home chain as the scheduler side (iexec-core, blockchain adapter, config server) reaches it.
   * Required on the ssh target; on Kubernetes it defaults to the fleet's in-cluster RPC Service when the fleet runs
   * there too (see checkWorkerPoolsInStack).
   */
  chainRpcUrl?: string;
  corePort: number;
  resultProxy: boolean;
  images: Record<PoolImage, string>;
  target: SshTargetSpec | KubernetesTargetSpec;
}

const POOL_KEYS = ["name", "description", "coreUrl", "chainRpcUrl", "corePort", "resultProxy", "images", "target"];
const SSH_KEYS = ["kind", "hosts", "schedulerHost", "coreBind", "minDockerVersion", "kataRuntime", "vhostModules", "network"];
const HOST_KEYS = ["name", "address", "port", "user", "sshKeyPath", "hostKey", "kataArtifact", "dockerDaemonConfigPath", "restartCommand", "baseDir", "secretsDir", "workers"];
const KUBE_KEYS = ["kind", "namespace", "runtimeClassName", "replicas", "kataDeploy", "baseDir", "resources", "storageSize"];
const HOST_KEY = /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa|rsa-sha2-(256|512)) [A-Za-z0-9+/]+=*$/;
const VERSION = /^\d+(\.\d+){0,2}$/;

/** Parses the `workerPools` setting; undefined when absent or when a problem was reported. */
export function parseWorkerPools(raw: unknown, problem: Report): WorkerPoolSpec[] | undefined {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problem("workerPools", `${show(raw)} is not a list`, 'write [{ name: "pool-a", target: { kind: "ssh", hosts: [...] } }]');
    return undefined;
  }
  let ok = true;
  const report: Report = (f, w, x) => {
    ok = false;
    problem(f, w, x);
  };
  const names = new Set<string>();
  const pools = raw.map((entry, i) => {
    const pool = parsePool(entry, `workerPools[${i}]`, report);
    if (pool && names.has(pool.name)) report(`workerPools[${i}].name`, `"${pool.name}" is used by another pool`, "give every pool a unique name");
    if (pool) names.add(pool.name);
    return pool;
  });
  return ok ? (pools as WorkerPoolSpec[]) : undefined;
}

/**
 * What a pool needs from the rest of the stack: PoCo (each pool is registered in its WorkerpoolRegistry) and a chain
 * URL its scheduler side reaches. The fleet's RPC URL is loopback on the local target and a container or in-cluster
 * name on the others, so it serves only a Kubernetes pool beside a Kubernetes fleet (same cluster assumed).
 */
export function checkWorkerPoolsInStack(pools: WorkerPoolSpec[], stack: { hasPoco: boolean; fleetTarget: string | undefined }, problem: Report): void {
  if (pools.length > 0 && !stack.hasPoco) {
    problem("workerPools", "needs the PoCo contracts on the home chain (each pool is registered in PoCo's WorkerpoolRegistry), but this stack has no poco", "add `poco: {}` (it stakes the bridged RLC of `bridge`, or set poco.token), or remove workerPools");
  }
  pools.forEach((pool, i) => {
    const at = `workerPools[${i}]`;
    if (pool.target.kind === "ssh") {
      if (!pool.coreUrl) problem(`${at}.coreUrl`, "is missing: workers on other hosts need the URL they reach iexec-core at", `give the scheduler host's address with corePort, e.g. "http://10.0.0.5:${pool.corePort}" (and target.coreBind that address)`);
      if (!pool.chainRpcUrl) {
        problem(`${at}.chainRpcUrl`, `is missing: the scheduler side runs on host ${pool.target.schedulerHost}, which cannot use the fleet's RPC URL (loopback or a name local to the fleet's target)`, 'give the home chain\'s JSON-RPC URL as the scheduler host reaches it, e.g. "http://10.0.0.2:8545"');
      }
    } else if (!pool.chainRpcUrl && stack.fleetTarget !== "kubernetes") {
      problem(`${at}.chainRpcUrl`, `is missing: the fleet runs on the ${stack.fleetTarget ?? "configured"} target, so its RPC URL is no in-cluster address the scheduler pods reach`, "give the home chain's JSON-RPC URL as pods in the cluster reach it");
    }
  });
}

function unknownKeys(raw: Record<string, unknown>, known: string[], at: string, what: string, problem: Report) {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) problem(`${at}.${key}`, `is not a known setting of ${what}`, `remove it; known: ${known.join(", ")}`);
  }
}

function text(raw: unknown, field: string, fallback: string | undefined, problem: Report, fix: string): string | undefined {
  if (raw === undefined && fallback !== undefined) return fallback;
  if (typeof raw === "string" && raw.trim() !== "") return raw;
  problem(field, raw === undefined ? "is missing" : `${show(raw)} is not a non-empty string`, fix);
  return undefined;
}

function httpUrl(raw: unknown, field: string, problem: Report, fix: string): string | undefined {
  if (typeof raw === "string" && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(raw) && URL.canParse(raw)) return raw;
  problem(field, `${show(raw)} is not an http(s) URL`, fix);
  return undefined;
}

const isLoopback = (url: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(new URL(url).hostname);

function absolutePath(raw: unknown, field: string, fallback: string, problem: Report): string {
  if (raw === undefined) return fallback;
  if (typeof raw === "string" && raw.startsWith("/") && !raw.split("/").includes("..")) return raw.replace(/\/+$/, "") || "/";
  problem(field, `${show(raw)} is not an absolute path`, `write an absolute path without "..", e.g. "${fallback}"`);
  return fallback;
}

function bool(raw: unknown, field: string, fallback: boolean, problem: Report): boolean {
  if (raw === undefined) return fallback;
  if (typeof raw === "boolean") return raw;
  problem(field, `${show(raw)} is not a boolean`, "set true or false");
  return fallback;
}

function parsePool(raw: unknown, at: string, problem: Report): WorkerPoolSpec | undefined {
  if (!isRecord(raw)) {
    problem(at, `${show(raw)} is not an object`, 'write { name: "pool-a", target: { kind: "ssh" | "kubernetes", ... } }');
    return undefined;
  }
  unknownKeys(raw, POOL_KEYS, at, "a worker pool", problem);
  const name = typeof raw.name === "string" && DNS_LABEL.test(raw.name) ? raw.name : undefined;
  if (!name) problem(`${at}.name`, `${show(raw.name)} is not a valid pool name`, DNS_FIX);
  const description = text(raw.description, `${at}.description`, name ?? "", problem, "describe the pool in a few words (it is stored on chain)");
  let coreUrl: string | undefined;
  if (raw.coreUrl !== undefined) {
    if (typeof raw.coreUrl === "string" && /^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(raw.coreUrl)) coreUrl = raw.coreUrl.replace(/\/$/, "");
    else problem(`${at}.coreUrl`, `${show(raw.coreUrl)} is not an http(s) URL of a host`, 'write e.g. "https://core.pool-a.example:13000"');
  }
  const chainRpcUrl = raw.chainRpcUrl === undefined ? undefined : httpUrl(raw.chainRpcUrl, `${at}.chainRpcUrl`, problem, 'write e.g. "http://10.0.0.2:8545" (an RPC node\'s private interface)');
  const corePort = raw.corePort === undefined ? POOL_DEFAULTS.corePort : int(raw.corePort, `${at}.corePort`, 1, 65535, problem, "use a TCP port from 1 to 65535");
  const resultProxy = bool(raw.resultProxy, `${at}.resultProxy`, false, problem);
  const images = parseImages(raw.images, `${at}.images`, problem);
  const target = parseTarget(raw.target, `${at}.target`, problem);
  if (chainRpcUrl && target && isLoopback(chainRpcUrl) && !(target.kind === "ssh" && target.network === "host")) {
    // Inside a container on a Docker network, or in a pod, loopback is the container's own.
    problem(`${at}.chainRpcUrl`, `${show(chainRpcUrl)} is a loopback address, which the scheduler's containers do not share with their host`, 'give an address of the RPC node the scheduler host reaches (a private interface), or run the pool with target.network "host"');
  }
  if (!name || description === undefined || corePort === undefined || !target) return undefined;
  return { name, description, ...(coreUrl ? { coreUrl } : {}), ...(chainRpcUrl ? { chainRpcUrl } : {}), corePort, resultProxy, images, target };
}

function parseImages(raw: unknown, at: string, problem: Report): Record<PoolImage, string> {
  const images = { ...POOL_IMAGES };
  if (raw === undefined) return images;
  if (!isRecord(raw)) {
    problem(at, `${show(raw)} is not an object`, `map images to references, e.g. { worker: "${POOL_IMAGES.worker}" }`);
    return images;
  }
  for (const [key, image] of Object.entries(raw)) {
    if (!(key in POOL_IMAGES)) problem(`${at}.${key}`, "is not an image of a worker pool", `use one of: ${Object.keys(POOL_IMAGES).join(", ")}`);
    else {
      const pinned = pinnedImage(image, `${at}.${key}`, problem);
      if (pinned) images[key as PoolImage] = pinned;
    }
  }
  return images;
}

function parseTarget(raw: unknown, at: string, problem: Report): SshTargetSpec | KubernetesTargetSpec | undefined {
  if (!isRecord(raw)) {
    problem(at, raw === undefined ? "is missing" : `${show(raw)} is not an object`, 'write { kind: "ssh", hosts: [...] } or { kind: "kubernetes" }');
    return undefined;
  }
  if (raw.kind === "ssh") return parseSshTarget(raw, at, problem);
  if (raw.kind === "kubernetes") return parseKubernetesTarget(raw, at, problem);
  problem(`${at}.kind`, `${show(raw.kind)} is not a target kind`, 'use "ssh" (bare-metal hosts) or "kubernetes"');
  return undefined;
}

function parseSshTarget(raw: Record<string, unknown>, at: string, problem: Report): SshTargetSpec | undefined {
  unknownKeys(raw, SSH_KEYS, at, "the ssh target", problem);
  if (!Array.isArray(raw.hosts) || raw.hosts.length === 0) {
    problem(`${at}.hosts`, raw.hosts === undefined ? "is missing" : "must list at least one host", 'list hosts, e.g. [{ name: "host-1", address: "10.0.0.5", hostKey: "ssh-ed25519 AAAA…", kataArtifact: { path: "./kata-static.tar.xz" } }]');
    return undefined;
  }
  const hosts = raw.hosts.map((h, i) => parseHost(h, `${at}.hosts[${i}]`, problem));
  // Names as written, so a host with another bad field still counts here.
  const names = raw.hosts.map((h) => (isRecord(h) && typeof h.name === "string" && DNS_LABEL.test(h.name) ? h.name : undefined));
  names.forEach((n, i) => n && names.indexOf(n) !== i && problem(`${at}.hosts[${i}].name`, `"${n}" is used by another host`, "give every host a unique name"));
  const schedulerHost = raw.schedulerHost ?? names[0];
  // Undefined only when the first host's name is bad, which is reported already.
  if (schedulerHost !== undefined && (typeof schedulerHost !== "string" || !names.includes(schedulerHost))) {
    problem(`${at}.schedulerHost`, `${show(schedulerHost)} is not one of the hosts`, `name one of: ${names.filter(Boolean).join(", ")}`);
  }
  const coreBind = raw.coreBind ?? "127.0.0.1";
  if (typeof coreBind !== "string" || !/^(\d{1,3}\.){3}\d{1,3}$/.test(coreBind)) problem(`${at}.coreBind`, `${show(coreBind)} is not an IPv4 address`, 'use "127.0.0.1" (default) or the scheduler host\'s private address');
  const minDockerVersion = raw.minDockerVersion ?? POOL_DEFAULTS.minDockerVersion;
  if (typeof minDockerVersion !== "string" || !VERSION.test(minDockerVersion)) problem(`${at}.minDockerVersion`, `${show(minDockerVersion)} is not a version`, 'write e.g. "26.0.0" (Kata 4.x needs Docker ≥ 26)');
  const kataRuntime = parseKataRuntime(raw.kataRuntime, `${at}.kataRuntime`, problem);
  const vhostModules = raw.vhostModules ?? POOL_DEFAULTS.vhostModules;
  if (!Array.isArray(vhostModules) || !vhostModules.every((m) => typeof m === "string" && /^\w+$/.test(m))) {
    problem(`${at}.vhostModules`, `${show(vhostModules)} is not a list of module names`, `write e.g. ${JSON.stringify(POOL_DEFAULTS.vhostModules)}`);
  }
  const network = text(raw.network, `${at}.network`, "bridge", problem, 'name a Docker network: "bridge" (default), "host", or one that exists on the hosts');
  if (hosts.some((h) => !h) || !kataRuntime || !network) return undefined;
  return {
    kind: "ssh",
    hosts: hosts as SshHostSpec[],
    schedulerHost: schedulerHost as string,
    coreBind: coreBind as string,
    minDockerVersion: minDockerVersion as string,
    kataRuntime,
    vhostModules: vhostModules as string[],
    network,
  };
}

function parseKataRuntime(raw: unknown, at: string, problem: Report): KataRuntime | undefined {
  if (raw === undefined) return { ...POOL_DEFAULTS.kataRuntime };
  const ok = isRecord(raw) && Object.keys(raw).length === 1 && ((typeof raw.runtimeType === "string" && raw.runtimeType !== "") || (typeof raw.path === "string" && raw.path !== ""));
  if (ok) return raw as KataRuntime;
  problem(at, `${show(raw)} is not a Docker runtime entry`, `write { runtimeType: "${POOL_DEFAULTS.kataRuntime.runtimeType}" } (or { path: "<OCI runtime>" })`);
  return undefined;
}

function parseHost(raw: unknown, at: string, problem: Report): SshHostSpec | undefined {
  if (!isRecord(raw)) {
    problem(at, `${show(raw)} is not an object`, "write { name, address, hostKey, kataArtifact }");
    return undefined;
  }
  unknownKeys(raw, HOST_KEYS, at, "an ssh host", problem);
  const name = typeof raw.name === "string" && DNS_LABEL.test(raw.name) ? raw.name : undefined;
  if (!name) problem(`${at}.name`, `${show(raw.name)} is not a valid host name`, DNS_FIX);
  const address = typeof raw.address === "string" && /^[A-Za-z0-9.:-]+$/.test(raw.address) ? raw.address : undefined;
  if (!address) problem(`${at}.address`, `${show(raw.address)} is not a host name or IP address`, "give the address the deploying machine reaches the host's sshd at");
  const port = raw.port === undefined ? POOL_DEFAULTS.sshPort : int(raw.port, `${at}.port`, 1, 65535, problem, "use the sshd port, 22 by default");
  const user = text(raw.user, `${at}.user`, POOL_DEFAULTS.sshUser, problem, "name the login user (root, or a user with passwordless sudo)");
  if (raw.sshKeyPath !== undefined && (typeof raw.sshKeyPath !== "string" || raw.sshKeyPath === "")) {
    problem(`${at}.sshKeyPath`, `${show(raw.sshKeyPath)} is not a file path`, "give the private key file, or remove it to use the SSH agent");
  }
  const hostKey = typeof raw.hostKey === "string" && HOST_KEY.test(raw.hostKey.trim()) ? raw.hostKey.trim() : undefined;
  if (!hostKey) {
    problem(`${at}.hostKey`, raw.hostKey === undefined ? "is missing: the host's identity would be trusted blindly" : `${show(raw.hostKey)} is not a public key`, 'copy the host\'s key ("ssh-ed25519 AAAA…") from `ssh-keyscan` checked against the host\'s console, or from /etc/ssh/ssh_host_ed25519_key.pub');
  }
  const kataArtifact = parseArtifact(raw.kataArtifact, `${at}.kataArtifact`, problem);
  const restartCommand = text(raw.restartCommand, `${at}.restartCommand`, POOL_DEFAULTS.restartCommand, problem, "give the command that restarts dockerd on the host");
  const workers = raw.workers === undefined ? POOL_DEFAULTS.workersPerHost : int(raw.workers, `${at}.workers`, 0, 64, problem, "run 0 to 64 workers on a host (one is usual)");
  const dockerDaemonConfigPath = absolutePath(raw.dockerDaemonConfigPath, `${at}.dockerDaemonConfigPath`, POOL_DEFAULTS.dockerDaemonConfigPath, problem);
  const baseDir = absolutePath(raw.baseDir, `${at}.baseDir`, POOL_DEFAULTS.baseDir, problem);
  const secretsDir = absolutePath(raw.secretsDir, `${at}.secretsDir`, POOL_DEFAULTS.secretsDir, problem);
  if (!name || !address || port === undefined || !user || !hostKey || !kataArtifact || !restartCommand || workers === undefined) return undefined;
  return {
    name,
    address,
    port,
    user,
    ...(typeof raw.sshKeyPath === "string" && raw.sshKeyPath !== "" ? { sshKeyPath: raw.sshKeyPath } : {}),
    hostKey,
    kataArtifact,
    dockerDaemonConfigPath,
    restartCommand,
    baseDir,
    secretsDir,
    workers,
  };
}

function parseArtifact(raw: unknown, at: string, problem: Report): KataArtifact | undefined {
  const fix = 'give { path: "./kata-static-3.18.0-amd64.tar.xz" } (a Kata static release on this machine) or { url: "https://…", sha256: "<64 hex>" }';
  if (isRecord(raw) && typeof raw.path === "string" && raw.path !== "" && Object.keys(raw).length === 1) return { path: raw.path };
  if (isRecord(raw) && typeof raw.url === "string" && Object.keys(raw).length === 2) {
    if (!/^https:\/\/\S+$/.test(raw.url)) {
      problem(`${at}.url`, `${show(raw.url)} is not an https URL`, "download Kata over https only");
      return undefined;
    }
    if (typeof raw.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(raw.sha256)) {
      problem(`${at}.sha256`, `${show(raw.sha256)} is not a sha256 digest`, "give the release's SHA-256 (64 lower-case hex digits), so a host never runs an unverified download");
      return undefined;
    }
    return { url: raw.url, sha256: raw.sha256 };
  }
  problem(at, raw === undefined ? "is missing" : `${show(raw)} is not a Kata artifact`, fix);
  return undefined;
}

function parseKubernetesTarget(raw: Record<string, unknown>, at: string, problem: Report): KubernetesTargetSpec | undefined {
  unknownKeys(raw, KUBE_KEYS, at, "the kubernetes target", problem);
  const namespace = raw.namespace ?? POOL_DEFAULTS.namespace;
  if (typeof namespace !== "string" || !DNS_LABEL.test(namespace)) problem(`${at}.namespace`, `${show(namespace)} is not a namespace name`, DNS_FIX);
  const runtimeClassName = raw.runtimeClassName ?? POOL_DEFAULTS.runtimeClassName;
  if (typeof runtimeClassName !== "string" || !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(runtimeClassName)) {
    problem(`${at}.runtimeClassName`, `${show(runtimeClassName)} is not a RuntimeClass name`, 'use a class kata-deploy creates, e.g. "kata-qemu-runtime-rs", "kata-qemu" or "kata-fc"');
  }
  const replicas = raw.replicas === undefined ? POOL_DEFAULTS.replicas : int(raw.replicas, `${at}.replicas`, 0, 256, problem, "run 0 to 256 workers");
  const kataDeploy = parseKataDeploy(raw.kataDeploy, `${at}.kataDeploy`, problem);
  const baseDir = absolutePath(raw.baseDir, `${at}.baseDir`, POOL_DEFAULTS.baseDir, problem);
  const resources = parseResources(raw.resources, `${at}.resources`, POOL_DEFAULTS.podResources, problem);
  const storageSize = quantity(raw.storageSize ?? POOL_DEFAULTS.storageSize, `${at}.storageSize`, problem);
  if (typeof namespace !== "string" || typeof runtimeClassName !== "string" || replicas === undefined || !kataDeploy) return undefined;
  return { kind: "kubernetes", namespace, runtimeClassName, replicas, kataDeploy, baseDir, resources, storageSize };
}

function parseKataDeploy(raw: unknown, at: string, problem: Report): KubernetesTargetSpec["kataDeploy"] | undefined {
  const d = POOL_DEFAULTS.kataDeploy;
  if (raw === undefined) return { install: true, ...d };
  if (!isRecord(raw)) {
    problem(at, `${show(raw)} is not an object`, `write { install: true, version: "${d.version}" }`);
    return undefined;
  }
  unknownKeys(raw, ["install", "chart", "version", "namespace"], at, "kataDeploy", problem);
  const version = raw.version ?? d.version;
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+$/.test(version)) {
    problem(`${at}.version`, `${show(version)} is not a pinned chart version`, `write an exact version, e.g. "${d.version}"`);
    return undefined;
  }
  const chart = text(raw.chart, `${at}.chart`, d.chart, problem, `use "${d.chart}" or a mirror of it`);
  const namespace = namespaceName(raw.namespace, `${at}.namespace`, d.namespace, problem);
  if (!chart || !namespace) return undefined;
  return { install: bool(raw.install, `${at}.install`, true, problem), chart, version, namespace };
}

function namespaceName(raw: unknown, field: string, fallback: string, problem: Report): string | undefined {
  if (raw === undefined) return fallback;
  if (typeof raw === "string" && DNS_LABEL.test(raw)) return raw;
  problem(field, `${show(raw)} is not a namespace name`, DNS_FIX);
  return undefined;
}
