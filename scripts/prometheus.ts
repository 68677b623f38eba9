// `npm run prometheus -- [-s <stack>] --out <dir>`: the stack's Prometheus configuration and alert rules, scraping its
// monitor, its bridge agents and its chain nodes' own metrics (job `nodes`, label `node`) where this machine reaches
// them — the nodes of a container target where a Prometheus beside them does (the stack's `nodes` output) — and a
// Grafana dashboard over them. Load them into a Prometheus server (or check them with
// `promtool check config <dir>/prometheus.yml`); import the dashboard in Grafana.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stackArg } from "../lib/cli/args";
import { DEV_STACK } from "../lib/cli/env";
import { readStackOutputs } from "../lib/cli/outputsCache";
import { renderGrafanaDashboard } from "../render/monitoring/grafana";
import { DEFAULT_SCRAPE_SECONDS, MonitoringOutput, NodeMetrics, renderPrometheusFiles } from "../render/monitoring/prometheus";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const name = stackArg(argv) ?? DEV_STACK;
  const at = argv.indexOf("--out");
  const out = at >= 0 ? argv[at + 1] : undefined;
  if (!out) throw new Error("--out <dir> is required (a new or empty directory)");
  const outputs = await readStackOutputs(name, { secrets: false });
  const monitoring = outputs.monitoring?.value as MonitoringOutput | undefined;
  if (!monitoring) throw new Error(`stack ${name} runs no monitor: set consortium:monitoring to {} in its configuration and run up`);
  const agents = Object.values(((outputs.bridge?.value as { agents?: Record<string, string> } | undefined)?.agents) ?? {});
  // Stacks brought up before the nodes served metrics have none until their next `up`.
  const nodes = ((outputs.nodes?.value as Partial<NodeMetrics>[] | undefined) ?? []).filter((n): n is NodeMetrics => n.metricsUrl !== undefined);
  await mkdir(out, { recursive: true });
  if ((await readdir(out)).length > 0) throw new Error(`${out} is not empty: give a new or empty directory`);
  const files = { ...renderPrometheusFiles(monitoring, agents, DEFAULT_SCRAPE_SECONDS, nodes), "grafana-dashboard.json": renderGrafanaDashboard(`Consortium ${name}`) };
  for (const [file, content] of Object.entries(files)) await writeFile(join(out, file), content);
  console.log(`[prometheus] ${Object.keys(files).join(" and ")} for stack ${name} written to ${out}: the monitor${agents.length ? `, ${agents.length} bridge agents` : ""} and ${nodes.length} chain nodes as targets.`);
}

main().catch((err: Error) => {
  console.error(`[prometheus] ${err.message}`);
  process.exit(1);
});
