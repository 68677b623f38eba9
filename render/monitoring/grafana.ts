// A Grafana dashboard (JSON model, importable as is: Dashboards → Import) over the metrics the monitor
// (monitor/metrics.ts), the bridge agents (agent/metrics.ts) and geth nodes (their own) serve, for operators who run Grafana on the
// Prometheus configured by renderPrometheusFiles. Its data source is an import-time input (DS_PROMETHEUS).
// test/monitoring/rules.test.ts checks every query with promtool and that each names a metric we serve.

export interface PanelQuery {
  expr: string;
  legend: string;
}

export interface PanelSpec {
  title: string;
  kind: "stat" | "timeseries" | "table";
  queries: PanelQuery[];
  unit?: string;
  description: string;
}

const q = (expr: string, legend = ""): PanelQuery => ({ expr, legend });

/** The panels, top to bottom: the chain, its signers and nodes, the bridge, the agents, what fires. */
export const PANELS: PanelSpec[] = [
  { title: "Head block", kind: "stat", queries: [q("consortium_head_block")], description: "The chain's head as the monitor's RPC node reports it." },
  { title: "Head age", kind: "stat", unit: "s", queries: [q("consortium_head_age_seconds")], description: "Seconds since the head block's timestamp: grows when the chain stops sealing." },
  { title: "Signers sealing vs needed", kind: "timeseries", queries: [q("consortium_signers_live", "sealing"), q("consortium_signers_needed", "needed")], description: "The chain halts when sealing falls below needed." },
  { title: "Block time", kind: "timeseries", unit: "s", queries: [q("consortium_block_time_seconds", "block time")], description: "Mean seconds between the window's blocks." },
  { title: "Missed turns per signer", kind: "timeseries", queries: [q("consortium_signer_missed_turns", "{{signer}}")], description: "Clique: each signer's turns in the window that another signer sealed out of turn." },
  { title: "Blocks since each signer sealed", kind: "timeseries", queries: [q("consortium_signer_blocks_since_sealed", "{{signer}}")], description: "A live Clique signer seals at least once every n blocks." },
  { title: "Each node's head (geth's own metrics)", kind: "timeseries", queries: [q('chain_head_block{job="nodes"}', "{{node}}")], description: "The head each geth node reports itself (the nodes job): a node falling behind the others is not syncing." },
  { title: "Peers per RPC node", kind: "timeseries", queries: [q("consortium_node_peers", "{{node}}")], description: "Peers of each member's RPC node." },
  { title: "Bridge backing", kind: "stat", queries: [q("consortium_bridge_invariant_holds")], description: "1 while every token minted on home is backed by the foreign vault; 0 is a critical alert." },
  { title: "Minted on home vs locked on foreign", kind: "timeseries", queries: [q("consortium_bridge_minted_tokens", "minted"), q("consortium_bridge_locked_tokens", "locked")], description: "Locked exceeds minted by the deposits on their way and refundable deposits." },
  { title: "Daily limit used", kind: "timeseries", unit: "percentunit", queries: [q("consortium_bridge_daily_limit_used_ratio", "{{direction}}")], description: "Today's share of the deposit and withdrawal daily limits." },
  { title: "Validators' gas", kind: "timeseries", queries: [q("consortium_bridge_validator_balance_ether", "{{validator}} {{side}}")], description: "Native balance of each validator on each chain (home pays the confirmations)." },
  { title: "Oldest unrelayed transfer", kind: "stat", unit: "s", queries: [q("consortium_bridge_oldest_unrelayed_seconds")], description: "Age of the oldest deposit not minted or withdrawal not released (0 when none); the dashboard names the validators it waits for." },
  { title: "Agents following both chains", kind: "timeseries", queries: [q("consortium_bridge_agent_healthy", "{{validator}}"), q('up{job="bridge-agents"}', "scraped {{instance}}")], description: "1 when the agent answers and follows both chains." },
  { title: "Agents' lag", kind: "timeseries", queries: [q("bridge_agent_lag_blocks", "{{instance}} {{side}}")], description: "Blocks between each agent's cursor and its chain's safe head." },
  { title: "Agents' pending actions", kind: "timeseries", queries: [q("bridge_agent_actions_pending", "{{instance}}"), q("bridge_agent_outbox_pending", "{{instance}} {{side}} outbox")], description: "Work each agent has not finished." },
  { title: "Firing alerts", kind: "table", queries: [q('ALERTS{alertstate="firing"}')], description: "The alert rules of rules.yml that fire now." },
];

const WIDTH = 24;
const DS = { type: "prometheus", uid: "${DS_PROMETHEUS}" };

/** The dashboard's JSON model. */
export function renderGrafanaDashboard(title = "Consortium"): string {
  let y = 0;
  let x = 0;
  const panels = PANELS.map((p, i) => {
    const w = p.kind === "stat" ? 6 : p.kind === "table" ? WIDTH : 12;
    const h = p.kind === "stat" ? 4 : 8;
    if (x + w > WIDTH) (x = 0), (y += 8);
    const gridPos = { x, y, w, h };
    x += w;
    return {
      id: i + 1,
      type: p.kind,
      title: p.title,
      description: p.description,
      datasource: DS,
      gridPos,
      fieldConfig: { defaults: { ...(p.unit ? { unit: p.unit } : {}) }, overrides: [] },
      targets: p.queries.map((t, k) => ({ refId: String.fromCharCode(65 + k), datasource: DS, expr: t.expr, legendFormat: t.legend, ...(p.kind === "table" ? { instant: true, format: "table" } : {}) })),
    };
  });
  const dashboard = {
    __inputs: [{ name: "DS_PROMETHEUS", label: "Prometheus", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" }],
    title,
    uid: "consortium-deployer",
    tags: ["consortium", "bridge"],
    timezone: "utc",
    refresh: "10s",
    time: { from: "now-1h", to: "now" },
    schemaVersion: 39,
    panels,
  };
  return JSON.stringify(dashboard, null, 2) + "\n";
}
