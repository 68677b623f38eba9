// geth's Clique sealing on demand (period 0, test chains only: startOnDemandChain) seals a block when a transaction
// reaches the sealer's pool, but has left a burst pending with no block at all until the test's two-minute receipt
// timeout (seen once in CI, on a loaded machine; never when run alone). The watchdog sends the sealer the "next
// transaction" that wakes it: a zero-value transfer of its own key, once the RPC node's pending block has held
// transactions over two checks with no new block. A healthy chain seals within milliseconds, so it never fires there.
import { Wallet } from "ethers";
import { jsonRpcCall } from "../lib/ipc";

const CHECK_MS = 1_000;

export interface OnDemandWatchdog {
  stop(): void;
}

/** Watches the chain at `rpcUrl`; `pokeKey` is a prefunded key of its own; each poke is printed (the test's output). */
export function watchOnDemandSealing(rpcUrl: string, chainId: number, pokeKey: string): OnDemandWatchdog {
  const poker = new Wallet(pokeKey);
  let lastHead = -1;
  let stalledChecks = 0;
  let stopped = false;
  const check = async () => {
    const [head, pending] = await Promise.all([jsonRpcCall<string>(rpcUrl, "eth_blockNumber"), jsonRpcCall<string>(rpcUrl, "eth_getBlockTransactionCountByNumber", ["pending"])]);
    const waiting = Number(pending ?? 0) > 0 && Number(head) === lastHead;
    stalledChecks = waiting ? stalledChecks + 1 : 0;
    lastHead = Number(head);
    if (stalledChecks < 2 || stopped) return;
    stalledChecks = 0;
    const nonce = Number(await jsonRpcCall<string>(rpcUrl, "eth_getTransactionCount", [poker.address, "pending"]));
    const signed = await poker.signTransaction({ type: 2, chainId, nonce, to: poker.address, value: 0, gasLimit: 21_000, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
    await jsonRpcCall(rpcUrl, "eth_sendRawTransaction", [signed]);
    console.warn(`[on-demand watchdog] chain ${chainId}, block ${lastHead}: ${Number(pending)} transaction(s) pending with no new block for ${(2 * CHECK_MS) / 1000} s; sent the sealer a transaction (nonce ${nonce})`);
  };
  // One check at a time; a failed check (a node restarting) is retried at the next tick.
  const loop = async () => {
    while (!stopped) {
      await new Promise((r) => setTimeout(r, CHECK_MS).unref());
      if (!stopped) await check().catch(() => undefined);
    }
  };
  void loop();
  return {
    stop() {
      stopped = true;
    },
  };
}
