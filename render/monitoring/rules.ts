// Prometheus alert rules for the consortium's operators, from the monitor's metrics (monitor/metrics.ts) and the
// bridge agents' (agent/metrics.ts). Thresholds follow the chain's block period; each alert says what to look at.
// Checked with `promtool check rules` and unit-tested with `promtool test rules` (test/monitoring/rules.test.ts).
import { stringify } from "yaml";

export interface AlertSettings {
  /** The chain's block period (seconds). */
  blockPeriodSeconds: number;
  /** Blocks an agent may lag behind its chain's head (past its confirmations) before it is a backlog. */
  backlogBlocks: number;
}

export const ALERT_DEFAULTS = { backlogBlocks: 20 };

const seconds = (s: number) => `${Math.max(1, Math.round(s))}s`;

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string };
}

export function alertRules(s: AlertSettings): AlertRule[] {
  const period = s.blockPeriodSeconds;
  return [
    {
      alert: "SignerMissing",
      // A live Clique signer seals its in-turn block every `signers` blocks.
      expr: "consortium_signer_blocks_since_sealed > 2 * scalar(consortium_signers)",
      for: seconds(2 * period),
      labels: { severity: "warning" },
      annotations: {
        summary: "Signer {{ $labels.signer }} has not sealed for {{ $value }} blocks",
        description: "{{ $labels.signer }} ({{ $labels.address }}) sealed none of its last turns: its node is down, out of sync or not unlocked. Check the member's authority node.",
      },
    },
    {
      alert: "ChainOneSignerFromHalting",
      expr: "consortium_signers_live - consortium_signers_needed <= 0",
      for: seconds(2 * period),
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $value }} signers to spare: losing one more stops the chain",
        description: "Fewer signers seal than the chain can afford to lose one more of. Bring the missing signers back first.",
      },
    },
    {
      alert: "ChainHeadStale",
      expr: `consortium_head_age_seconds > ${10 * period}`,
      for: seconds(5 * period),
      labels: { severity: "critical" },
      annotations: {
        summary: "No new block for {{ $value }} seconds",
        description: "The chain does not seal (too few signers) or the monitor's RPC node is stuck. Compare the nodes' heads.",
      },
    },
    {
      alert: "MonitorCannotReadChain",
      expr: "consortium_monitor_rpc_up == 0",
      for: "1m",
      labels: { severity: "warning" },
      annotations: { summary: "The monitor cannot read the chain", description: "Its RPC node does not answer: every chain alert is blind meanwhile." },
    },
    {
      alert: "BridgeAgentDown",
      expr: 'up{job="bridge-agents"} == 0',
      for: "1m",
      labels: { severity: "critical" },
      annotations: { summary: "Bridge agent {{ $labels.instance }} does not answer", description: "Its validator confirms nothing: transfers wait for the others' quorum." },
    },
    {
      alert: "BridgeBacklog",
      expr: `bridge_agent_lag_blocks > ${s.backlogBlocks}`,
      for: seconds(5 * period),
      labels: { severity: "warning" },
      annotations: {
        summary: "Bridge agent {{ $labels.instance }} is {{ $value }} blocks behind on {{ $labels.side }}",
        description: "Events on that side wait to be acted on. Check the agent's RPC endpoint and its log.",
      },
    },
  ];
}

/** The rules file Prometheus loads. */
export function renderAlertRules(s: AlertSettings): string {
  return stringify({ groups: [{ name: "consortium", rules: alertRules(s) }] });
}
