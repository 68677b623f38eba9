// Prometheus alert rules for the consortium's operators, from the monitor's metrics (monitor/metrics.ts) and the
// bridge agents' (agent/metrics.ts). Thresholds follow the chain's block period; each alert says what to look at.
// Checked with `promtool check rules` and unit-tested with `promtool test rules` (test/monitoring/rules.test.ts).
import { stringify } from "yaml";

export interface AlertSettings {
  /** The chain's block period (seconds). */
  blockPeriodSeconds: number;
  /** Blocks an agent may lag behind its chain's head (past its confirmations) before it is a backlog. */
  backlogBlocks: number;
  /** A validator with less native currency than this on home (ether units, e.g. "0.05") cannot confirm for long. */
  minValidatorGasEther: string;
}

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
    {
      alert: "BridgeInvariantBroken",
      expr: "consortium_bridge_invariant_holds == 0",
      for: seconds(period),
      labels: { severity: "critical" },
      annotations: {
        summary: "More bridged tokens are minted on home than the foreign vault holds",
        description:
          "Tokens exist on home that nothing backs: a mint without a deposit, or a foreign reorg that undid a deposit after it was minted. Pause the bridge (PAUSER_ROLE) and compare the agents' alerts.",
      },
    },
    {
      alert: "BridgeValidatorLowOnGas",
      expr: `consortium_bridge_validator_balance_ether{side="home"} < ${s.minValidatorGasEther}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Validator {{ $labels.validator }} has {{ $value }} left for gas on home",
        description: "Below the stack's monitoring.minValidatorGasEther: its confirmations stop when it runs out. Send it native currency ({{ $labels.address }}).",
      },
    },
    {
      alert: "BridgeAgentNotFollowing",
      expr: "consortium_bridge_agent_healthy == 0",
      for: "2m",
      labels: { severity: "warning" },
      annotations: {
        summary: "The agent of validator {{ $labels.validator }} does not follow both chains",
        description: "It answers, but a chain is unreachable or its cursor does not move (the dashboard says which). Check its RPC endpoints.",
      },
    },
    {
      alert: "MonitorCannotReadBridge",
      expr: "consortium_bridge_read_up == 0",
      for: "1m",
      labels: { severity: "warning" },
      annotations: { summary: "The monitor cannot read the bridge", description: "The foreign RPC endpoint or the home node does not answer its reads: the invariant and gas alerts are blind meanwhile." },
    },
  ];
}

/** The rules file Prometheus loads. */
export function renderAlertRules(s: AlertSettings): string {
  return stringify({ groups: [{ name: "consortium", rules: alertRules(s) }] });
}
