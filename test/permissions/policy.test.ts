// The permission policy (settings/permissions.ts): bad policies refused with the field and the fix before anything
// runs. The gateway's verdicts (gateway/policy.ts) on real signed transactions (ethers, offline): a creation needs
// `deploy`, anything else sent needs `transact`, reads need a key when the policy says so, and nothing that signs
// with the node's accounts, administers it or votes gets through.
import { getAddress, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { ApiKeys, presentedKey } from "../../gateway/access";
import { CODES, verdict } from "../../gateway/policy";
import { isRestricted, notAdmitted, parsePermissions, PermissionsSpec, withStackAccounts } from "../../settings/permissions";

const problemsOf = (raw: unknown, onChain = false) => {
  const problems: string[] = [];
  const policy = parsePermissions(raw, (field, what, fix) => problems.push(`${field}: ${what} | ${fix}`), { onChain });
  return { policy, problems };
};

const alice = Wallet.createRandom();
const bob = Wallet.createRandom();
const carol = Wallet.createRandom();

describe("the permission policy's settings", () => {
  it("is open at every level when absent, and keeps lists as checksummed addresses", () => {
    expect(problemsOf(undefined).policy).toEqual({ read: "open", transact: "open", deploy: "open" });
    const { policy } = problemsOf({ read: "keys", transact: [alice.address.toLowerCase(), bob.address], deploy: [alice.address] });
    expect(policy).toEqual({ read: "keys", transact: [alice.address, bob.address], deploy: [alice.address] });
  });

  it.each([
    ["an unknown read policy", { read: "members" }, "permissions.read: \"members\" is not a read policy"],
    ["a transact list that is not a list", { transact: "0x12" }, 'permissions.transact: "0x12" is neither "open" nor a list'],
    ["an address that is not one", { transact: ["0x1234"] }, "permissions.transact[0]: \"0x1234\" is not a 20-byte hex address"],
    ["an address listed twice", { transact: [alice.address, alice.address.toLowerCase()] }, `permissions.transact[1]: ${alice.address} is listed twice`],
    ["deploy allowed but transact not", { transact: [bob.address], deploy: [alice.address] }, `permissions.deploy[0]: ${alice.address} may deploy but not transact | add it to permissions.transact`],
    ["deploy open while transact is a list", { transact: [bob.address], deploy: "open" }, 'permissions.deploy: is "open" while permissions.transact is a list'],
    ["an unknown setting", { admins: [] }, "permissions.admins: is not a known setting"],
    ["an empty owner", { owner: "" }, 'permissions.owner: "" is not a 20-byte hex address'],
    ["the zero address as owner", { owner: "0x" + "00".repeat(20) }, "permissions.owner: is the zero address"],
    ["not a map", ["open"], "permissions: [\"open\"] is not a map"],
  ])("refuses %s, naming the field and the fix", (_, raw, message) => {
    const { policy, problems } = problemsOf(raw);
    expect(policy).toBeUndefined();
    expect(problems.join("\n")).toContain(message);
  });

  it("needs an owner where the lists live on chain (AuRa) and something is restricted", () => {
    expect(problemsOf({ transact: [bob.address], deploy: [] }, true).problems.join()).toContain("permissions.owner: is missing: AuRa enforces");
    expect(problemsOf({ read: "keys" }, true).policy).toEqual({ read: "keys", transact: "open", deploy: "open" });
    expect(problemsOf({ transact: [bob.address], deploy: [], owner: carol.address }, true).policy).toEqual({ read: "open", transact: [bob.address], deploy: [], owner: carol.address });
  });

  it("adds the stack's own accounts to restricted lists only: a deployer may transact too", () => {
    const accounts = { transact: [carol.address], deploy: [alice.address] };
    expect(withStackAccounts({ read: "open", transact: [bob.address], deploy: [] }, accounts)).toEqual({ read: "open", transact: [bob.address, carol.address, alice.address], deploy: [alice.address] });
    expect(withStackAccounts({ read: "keys", transact: "open", deploy: [bob.address] }, accounts)).toEqual({ read: "keys", transact: "open", deploy: [bob.address, alice.address] });
    expect(notAdmitted({ read: "open", transact: [carol.address], deploy: [] }, accounts)).toEqual([alice.address]);
    expect(notAdmitted({ read: "open", transact: [carol.address, alice.address], deploy: [alice.address] }, accounts)).toEqual([]);
    expect(isRestricted({ read: "open", transact: "open", deploy: "open" })).toBe(false);
    expect(isRestricted({ read: "open", transact: "open", deploy: [] })).toBe(true);
  });
});

describe("the gateway's verdicts", () => {
  const policy: PermissionsSpec = { read: "keys", transact: [alice.address, bob.address], deploy: [alice.address] };
  const CHAIN_ID = 31_337n;
  const signed = (w: typeof alice, tx: { to?: string | null; data?: string }) =>
    w.signTransaction({ chainId: CHAIN_ID, nonce: 0, gasLimit: 100_000, maxFeePerGas: 1, maxPriorityFeePerGas: 1, type: 2, value: 0, ...tx });
  const send = async (w: typeof alice, tx: { to?: string | null; data?: string }) => verdict(policy, { method: "eth_sendRawTransaction", params: [await signed(w, tx)] }, true);
  const CREATE = { to: null, data: "0x600a600c600039600a6000f3602a60005260206000f3" };

  it("lets a listed sender call and a listed deployer create; refuses the others by name and level", async () => {
    expect(await send(bob, { to: carol.address })).toBeUndefined();
    expect(await send(alice, CREATE)).toBeUndefined();
    expect(await send(carol, { to: bob.address })).toEqual({ code: CODES.rejected, message: `${getAddress(carol.address)} may not send transactions on this consortium (permissions.transact)` });
    expect(await send(bob, CREATE)).toEqual({ code: CODES.rejected, message: `${getAddress(bob.address)} may not create contracts on this consortium (permissions.deploy)` });
    expect(verdict(policy, { method: "eth_sendRawTransaction", params: ["0xdeadbeef"] }, true)?.code).toBe(CODES.invalidParams);
    expect(verdict({ ...policy, transact: "open", deploy: "open" }, { method: "eth_sendRawTransaction", params: [await signed(carol, CREATE)] }, true)).toBeUndefined();
  });

  it("needs a key for anything when reads need one, and only then", () => {
    expect(verdict(policy, { method: "eth_blockNumber" }, false)?.code).toBe(CODES.unauthorized);
    expect(verdict(policy, { method: "eth_blockNumber" }, true)).toBeUndefined();
    expect(verdict({ ...policy, read: "open" }, { method: "eth_blockNumber" }, false)).toBeUndefined();
  });

  it.each(["eth_sendTransaction", "eth_sign", "eth_signTypedData_v4", "personal_unlockAccount", "admin_addPeer", "debug_traceTransaction", "miner_setEtherbase", "clique_propose", "txpool_content", "engine_newPayloadV3", "les_serverInfo"])(
    "refuses %s whatever the key",
    (method) => {
      expect(verdict({ read: "open", transact: "open", deploy: "open" }, { method }, true)).toMatchObject({ code: CODES.methodNotAllowed, message: expect.stringContaining(method) });
    },
  );

  it("reads a key from the Authorization header or the URL path, and matches it to its holder", () => {
    const keys = new ApiKeys({ ops: "k".repeat(32), wallet: "w".repeat(32) });
    expect(keys.holder(presentedKey(`Bearer ${"k".repeat(32)}`, "/"))).toBe("ops");
    expect(keys.holder(presentedKey(undefined, `/${"w".repeat(32)}`))).toBe("wallet");
    expect(keys.holder(presentedKey(undefined, "/"))).toBeUndefined();
    expect(keys.holder(presentedKey("Bearer nope", "/"))).toBeUndefined();
    expect(keys.holder(presentedKey(undefined, `/${"k".repeat(31)}`))).toBeUndefined();
  });
});
