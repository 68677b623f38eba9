// What one bare-metal host runs: its workers (and, on the scheduler host, the scheduler side) as containers started
// with runtime runc, and the 0600 wallet files they mount. Task containers are not here: iexec-worker starts them
// through the Docker API, and daemon.json makes Kata their default runtime.
import { createHash } from "node:crypto";
import { canonicalJson } from "../canonicalJson";
import type { SshHostSpec, SshTargetSpec, WorkerPoolSpec } from "../../settings/workerPool";
import { PoolChain, PoolService, renderScheduler, serviceName, WALLET_DIR, WALLET_FILE, WORKER_PASSWORD_FILE, workerEnv } from "./services";

/** An encrypted keystore (JSON text) and its password (secret). */
export interface Wallet {
  keystore: string;
  password: string;
}

export interface HostContainer {
  name: string;
  image: string;
  /** Always runc: only the containers the worker starts get the daemon's default (kata). */
  runtime: "runc";
  network: string;
  env: Record<string, string>;
  /** `source:target[:ro]`, host paths. */
  binds: string[];
  /** `address:hostPort:containerPort`. */
  publish: string[];
  labels: Record<string, string>;
}

/** A file written on the host, 0600 in a 0700 folder; `content` is secret. */
export interface HostFile {
  path: string;
  content: string;
}

export interface HostPlan {
  /** Docker networks to create when missing (the scheduler side's private network). */
  networks: string[];
  containers: HostContainer[];
  files: HostFile[];
}

export const LABELS = { pool: "org.consortium.workerpool", digest: "org.consortium.digest" };
export const DOCKER_SOCKET = "/var/run/docker.sock";

export const workerName = (pool: string, host: string, i: number) => `${pool}-worker-${host}-${i}`;
/** The scheduler side's Docker network: MongoDB and the adapter are reachable only on it. */
export const schedulerNetwork = (pool: string) => `${pool}-scheduler`;

export interface HostPlanInput {
  pool: WorkerPoolSpec;
  target: SshTargetSpec;
  host: SshHostSpec;
  chain: PoolChain;
  /** URL the workers reach iexec-core at. */
  coreUrl: string;
  /** One wallet per worker of this host, in order. */
  workerWallets: Wallet[];
  /** The scheduler key's wallet; needed on the scheduler host only. */
  schedulerWallet?: Wallet;
}

function walletFiles(dir: string, wallet: Wallet, passwordFile: string): HostFile[] {
  return [
    { path: `${dir}/${WALLET_FILE}`, content: wallet.keystore },
    { path: `${dir}/${passwordFile}`, content: wallet.password },
  ];
}

export function renderHostPlan(input: HostPlanInput): HostPlan {
  const { pool, host } = input;
  if (input.workerWallets.length !== host.workers) throw new Error(`host ${host.name}: ${host.workers} workers but ${input.workerWallets.length} wallets`);
  const plan: HostPlan = { networks: [], containers: [], files: [] };
  const labels = { [LABELS.pool]: pool.name };
  input.workerWallets.forEach((wallet, i) => {
    const name = workerName(pool.name, host.name, i);
    const baseDir = `${host.baseDir}/${name}`;
    const secrets = `${host.secretsDir}/${name}`;
    plan.files.push(...walletFiles(secrets, wallet, WORKER_PASSWORD_FILE));
    plan.containers.push({
      name,
      image: pool.images.worker,
      runtime: "runc",
      network: input.target.network,
      env: workerEnv({ name, coreUrl: input.coreUrl, poolAddress: input.chain.poolAddress, baseDir }),
      binds: [`${baseDir}:${baseDir}`, `${DOCKER_SOCKET}:${DOCKER_SOCKET}`, `${secrets}:${WALLET_DIR}:ro`],
      publish: [],
      labels,
    });
  });
  if (host.name === input.target.schedulerHost) {
    if (!input.schedulerWallet) throw new Error(`host ${host.name} runs the scheduler but no scheduler wallet was given`);
    const network = schedulerNetwork(pool.name);
    plan.networks.push(network);
    for (const s of renderScheduler(pool, input.chain)) plan.containers.push(schedulerContainer(input, s, network, labels, plan.files));
  }
  return plan;
}

function schedulerContainer(input: HostPlanInput, s: PoolService, network: string, labels: Record<string, string>, files: HostFile[]): HostContainer {
  const binds: string[] = [];
  if (s.walletPasswordFile) {
    const dir = `${input.host.secretsDir}/${s.name}`;
    files.push(...walletFiles(dir, input.schedulerWallet!, s.walletPasswordFile));
    binds.push(`${dir}:${WALLET_DIR}:ro`);
  }
  if (s.dataPath) binds.push(`${input.host.baseDir}/${s.name}:${s.dataPath}`);
  const publish = s.role === "core" ? [`${input.target.coreBind}:${s.port}:${s.port}`] : [];
  return { name: serviceName(input.pool.name, s.role), image: s.image, runtime: "runc", network, env: s.env, binds, publish, labels };
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The digest a container is labelled with: its description plus the digests of the files under its bind sources,
 * so a changed wallet restarts exactly the containers that mount it.
 */
export function containerDigest(c: HostContainer, fileDigests: Record<string, string>): string {
  const sources = c.binds.map((b) => b.split(":")[0]);
  const mounted = Object.keys(fileDigests)
    .filter((p) => sources.some((s) => p.startsWith(s + "/")))
    .sort()
    .map((p) => [p, fileDigests[p]]);
  // Canonical: a description read back from Pulumi's state has its keys in another order than a fresh render.
  return sha256(canonicalJson({ ...c, labels: undefined, mounted }));
}

/** `docker run` arguments for a container (the digest label marks what was started). */
export function dockerRunArgs(c: HostContainer, digest: string): string[] {
  const labels = { ...c.labels, [LABELS.digest]: digest };
  return [
    "run", "--detach", "--name", c.name, "--runtime", c.runtime, "--restart", "unless-stopped", "--network", c.network,
    ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...Object.entries(c.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    ...c.binds.flatMap((b) => ["--volume", b]),
    ...c.publish.flatMap((p) => ["--publish", p]),
    c.image,
  ];
}
