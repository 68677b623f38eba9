// The bridge's status from its readings (monitor/bridgeStatus.ts): the invariant, exact amounts, daily use, gas, and
// each agent's state in words.
import { describe, expect, it } from "vitest";
import { AgentHealth, BridgeReadings, bridgeStatus } from "../../monitor/bridgeStatus";

const T = 10n ** 9n; // 9 decimals, as RLC
const following: AgentHealth["chains"][string] = { reachable: true, moving: true, cursor: 90, safeHead: 100, lastError: null };
const health = (chains: AgentHealth["chains"]): AgentHealth => ({ ok: true, chains, actionsPending: 2, outboxPending: 0, alertCount: 1 });
const readings = (over: Partial<BridgeReadings> = {}): BridgeReadings => ({
  decimals: 9,
  minted: 70n * T,
  locked: 100n * T + 1n,
  deposits: { today: 250n * T, dailyLimit: 1000n * T },
  withdrawals: { today: 0n, dailyLimit: 1000n * T },
  validators: [{ name: "v1", address: "0x" + "11".repeat(20), homeWei: 10n ** 17n, foreignWei: null }],
  agents: [
    { name: "v1", health: health({ home: following, foreign: following }) },
    { name: "v2", health: health({ home: following, foreign: { ...following, reachable: false, lastError: "connection refused" } }) },
    { name: "v3", health: health({ home: { ...following, moving: false }, foreign: following }) },
    { name: "v4", health: null },
  ],
  ...over,
});

describe("bridge status", () => {
  it("holds while minted ≤ locked; amounts exact to the last unit", () => {
    const s = bridgeStatus(readings());
    expect(s).toMatchObject({ minted: "70.0", locked: "100.000000001", unminted: "30.000000001", invariantHolds: true });
    expect(bridgeStatus(readings({ minted: 100n * T + 1n })).invariantHolds).toBe(true);
  });

  it("is broken by a single unit minted beyond what the vault holds", () => {
    const s = bridgeStatus(readings({ minted: 100n * T + 2n }));
    expect(s).toMatchObject({ invariantHolds: false, unminted: "0.0" });
  });

  it("daily use as a share of the limit; a zero limit is no use", () => {
    const s = bridgeStatus(readings());
    expect(s.deposits).toEqual({ today: "250.0", dailyLimit: "1000.0", share: 0.25 });
    expect(s.withdrawals.share).toBe(0);
    expect(bridgeStatus(readings({ withdrawals: { today: 0n, dailyLimit: 0n } })).withdrawals.share).toBe(0);
  });

  it("gas in ether, null where the chain did not answer", () => {
    expect(bridgeStatus(readings()).validators).toEqual([{ name: "v1", address: "0x" + "11".repeat(20), homeBalance: "0.1", foreignBalance: null }]);
  });

  it("each agent up or not, with why in words and its lag per chain", () => {
    const [v1, v2, v3, v4] = bridgeStatus(readings()).agents;
    expect(v1).toEqual({ name: "v1", up: true, lag: { home: 10, foreign: 10 }, actionsPending: 2, alertCount: 1, problem: null });
    expect(v2).toMatchObject({ up: false, problem: "foreign: unreachable (connection refused)" });
    expect(v3).toMatchObject({ up: false, problem: "home: cursor not moving" });
    expect(v4).toEqual({ name: "v4", up: false, lag: {}, actionsPending: null, alertCount: null, problem: "does not answer" });
  });
});
