// The rendered Prometheus configuration and alert rules, checked and unit-tested by Debian's promtool: each alert fires
// on the series that should fire it, at the time it should, with its labels and words — and stays quiet otherwise.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { renderPrometheusConfig } from "../../render/monitoring/prometheus";
import { createMetrics } from "../../agent/metrics";
import { createMonitorMetrics } from "../../monitor/metrics";
import { PANELS, renderGrafanaDashboard } from "../../render/monitoring/grafana";
import { alertRules, renderAlertRules } from "../../render/monitoring/rules";
import { ensurePrometheus, promtool } from "../../testkit/prometheus";

const SETTINGS = { blockPeriodSeconds: 1, backlogBlocks: 20, minValidatorGasEther: "0.05" };
const MONITOR = { job: "consortium-monitor", instance: "127.0.0.1:9650" };
const AGENT = { job: "bridge-agents", instance: "127.0.0.1:9661" };
/** Chain nodes as the stack's `nodes` output gives them (geth: metrics at /debug/metrics/prometheus). */
const NODES = [
  { name: "alpha", metricsUrl: "http://127.0.0.1:9670/debug/metrics/prometheus" },
  { name: "rpc-a", metricsUrl: "http://127.0.0.1:9673/debug/metrics/prometheus" },
];
let dir: string;

/** An alert's expected annotations: its templates with the labels and value filled in, as Prometheus does. */
function annotations(alert: string, labels: Record<string, string>, value: number): Record<string, string> {
  const rule = alertRules(SETTINGS).find((r) => r.alert === alert)!;
  const fill = (t: string) => t.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, k) => labels[k]).replace(/\{\{ \$value \}\}/g, String(value));
  return { summary: fill(rule.annotations.summary), description: fill(rule.annotations.description) };
}

const series = (name: string, labels: Record<string, string>, values: string) => ({
  series: `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(",")}}`,
  values,
});

beforeAll(async () => {
  await ensurePrometheus();
  dir = await mkdtemp(join(tmpdir(), "rules-test-"));
  await writeFile(join(dir, "rules.yml"), renderAlertRules(SETTINGS));
  await writeFile(join(dir, "prometheus.yml"), renderPrometheusConfig({ scrapeSeconds: 5, rulesFile: "rules.yml", monitor: [MONITOR.instance], agents: [AGENT.instance], nodes: NODES }));
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("Prometheus configuration and alert rules (promtool)", () => {
  it("pass `promtool check config` (which checks the rules it loads) and `check rules`", async () => {
    expect(await promtool(["check", "config", "prometheus.yml"], dir)).toMatch(/SUCCESS: 10 rules found/);
    expect(await promtool(["check", "rules", "rules.yml"], dir)).toMatch(/SUCCESS: 10 rules found/);
  });

  it("scrape the chain nodes in one `nodes` job, on their client's path, each target labelled with its node", () => {
    const config = parse(renderPrometheusConfig({ scrapeSeconds: 5, rulesFile: "rules.yml", monitor: [MONITOR.instance], agents: [], nodes: NODES }));
    expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(["consortium-monitor", "nodes"]);
    expect(config.scrape_configs[1]).toEqual({
      job_name: "nodes",
      metrics_path: "/debug/metrics/prometheus",
      static_configs: [
        { targets: ["127.0.0.1:9670"], labels: { node: "alpha" } },
        { targets: ["127.0.0.1:9673"], labels: { node: "rpc-a" } },
      ],
    });
    // No nodes (a stack brought up before they served metrics): no job. Two paths in one fleet: refused, not half-scraped.
    expect(parse(renderPrometheusConfig({ scrapeSeconds: 5, rulesFile: "rules.yml", monitor: [MONITOR.instance], agents: [] })).scrape_configs).toHaveLength(1);
    const mixed = [NODES[0], { name: "besu", metricsUrl: "http://127.0.0.1:9674/metrics" }];
    expect(() => renderPrometheusConfig({ scrapeSeconds: 5, rulesFile: "rules.yml", monitor: [], agents: [], nodes: mixed })).toThrow(/2 paths/);
  });

  it("fire when they should and only then (`promtool test rules`)", async () => {
    const c = { ...MONITOR, signer: "c", address: "0x" + "33".repeat(20) };
    const a = { ...MONITOR, signer: "a", address: "0x" + "11".repeat(20) };
    const lowGas = { ...MONITOR, validator: "v1", address: "0x" + "11".repeat(20), side: "home" };
    const tests = {
      rule_files: ["rules.yml"],
      evaluation_interval: "1s",
      tests: [
        {
          // Signer c stops at t=0: its blocks since sealed grow by one a second (1 s blocks); a seals on. 3 signers, 2 live.
          interval: "1s",
          input_series: [
            series("consortium_signers", MONITOR, "3x30"),
            series("consortium_signers_live", MONITOR, "3x6 2x24"),
            series("consortium_signers_needed", MONITOR, "2x30"),
            series("consortium_signer_blocks_since_sealed", c, "0+1x30"),
            series("consortium_signer_blocks_since_sealed", a, "0 1 2 0 1 2 0 1 2 0 1 2 0"),
            series("consortium_head_age_seconds", MONITOR, "0x10 1+1x20"),
            series("consortium_monitor_rpc_up", MONITOR, "1x30"),
            series("up", AGENT, "1x5 0x100"),
            series("bridge_agent_lag_blocks", { ...AGENT, side: "home" }, "0x30"),
            // The invariant breaks at t=10 s; validator v1 is low on home gas (0.04 < 0.05) from the start, not on
            // foreign (where it pays no gas); v1's agent stops following a chain at t=10 s; the bridge reads fine.
            series("consortium_bridge_invariant_holds", MONITOR, "1x9 0x300"),
            series("consortium_bridge_validator_balance_ether", lowGas, "0.04x400"),
            series("consortium_bridge_validator_balance_ether", { ...lowGas, side: "foreign" }, "0.01x400"),
            series("consortium_bridge_validator_balance_ether", { ...lowGas, validator: "v2", address: "0x" + "22".repeat(20) }, "3x400"),
            series("consortium_bridge_agent_healthy", { ...MONITOR, validator: "v1" }, "1x9 0x300"),
            series("consortium_bridge_agent_healthy", { ...MONITOR, validator: "v2" }, "1x300"),
            series("consortium_bridge_read_up", MONITOR, "1x300"),
          ],
          alert_rule_test: [
            // More than 2 × 3 blocks from t=7 s; firing after 2 s more.
            { eval_time: "8s", alertname: "SignerMissing", exp_alerts: [] },
            { eval_time: "10s", alertname: "SignerMissing", exp_alerts: [{ exp_labels: { ...c, severity: "warning" }, exp_annotations: annotations("SignerMissing", c, 10) }] },
            // Live - needed ≤ 0 from t=7 s, firing 2 s later.
            { eval_time: "5s", alertname: "ChainOneSignerFromHalting", exp_alerts: [] },
            { eval_time: "10s", alertname: "ChainOneSignerFromHalting", exp_alerts: [{ exp_labels: { ...MONITOR, severity: "critical" }, exp_annotations: annotations("ChainOneSignerFromHalting", MONITOR, 0) }] },
            // Head age above 10 s from t=21 s (age 11), firing 5 s later at age 16.
            { eval_time: "24s", alertname: "ChainHeadStale", exp_alerts: [] },
            { eval_time: "26s", alertname: "ChainHeadStale", exp_alerts: [{ exp_labels: { ...MONITOR, severity: "critical" }, exp_annotations: annotations("ChainHeadStale", MONITOR, 16) }] },
            { eval_time: "30s", alertname: "MonitorCannotReadChain", exp_alerts: [] },
            { eval_time: "30s", alertname: "BridgeBacklog", exp_alerts: [] },
            // The agent stops answering at t=6 s: firing after a minute.
            { eval_time: "50s", alertname: "BridgeAgentDown", exp_alerts: [] },
            { eval_time: "70s", alertname: "BridgeAgentDown", exp_alerts: [{ exp_labels: { ...AGENT, severity: "critical" }, exp_annotations: annotations("BridgeAgentDown", AGENT, 0) }] },
            { eval_time: "9s", alertname: "BridgeInvariantBroken", exp_alerts: [] },
            { eval_time: "12s", alertname: "BridgeInvariantBroken", exp_alerts: [{ exp_labels: { ...MONITOR, severity: "critical" }, exp_annotations: annotations("BridgeInvariantBroken", MONITOR, 0) }] },
            // Low for five minutes before it fires; only v1, only on home.
            { eval_time: "290s", alertname: "BridgeValidatorLowOnGas", exp_alerts: [] },
            { eval_time: "310s", alertname: "BridgeValidatorLowOnGas", exp_alerts: [{ exp_labels: { ...lowGas, severity: "warning" }, exp_annotations: annotations("BridgeValidatorLowOnGas", lowGas, 0.04) }] },
            { eval_time: "120s", alertname: "BridgeAgentNotFollowing", exp_alerts: [] },
            { eval_time: "140s", alertname: "BridgeAgentNotFollowing", exp_alerts: [{ exp_labels: { ...MONITOR, validator: "v1", severity: "warning" }, exp_annotations: annotations("BridgeAgentNotFollowing", { validator: "v1" }, 0) }] },
            { eval_time: "200s", alertname: "MonitorCannotReadBridge", exp_alerts: [] },
          ],
        },
      ],
    };
    await writeFile(join(dir, "tests.yml"), stringify(tests));
    expect(await promtool(["test", "rules", "tests.yml"], dir)).toMatch(/SUCCESS/);
  });

  it("the Grafana dashboard: every query is valid PromQL (promtool) and reads a metric the monitor or the agents serve", async () => {
    const queries = PANELS.flatMap((p) => p.queries.map((t) => t.expr));
    const asRecordingRules = { groups: [{ name: "grafana", rules: queries.map((expr, i) => ({ record: `grafana:query_${i}`, expr })) }] };
    await writeFile(join(dir, "grafana-queries.yml"), stringify(asRecordingRules));
    expect(await promtool(["check", "rules", "grafana-queries.yml"], dir)).toMatch(new RegExp(`SUCCESS: ${queries.length} rules found`));
    const served = new Set([
      ...(await createMonitorMetrics().registry.getMetricsAsJSON()).map((m) => m.name),
      ...(await createMetrics().registry.getMetricsAsJSON()).map((m) => m.name),
      "chain_head_block", // geth's own, per node (the nodes job: live.test.ts reads it from real nodes)
      "up", // Prometheus's own, per scrape target
      "ALERTS", // Prometheus's own, per alert
    ]);
    for (const expr of queries) expect(served, expr).toContain(/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr)![0]);
    const model = JSON.parse(renderGrafanaDashboard());
    expect(model.panels.map((p: { id: number }) => p.id)).toEqual(PANELS.map((_, i) => i + 1));
    expect(model.__inputs[0]).toMatchObject({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" });
    expect(model.panels.every((p: { datasource: { uid: string } }) => p.datasource.uid === "${DS_PROMETHEUS}")).toBe(true);
  });

  it("promtool fails a rule test whose expectation is wrong (the tests above can fail)", async () => {
    const wrong = {
      rule_files: ["rules.yml"],
      evaluation_interval: "1s",
      tests: [{ interval: "1s", input_series: [series("up", AGENT, "0x100")], alert_rule_test: [{ eval_time: "70s", alertname: "BridgeAgentDown", exp_alerts: [] }] }],
    };
    await writeFile(join(dir, "wrong.yml"), stringify(wrong));
    await expect(promtool(["test", "rules", "wrong.yml"], dir)).rejects.toThrow(/FAILED/);
  });
});
