// Sending transactions from deployment code: one sender at a time per chain (Pulumi creates resources in parallel,
// and two transactions from one key built at once would take the same nonce), and receipts awaited in a way that
// survives a freshly started geth still indexing its transactions.
import type { Provider, TransactionReceipt } from "ethers";

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call for the same chain and sender has finished (within this process). */
export function withSenderLock<T>(chainId: number, sender: string, fn: () => Promise<T>): Promise<T> {
  const key = `${chainId}:${sender.toLowerCase()}`;
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  queues.set(key, run.catch(() => undefined));
  return run;
}

/** geth answers this while it builds its transaction index after a start; the receipt comes once it is done. */
const TRANSIENT = /transaction indexing is in progress/;

export async function waitForReceipt(provider: Provider, hash: string, what: string, timeoutMs = 120_000): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt) {
        if (receipt.status !== 1) throw new Error(`${what}: transaction ${hash} reverted`);
        return receipt;
      }
    } catch (e) {
      if (!TRANSIENT.test(String((e as Error).message))) throw e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: transaction ${hash} not mined within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
