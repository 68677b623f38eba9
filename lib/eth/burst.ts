// A burst: transactions from one signer sent back to back and mined together, so that independent transactions
// cost one round of blocks instead of one block each. Every estimate is made at once, before anything is sent (one
// that would revert stops the burst with nothing sent); the transactions then go in the order they were added,
// which their nonces keep on chain, and their receipts are awaited together.
import type { ContractTransaction, Provider, Signer, Transaction, TransactionReceipt, TransactionResponse } from "ethers";
import type { SequencedWallet } from "./sequencedWallet";
import type { PlannedTransaction, SimulatedTransaction } from "./simulation";
import { waitForReceipt } from "./transactions";

const TX_TIMEOUT_MS = 120_000;

export class Burst {
  private queued: { what: string; request: Promise<ContractTransaction> }[] = [];

  /** `oneAtATime`: each transaction mined before the next is sent (the sequential baseline of the benchmarks). */
  constructor(private readonly signer: Signer, private readonly options: { oneAtATime?: boolean } = {}) {}

  /** Adds a transaction built by ethers' `contract.method.populateTransaction(...)`; sent by `send()`. */
  add(what: string, request: Promise<ContractTransaction>): void {
    this.queued.push({ what, request });
  }

  /** Sends what was added and waits until all of it is mined; returns the gas used. A reverted one fails it. */
  async send(): Promise<bigint> {
    const queued = this.queued;
    this.queued = [];
    const provider = this.signer.provider as Provider;
    const mined = async (what: string, hash: string) => (await waitForReceipt(provider, hash, what, TX_TIMEOUT_MS)).gasUsed;
    let gas = 0n;
    if (this.options.oneAtATime) {
      for (const q of queued) gas += await mined(q.what, (await this.signer.sendTransaction(await withGasMargin(this.signer, await q.request))).hash);
      return gas;
    }
    const ready = await Promise.all(queued.map(async (q) => withGasMargin(this.signer, await q.request)));
    const sent: { what: string; hash: string }[] = [];
    for (const [i, request] of ready.entries()) sent.push({ what: queued[i].what, hash: (await this.signer.sendTransaction(request)).hash });
    for (const used of await Promise.all(sent.map((t) => mined(t.what, t.hash)))) gas += used;
    return gas;
  }
}

/** What a planned burst sent, and their receipts (in order). */
export interface SentBurst {
  txs: SimulatedTransaction[];
  receipts: TransactionReceipt[];
}

/** A planned burst once broadcast: its transactions, in order, and what the node answered for each. */
export interface BroadcastBurst {
  txs: SimulatedTransaction[];
  sent: TransactionResponse[];
}

/**
 * A burst whose every transaction may depend on the ones before it: `build` gets the nonce the first one will take
 * (so creations' addresses are known) and returns them in order; they are run in order in an EVM of this process
 * (lib/eth/simulation.ts) — their gas comes from there, and one that would fail stops the burst with nothing sent —,
 * then sent back to back with those nonces. `beforeBroadcast` sees each signed one first (a journal records
 * creations). Returns once the node holds them all: from then on their nonces, and so the addresses of the contracts
 * they create, are final.
 */
export async function broadcastSimulated(
  signer: SequencedWallet,
  rpcUrl: string,
  build: (firstNonce: number) => Promise<PlannedTransaction[]>,
  beforeBroadcast?: (tx: SimulatedTransaction, signed: Transaction) => Promise<void>,
): Promise<BroadcastBurst> {
  const provider = signer.provider!;
  let txs: SimulatedTransaction[] = [];
  const sent = await signer.sendPlanned(async (first) => {
    const planned = await build(first);
    // Nothing to send (a re-run): no simulation, no fee lookup.
    if (planned.length === 0) return (txs = []);
    // The EVM (~0.35 CPU-s to load) only once a burst is simulated: a provider process that only diffs or reads the
    // deployments, as every preview and most `up`s do, never loads it.
    const { simulateInOrder } = await import("./simulation.js");
    txs = await simulateInOrder(signer, rpcUrl, first, planned);
    const { maxFeePerGas, maxPriorityFeePerGas, gasPrice } = await provider.getFeeData();
    const fees = maxFeePerGas !== null ? { maxFeePerGas, maxPriorityFeePerGas } : { gasPrice };
    return txs.map((tx) => ({
      request: { to: tx.to, data: tx.data, gasLimit: withMargin(tx.gasNeeded), ...fees },
      beforeBroadcast: beforeBroadcast && ((signed: Transaction) => beforeBroadcast(tx, signed)),
    }));
  });
  return { txs, sent };
}

/** Every receipt of a broadcast burst, in order. A reverted one fails it, once every receipt is in. */
export async function minedBurst(provider: Provider, burst: BroadcastBurst): Promise<SentBurst> {
  const mined = await Promise.allSettled(burst.sent.map((t, i) => waitForReceipt(provider, t.hash, burst.txs[i].what, TX_TIMEOUT_MS)));
  const failed = mined.find((m): m is PromiseRejectedResult => m.status === "rejected");
  if (failed) throw failed.reason;
  return { txs: burst.txs, receipts: mined.map((m) => (m as PromiseFulfilledResult<TransactionReceipt>).value) };
}

/** A simulated burst (`broadcastSimulated`), once mined (`minedBurst`). */
export async function sendSimulated(
  signer: SequencedWallet,
  rpcUrl: string,
  build: (firstNonce: number) => Promise<PlannedTransaction[]>,
  beforeBroadcast?: (tx: SimulatedTransaction, signed: Transaction) => Promise<void>,
): Promise<SentBurst> {
  return minedBurst(signer.provider!, await broadcastSimulated(signer, rpcUrl, build, beforeBroadcast));
}

/** Room above what a transaction needs: the 63/64 rule of calls and an estimate made on other state cost more. */
const withMargin = (gas: bigint) => gas + gas / 2n;

/**
 * The transaction with room above its estimate: estimated before the burst's earlier transactions are mined, its gas
 * may depend on state those change (a `diamondCut` on the selector table; only the gas used is paid).
 */
async function withGasMargin(signer: Signer, request: ContractTransaction): Promise<ContractTransaction & { gasLimit: bigint }> {
  return { ...request, gasLimit: withMargin(await signer.estimateGas(request)) };
}
