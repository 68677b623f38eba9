// Shared by the contract tests: revert decoding over every compiled ABI, event reading, withdrawal signatures.
import { expect } from "vitest";
import {
  BaseContract,
  concat,
  Contract,
  ContractTransactionReceipt,
  ContractTransactionResponse,
  Interface,
  JsonFragment,
  Signature,
  toBeHex,
  TypedDataEncoder,
  verifyTypedData,
  Wallet,
} from "ethers";
import { WITHDRAWAL_EIP712 } from "../../lib/bridge/abi";
import { BRIDGE_CONTRACTS, loadArtifact } from "../../lib/bridge/artifacts";
import { headReached } from "../../lib/eth/transactions";
import { BridgeFixture } from "../../testkit/bridge/fixture";
import { TestChain } from "../../testkit/chains";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";

// Every custom error of the compiled contracts (OpenZeppelin's included), so a revert bubbling up from the
// ValidatorSet through the vault, or from the token through the gateway, is named too.
const ERRORS = (() => {
  const seen = new Map<string, JsonFragment>();
  for (const name of BRIDGE_CONTRACTS) {
    for (const f of loadArtifact(name).abi.filter((f) => f.type === "error")) {
      seen.set(`${f.name}(${(f.inputs ?? []).map((i) => i.type).join(",")})`, f);
    }
  }
  return new Interface([...seen.values()]);
})();

function revertData(e: unknown): string | undefined {
  const err = e as { data?: unknown; info?: { error?: { data?: unknown } }; error?: { data?: unknown } };
  const data = err.data ?? err.info?.error?.data ?? err.error?.data;
  return typeof data === "string" ? data : undefined;
}

/** Expects `call` to revert with the custom error `name` (and these arguments, when given). */
export async function expectRevert(call: Promise<unknown>, name: string, args?: unknown[]): Promise<void> {
  let error: unknown;
  try {
    await call;
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`expected a revert with ${name}, but the call succeeded`);
  const data = revertData(error);
  const parsed = data ? ERRORS.parseError(data) : null;
  if (!parsed) throw new Error(`expected a revert with ${name}, got: ${(error as Error).message}`);
  expect(parsed.name).toBe(name);
  if (args) expect(parsed.args.toArray()).toEqual(args);
}

/** Sends a transaction and waits for it to be mined, and for the node's head to be its block (what runs next reads its state). */
export async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("transaction dropped");
  while (!(await headReached(receipt.provider, receipt.blockNumber))) await new Promise((r) => setTimeout(r, 20));
  return receipt;
}

/** The arguments of every `name` event `contract` emitted in `receipt`. */
export function events(receipt: ContractTransactionReceipt, contract: BaseContract, name: string): unknown[][] {
  const address = String(contract.target).toLowerCase();
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => contract.interface.parseLog(log))
    .filter((parsed) => parsed?.name === name)
    .map((parsed) => parsed!.args.toArray());
}

/** `contract` used by `signer` (ethers' connect() loses the ABI's method typing). */
export function as(contract: Contract, signer: Wallet): Contract {
  return contract.connect(signer) as Contract;
}

/** UTC day number of a block, as the contracts' limits count it. */
export async function dayOf(receipt: ContractTransactionReceipt): Promise<bigint> {
  const block = await receipt.provider.getBlock(receipt.blockNumber);
  return BigInt(block!.timestamp) / 86_400n;
}

export interface Withdrawal {
  withdrawalId: bigint;
  recipient: string;
  amount: bigint;
}

/**
 * Which vault verifies a withdrawal (its EIP-712 domain: the foreign chain id and the vault's address) and which home
 * chain and gateway issued its id (in the signed message).
 */
export interface WithdrawalContext {
  chainId: number | bigint;
  vault: string;
  homeChainId: number | bigint;
  homeGateway: string;
}

/** The context of a bridge fixture: its vault on the foreign chain, bound to its gateway on the home chain. */
export function withdrawalContext(b: BridgeFixture): WithdrawalContext {
  return { chainId: b.foreign.chain.chainId, vault: b.addresses.vault, homeChainId: b.home.chain.chainId, homeGateway: b.addresses.gateway };
}

// ethers wants mutable arrays; abi.ts keeps its constant readonly.
const TYPES = { Withdrawal: [...WITHDRAWAL_EIP712.types.Withdrawal] };

function domain(c: WithdrawalContext) {
  return { name: WITHDRAWAL_EIP712.domainName, version: WITHDRAWAL_EIP712.domainVersion, chainId: c.chainId, verifyingContract: c.vault };
}

function message(c: WithdrawalContext, w: Withdrawal) {
  return { homeChainId: c.homeChainId, homeGateway: c.homeGateway, withdrawalId: w.withdrawalId, recipient: w.recipient, amount: w.amount };
}

export function withdrawalHash(c: WithdrawalContext, w: Withdrawal): string {
  return TypedDataEncoder.hash(domain(c), TYPES, message(c, w));
}

/** The address a withdrawal signature recovers to (an unrelated one when the data, message or domain differ). */
export function recoverWithdrawalSigner(c: WithdrawalContext, w: Withdrawal, signature: string): string {
  return verifyTypedData(domain(c), TYPES, message(c, w), signature);
}

export function signWithdrawal(signer: Wallet, c: WithdrawalContext, w: Withdrawal): Promise<string> {
  return signer.signTypedData(domain(c), TYPES, message(c, w));
}

export const byAddress = (a: { address: string }, b: { address: string }) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1);

/** Signatures by `signers`, ordered by ascending signer address as the ValidatorSet requires. */
export function signSorted(signers: Wallet[], c: WithdrawalContext, w: Withdrawal): Promise<string[]> {
  const sorted = [...signers].sort(byAddress);
  return Promise.all(sorted.map((s) => signWithdrawal(s, c, w)));
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The same signature with s' = n - s (and the other v): valid for ecrecover, rejected by OpenZeppelin's ECDSA. */
export function malleate(signature: string): { signature: string; highS: string } {
  const sig = Signature.from(signature);
  const highS = toBeHex(SECP256K1_N - BigInt(sig.s), 32);
  return { signature: concat([sig.r, highS, sig.v === 27 ? "0x1c" : "0x1b"]), highS };
}

export const randomWallet = () => new SequencedWallet(Wallet.createRandom().privateKey);

/** `count` wallets with 1 ether each on `chain`, funded in one block by a single payer. */
export async function fundWallets(chain: TestChain, count: number): Promise<Wallet[]> {
  const payer = await chain.fundedWallet(BigInt(count) + 1n);
  const wallets = Array.from({ length: count }, () => randomWallet().connect(chain.provider()));
  // Sent back to back: the payer's SequencedWallet numbers them, and they are mined together.
  const sent = await Promise.all(wallets.map((w) => payer.sendTransaction({ to: w.address, value: 10n ** 18n })));
  await Promise.all(sent.map((tx) => tx.wait()));
  return wallets;
}
