// Executor policy for permissionless foreign actions: the designated validator (id mod n in the sorted set) acts at
// once, the others after the grace delay.
import { describe, expect, it } from "vitest";
import { designatedExecutor, mayActAt } from "../../agent/policy";
import { sortAddresses } from "../../lib/bridge/signatures";

const v1 = "0x00000000000000000000000000000000000000Aa";
const v2 = "0x0000000000000000000000000000000000000B00";
const v3 = "0xFf00000000000000000000000000000000000000";

describe("executor policy", () => {
  it("sorts addresses numerically, whatever their case", () => {
    expect(sortAddresses([v3, v2, v1])).toEqual([v1, v2, v3]);
  });

  it("designates index id mod n and delays the others by fallbackDelayMs", () => {
    expect([0n, 1n, 2n, 3n].map((id) => designatedExecutor(id, [v3, v1, v2]))).toEqual([v1, v2, v3, v1]);
    expect(mayActAt(4n, [v1, v2, v3], v2.toLowerCase(), 1000, 500)).toBe(1000);
    expect(mayActAt(4n, [v1, v2, v3], v1, 1000, 500)).toBe(1500);
    expect(mayActAt(4n, [], v1, 1000, 500)).toBe(1500);
  });
});
