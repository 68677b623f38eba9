// Transfers started and not ended (monitor/openTransfers.ts), from two chains read to different heights.
import { describe, expect, it } from "vitest";
import { OpenTransfers, PendingTransfer } from "../../monitor/openTransfers";

const t = (id: number): PendingTransfer => ({ id: BigInt(id), block: 100 + id, txHash: `0x${id}`, recipient: "0x" + "11".repeat(20), amount: 1n });

describe("open transfers", () => {
  it("lists those started and not ended, oldest (lowest id) first", () => {
    const o = new OpenTransfers();
    [3, 1, 2].forEach((id) => o.start(t(id)));
    o.end(2n);
    expect(o.list().map((x) => x.id)).toEqual([1n, 3n]);
  });

  it("an end read before its start closes it when the start comes, and no other", () => {
    const o = new OpenTransfers();
    o.end(5n);
    o.start(t(5));
    o.start(t(6));
    expect(o.list().map((x) => x.id)).toEqual([6n]);
  });

  it("a clone takes the tip's events without changing what was read before them", () => {
    const o = new OpenTransfers();
    o.start(t(1));
    o.end(9n);
    const tip = o.clone();
    tip.end(1n);
    tip.start(t(9));
    tip.start(t(2));
    expect(tip.list().map((x) => x.id)).toEqual([2n]);
    expect(o.list().map((x) => x.id)).toEqual([1n]);
    o.start(t(9));
    expect(o.list().map((x) => x.id)).toEqual([1n]);
  });
});
