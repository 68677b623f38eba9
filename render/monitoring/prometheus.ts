// A Prometheus configuration for the consortium: the monitor and the bridge agents as scrape targets, the alert rules
// beside it. Targets are `host:port` as the Prometheus server reaches them (loopback for local processes).
import { stringify } from "yaml";
import { AlertSettings, renderAlertRules } from "./rules";

export interface PrometheusSettings {
  scrapeSeconds: number;
  /** The rules file, relative to the configuration file's folder. */
  rulesFile: string;
  monitor: string[];
  agents: string[];
}

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
 * prometheus.yml and rules.yml for a stack: the monitor and the bridge agents (their health URLs, which serve
 * /metrics too) as targets, as this machine reaches them.
 */
export function renderPrometheusFiles(monitoring: MonitoringOutput, agentHealthUrls: string[], scrapeSeconds = 5): Record<string, string> {
  return {
    "prometheus.yml": renderPrometheusConfig({ scrapeSeconds, rulesFile: "rules.yml", monitor: [scrapeTarget(monitoring.metricsUrl)], agents: agentHealthUrls.map(scrapeTarget) }),
    "rules.yml": renderAlertRules(monitoring.alerts),
  };
}

export function renderPrometheusConfig(s: PrometheusSettings): string {
  const interval = `${s.scrapeSeconds}s`;
  const job = (name: string, targets: string[]) => ({ job_name: name, static_configs: [{ targets }] });
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: [s.rulesFile],
    scrape_configs: [job("consortium-monitor", s.monitor), ...(s.agents.length > 0 ? [job("bridge-agents", s.agents)] : [])],
  });
}
