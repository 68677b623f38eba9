// The one place nonces are assigned for keys this process sends from (deployments, funding, CLI commands, tests).
// ethers' Wallet asks the node for the "pending" nonce on every send, and geth answers a stale value for a moment
// after it imports a block (its pool resets asynchronously), so two sends close together take the same nonce.
// ethers' NonceManager counts locally but never recovers from a nonce another process used, and its connect()
// forgets the count; this wallet does both: one counter per (chain, address) for the whole process, sends serialised
// per counter, and a send that lost a race is retried with the next nonce.
import { isError, Provider, Transaction, TransactionRequest, TransactionResponse, Wallet } from "ethers";

interface Counter {
  /** The next nonce this process will use, once known. */
  next?: number;
  /** The tail of the serialised sends. */
  queue: Promise<unknown>;
}

const counters = new Map<string, Counter>();
/** A nonce lost to another sender is skipped at most this many times in a row before the error is reported. */
const MAX_RETRIES = 8;

/** Called with the signed transaction before it reaches the node (a journal records what is about to exist). */
export type BeforeBroadcast = (signed: Transaction) => Promise<void>;

/** A transaction of a planned burst (`sendPlanned`), sent with the nonce its place gives it. */
export interface PlannedSend {
  request: Omit<TransactionRequest, "nonce">;
  beforeBroadcast?: BeforeBroadcast;
}

/** A nonce taken by another sender (process, tool, or an earlier transaction the node had not yet counted). */
export function isNonceTaken(e: unknown): boolean {
  if (isError(e, "NONCE_EXPIRED") || isError(e, "REPLACEMENT_UNDERPRICED")) return true;
  // Not "already known": that is this very transaction, sent before; sending it again under another nonce would pay twice.
  return /nonce too low|replacement transaction underpriced/i.test(String((e as Error)?.message ?? e));
}

export class SequencedWallet extends Wallet {
  constructor(privateKey: string, provider?: Provider | null) {
    super(privateKey, provider);
  }

  override connect(provider: Provider | null): SequencedWallet {
    return new SequencedWallet(this.privateKey, provider);
  }

  /** Sends in this process's nonce order; `beforeBroadcast` sees each signed attempt before the node does. */
  override async sendTransaction(tx: TransactionRequest, beforeBroadcast?: BeforeBroadcast): Promise<TransactionResponse> {
    if (!this.provider) return super.sendTransaction(tx);
    const counter = await this.counter();
    const run = counter.queue.then(() => this.sendInOrder(tx, counter, beforeBroadcast));
    counter.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Sends transactions the caller numbers itself (a burst whose creations' addresses follow from their nonces): `plan`
   * gets the first nonce free for this process and returns the transactions to send from it on, in order; no other
   * send of this process comes between them. If the node had already counted that nonce (its pending count lags a
   * block import), nothing was sent and `plan` runs again from the next one.
   */
  async sendPlanned(plan: (firstNonce: number) => Promise<PlannedSend[]>): Promise<TransactionResponse[]> {
    const provider = this.provider!;
    const counter = await this.counter();
    const run = counter.queue.then(async () => {
      let first = Math.max(await provider.getTransactionCount(this.address, "pending"), counter.next ?? 0);
      for (let attempt = 0; ; attempt++) {
        const signed: Transaction[] = [];
        for (const [i, { request, beforeBroadcast }] of (await plan(first)).entries()) {
          signed.push(await this.signWithHook({ ...request, nonce: first + i }, beforeBroadcast));
        }
        if (signed.length === 0) return [];
        // The first alone: if the node already counted its nonce, it fails with nothing else sent, and the plan is
        // made again from the next one. The rest at once (a node holds one that arrives early until the gap fills).
        let head: TransactionResponse;
        try {
          head = await this.broadcast(signed[0]);
        } catch (e) {
          if (!isNonceTaken(e) || attempt >= MAX_RETRIES) throw e;
          first = Math.max(first + 1, await provider.getTransactionCount(this.address, "pending"));
          continue;
        }
        counter.next = first + signed.length;
        const rest = await Promise.allSettled(signed.slice(1).map((tx) => this.broadcast(tx)));
        const failed = rest.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) {
          // Some of the burst may be missing: the next send counts from the node again.
          counter.next = undefined;
          throw failed.reason;
        }
        return [head, ...rest.map((r) => (r as PromiseFulfilledResult<TransactionResponse>).value)];
      }
    });
    counter.queue = run.catch(() => undefined);
    return run;
  }

  private async counter(): Promise<Counter> {
    const key = `${(await this.provider!.getNetwork()).chainId}:${this.address}`;
    const counter = counters.get(key) ?? { queue: Promise.resolve() };
    counters.set(key, counter);
    return counter;
  }

  /** Forgets what this process counted for this key on every chain (after another tool used the key). */
  static resetAll(): void {
    counters.clear();
  }

  private async sendInOrder(tx: TransactionRequest, counter: Counter, beforeBroadcast?: BeforeBroadcast): Promise<TransactionResponse> {
    if (tx.nonce != null) {
      const sent = await this.signAndBroadcast(tx, beforeBroadcast);
      counter.next = Math.max(counter.next ?? 0, sent.nonce + 1);
      return sent;
    }
    const onChain = await this.provider!.getTransactionCount(this.address, "pending");
    let nonce = Math.max(onChain, counter.next ?? 0);
    for (let attempt = 0; ; attempt++) {
      try {
        const sent = await this.signAndBroadcast({ ...tx, nonce }, beforeBroadcast);
        counter.next = nonce + 1;
        return sent;
      } catch (e) {
        if (!isNonceTaken(e) || attempt >= MAX_RETRIES) throw e;
        nonce = Math.max(nonce + 1, await this.provider!.getTransactionCount(this.address, "pending"));
      }
    }
  }

  /** What ethers' AbstractSigner.sendTransaction does, with the hook between signing and broadcasting. */
  private async signAndBroadcast(tx: TransactionRequest, beforeBroadcast?: BeforeBroadcast): Promise<TransactionResponse> {
    return this.broadcast(await this.signWithHook(tx, beforeBroadcast));
  }

  /** Hands a signed transaction to the node (the one way out: tests interrupt a deployment here). */
  protected broadcast(signed: Transaction): Promise<TransactionResponse> {
    return this.provider!.broadcastTransaction(signed.serialized);
  }

  /** Populated (nothing asked of the node for what `tx` already holds), signed, and shown to the hook. */
  private async signWithHook(tx: TransactionRequest, beforeBroadcast?: BeforeBroadcast): Promise<Transaction> {
    const populated = await this.populateTransaction(tx);
    delete populated.from;
    const signed = Transaction.from(await this.signTransaction(Transaction.from(populated)));
    await beforeBroadcast?.(signed);
    return signed;
  }
}
