// Sends the agent's transactions on one chain so that a crash at any point neither loses nor duplicates one:
// the signed transaction and its nonce are persisted in the outbox BEFORE it is broadcast, pending ones are re-sent
// after a restart (and whenever the node lost them), and one left unmined for txTimeoutMs is replaced by the same
// nonce with fees raised by at least 12.5% (geth needs 10%), never above the configured fee cap (a lying or
// congested node cannot make the agent overpay; at the cap the transaction waits). Every hash ever sent under a
// nonce is watched, since any of them may be the one that gets mined.
import { BaseWallet, isError, JsonRpcProvider, Transaction } from "ethers";
import { OutboxEntry, OutboxStatus, Side, Store, TxFields } from "./store";

export interface TxRequest {
  to: string;
  data: string;
}

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** A transaction that left the pending state, reported once. */
export interface Settled {
  entry: OutboxEntry;
  status: Exclude<OutboxStatus, "pending">;
}

export interface TxSenderOptions {
  side: Side;
  chainId: number;
  provider: JsonRpcProvider;
  wallet: BaseWallet;
  store: Store;
  txTimeoutMs: number;
  /** The highest fee per gas ever offered (wei). */
  maxFeePerGas: bigint;
  now?: () => number;
  onBroadcastError?: (entry: OutboxEntry, err: unknown) => void;
}

/**
 * The estimate can price a cheaper path than the one the transaction takes when mined: a deposit confirmation
 * estimated as the first becomes the minting one if another validator's lands first. Hence a margin plus fixed
 * headroom; gas left unused is not charged.
 */
const GAS_MARGIN_PERCENT = 120n;
const GAS_HEADROOM = 150_000n;
/** How long one fee quote is used: well under a block, so a send never lags the market by more than that. */
const FEE_QUOTE_MS = 1_000;

/** +12.5% rounded up, and at least +1 wei so that even a zero tip rises. */
function bumped(old: bigint): bigint {
  return old + (old + 7n) / 8n + (old < 8n ? 1n : 0n);
}

function max(...xs: bigint[]): bigint {
  return xs.reduce((a, b) => (b > a ? b : a));
}

function min(...xs: bigint[]): bigint {
  return xs.reduce((a, b) => (b < a ? b : a));
}

export class TxSender {
  private readonly now: () => number;
  private feeQuote?: { at: number; fees: Promise<Fees> };
  private nonceTurn: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: TxSenderOptions) {
    this.now = o.now ?? Date.now;
  }

  get address(): string {
    return this.o.wallet.address;
  }

  pendingCount(): number {
    return this.o.store.countPendingOutbox(this.o.side);
  }

  /**
   * Market fees as the node suggests them, held under the cap. One quote (three requests) serves the sends of the
   * next FEE_QUOTE_MS: a burst of actions would otherwise ask for it once per transaction.
   */
  marketFees(): Promise<Fees> {
    const now = this.now();
    if (!this.feeQuote || now - this.feeQuote.at >= FEE_QUOTE_MS) {
      const fees = this.quoteFees();
      this.feeQuote = { at: now, fees };
      fees.catch(() => {
        if (this.feeQuote?.fees === fees) this.feeQuote = undefined;
      });
    }
    return this.feeQuote.fees;
  }

  private async quoteFees(): Promise<Fees> {
    const fee = await this.o.provider.getFeeData();
    if (fee.maxFeePerGas === null || fee.maxPriorityFeePerGas === null) throw new Error(`${this.o.side} chain has no EIP-1559 fee market`);
    const cap = this.o.maxFeePerGas;
    return { maxFeePerGas: min(fee.maxFeePerGas, cap), maxPriorityFeePerGas: min(fee.maxPriorityFeePerGas, cap) };
  }

  /**
   * Estimates (which also pre-flights the call: a revert throws here and nothing is sent), signs, persists, then
   * broadcasts. Returns the outbox entry.
   */
  async send(actionKey: string, req: TxRequest, fees?: Fees): Promise<OutboxEntry> {
    const { provider, wallet, store, side } = this.o;
    const gas = await provider.estimateGas({ from: wallet.address, to: req.to, data: req.data });
    const f = fees ?? (await this.marketFees());
    const fields: TxFields = {
      to: req.to,
      data: req.data,
      gasLimit: String((gas * GAS_MARGIN_PERCENT) / 100n + GAS_HEADROOM),
      maxFeePerGas: String(f.maxFeePerGas),
      maxPriorityFeePerGas: String(f.maxPriorityFeePerGas),
    };
    const saved = await this.inNonceOrder(async () => {
      const nonce = await this.nextNonce();
      const { raw, hash } = await this.sign(nonce, fields);
      const entry: Omit<OutboxEntry, "id"> = { side, actionKey, nonce, fields, raw, hashes: [hash], sentAt: this.now() };
      return { ...entry, id: store.addOutbox(entry) };
    });
    await this.broadcast(saved);
    return saved;
  }

  /**
   * Runs `fn` after every earlier call has finished: concurrent sends take their nonces one at a time, each in the
   * outbox before the next reads it. (A promise chain is all the lock this needs: one process, one event loop.)
   */
  private inNonceOrder<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.nonceTurn.then(fn);
    this.nonceTurn = turn.catch(() => undefined);
    return turn;
  }

  /** Re-sends every pending outbox transaction (after a restart). */
  async resendPending(): Promise<void> {
    for (const e of this.o.store.pendingOutbox(this.o.side)) await this.broadcast(e);
  }

  /**
   * Checks every pending transaction: mined, dropped (its nonce used by another), lost by the node, or due a fee bump.
   * Two nonce counts tell which need a closer look, so a poll costs a request per transaction settled or lost, not
   * per transaction in flight (hundreds, in a burst of withdrawals): below the mined count a transaction has a receipt
   * or was dropped; at or above the node's pending count the node does not hold it (lost, e.g. to a restart).
   */
  async poll(): Promise<Settled[]> {
    const { provider, store, side, wallet } = this.o;
    const pending = store.pendingOutbox(side);
    if (!pending.length) return [];
    // Read before the receipts: a nonce below it whose hashes have no receipt was taken by another transaction.
    const [minedNonce, poolNonce] = await Promise.all([provider.getTransactionCount(wallet.address, "latest"), provider.getTransactionCount(wallet.address, "pending")]);
    const settled: Settled[] = [];
    for (const e of pending) {
      if (e.nonce < minedNonce) {
        const receipt = await this.receiptOf(e);
        const status: Settled["status"] = !receipt ? "dropped" : receipt.status === 1 ? "mined" : "reverted";
        store.setOutboxStatus(e.id, status);
        settled.push({ entry: e, status });
      } else if (this.now() - e.sentAt >= this.o.txTimeoutMs) {
        await this.bump(e);
      } else if (e.nonce >= poolNonce) {
        await this.broadcast(e);
      }
    }
    return settled;
  }

  private async receiptOf(e: OutboxEntry) {
    for (const h of e.hashes) {
      const r = await this.o.provider.getTransactionReceipt(h);
      if (r) return r;
    }
    return null;
  }

  /**
   * Same nonce, fees raised by ≥12.5% and at least to the market's; persisted before it is sent. A bump that would
   * cross the fee cap is not made: the transaction waits for the market to come down (re-sent if the node lost it).
   */
  private async bump(e: OutboxEntry): Promise<void> {
    const market = await this.marketFees();
    const tip = max(bumped(BigInt(e.fields.maxPriorityFeePerGas)), market.maxPriorityFeePerGas);
    const cap = max(bumped(BigInt(e.fields.maxFeePerGas)), market.maxFeePerGas, tip);
    if (cap > this.o.maxFeePerGas) {
      if (!(await this.o.provider.getTransaction(e.hashes[e.hashes.length - 1]))) await this.broadcast(e);
      return;
    }
    const fields: TxFields = { ...e.fields, maxFeePerGas: String(cap), maxPriorityFeePerGas: String(tip) };
    const { raw, hash } = await this.sign(e.nonce, fields);
    const next: OutboxEntry = { ...e, fields, raw, hashes: [...e.hashes, hash], sentAt: this.now() };
    this.o.store.replaceOutbox(e.id, fields, raw, next.hashes, next.sentAt);
    await this.broadcast(next);
  }

  /** The chain's pending nonce, but never one the outbox already holds (the node may not have seen those yet). */
  private async nextNonce(): Promise<number> {
    const chain = await this.o.provider.getTransactionCount(this.o.wallet.address, "pending");
    return Math.max(chain, (this.o.store.highestPendingNonce(this.o.side) ?? -1) + 1);
  }

  private async sign(nonce: number, f: TxFields): Promise<{ raw: string; hash: string }> {
    const raw = await this.o.wallet.signTransaction({
      type: 2,
      chainId: this.o.chainId,
      nonce,
      to: f.to,
      data: f.data,
      value: 0n,
      gasLimit: BigInt(f.gasLimit),
      maxFeePerGas: BigInt(f.maxFeePerGas),
      maxPriorityFeePerGas: BigInt(f.maxPriorityFeePerGas),
    });
    return { raw, hash: Transaction.from(raw).hash! };
  }

  /**
   * Broadcast failures are not fatal: the transaction stays in the outbox and poll() re-sends, bumps or settles it.
   * "Already known" and "nonce too low" are expected after a restart.
   */
  private async broadcast(e: OutboxEntry): Promise<void> {
    try {
      await this.o.provider.broadcastTransaction(e.raw);
    } catch (err) {
      if (isError(err, "NONCE_EXPIRED") || /already known/i.test(String((err as Error).message))) return;
      this.o.onBroadcastError?.(e, err);
    }
  }
}
