// PoCo's status from its readings (monitor/pocoStatus.ts): categories numbered as the hub numbers them, pools by
// address, and what keeps PoCo from taking work, in words.
import { getAddress, ZeroAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { HubReadings, PocoReadings, pocoStatus } from "../../monitor/pocoStatus";

const HUB = "0x" + "ab".repeat(20);
const REGISTRY = getAddress("0x" + "cd".repeat(20));
const OWNER = getAddress("0x" + "ef".repeat(20));
const POOL = "0x00000000000000000000000000000000000000a1";
const hub = (over: Partial<HubReadings> = {}): HubReadings => ({
  owner: OWNER.toLowerCase(),
  token: REGISTRY,
  configured: true,
  categories: [
    { name: "XS", description: "{}", workClockTimeRef: 300 },
    { name: "S", description: "{}", workClockTimeRef: 1200 },
  ],
  workerpoolRegistry: REGISTRY,
  ...over,
});
const readings = (over: Partial<PocoReadings> = {}): PocoReadings => ({
  hub: HUB,
  read: hub(),
  workerpools: { count: 1n, listed: [{ id: BigInt(POOL), owner: OWNER.toLowerCase(), description: "pool one" }] },
  ...over,
});

describe("PoCo status", () => {
  it("a working hub: addresses checksummed, its categories by index, its pools by address, no problem", () => {
    const s = pocoStatus(readings());
    expect(s).toMatchObject({ hub: "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB", owner: OWNER, token: REGISTRY, configured: true, workerpoolRegistry: REGISTRY, problems: [] });
    expect(s.categories).toEqual([
      { id: 0, name: "XS", description: "{}", workClockTimeRef: 300 },
      { id: 1, name: "S", description: "{}", workClockTimeRef: 1200 },
    ]);
    expect(s.workerpools).toEqual({ count: 1, listed: [{ address: "0x00000000000000000000000000000000000000A1", owner: OWNER, description: "pool one" }] });
  });

  it("says why it cannot take work: no code, not configured, no category, no registry, no pool", () => {
    expect(pocoStatus(readings({ read: null, workerpools: null }))).toMatchObject({
      owner: null,
      configured: false,
      categories: [],
      workerpoolRegistry: null,
      problems: ["no contract at the hub's address", "no category: no deal can be made", "no worker pool registry"],
    });
    expect(pocoStatus(readings({ read: hub({ configured: false }), workerpools: { count: 0n, listed: [] } })).problems).toEqual(["the hub is not configured", "no worker pool registered"]);
    // A facet not cut in reads as null; the zero address is no registry.
    expect(pocoStatus(readings({ read: hub({ token: null, workerpoolRegistry: ZeroAddress }), workerpools: null })).workerpoolRegistry).toBeNull();
  });
});
