// The owner's transactions and the words of lib/permissions/onChainPolicy.ts, without a chain: which calls bring the
// permission contract from what it holds to what consortium:permissions says, in which order, encoded against the
// committed build's ABI (test/permissions/onChainPolicy.test.ts sends them to a real contract).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, Interface, InterfaceAbi } from "ethers";
import { describe, expect, it } from "vitest";
import { listedAccounts, MAX_ACCOUNTS_PER_CALL, ObservedPolicy, ownerCalls, policyDifferences, policyMatches, TX_PERMISSION_ABI } from "../../lib/permissions/onChainPolicy";
import { policyTypes, TX_PERMISSION_ADDRESS, TX_TYPES } from "../../render/permissions/txPermission";

const BUILD = new Interface((JSON.parse(readFileSync(join(__dirname, "..", "..", "contracts", "build", "TxPermission.json"), "utf8")) as { abi: InterfaceAbi }).abi);

const addr = (n: number) => getAddress("0x" + n.toString(16).padStart(40, "0"));
const [A, B, C, D, OWNER] = [addr(0xa1), addr(0xb2), addr(0xc3), addr(0xd4), addr(0xff)];
const { none: NONE, transact: TRANSACT, deploy: DEPLOY } = TX_TYPES;

const desired = (transact: "open" | string[], deploy: "open" | string[]) => ({ contract: TX_PERMISSION_ADDRESS, transact, deploy, owner: OWNER });
const observed = (openTypes: number, accounts: Record<string, number>): ObservedPolicy => ({ owner: OWNER, openTypes, accounts });
/** The calls decoded with the build's ABI: [function, ...arguments]. */
const decoded = (calls: { to: string; data: string }[]) =>
  calls.map((c) => {
    expect(c.to).toBe(TX_PERMISSION_ADDRESS);
    const tx = BUILD.parseTransaction({ data: c.data })!;
    return [tx.name, ...tx.args.toArray().map((a: unknown) => (Array.isArray(a) ? [...a] : typeof a === "bigint" ? Number(a) : a))];
  });

describe("ownerCalls", () => {
  it("encodes with the build's selectors", () => {
    for (const f of ["owner", "pendingOwner", "openTypes", "accountTypes", "setOpenTypes", "setAccountTypes", "transferOwnership", "acceptOwnership"]) {
      expect(TX_PERMISSION_ABI.getFunction(f)!.format("sighash")).toBe(BUILD.getFunction(f)!.format("sighash"));
      expect(TX_PERMISSION_ABI.getFunction(f)!.format("full")).toBe(BUILD.getFunction(f)!.format("full"));
    }
    expect(TX_PERMISSION_ABI.getEvent("AccountTypesSet")!.topicHash).toBe(BUILD.getEvent("AccountTypesSet")!.topicHash);
  });

  it("asks nothing when the chain holds the policy (addresses in any case)", () => {
    const chain = observed(NONE, { [A]: DEPLOY, [B]: TRANSACT });
    const want = desired([A.toLowerCase(), B], [A.toLowerCase()]);
    expect(ownerCalls(want, chain)).toEqual([]);
    expect(policyDifferences(want, chain)).toEqual([]);
    expect(policyMatches(want, chain)).toBe(true);
    // The genesis storage's mapping, read back: the same masks.
    const { openTypes, accounts } = policyTypes(want);
    expect(ownerCalls(want, observed(openTypes, Object.fromEntries(accounts)))).toEqual([]);
  });

  it("grants an added account and revokes a removed one, grants first", () => {
    const chain = observed(NONE, { [A]: DEPLOY, [B]: TRANSACT, [C]: TRANSACT });
    const want = desired([A, B, D], [A, D]);
    const calls = ownerCalls(want, chain);
    expect(decoded(calls)).toEqual([
      ["setAccountTypes", [D], DEPLOY],
      ["setAccountTypes", [C], NONE],
    ]);
    expect(calls.map((c) => c.what)).toEqual([`setAccountTypes([${D}], DEPLOY = 7)`, `setAccountTypes([${C}], NONE = 0)`]);
    expect(policyDifferences(want, chain)).toEqual([
      `${C} may transact on chain (accountTypes TRANSACT = 3) but permissions.transact does not list it`,
      `permissions.transact and permissions.deploy list ${D} but the contract does not (accountTypes NONE = 0)`,
    ]);
    expect(policyMatches(want, chain)).toBe(false);
  });

  it("groups accounts by mask, in address order, and moves a deployer down to transact", () => {
    const chain = observed(NONE, { [A]: DEPLOY, [B]: DEPLOY, [D]: TRANSACT });
    const want = desired([D, C, B, A], [D, C]);
    expect(decoded(ownerCalls(want, chain))).toEqual([
      ["setAccountTypes", [C, D], DEPLOY],
      ["setAccountTypes", [A, B], TRANSACT],
    ]);
    expect(policyDifferences(want, chain)).toEqual([
      `${A} may deploy on chain (accountTypes DEPLOY = 7) but permissions.deploy does not list it`,
      `${B} may deploy on chain (accountTypes DEPLOY = 7) but permissions.deploy does not list it`,
      `permissions.transact and permissions.deploy list ${C} but the contract does not (accountTypes NONE = 0)`,
      `permissions.deploy lists ${D} but the contract does not (accountTypes TRANSACT = 3)`,
    ]);
  });

  it("closes an open chain after listing its accounts, and opens one before dropping them", () => {
    const closing = ownerCalls(desired([A, B], [A]), observed(DEPLOY, {}));
    expect(decoded(closing)).toEqual([
      ["setAccountTypes", [A], DEPLOY],
      ["setAccountTypes", [B], TRANSACT],
      ["setOpenTypes", NONE],
    ]);
    const opening = ownerCalls(desired("open", "open"), observed(NONE, { [A]: DEPLOY, [B]: TRANSACT }));
    expect(decoded(opening)).toEqual([
      ["setOpenTypes", DEPLOY],
      ["setAccountTypes", [A, B], NONE],
    ]);
    expect(policyDifferences(desired("open", "open"), observed(NONE, { [A]: DEPLOY })).slice(0, 1)).toEqual([
      'the contract lets no sender transact or deploy without a grant of its own (openTypes NONE = 0) but consortium:permissions opens transact and deploy to everyone (both "open")',
    ]);
    expect(policyDifferences(desired("open", [A]), observed(TRANSACT, { [A]: DEPLOY, [B]: TRANSACT }))).toEqual([
      `${B} may transact on chain (accountTypes TRANSACT = 3) but permissions.transact is "open" (it lists no one)`,
    ]);
  });

  it(`splits a long list into calls of ${MAX_ACCOUNTS_PER_CALL} accounts`, () => {
    const many = Array.from({ length: 2 * MAX_ACCOUNTS_PER_CALL + 1 }, (_, i) => addr(0x1000 + i));
    const calls = decoded(ownerCalls(desired(many, []), observed(NONE, {})));
    expect(calls.map((c) => (c[1] as string[]).length)).toEqual([MAX_ACCOUNTS_PER_CALL, MAX_ACCOUNTS_PER_CALL, 1]);
    expect(calls.flatMap((c) => c[1] as string[])).toEqual(many);
    expect(calls.every((c) => c[0] === "setAccountTypes" && c[2] === TRANSACT)).toBe(true);
  });

  it("ignores an account set to NONE, and refuses a policy the contract cannot hold", () => {
    expect(ownerCalls(desired([A], []), observed(NONE, { [A]: TRANSACT, [B]: NONE }))).toEqual([]);
    expect(() => ownerCalls(desired([A], "open"), observed(NONE, {}))).toThrow(/consortium:permissions: deploy is "open" while transact is a list/);
    expect(() => ownerCalls(desired([A], [B]), observed(NONE, {}))).toThrow(new RegExp(`consortium:permissions: ${B} may deploy but not transact`));
    expect(policyMatches(desired([A], "open"), observed(NONE, {}))).toBe(false);
  });

  it("does not match a chain owned by another account, whatever the lists", () => {
    const want = desired([A], []);
    expect(policyMatches(want, { ...observed(NONE, { [A]: TRANSACT }), owner: B })).toBe(false);
    const other: ObservedPolicy = { ...observed(NONE, { [A]: TRANSACT }), owner: B };
    expect(ownerCalls(want, other)).toEqual([]);
  });

  it("lists a policy's accounts once each, checksummed, for genesisAccounts", () => {
    expect(listedAccounts({ transact: [B.toLowerCase(), A], deploy: [A] })).toEqual([A, B]);
    expect(listedAccounts({ transact: "open", deploy: [C] })).toEqual([C]);
    expect(listedAccounts({ transact: "open", deploy: "open" })).toEqual([]);
  });
});
