// The `monitoring` setting: the operators' monitor (monitor/main.ts: status, metrics, the dashboard and the bridge
// app), a workload of the stack reading the chain through the fleet's RPC node. Asked for with `monitoring: {}` (the
// dev stack does). A process of this machine on the local target; on Docker and Kubernetes a container of `image`
// (templates/monitor/Dockerfile).
import { int, isRecord, pinnedImage, Report, show } from "./fields";

export interface MonitoringSpec {
  /** How many of the last blocks its status covers. */
  windowBlocks: number;
  /** Alert threshold: blocks a bridge agent may lag before it is a backlog. */
  backlogBlocks: number;
  /** Alert threshold: a bridge validator's native balance on home, in ether units (a decimal string). */
  minValidatorGasEther: string;
  /** The monitor's image on the docker and kubernetes targets (templates/monitor/Dockerfile). */
  image: string;
}

/** The monitor image built from templates/monitor/Dockerfile, tagged with the project's version. */
export const DEFAULT_MONITOR_IMAGE = "consortium-deployer/monitor:0.1.0";
export const MONITORING_DEFAULTS: MonitoringSpec = { windowBlocks: 64, backlogBlocks: 20, minValidatorGasEther: "0.05", image: DEFAULT_MONITOR_IMAGE };
const KEYS = ["windowBlocks", "backlogBlocks", "minValidatorGasEther", "image"];

/** A positive amount in ether units, as a plain decimal (what Prometheus compares with, and what parseEther reads). */
function etherAmount(raw: unknown, field: string, problem: Report): string | undefined {
  const text = typeof raw === "number" ? String(raw) : raw;
  if (typeof text === "string" && /^\d+(\.\d{1,18})?$/.test(text) && /[1-9]/.test(text)) return text;
  problem(field, `${show(raw)} is not a positive amount in ether units`, 'write a decimal such as 0.05 or "0.05"');
  return undefined;
}

/** The monitor's settings, or undefined when it does not run (absent, or `false`). */
export function parseMonitoring(raw: unknown, ctx: { rpcNode: boolean }, problem: Report): MonitoringSpec | undefined {
  if (raw === undefined || raw === false) return undefined;
  if (!isRecord(raw)) {
    problem("monitoring", `${show(raw)} is neither a map nor false`, "write {} for the defaults, or false to run no monitor");
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!KEYS.includes(key)) problem(`monitoring.${key}`, "is not a known setting", `remove it; known: ${KEYS.join(", ")}`);
  if (!ctx.rpcNode) problem("monitoring", "reads the chain through the fleet's RPC node, and fleet.rpcNode is false", "set fleet.rpcNode: true (the default), or write monitoring: false");
  const setting = (key: "windowBlocks" | "backlogBlocks", min: number, max: number) =>
    raw[key] === undefined ? MONITORING_DEFAULTS[key] : (int(raw[key], `monitoring.${key}`, min, max, problem, `give a whole number from ${min} to ${max}`) ?? MONITORING_DEFAULTS[key]);
  return {
    windowBlocks: setting("windowBlocks", 2, 10_000),
    backlogBlocks: setting("backlogBlocks", 1, 1_000_000),
    minValidatorGasEther:
      raw.minValidatorGasEther === undefined ? MONITORING_DEFAULTS.minValidatorGasEther : (etherAmount(raw.minValidatorGasEther, "monitoring.minValidatorGasEther", problem) ?? MONITORING_DEFAULTS.minValidatorGasEther),
    image: raw.image === undefined ? DEFAULT_MONITOR_IMAGE : (pinnedImage(raw.image, "monitoring.image", problem) ?? DEFAULT_MONITOR_IMAGE),
  };
}
