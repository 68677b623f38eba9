// A worker pool as workloads (render/workload.ts) its target places: the scheduler side (services.ts) and one
// workload per worker, each with its own wallet. Packaged services: they run their images' own entrypoints, get
// their wallets as read-only files outside their directories, and the workers start Kata task containers.
import type { SshTargetSpec, WorkerPoolSpec } from "../../settings/workerPool";
import type { Workload, WorkloadPort } from "../workload";
import { PoolChain, PoolService, renderScheduler, WALLET_DIR, WALLET_FILE, WORKER_PASSWORD_FILE, workerEnv } from "./services";

/** The groups a pool's workloads are sited in: the scheduler side dials itself; workers dial only the core's URL. */
export const POOL_GROUPS = { scheduler: "scheduler", workers: "workers" } as const;

/** One worker: its name, the host it runs on (SSH pools), its directory, and the name of its key. */
export interface WorkerSlot {
  name: string;
  host?: string;
  /** Its directory as it and the engine of its tasks see it (tasks' inputs and outputs are bound from under it). */
  dir: string;
  /** Names its generated key (`<pool resource>-<key>-key`). */
  key: string;
}

/** Where a pool's workloads go and how its workers reach the core. */
export interface PoolLayout {
  coreUrl: string;
  /** The SSH host of the scheduler side. */
  schedulerHost?: string;
  workers: WorkerSlot[];
}

export const workerName = (pool: string, host: string, i: number) => `${pool}-worker-${host}-${i}`;

/** A bare-metal pool: `workers` per host, each in `<host baseDir>/<worker>` (the same path in its container). */
export function sshLayout(pool: WorkerPoolSpec, target: SshTargetSpec): PoolLayout {
  const workers = target.hosts.flatMap((h) =>
    Array.from({ length: h.workers }, (_, i) => {
      const name = workerName(pool.name, h.name, i);
      return { name, host: h.name, dir: `${h.baseDir}/${name}`, key: `${h.name}-worker-${i}` };
    }),
  );
  return { coreUrl: pool.coreUrl!, schedulerHost: target.schedulerHost, workers };
}

/** A pool workload and the wallet it holds: the scheduler key's, or a worker's (by its slot's `key`). */
export interface PoolWorkload {
  workload: Workload;
  host?: string;
  wallet?: "scheduler" | string;
}

/** An encrypted keystore (JSON text) and its password (secret). */
export interface Wallet {
  keystore: string;
  password: string;
}

/** The contents of a workload's wallet files, by their paths (called inside a Pulumi secret). */
export function walletValues(w: Pick<Workload, "name" | "secretFiles">, wallet: Wallet): Record<string, string> {
  return Object.fromEntries(
    Object.entries(w.secretFiles).map(([path, source]) => {
      if (source !== "keystore" && source !== "password") throw new Error(`${w.name}: ${path} holds a ${source}, not a wallet file`);
      return [path, source === "keystore" ? wallet.keystore : wallet.password];
    }),
  );
}

/** Wallet files by their path under the workload's secrets dir; the password file is named after its Spring property. */
const walletFiles = (passwordFile: string): Workload["secretFiles"] => ({ [WALLET_FILE]: "keystore", [passwordFile]: "password" });

function packaged(pool: WorkerPoolSpec, name: string, role: string, group: string, image: string): Omit<Workload, "env" | "ports"> {
  return { name, member: pool.name, role, app: `iexec-${role}`, group, image, command: "", args: [], files: {}, secretFiles: {}, init: [], imageEntrypoint: true };
}

function schedulerWorkload(pool: WorkerPoolSpec, s: PoolService, host: string | undefined): PoolWorkload {
  // The core serves the workers, wherever they run; the rest serve the scheduler side only.
  const port: WorkloadPort = { name: "http", port: s.port, reach: s.role === "core" ? "clients" : "stack" };
  const workload: Workload = {
    ...packaged(pool, s.name, s.role, POOL_GROUPS.scheduler, s.image),
    env: s.env,
    ports: [port],
    ...(s.dataPath ? { dir: s.dataPath } : {}),
    ...(s.walletPasswordFile ? { secretFiles: walletFiles(s.walletPasswordFile), secretsDir: WALLET_DIR } : {}),
  };
  return { workload, ...(host ? { host } : {}), ...(s.walletPasswordFile ? { wallet: "scheduler" } : {}) };
}

function workerWorkload(pool: WorkerPoolSpec, slot: WorkerSlot, coreUrl: string, chain: PoolChain): PoolWorkload {
  const workload: Workload = {
    ...packaged(pool, slot.name, "worker", POOL_GROUPS.workers, pool.images.worker),
    env: workerEnv({ name: slot.name, coreUrl, poolAddress: chain.poolAddress, baseDir: slot.dir }),
    ports: [],
    dir: slot.dir,
    secretFiles: walletFiles(WORKER_PASSWORD_FILE),
    secretsDir: WALLET_DIR,
    tasks: "kata",
  };
  return { workload, ...(slot.host ? { host: slot.host } : {}), wallet: slot.key };
}

/** Every workload of the pool: the scheduler side first, then the workers in slot order. */
export function renderPoolWorkloads(pool: WorkerPoolSpec, layout: PoolLayout, chain: PoolChain): PoolWorkload[] {
  return [...renderScheduler(pool, chain).map((s) => schedulerWorkload(pool, s, layout.schedulerHost)), ...layout.workers.map((w) => workerWorkload(pool, w, layout.coreUrl, chain))];
}
