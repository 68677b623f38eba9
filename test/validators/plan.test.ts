// render/validators/plan.ts: the majority math and the proposals of a voted signer change (Clique and QBFT).
import { describe, expect, it } from "vitest";
import { planSignerChange, proposals, sameSet, staleProposals, votesNeeded } from "../../render/validators/plan";

const A = "0x000000000000000000000000000000000000000A";
const B = "0x000000000000000000000000000000000000000B";
const C = "0x000000000000000000000000000000000000000C";
const D = "0x000000000000000000000000000000000000000D";

describe("votesNeeded", () => {
  it("is a strict majority of the current signers, ⌊n/2⌋+1", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(votesNeeded)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });
});

describe("planSignerChange", () => {
  it("adding a 4th signer to 3: the 3 vote it in, 2 votes needed", () => {
    const plan = planSignerChange([A, B, C], [A, B, C, D], [A, B, C]);
    expect(plan).toMatchObject({ add: [D], remove: [], stayers: [A, B, C], voters: [A, B, C], needed: 2 });
    expect(plan.impossible).toBeUndefined();
    expect(proposals(plan)).toEqual([A, B, C].map((voter) => ({ voter, address: D, authorize: true })));
  });

  it("retiring 1 of 4: the 3 that stay vote it out, 3 votes needed; the retiring signer does not vote", () => {
    const plan = planSignerChange([A, B, C, D], [A, B, D], [A, B, C, D]);
    expect(plan).toMatchObject({ add: [], remove: [C], voters: [A, B, D], needed: 3 });
    expect(proposals(plan).map((p) => p.voter)).toEqual([A, B, D]);
    expect(proposals(plan).every((p) => p.address === C && !p.authorize)).toBe(true);
  });

  it("refuses to retire so many that the stayers cannot outvote the live set", () => {
    const plan = planSignerChange([A, B, C, D], [A, B], [A, B, C, D]);
    expect(plan.impossible).toMatch(/only 2 of the 4 live signers stay.*needs 3 votes.*at most 1 now/);
  });

  it("only this stack's signers vote here; the others' stacks cast the rest", () => {
    const plan = planSignerChange([A, B, C], [A, B, C, D], [A]);
    expect(plan.voters).toEqual([A]);
    expect(plan.needed).toBe(2);
    expect(plan.impossible).toBeUndefined();
  });

  it("an add and a removal at once pass in either order", () => {
    const plan = planSignerChange([A, B, C], [A, B, D], [A, B, C, D]);
    expect(plan).toMatchObject({ add: [D], remove: [C], voters: [A, B], needed: 2 });
    // Whichever passes first, the signers that then stay still have a majority for the other.
    expect(planSignerChange([A, B, C, D], [A, B, D], [A, B, C, D]).impossible).toBeUndefined();
    expect(planSignerChange([A, B], [A, B, D], [A, B, C, D]).impossible).toBeUndefined();
  });

  it("compares addresses without regard to case, and plans nothing when the set is reached", () => {
    const plan = planSignerChange([A.toLowerCase(), B], [A, B], [A, B]);
    expect(plan.add).toEqual([]);
    expect(plan.remove).toEqual([]);
    expect(proposals(plan)).toEqual([]);
    expect(sameSet([A.toLowerCase(), B], [B, A])).toBe(true);
    expect(sameSet([A], [A, B])).toBe(false);
  });
});

describe("staleProposals", () => {
  const pending = { [D.toLowerCase()]: false, [C.toLowerCase()]: true, [B.toLowerCase()]: true };
  it("while voting: drops proposals that contradict the desired set (out-of-band votes)", () => {
    // Desired A, B, D: dropping D and adding C contradict it; keeping B is harmless.
    expect(staleProposals(pending, [A, B, D], false)).toEqual([D.toLowerCase(), C.toLowerCase()]);
  });
  it("once the set is reached: withdraws every leftover", () => {
    expect(staleProposals(pending, [A, B, D], true)).toHaveLength(3);
  });
});
