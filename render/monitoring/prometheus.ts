// A Prometheus configuration for the consortium: the monitor and the bridge agents as scrape targets, the alert rules
// beside it. Targets are `host:port` as the Prometheus server reaches them (loopback for local processes).
import { stringify } from "yaml";

export interface PrometheusSettings {
  scrapeSeconds: number;
  /** The rules file, relative to the configuration file's folder. */
  rulesFile: string;
  monitor: string[];
  agents: string[];
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
