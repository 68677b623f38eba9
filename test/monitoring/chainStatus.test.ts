// The chain's status from its last blocks (monitor/chainStatus.ts): who sealed, who is missing, the fault margin.
import { describe, expect, it } from "vitest";
import { chainStatus, SealedBlock } from "../../monitor/chainStatus";

const SIGNERS = ["a", "b", "c"].map((name, i) => ({ name, address: `0x${String(i + 1).repeat(40)}` }));
/** Blocks [from, to], 1 s apart from t0, sealed in turn by the signers given for each number. */
const blocks = (from: number, to: number, signer: (n: number) => string, t0 = 1_000): SealedBlock[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ number: from + i, timestamp: t0 + from + i, signer: signer(from + i) }));
const inTurn = (n: number) => SIGNERS[n % 3].address;

describe("chain status", () => {
  it("every signer sealing in turn: none missing, equal shares, the block time, one signer to spare", () => {
    const s = chainStatus(blocks(1, 30, inTurn), SIGNERS, 1_000 + 30 + 4);
    expect(s).toMatchObject({ head: 30, headAgeSeconds: 4, blockTimeSeconds: 1, window: { from: 1, to: 30 }, liveSigners: 3, neededSigners: 2, faultMargin: 1 });
    expect(s.signers.map((x) => [x.name, x.sealed, x.missing])).toEqual([["a", 10, false], ["b", 10, false], ["c", 10, false]]);
    expect(s.signers.map((x) => x.share)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(s.signers.map((x) => x.lastSealed)).toEqual([30, 28, 29]);
  });

  it("a signer that stopped: missing once it skipped more than two rounds, and the margin is gone", () => {
    // c stops after block 11; a and b seal the rest between them (c's turns out of turn).
    const sealer = (n: number) => (n <= 11 ? inTurn(n) : SIGNERS[n % 2].address);
    const atSix = chainStatus(blocks(1, 17, sealer), SIGNERS, 1_018);
    expect(atSix.signers[2]).toMatchObject({ name: "c", lastSealed: 11, blocksSinceSealed: 6, missing: false });
    const atSeven = chainStatus(blocks(1, 18, sealer), SIGNERS, 1_019);
    expect(atSeven.signers[2]).toMatchObject({ lastSealed: 11, blocksSinceSealed: 7, missing: true });
    expect(atSeven).toMatchObject({ liveSigners: 2, faultMargin: 0 });
  });

  it("a signer that sealed nothing in the window counts the whole window, in any order of blocks; no block is an error", () => {
    const s = chainStatus(blocks(5, 20, (n) => SIGNERS[n % 2].address).reverse(), SIGNERS, 1_020);
    expect(s.signers[2]).toMatchObject({ lastSealed: null, blocksSinceSealed: 16, sealed: 0, missing: true });
    expect(s.head).toBe(20);
    expect(() => chainStatus([], SIGNERS, 0)).toThrow(/the chain has sealed no block yet/);
  });

  it("Clique: a turn sealed out of turn is missed by the signer whose turn it was (sorted addresses), other engines count none", () => {
    // c stops after block 11; a and b seal their own turns in turn and c's out of turn.
    const sealer = (n: number) => (n <= 11 || n % 3 !== 2 ? inTurn(n) : SIGNERS[n % 2].address);
    const clique = blocks(1, 30, sealer).map((b) => ({ ...b, inTurn: b.signer === inTurn(b.number) }));
    // Given in reverse address order: the turn order is the addresses', not the configuration's.
    const s = chainStatus(clique, [...SIGNERS].reverse(), 1_031);
    expect(s.signers.map((x) => [x.name, x.missedTurns])).toEqual([["c", 6], ["b", 0], ["a", 0]]);
    expect(chainStatus(blocks(1, 30, sealer), SIGNERS, 1_031).signers.map((x) => x.missedTurns)).toEqual([null, null, null]);
  });
});
