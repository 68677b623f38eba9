// The scheduler side of a pool (iexec-core, blockchain adapter, MongoDB, config server, optional result proxy) and
// the worker's settings: what each iExec component is given (workloads.ts makes them workloads for the pool's
// target). Names are DNS names on every target (container names on the pool's Docker network, Service names in
// the namespace).
//
// Environment names: the worker's IEXEC_CORE_PROTOCOL/HOST/PORT, IEXEC_WORKER_NAME, IEXEC_WORKER_BASE_DIR,
// IEXEC_WORKER_WALLET_PATH and IEXEC_WORKER_WALLET_PASSWORD are documented in iexec-worker's README (v8). Assumed,
// not checked against a running image (none can be pulled here): IEXEC_CORE_URL (newer workers), POOL_ADDRESS
// (DESIGN.md), and the scheduler-side names below, taken from the iexec-core / adapter / result-proxy
// application.yml conventions (`${ENV_NAME:default}` placeholders). Override-free on purpose: a wrong name shows
// up at the first real deployment, and this file is the one place to fix it.
import type { WorkerPoolSpec } from "../../settings/workerPool";

/** Chain facts a pool is configured from (PoCo and fleet outputs). */
export interface PoolChain {
  chainId: number;
  /** JSON-RPC URL the scheduler side reaches the chain at. */
  rpcUrl: string;
  /** The PoCo Diamond ("hub"). */
  hubAddress: string;
  /** The registered workerpool (WorkerpoolRegistry.predictWorkerpool / createWorkerpool). */
  poolAddress: string;
  blockTimeSeconds: number;
}

/** Where a wallet is mounted in a container: the keystore, and a password file named after its Spring property. */
export const WALLET_DIR = "/iexec-wallet";
export const WALLET_FILE = "wallet.json";

/**
 * Secrets reach Spring Boot applications as files, never as environment variables (which `docker inspect` and the
 * Kubernetes API show): `spring.config.import=configtree:` maps each file name in the folder to a property, so the
 * file named `IEXEC_WORKER_WALLET_PASSWORD` resolves the `${IEXEC_WORKER_WALLET_PASSWORD}` placeholder (Spring Boot ≥ 2.4).
 */
export function walletEnv(pathEnv: string): Record<string, string> {
  return { [pathEnv]: `${WALLET_DIR}/${WALLET_FILE}`, SPRING_CONFIG_IMPORT: `configtree:${WALLET_DIR}/` };
}

export type ServiceRole = "mongo" | "blockchain-adapter" | "config-server" | "core" | "result-proxy";

export interface PoolService {
  role: ServiceRole;
  /** DNS name: `<pool>-<role>`. */
  name: string;
  image: string;
  port: number;
  env: Record<string, string>;
  /** The scheduler wallet is mounted at WALLET_DIR with its password in a file of this name. */
  walletPasswordFile?: string;
  /** Container path of data that outlives the container (a volume / PVC). */
  dataPath?: string;
}

export const PORTS = { mongo: 27017, adapter: 13010, configServer: 8888, resultProxy: 13200 };
export const serviceName = (pool: string, role: ServiceRole) => `${pool}-${role}`;

export function renderScheduler(pool: WorkerPoolSpec, chain: PoolChain): PoolService[] {
  const host = (role: ServiceRole) => serviceName(pool.name, role);
  const mongo = { MONGO_HOST: host("mongo"), MONGO_PORT: String(PORTS.mongo) };
  const chainEnv = {
    IEXEC_CHAIN_ID: String(chain.chainId),
    IEXEC_BLOCKCHAIN_NODE_ADDRESS: chain.rpcUrl,
    IEXEC_HUB_ADDRESS: chain.hubAddress,
    IEXEC_BLOCK_TIME: `PT${chain.blockTimeSeconds}S`,
    // A consortium chain is a "sidechain" in iExec's terms: no gas price market, native token = RLC bridged in.
    IEXEC_IS_SIDECHAIN: "true",
  };
  const services: PoolService[] = [
    { role: "mongo", name: host("mongo"), image: pool.images.mongo, port: PORTS.mongo, env: {}, dataPath: "/data/db" },
    {
      role: "config-server",
      name: host("config-server"),
      image: pool.images.configServer,
      port: PORTS.configServer,
      // Serves GET /config/chain to the core, the adapter and the workers.
      env: { IEXEC_CONFIG_SERVER_PORT: String(PORTS.configServer), ...chainEnv },
    },
    {
      role: "blockchain-adapter",
      name: host("blockchain-adapter"),
      image: pool.images.blockchainAdapter,
      port: PORTS.adapter,
      env: {
        IEXEC_BLOCKCHAIN_ADAPTER_API_PORT: String(PORTS.adapter),
        IEXEC_CONFIG_SERVER_URL: `http://${host("config-server")}:${PORTS.configServer}`,
        ...mongo,
        ...walletEnv("IEXEC_BLOCKCHAIN_ADAPTER_API_WALLET_PATH"),
      },
      walletPasswordFile: "IEXEC_BLOCKCHAIN_ADAPTER_API_WALLET_PASSWORD",
    },
    {
      role: "core",
      name: host("core"),
      image: pool.images.core,
      port: pool.corePort,
      env: {
        IEXEC_CORE_PORT: String(pool.corePort),
        POOL_ADDRESS: chain.poolAddress,
        IEXEC_CONFIG_SERVER_URL: `http://${host("config-server")}:${PORTS.configServer}`,
        IEXEC_BLOCKCHAIN_ADAPTER_URL: `http://${host("blockchain-adapter")}:${PORTS.adapter}`,
        ...(pool.resultProxy ? { IEXEC_RESULT_REPOSITORY_URL: `http://${host("result-proxy")}:${PORTS.resultProxy}` } : {}),
        ...mongo,
        ...walletEnv("IEXEC_CORE_WALLET_PATH"),
      },
      walletPasswordFile: "IEXEC_CORE_WALLET_PASSWORD",
    },
  ];
  if (pool.resultProxy) {
    services.push({
      role: "result-proxy",
      name: host("result-proxy"),
      image: pool.images.resultProxy,
      port: PORTS.resultProxy,
      env: { IEXEC_RESULT_PROXY_PORT: String(PORTS.resultProxy), IEXEC_CONFIG_SERVER_URL: `http://${host("config-server")}:${PORTS.configServer}`, ...mongo },
    });
  }
  return services;
}

/** The worker's password file name (its Spring property, see walletEnv). */
export const WORKER_PASSWORD_FILE = "IEXEC_WORKER_WALLET_PASSWORD";

/** A worker's environment; `baseDir` is bound at the same path, because the worker asks Docker for binds under it. */
export function workerEnv(opts: { name: string; coreUrl: string; poolAddress: string; baseDir: string }): Record<string, string> {
  const core = new URL(opts.coreUrl);
  const protocol = core.protocol.replace(":", "");
  return {
    IEXEC_CORE_URL: opts.coreUrl,
    IEXEC_CORE_PROTOCOL: protocol,
    IEXEC_CORE_HOST: core.hostname,
    IEXEC_CORE_PORT: core.port || (protocol === "https" ? "443" : "80"),
    POOL_ADDRESS: opts.poolAddress,
    IEXEC_WORKER_NAME: opts.name,
    IEXEC_WORKER_BASE_DIR: opts.baseDir,
    ...walletEnv("IEXEC_WORKER_WALLET_PATH"),
  };
}
