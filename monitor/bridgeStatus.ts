// What the operators' dashboard and alerts say of the bridge (pure): the invariant (the bridged token minted on home
// never exceeds what the vault holds on foreign), today's use of the daily limits, each validator's gas on both chains
// and each agent's own health. Amounts stay exact: decimal strings from the chains' integers.
import { formatEther, formatUnits } from "ethers";

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

export function bridgeStatus(r: BridgeReadings): BridgeStatus {
  const fmt = (v: bigint) => formatUnits(v, r.decimals);
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
  };
}
