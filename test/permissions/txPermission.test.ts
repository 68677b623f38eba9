// The AuRa transaction permission contract on a real chain (geth 1.13.15 --dev): no AuRa client runs here, but the
// contract is plain EVM code, so geth answers the very calls OpenEthereum and Nethermind make. (a) The accounts
// rendered by txPermissionAccount sit in the GENESIS alloc (code and storage, no constructor), which proves the
// offline storage layout: every valid policy shape answers every kind of sender as the policy says, through the
// clients' own ABI, and the clients' verdicts (each one's rule) follow. (b) The owner changes the policy by
// transaction and the answers change at once; anyone else is refused; ownership moves in two steps.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, ContractTransactionReceipt, ContractTransactionResponse, id, Interface, InterfaceAbi, Wallet, ZeroAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { GenesisChain, startGenesisChain } from "../../testkit/genesisChain";
import { TX_PERMISSION_ADDRESS, TX_TYPES, txPermissionAccount } from "../../render/permissions/txPermission";
import type { PermissionsSpec } from "../../settings/permissions";

/** The committed build (npm run contracts): what the renderer puts in the genesis. */
const build = JSON.parse(readFileSync(join(__dirname, "..", "..", "contracts", "build", "TxPermission.json"), "utf8")) as {
  abi: InterfaceAbi;
  deployedBytecode: string;
  compiler: { evmVersion: string };
};

// What the clients call, written from their sources rather than taken from our build, so a wrong selector or return
// shape fails here: OpenEthereum 3.3.5 crates/ethcore/res/contracts/tx_acl_gas_price.json (version 3, also the shape
// of Nethermind's TransactionPermissionContractV3) and the name/version getters of tx_acl.json.
const CLIENT_ABI = new Interface([
  "function contractName() view returns (string)",
  "function contractNameHash() view returns (bytes32)",
  "function contractVersion() view returns (uint256)",
  "function allowedTxTypes(address sender, address to, uint256 value, uint256 gasPrice, bytes data) view returns (uint32, bool)",
]);

const CHAIN_ID = 31_337_045;
const ETHER = 10n ** 18n;

/** A test account: its key signs, its address is listed. */
type Account = Pick<Wallet, "address" | "privateKey">;
const owner = Wallet.createRandom();
const both = Wallet.createRandom(); // listed for transact and deploy
const transactOnly = Wallet.createRandom(); // listed for transact only
const stranger = Wallet.createRandom(); // listed nowhere
const nextOwner = Wallet.createRandom();
const SENDERS = { "listed in both": both, "transact-only": transactOnly, "listed nowhere": stranger, owner } as const;

const policy = (transact: PermissionsSpec["transact"], deploy: PermissionsSpec["deploy"]): PermissionsSpec => ({ read: "open", transact, deploy, owner: owner.address });

/** Every policy the settings accept (deploy ⊂ transact): transact open/list/empty × deploy open/list/empty. */
const POLICIES: [string, PermissionsSpec][] = [
  ["transact open, deploy open", policy("open", "open")],
  ["transact open, deploy listed", policy("open", [both.address])],
  ["transact open, deploy empty", policy("open", [])],
  ["transact listed, deploy listed", policy([both.address, transactOnly.address], [both.address])],
  ["transact listed, deploy empty", policy([both.address, transactOnly.address], [])],
  ["transact empty, deploy empty", policy([], [])],
];
/** Expects `send` to be refused with our contract's custom error `name` (and `args`): ethers decodes no error of a send. */
async function refused(send: Promise<unknown>, name: string, args?: unknown[]): Promise<void> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e as { data?: string; info?: { error?: { data?: string } } },
  );
  if (error === undefined) throw new Error(`expected a refusal with ${name}, but the transaction went through`);
  const parsed = new Interface(build.abi).parseError(error.data ?? error.info?.error?.data ?? "0x");
  expect(parsed?.name).toBe(name);
  if (args) expect(parsed?.args.toArray()).toEqual(args);
}

/** Where each policy's contract sits in the test genesis (the chain's own one, at TX_PERMISSION_ADDRESS, is part b's). */
const instanceAt = (i: number) => "0x" + (0xa000 + i).toString(16).padStart(40, "0");

/** The policy's meaning, independent of the contract: may the sender transact, may it create? */
function policyAllows(p: PermissionsSpec, sender: string): { transact: boolean; create: boolean } {
  const listed = (level: "open" | string[]) => level === "open" || level.includes(sender);
  // The owner may always transact: otherwise an owner outside the list could never send the fix.
  return { transact: listed(p.transact) || sender === p.owner, create: listed(p.deploy) };
}

/** The transaction kinds the clients tell apart, with the `allowedTxTypes` arguments each one sends. */
const KINDS = [
  { kind: "basic", type: TX_TYPES.basic, args: (sender: string) => [sender, nextOwner.address, ETHER, 10n ** 9n, "0x"] },
  { kind: "call", type: TX_TYPES.call, args: (sender: string, contract: string) => [sender, contract, 0n, 10n ** 9n, "0x12345678"] },
  { kind: "create", type: TX_TYPES.create, args: (sender: string) => [sender, ZeroAddress, 0n, 10n ** 9n, "0x6000600055"] },
] as const;

describe("the transaction permission contract in a genesis", () => {
  let chain: GenesisChain;
  const wallet = (w: Account) => new SequencedWallet(w.privateKey, chain.provider);
  const contractAt = (address: string, as?: Account) => new Contract(address, build.abi, as ? wallet(as) : chain.provider);
  const clientView = (address: string) => new Contract(address, CLIENT_ABI, chain.provider);

  beforeAll(async () => {
    const alloc: Record<string, unknown> = {};
    for (const w of [owner, both, transactOnly, stranger, nextOwner]) alloc[w.address] = { balance: "0x" + (100n * ETHER).toString(16) };
    for (const [i, [, p]] of POLICIES.entries()) alloc[instanceAt(i)] = txPermissionAccount(p)[TX_PERMISSION_ADDRESS];
    Object.assign(alloc, txPermissionAccount(policy([both.address, transactOnly.address], [both.address])));
    chain = await startGenesisChain("tx-permission", CHAIN_ID, alloc);
  });

  afterAll(async () => {
    await chain?.stop();
  });

  it("holds the committed runtime code at the reserved address, with no pending owner", async () => {
    expect(await chain.provider.getCode(TX_PERMISSION_ADDRESS)).toBe(build.deployedBytecode);
    expect(await contractAt(TX_PERMISSION_ADDRESS).pendingOwner()).toBe(ZeroAddress);
    expect(build.compiler.evmVersion).toBe("london"); // OpenEthereum 3.3.5 stops at London
  });

  it("answers the name, its hash and version 3 as the clients expect", async () => {
    const c = clientView(TX_PERMISSION_ADDRESS);
    expect(await c.contractName()).toBe("TX_PERMISSION_CONTRACT");
    expect(await c.contractNameHash()).toBe(id("TX_PERMISSION_CONTRACT"));
    expect(await c.contractVersion()).toBe(3n);
  });

  describe.each(POLICIES.map(([name, p], i) => [name, p, instanceAt(i)] as const))("%s", (_, p, address) => {
    it("stores the owner and the open levels", async () => {
      const c = contractAt(address);
      expect(await c.owner()).toBe(owner.address);
      const open = p.deploy === "open" ? TX_TYPES.deploy : p.transact === "open" ? TX_TYPES.transact : TX_TYPES.none;
      expect(await c.openTypes()).toBe(BigInt(open));
    });

    it.each(Object.entries(SENDERS))("answers a sender %s, for every kind of transaction, as the policy says", async (_, sender) => {
      const allows = policyAllows(p, sender.address);
      const expected = (allows.transact ? TX_TYPES.transact : 0) | (allows.create ? TX_TYPES.create : 0);
      for (const { kind, type, args } of KINDS) {
        const [mask, cache] = (await clientView(address).allowedTxTypes(...args(sender.address, address))) as [bigint, boolean];
        expect(Number(mask), kind).toBe(expected);
        expect(cache, kind).toBe(true);
        // Each client's rule: OpenEthereum `permissions & tx_type != 0` (tx_filter.rs line 210), Nethermind
        // `(permissions & txType) == txType` (PermissionBasedTxFilter.IsAllowed).
        const allowed = type === TX_TYPES.create ? allows.create : allows.transact;
        expect((Number(mask) & type) !== 0, `OpenEthereum, ${kind}`).toBe(allowed);
        expect((Number(mask) & type) === type, `Nethermind, ${kind}`).toBe(allowed);
      }
    });
  });

  it("refuses to render a policy the contract could not hold", () => {
    expect(() => txPermissionAccount(policy([both.address], "open"))).toThrow(/deploy is "open" while transact is a list/);
    expect(() => txPermissionAccount(policy([], "open"))).toThrow(/deploy is "open" while transact is a list/);
    expect(() => txPermissionAccount(policy([], [both.address]))).toThrow(/may deploy but not transact/);
    expect(() => txPermissionAccount({ read: "open", transact: [], deploy: [] })).toThrow(/no owner/);
  });

  describe("changed by its owner", () => {
    const types = async (sender: Account) => Number(((await clientView(TX_PERMISSION_ADDRESS).allowedTxTypes(sender.address, ZeroAddress, 0n, 0n, "0x")) as [bigint])[0]);
    const mined = async (tx: Promise<ContractTransactionResponse>) => (await (await tx).wait()) as ContractTransactionReceipt;
    /** The contract's events in a receipt, as [name, ...arguments]. */
    const eventsOf = (receipt: ContractTransactionReceipt) =>
      receipt.logs.map((log) => contractAt(TX_PERMISSION_ADDRESS).interface.parseLog(log)).map((e) => [e?.name, ...(e?.args.toArray() ?? [])]);

    it("refuses anyone else, and types that break deploy ⊂ transact or grant private transactions", async () => {
      const asStranger = contractAt(TX_PERMISSION_ADDRESS, stranger);
      await refused(asStranger.setAccountTypes([stranger.address], TX_TYPES.deploy), "OwnableUnauthorizedAccount", [stranger.address]);
      await refused(asStranger.setOpenTypes(TX_TYPES.deploy), "OwnableUnauthorizedAccount");
      const asOwner = contractAt(TX_PERMISSION_ADDRESS, owner);
      await refused(asOwner.setAccountTypes([transactOnly.address], TX_TYPES.create), "InvalidTypes", [BigInt(TX_TYPES.create)]);
      await refused(asOwner.setOpenTypes(0x08), "InvalidTypes", [8n]);
      await refused(asOwner.setAccountTypes([both.address], 0x0f), "InvalidTypes", [15n]);
      await refused(asOwner.renounceOwnership(), "RenounceRefused");
      expect(await types(stranger)).toBe(TX_TYPES.none);
    });

    it("grants, revokes and opens, with events, and the answers follow", async () => {
      const c = contractAt(TX_PERMISSION_ADDRESS, owner);
      expect(eventsOf(await mined(c.setAccountTypes([stranger.address], TX_TYPES.deploy)))).toEqual([["AccountTypesSet", stranger.address, BigInt(TX_TYPES.deploy)]]);
      expect(await types(stranger)).toBe(TX_TYPES.deploy);

      const revoked = await mined(c.setAccountTypes([both.address, transactOnly.address], TX_TYPES.none));
      expect(eventsOf(revoked)).toEqual([
        ["AccountTypesSet", both.address, 0n],
        ["AccountTypesSet", transactOnly.address, 0n],
      ]);
      expect(await types(both)).toBe(TX_TYPES.none);
      expect(await types(transactOnly)).toBe(TX_TYPES.none);

      expect(eventsOf(await mined(c.setOpenTypes(TX_TYPES.transact)))).toEqual([["OpenTypesSet", BigInt(TX_TYPES.transact)]]);
      expect(await types(transactOnly)).toBe(TX_TYPES.transact);
      expect(await types(stranger)).toBe(TX_TYPES.deploy);
      await mined(c.setOpenTypes(TX_TYPES.none));
      expect(await types(transactOnly)).toBe(TX_TYPES.none);
    });

    it("hands over in two steps: the old owner loses the policy and its own right to transact", async () => {
      await mined(contractAt(TX_PERMISSION_ADDRESS, owner).transferOwnership(nextOwner.address));
      const c = contractAt(TX_PERMISSION_ADDRESS);
      expect(await c.owner()).toBe(owner.address);
      expect(await c.pendingOwner()).toBe(nextOwner.address);
      await refused(contractAt(TX_PERMISSION_ADDRESS, stranger).acceptOwnership(), "OwnableUnauthorizedAccount");

      await mined(contractAt(TX_PERMISSION_ADDRESS, nextOwner).acceptOwnership());
      expect(await c.owner()).toBe(nextOwner.address);
      expect(await types(owner)).toBe(TX_TYPES.none);
      expect(await types(nextOwner)).toBe(TX_TYPES.transact);
      await refused(contractAt(TX_PERMISSION_ADDRESS, owner).setOpenTypes(TX_TYPES.transact), "OwnableUnauthorizedAccount");
      await mined(contractAt(TX_PERMISSION_ADDRESS, nextOwner).setOpenTypes(TX_TYPES.transact));
      expect(await types(owner)).toBe(TX_TYPES.transact);
    });
  });
});
