// The bridge's status from its readings (monitor/bridgeStatus.ts): the invariant, exact amounts, daily use, gas, each
// agent's state in words, the oldest transfer still owed, and the refunds with their fees.
import { describe, expect, it } from "vitest";
import { AgentHealth, BridgeReadings, bridgeStatus as statusAt } from "../../monitor/bridgeStatus";
import type { DepositFacts, WithdrawalFacts } from "../../monitor/transfers";

const T = 10n ** 9n; // 9 decimals, as RLC
const FEE_RECIPIENT = "0x" + "fe".repeat(20);
const CONTEXT = { decimals: 9, threshold: 2, validators: ["v1", "v2", "v3"], confirmationsNeeded: 2, foreignHead: 500 };
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
  unrelayed: { context: CONTEXT, deposits: 0, withdrawals: 0, oldestDeposit: null, oldestWithdrawal: null },
  refunds: { count: 0, returned: 0n, fees: 0n, pending: 0, pendingAmount: 0n, feeBps: 50, feeRecipient: FEE_RECIPIENT },
  ...over,
});
const NOW = 1_000_000;
const bridgeStatus = (r: BridgeReadings) => statusAt(r, NOW);

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

  it("no transfer owed: no oldest; the refunds' tally exact, the fees kept and where they go", () => {
    const s = bridgeStatus(readings({ refunds: { count: 2, returned: 149n * T + 1n, fees: T - 1n, pending: 1, pendingAmount: 7n * T, feeBps: 50, feeRecipient: FEE_RECIPIENT } }));
    expect(s.unrelayed).toEqual({ deposits: 0, withdrawals: 0, oldest: null });
    expect(s.refunds).toEqual({ count: 2, total: "150.0", returned: "149.000000001", fees: "0.999999999", pending: 1, pendingAmount: "7.0", feeBps: 50, feeRecipient: FEE_RECIPIENT });
  });
});

describe("the oldest transfer the validators still owe", () => {
  const deposit: DepositFacts = { id: 7n, block: 480, txHash: "0xd0", amount: 5n * T, whitelisted: true, minted: false, confirmedBy: ["v2"] };
  const withdrawal: WithdrawalFacts = { id: 3n, block: 9_000, txHash: "0xw0", amount: 2n * T, recipient: "0x" + "22".repeat(20), signedBy: ["v1"], executable: [], released: false };
  const owed = (d: number | null, w: number | null) =>
    bridgeStatus(
      readings({
        unrelayed: {
          context: CONTEXT,
          deposits: 4,
          withdrawals: 1,
          oldestDeposit: d === null ? null : { facts: deposit, timestamp: d },
          oldestWithdrawal: w === null ? null : { facts: withdrawal, timestamp: w },
        },
      }),
    ).unrelayed;

  it("the older of the oldest deposit and the oldest withdrawal, by its block's time (blocks of two chains do not compare)", () => {
    expect(owed(NOW - 90, NOW - 30)).toEqual({
      deposits: 4,
      withdrawals: 1,
      oldest: { direction: "deposit", id: "7", txHash: "0xd0", block: 480, amount: "5.0", ageSeconds: 90, stage: "validating", waitingFor: ["v1", "v3"] },
    });
    expect(owed(NOW - 30, NOW - 90).oldest).toEqual({ direction: "withdrawal", id: "3", txHash: "0xw0", block: 9_000, amount: "2.0", ageSeconds: 90, stage: "signing", waitingFor: ["v2", "v3"] });
    expect(owed(null, NOW - 5).oldest).toMatchObject({ direction: "withdrawal", ageSeconds: 5 });
  });

  it("a block stamped ahead of this machine's clock is no negative age", () => {
    expect(owed(NOW + 3, null).oldest).toMatchObject({ direction: "deposit", ageSeconds: 0 });
  });
});
