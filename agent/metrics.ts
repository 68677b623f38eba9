// Prometheus metrics of one agent, on their own registry (served by the health server at /metrics).
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "bridge_agent_" });
  const side = ["side"] as const;
  return {
    registry,
    cursor: new Gauge({ name: "bridge_agent_cursor_block", help: "Last block scanned and committed", labelNames: side, registers: [registry] }),
    head: new Gauge({ name: "bridge_agent_head_block", help: "Chain head as the RPC node reports it", labelNames: side, registers: [registry] }),
    lag: new Gauge({ name: "bridge_agent_lag_blocks", help: "Head minus confirmations minus cursor", labelNames: side, registers: [registry] }),
    reorgs: new Counter({ name: "bridge_agent_reorg_rewinds_total", help: "Rewinds of the cursor after a reorg", labelNames: side, registers: [registry] }),
    actions: new Counter({
      name: "bridge_agent_actions_total",
      help: "Actions finished (done) or attempts that failed, by kind",
      labelNames: ["kind", "result"] as const,
      registers: [registry],
    }),
    txs: new Counter({ name: "bridge_agent_transactions_total", help: "Transactions settled, by outcome (mined, reverted, dropped)", labelNames: ["side", "status"] as const, registers: [registry] }),
    outboxPending: new Gauge({ name: "bridge_agent_outbox_pending", help: "Signed transactions not yet mined", labelNames: side, registers: [registry] }),
    actionsPending: new Gauge({ name: "bridge_agent_actions_pending", help: "Actions not yet done", registers: [registry] }),
    alerts: new Counter({
      name: "bridge_agent_alerts_total",
      help: "Safety checks that fired: an event that does not match the chain (refused), a reorg below an action already carried out",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    lastError: new Gauge({ name: "bridge_agent_last_error_timestamp_seconds", help: "Unix time of the last error", registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
