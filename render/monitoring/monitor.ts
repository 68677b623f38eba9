// The operators' monitor as a workload (render/workload.ts): its configuration file (monitor/config.ts shape) and how
// it starts. It reads the chain through an RPC node the stack runs and holds no key; its one secret file is the
// foreign chain's endpoint when it watches a bridge (the URL may carry an API key).
import type { BridgeMonitorConfig, MonitorConfig, SealEngine } from "../../monitor/config";
import type { Engine } from "../../settings/consortium";
import type { MonitoringSpec } from "../../settings/monitoring";
import type { Site } from "../site";
import { nodeHttpService, Workload } from "../workload";

export const MONITOR_NAME = "monitor";
export const MONITOR_GROUP = "monitoring";
export const MONITOR_FILE = "monitor.json";
/** The foreign endpoint's secret file in its directory (`bridge.foreign.rpcUrlFile`). */
export const MONITOR_FOREIGN_URL_FILE = "foreign-rpc-url";

/** The bridge as the stack describes it to the monitor: all but the foreign endpoint, which comes as a secret file. */
export type MonitoredBridge = Omit<BridgeMonitorConfig, "foreign"> & { foreign: Omit<BridgeMonitorConfig["foreign"], "rpcUrl"> };

/** The configuration file as written: the foreign endpoint by its file's name. */
type MonitorFile = Omit<MonitorConfig, "bridge"> & { bridge?: MonitoredBridge & { foreign: { rpcUrlFile: string } } };
/** Its port in a container; a local process takes the first of its site's ports. */
export const MONITOR_PORT = 9650;
export const LOCAL_PORTS_PER_MONITOR = 1;

/** Node.js and the monitor's compiled entry. */
export interface MonitorProgram {
  node: string;
  main: string;
}

/** templates/monitor/Dockerfile: the package is installed at /app, Node.js is on the PATH. */
export const IMAGE_MONITOR_PROGRAM: MonitorProgram = { node: "node", main: "/app/dist/monitor/main.js" };

/** Clique's signer is in the seal; AuRa's and QBFT's is the block's author. */
export const sealOf = (engine: Engine): SealEngine => (engine === "clique" ? "clique" : "author");

export interface MonitorInput {
  settings: MonitoringSpec;
  engine: Engine;
  blockPeriodSeconds: number;
  /** The member that runs it (the first authority's: its RPC node is the one read). */
  member: string;
  /** The RPC node it reads blocks through, as the stack's workloads reach it. */
  rpcUrl: string;
  signers: MonitorConfig["chain"]["signers"];
  /** The stack's RPC nodes, whose peers it counts. */
  nodes: MonitorConfig["nodes"];
  /** The token bridge it watches (invariant, gas, agents), when the stack has one. */
  bridge?: MonitoredBridge;
  /** The PoCo stack it reads (hub, categories, worker pools), when the stack has one. */
  poco?: MonitorConfig["poco"];
  site: Site;
  /** Node.js and the monitor's entry: this machine's for a local process, IMAGE_MONITOR_PROGRAM in a container. */
  program: MonitorProgram;
  /** `monitoring.image` in a container; empty for a local process. */
  image: string;
}

export function monitorWorkload(m: MonitorInput): Workload {
  const port = m.site.portBase ?? MONITOR_PORT;
  const config: MonitorFile = {
    listen: { host: m.site.bindHost, port },
    chain: { rpcUrl: m.rpcUrl, seal: sealOf(m.engine), signers: m.signers, windowBlocks: m.settings.windowBlocks, pollSeconds: m.blockPeriodSeconds },
    nodes: m.nodes,
    ...(m.bridge ? { bridge: { ...m.bridge, foreign: { ...m.bridge.foreign, rpcUrlFile: MONITOR_FOREIGN_URL_FILE } } } : {}),
    ...(m.poco ? { poco: m.poco } : {}),
  };
  return {
    name: MONITOR_NAME,
    member: m.member,
    role: "monitor",
    group: MONITOR_GROUP,
    image: m.image,
    command: m.program.node,
    args: [m.program.main, "--config", MONITOR_FILE],
    env: {},
    files: { [MONITOR_FILE]: JSON.stringify(config, null, 2) + "\n" },
    secretFiles: m.bridge ? { [MONITOR_FOREIGN_URL_FILE]: "rpcUrl" } : {},
    init: [],
    ...nodeHttpService({
      // Status and metrics: for operators and their Prometheus.
      port: { name: "http", port, reach: "clients" },
      startSeconds: 30,
      resources: { cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "250m", memoryLimit: "256Mi" },
      storage: "100Mi",
    }),
  };
}
