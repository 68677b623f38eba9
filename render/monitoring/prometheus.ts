// A Prometheus configuration for the consortium: the monitor, the bridge agents and the chain nodes' own metrics as
// scrape targets, the alert rules beside it. Targets are `host:port` as the Prometheus server reaches them (loopback
// for local processes); each node's target carries a `node` label, so alerts and dashboards can name it.
import { stringify } from "yaml";
import { AlertSettings, renderAlertRules } from "./rules";

export interface PrometheusSettings {
  scrapeSeconds: number;
  /** The rules file, relative to the configuration file's folder. */
  rulesFile: string;
  monitor: string[];
  agents: string[];
  /** The chain nodes' metrics endpoints (the stack's `nodes` output); none: no `nodes` job. */
  nodes?: readonly NodeMetrics[];
}

/** A chain node's own metrics endpoint, as the stack's `nodes` output gives it (components/fleet/Fleet.ts FleetNode). */
export interface NodeMetrics {
  name: string;
  /** Its URL, path included (each client serves its metrics at a path of its own). */
  metricsUrl: string;
}

export const DEFAULT_SCRAPE_SECONDS = 5;

/** A scrape target (`host:port`) from the URL of a server's endpoint. */
export const scrapeTarget = (url: string) => new URL(url).host;

/** What a stack says of its monitoring (its `monitoring` output): where the monitor answers, and the alerts' settings. */
export interface MonitoringOutput {
  /** The bridge app for token holders, when the stack has a bridge. */
  appUrl?: string;
  /** The operators' dashboard page. */
  dashboardUrl: string;
  statusUrl: string;
  metricsUrl: string;
  alerts: AlertSettings;
}

/**
 * prometheus.yml and rules.yml for a stack: the monitor, the bridge agents (their health URLs, which serve /metrics
 * too) and the chain nodes as targets, as this machine reaches them.
 */
export function renderPrometheusFiles(monitoring: MonitoringOutput, agentHealthUrls: string[], scrapeSeconds = DEFAULT_SCRAPE_SECONDS, nodes: readonly NodeMetrics[] = []): Record<string, string> {
  return {
    "prometheus.yml": renderPrometheusConfig({ scrapeSeconds, rulesFile: "rules.yml", monitor: [scrapeTarget(monitoring.metricsUrl)], agents: agentHealthUrls.map(scrapeTarget), nodes }),
    "rules.yml": renderAlertRules(monitoring.alerts),
  };
}

/** The `nodes` job: one target per node, labelled with its name, on the path their client serves metrics at. */
function nodesJob(nodes: readonly NodeMetrics[]) {
  const paths = [...new Set(nodes.map((n) => new URL(n.metricsUrl).pathname))];
  // A stack runs one client, so one path; a job has only one.
  if (paths.length !== 1) throw new Error(`the nodes serve their metrics at ${paths.length} paths (${paths.join(", ")}): one job scrapes one`);
  return { job_name: "nodes", metrics_path: paths[0], static_configs: nodes.map((n) => ({ targets: [scrapeTarget(n.metricsUrl)], labels: { node: n.name } })) };
}

export function renderPrometheusConfig(s: PrometheusSettings): string {
  const interval = `${s.scrapeSeconds}s`;
  const job = (name: string, targets: string[]) => ({ job_name: name, static_configs: [{ targets }] });
  const nodes = s.nodes ?? [];
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: [s.rulesFile],
    scrape_configs: [job("consortium-monitor", s.monitor), ...(s.agents.length > 0 ? [job("bridge-agents", s.agents)] : []), ...(nodes.length > 0 ? [nodesJob(nodes)] : [])],
  });
}
