// The AuRa permission policy after the genesis (lib/permissions/onChainPolicy.ts and its dynamic provider), on a real
// chain: geth 1.13.15 --dev started from a genesis that holds the transaction permission contract as
// render/permissions/txPermission.ts places it, owned by a test wallet. geth does not enforce the contract (no AuRa
// client runs here), but it runs it as any contract, which is all the policy check needs. What is proven: `pulumi up`
// sends nothing — a changed policy stops with the owner's transactions, and the owner sending exactly those (taken from
// the message, not decoded) makes the next `up` pass; a change the owner made by hand (an account found only from the
// contract's events, an opened level) shows on refresh and is refused; an owner other than the settings' is its own
// error, with the two-step hand-over; the RPC URL never appears in a message.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Contract, InterfaceAbi, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onChainPolicyProvider } from "../../components/permissions/onChainPolicyProvider";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { GenesisChain, startGenesisChain } from "../../testkit/genesisChain";
import { applyOnChainPolicy, listedAccounts, observeOnChainPolicy, OnChainPolicyInputs, OnChainPolicyState, ownerCalls } from "../../lib/permissions/onChainPolicy";
import { TX_PERMISSION_ADDRESS, TX_TYPES, txPermissionAccount } from "../../render/permissions/txPermission";

const ABI = (JSON.parse(readFileSync(join(__dirname, "..", "..", "contracts", "build", "TxPermission.json"), "utf8")) as { abi: InterfaceAbi }).abi;
const CHAIN_ID = 31_337_046;
const ETHER = 10n ** 18n;
const { none: NONE, transact: TRANSACT, deploy: DEPLOY } = TX_TYPES;

/** A test account: its key signs. */
type Account = Pick<Wallet, "address" | "privateKey">;
const owner = Wallet.createRandom();
const nextOwner = Wallet.createRandom();
const [a, b, c, d, stranger] = Array.from({ length: 5 }, () => Wallet.createRandom().address);
/** The genesis policy: a deploys, b and c transact, nothing is open. */
const GENESIS = { transact: [a, b, c], deploy: [a] };

/** The message of the error `p` rejects with (fails when it resolves). */
async function failure(p: Promise<unknown>): Promise<string> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
  if (outcome === undefined) throw new Error("expected a refusal, but it passed");
  return outcome;
}

/**
 * The transactions a message asks for, read as an operator would: each hex line is data, sent to the address of the
 * last "to 0x…" before it. Nothing is decoded.
 */
function transactionsIn(message: string): { to: string; data: string }[] {
  const out: { to: string; data: string }[] = [];
  let to: string | undefined;
  for (const line of message.split("\n")) {
    const target = /to (0x[0-9a-fA-F]{40})[,:]/.exec(line);
    if (target) to = target[1];
    const data = /^\s+(0x[0-9a-f]+)$/.exec(line);
    if (data) out.push({ to: to!, data: data[1]! });
  }
  return out;
}

describe("the permission policy on chain, after the genesis", () => {
  let chain: GenesisChain;
  const inputs = (policy: { transact: "open" | string[]; deploy: "open" | string[] }, o = owner.address): OnChainPolicyInputs => ({
    rpcUrl: chain.rpcUrl,
    contract: TX_PERMISSION_ADDRESS,
    ...policy,
    owner: o,
  });
  /** `from` sends each transaction as given, in order, each mined before the next. */
  const send = async (from: Account, txs: { to: string; data: string }[]) => {
    const signer = new SequencedWallet(from.privateKey, chain.provider);
    for (const tx of txs) expect((await (await signer.sendTransaction({ to: tx.to, data: tx.data })).wait())?.status).toBe(1);
  };
  const byHand = (from: Account) => new Contract(TX_PERMISSION_ADDRESS, ABI, new SequencedWallet(from.privateKey, chain.provider));

  beforeAll(async () => {
    const alloc: Record<string, unknown> = {};
    for (const w of [owner, nextOwner]) alloc[w.address] = { balance: "0x" + (100n * ETHER).toString(16) };
    Object.assign(alloc, txPermissionAccount({ read: "open", ...GENESIS, owner: owner.address }));
    chain = await startGenesisChain("on-chain-policy", CHAIN_ID, alloc);
  });

  afterAll(async () => {
    await chain?.stop();
  });

  /** The provider's state after the last passing `up` (create or update). */
  let state: OnChainPolicyState;

  it("(a) passes when the chain holds the settings' policy from the genesis, with no event to find its accounts by", async () => {
    const created = await onChainPolicyProvider.create(inputs(GENESIS));
    expect(created.id).toBe(TX_PERMISSION_ADDRESS);
    state = created.outs as OnChainPolicyState;
    expect(state).toEqual({ ...inputs(GENESIS), observed: { owner: owner.address, openTypes: NONE, accounts: { [a]: DEPLOY, [b]: TRANSACT, [c]: TRANSACT } } });
    expect(await applyOnChainPolicy(inputs(GENESIS))).toEqual(state);
    expect(await onChainPolicyProvider.diff!(TX_PERMISSION_ADDRESS, state, inputs(GENESIS))).toMatchObject({ changes: false });
    expect((await onChainPolicyProvider.read!(TX_PERMISSION_ADDRESS, state)).props).toEqual(state);
  });

  it("(b) stops a changed policy with the owner's transactions, sends nothing, and passes once the owner sent them", async () => {
    const want = inputs({ transact: [a, b, d], deploy: [a, d] });
    expect(await onChainPolicyProvider.diff!(TX_PERMISSION_ADDRESS, state, want)).toMatchObject({ changes: true, replaces: [] });
    const head = await chain.provider.getBlockNumber();
    const message = await failure(onChainPolicyProvider.update!(TX_PERMISSION_ADDRESS, state, want));
    expect(message).toContain(`the transaction permission contract ${TX_PERMISSION_ADDRESS} differs from consortium:permissions`);
    expect(message).toContain(`  - ${c} may transact on chain (accountTypes TRANSACT = 3) but permissions.transact does not list it`);
    expect(message).toContain(`  - permissions.transact and permissions.deploy list ${d} but the contract does not (accountTypes NONE = 0)`);
    expect(message).toContain(`Fix: the owner ${owner.address} sends, to ${TX_PERMISSION_ADDRESS}, in this order:`);
    expect(message).toMatch(/then run `pulumi up` again — or change consortium:permissions back\.$/);
    expect(message).not.toContain(chain.rpcUrl);

    const txs = transactionsIn(message);
    expect(txs).toEqual(ownerCalls(want, state.observed).map(({ to, data }) => ({ to, data })));
    expect(txs).toHaveLength(2); // d granted DEPLOY, c revoked
    // c is of the genesis: no event names it. The provider found it in its state; a first `up` (no state yet) finds
    // it through genesisAccounts, and gives the same transactions.
    expect((await observeOnChainPolicy(want)).observed.accounts).toEqual({ [a]: DEPLOY, [b]: TRANSACT }); // nothing names c
    expect(transactionsIn(await failure(onChainPolicyProvider.create({ ...want, genesisAccounts: listedAccounts(GENESIS) })))).toEqual(txs);
    // Nothing was sent: no transaction in the blocks since, the contract as it was.
    const blocks = await Promise.all(Array.from({ length: (await chain.provider.getBlockNumber()) - head }, (_, i) => chain.provider.getBlock(head + 1 + i)));
    expect(blocks.flatMap((blk) => blk!.transactions)).toEqual([]);
    expect((await observeOnChainPolicy(want, { known: Object.keys(state.observed.accounts) })).observed).toEqual(state.observed);

    await send(owner, txs);
    state = (await onChainPolicyProvider.update!(TX_PERMISSION_ADDRESS, state, want)).outs as OnChainPolicyState;
    expect(state.observed).toEqual({ owner: owner.address, openTypes: NONE, accounts: { [a]: DEPLOY, [b]: TRANSACT, [d]: DEPLOY } });
    expect(await onChainPolicyProvider.diff!(TX_PERMISSION_ADDRESS, state, want)).toMatchObject({ changes: false });
  });

  it("(c) shows the owner's change by hand on refresh, refuses it, and passes once the owner set the settings' policy back", async () => {
    const want = inputs({ transact: [a, b, d], deploy: [a, d] });
    await (await byHand(owner).setAccountTypes([stranger], TRANSACT)).wait();
    await (await byHand(owner).setOpenTypes(TRANSACT)).wait();

    // Refresh: the provider's read sees the stranger (listed nowhere in the settings: found from its event) and the
    // opened level; the refreshed state then differs from the settings. The state before the refresh did not know.
    const refreshed = (await onChainPolicyProvider.read!(TX_PERMISSION_ADDRESS, state)).props as OnChainPolicyState;
    expect(refreshed.observed).toEqual({ owner: owner.address, openTypes: TRANSACT, accounts: { [a]: DEPLOY, [b]: TRANSACT, [d]: DEPLOY, [stranger]: TRANSACT } });
    expect(await onChainPolicyProvider.diff!(TX_PERMISSION_ADDRESS, state, want)).toMatchObject({ changes: false });
    expect(await onChainPolicyProvider.diff!(TX_PERMISSION_ADDRESS, refreshed, want)).toMatchObject({ changes: true });
    // The events replayed a block at a time, or a few, find the same.
    expect(await observeOnChainPolicy(want, { logRange: 1 })).toEqual(refreshed);
    expect(await observeOnChainPolicy(want, { logRange: 3 })).toEqual(refreshed);

    const message = await failure(applyOnChainPolicy(want));
    expect(message).toContain(`  - ${stranger} may transact on chain (accountTypes TRANSACT = 3) but permissions.transact does not list it`);
    expect(message).toContain("  - the contract lets every sender transact (openTypes TRANSACT = 3) but consortium:permissions lists the senders and the deployers");
    expect(message).toContain(`  setOpenTypes(NONE = 0):`);
    expect(message).toContain(`  setAccountTypes([${stranger}], NONE = 0):`);
    await send(owner, transactionsIn(message));

    state = await applyOnChainPolicy(want);
    expect(state.observed).toEqual({ owner: owner.address, openTypes: NONE, accounts: { [a]: DEPLOY, [b]: TRANSACT, [d]: DEPLOY } });
    expect((await onChainPolicyProvider.read!(TX_PERMISSION_ADDRESS, state)).props).toEqual(state);
  });

  it("(d) reports another owner as its own error, and passes once ownership moved in two steps", async () => {
    const lists = { transact: [a, b, d], deploy: [a, d] };
    const want = inputs(lists, nextOwner.address);
    expect(await onChainPolicyProvider.diff!(TX_PERMISSION_ADDRESS, state, want)).toMatchObject({ changes: true });
    const first = await failure(applyOnChainPolicy(want));
    expect(first).toContain(
      `the contract's owner is ${owner.address}, the settings say ${nextOwner.address}: the owner ${owner.address} must call transferOwnership(${nextOwner.address}) and ${nextOwner.address} acceptOwnership()`,
    );
    expect(first).not.toContain("setAccountTypes");
    expect(first).toMatch(/or set permissions\.owner back to 0x[0-9a-fA-F]{40}\.$/);
    // With the lists changed as well, the owner comes first and the lists are only counted.
    expect(await failure(applyOnChainPolicy(inputs({ transact: [a, b], deploy: [a] }, nextOwner.address)))).toContain("The lists differ too (1 transaction(s) for the owner)");

    const [transfer, accept] = transactionsIn(first);
    expect(transactionsIn(first)).toHaveLength(2);
    await send(owner, [transfer!]);
    const second = await failure(applyOnChainPolicy(want));
    expect(second).toContain(`${nextOwner.address}, the pending owner, must call acceptOwnership()`);
    expect(transactionsIn(second)).toEqual([accept]);
    await send(nextOwner, transactionsIn(second));

    const handed = await applyOnChainPolicy(want);
    expect(handed.observed).toEqual({ ...state.observed, owner: nextOwner.address });
    expect(await failure(applyOnChainPolicy(inputs(lists)))).toContain(`the contract's owner is ${nextOwner.address}, the settings say ${owner.address}`);
  });

  it("names no RPC URL in an error, and says when there is no contract", async () => {
    const url = `${chain.rpcUrl.replace(/\/$/, "")}/secret-api-key-0123456789`;
    const message = await failure(observeOnChainPolicy({ ...inputs(GENESIS), rpcUrl: url }));
    expect(message).toContain("<the RPC endpoint>");
    expect(message).not.toContain("secret-api-key");
    const nowhere = "0x000000000000000000000000000000000000dEaD";
    expect(await failure(applyOnChainPolicy({ ...inputs(GENESIS), contract: nowhere }))).toContain(`no contract at ${nowhere}`);
    expect(await failure(applyOnChainPolicy(inputs({ transact: [a], deploy: "open" })))).toContain('consortium:permissions: deploy is "open" while transact is a list');
  });
});
