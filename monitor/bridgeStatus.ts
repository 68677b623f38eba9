// What the operators' dashboard and alerts say of the bridge (pure): the invariant (the bridged token minted on home
// never exceeds what the vault holds on foreign), today's use of the daily limits, each validator's gas on both chains,
// each agent's own health, the oldest transfer the validators still owe, and the refunds with the fees they left.
// Amounts stay exact: decimal strings from the chains' integers.
import { formatEther, formatUnits } from "ethers";
import type { RefundTally } from "./transferLog";
import { Context, DepositFacts, DepositStage, depositView, WithdrawalFacts, WithdrawalStage, withdrawalView } from "./transfers";

/** What an agent's /healthz answers (agent/agent.ts `health()`), as far as the monitor reads it. */
export interface AgentHealth {
  ok: boolean;
  chains: Record<string, { reachable: boolean; moving: boolean; cursor: number | null; safeHead: number | null; lastError: string | null }>;
  actionsPending: number;
  outboxPending: number;
  alertCount: number;
}

export interface BridgeReadings {
  decimals: number;
  /** The bridged token minted on home (its total supply), read before `locked`. */
  minted: bigint;
  /** The foreign token the vault holds. */
  locked: bigint;
  deposits: { today: bigint; dailyLimit: bigint };
  withdrawals: { today: bigint; dailyLimit: bigint };
  validators: { name: string; address: string; homeWei: bigint | null; foreignWei: bigint | null }[];
  /** null: the agent's health endpoint did not answer. */
  agents: { name: string; health: AgentHealth | null }[];
  unrelayed: {
    context: Context;
    /** How many transfers each way the validators still owe. */
    deposits: number;
    withdrawals: number;
    /** The oldest of each, what the validators did of it, and its block's timestamp (Unix seconds); null: none. */
    oldestDeposit: { facts: DepositFacts; timestamp: number } | null;
    oldestWithdrawal: { facts: WithdrawalFacts; timestamp: number } | null;
  };
  /** Refunds of non-whitelisted deposits; their fee (feeBps of the deposit, as in force when made) goes to feeRecipient. */
  refunds: RefundTally & { feeBps: number; feeRecipient: string };
}

export interface DailyUse {
  today: string;
  dailyLimit: string;
  /** today / dailyLimit. */
  share: number;
}

export interface BridgeStatus {
  minted: string;
  locked: string;
  /** Locked and not minted: deposits on their way, refundable deposits, tokens sent to the vault directly. */
  unminted: string;
  /** minted ≤ locked. False means tokens exist on home that the vault does not back. */
  invariantHolds: boolean;
  deposits: DailyUse;
  withdrawals: DailyUse;
  validators: { name: string; address: string; homeBalance: string | null; foreignBalance: string | null }[];
  agents: { name: string; up: boolean; lag: Record<string, number | null>; actionsPending: number | null; alertCount: number | null; problem: string | null }[];
  unrelayed: { deposits: number; withdrawals: number; oldest: UnrelayedTransfer | null };
  refunds: RefundsStatus;
}

/** A transfer the validators still owe: a deposit not minted on home, or a withdrawal not released on foreign. */
export interface UnrelayedTransfer {
  /** deposit: foreign → home; withdrawal: home → foreign. */
  direction: "deposit" | "withdrawal";
  id: string;
  txHash: string;
  /** On foreign for a deposit, on home for a withdrawal. */
  block: number;
  amount: string;
  ageSeconds: number;
  stage: DepositStage | WithdrawalStage;
  /** Validators that have not confirmed (deposit) or signed (withdrawal) it; none once signed and waiting for its release. */
  waitingFor: string[];
}

export interface RefundsStatus {
  /** Refunded deposits: how many, their amount, what went back to their senders and the fees the bridge kept. */
  count: number;
  total: string;
  returned: string;
  fees: string;
  /** Non-whitelisted deposits not refunded yet. */
  pending: number;
  pendingAmount: string;
  feeBps: number;
  feeRecipient: string;
}

function dailyUse(d: { today: bigint; dailyLimit: bigint }, decimals: number): DailyUse {
  // Per mille first: bigint division, then a plain number.
  const share = d.dailyLimit > 0n ? Number((d.today * 1000n) / d.dailyLimit) / 1000 : 0;
  return { today: formatUnits(d.today, decimals), dailyLimit: formatUnits(d.dailyLimit, decimals), share };
}

/** Why an agent is not up, in words; null when it is. */
function agentProblem(h: AgentHealth | null): string | null {
  if (!h) return "does not answer";
  const bad = Object.entries(h.chains).filter(([, c]) => !c.reachable || !c.moving);
  if (bad.length === 0) return null;
  return bad.map(([side, c]) => `${side}: ${!c.reachable ? `unreachable${c.lastError ? ` (${c.lastError})` : ""}` : "cursor not moving"}`).join("; ");
}

/** The older of the oldest deposit and the oldest withdrawal, as of `nowSeconds`. */
function oldestUnrelayed(u: BridgeReadings["unrelayed"], nowSeconds: number): UnrelayedTransfer | null {
  const candidates = [
    u.oldestDeposit && { direction: "deposit" as const, timestamp: u.oldestDeposit.timestamp, view: depositView(u.oldestDeposit.facts, u.context) },
    u.oldestWithdrawal && { direction: "withdrawal" as const, timestamp: u.oldestWithdrawal.timestamp, view: withdrawalView(u.oldestWithdrawal.facts, u.context) },
  ].filter((c) => c !== null);
  if (candidates.length === 0) return null;
  const { direction, timestamp, view: v } = candidates.reduce((a, b) => (b.timestamp < a.timestamp ? b : a));
  return { direction, id: v.id, txHash: v.txHash, block: v.block, amount: v.amount, ageSeconds: Math.max(0, Math.round(nowSeconds - timestamp)), stage: v.stage, waitingFor: v.waitingFor };
}

/** The status from the readings, with ages as of `nowSeconds`. */
export function bridgeStatus(r: BridgeReadings, nowSeconds: number): BridgeStatus {
  const fmt = (v: bigint) => formatUnits(v, r.decimals);
  const f = r.refunds;
  return {
    minted: fmt(r.minted),
    locked: fmt(r.locked),
    unminted: fmt(r.locked >= r.minted ? r.locked - r.minted : 0n),
    invariantHolds: r.minted <= r.locked,
    deposits: dailyUse(r.deposits, r.decimals),
    withdrawals: dailyUse(r.withdrawals, r.decimals),
    validators: r.validators.map((v) => ({
      name: v.name,
      address: v.address,
      homeBalance: v.homeWei === null ? null : formatEther(v.homeWei),
      foreignBalance: v.foreignWei === null ? null : formatEther(v.foreignWei),
    })),
    agents: r.agents.map(({ name, health: h }) => {
      const problem = agentProblem(h);
      const lag = Object.fromEntries(
        Object.entries(h?.chains ?? {}).map(([side, c]) => [side, c.cursor !== null && c.safeHead !== null ? Math.max(0, c.safeHead - c.cursor) : null]),
      );
      return { name, up: problem === null, lag, actionsPending: h?.actionsPending ?? null, alertCount: h?.alertCount ?? null, problem };
    }),
    unrelayed: { deposits: r.unrelayed.deposits, withdrawals: r.unrelayed.withdrawals, oldest: oldestUnrelayed(r.unrelayed, nowSeconds) },
    refunds: {
      count: f.count,
      total: fmt(f.returned + f.fees),
      returned: fmt(f.returned),
      fees: fmt(f.fees),
      pending: f.pending,
      pendingAmount: fmt(f.pendingAmount),
      feeBps: f.feeBps,
      feeRecipient: f.feeRecipient,
    },
  };
}
