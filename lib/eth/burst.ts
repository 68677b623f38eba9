// A burst: transactions from one signer sent back to back and mined together, so that independent transactions
// cost one round of blocks instead of one block each. Every estimate is made at once, before anything is sent (one
// that would revert stops the burst with nothing sent); the transactions then go in the order they were added,
// which their nonces keep on chain, and their receipts are awaited together.
import type { ContractTransaction, Provider, Signer } from "ethers";
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

/**
 * The transaction with room above its estimate: estimated before the burst's earlier transactions are mined, its gas
 * may depend on state those change (a `diamondCut` on the selector table; only the gas used is paid).
 */
async function withGasMargin(signer: Signer, request: ContractTransaction): Promise<ContractTransaction & { gasLimit: bigint }> {
  const estimate = await signer.estimateGas(request);
  return { ...request, gasLimit: estimate + estimate / 2n };
}
