// Funding on a geth --dev chain: its developer account is unlocked, so eth_sendTransaction from it pays anyone.
import { JsonRpcProvider } from "ethers";
import { waitForReceipt, withSenderLock } from "./eth/transactions";

/** Sends `wei` from the dev chain's developer account to `to` and waits for the receipt. */
export async function fundFromDevAccount(rpcUrl: string, to: string, wei: bigint): Promise<void> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, polling: true, pollingInterval: 250 });
  try {
    const signer = await provider.getSigner(0);
    const tx = await withSenderLock(0, `geth-dev-send:${rpcUrl}`, () => sendAfterPoolCatchesUp(() => signer.sendTransaction({ to, value: wei })));
    await waitForReceipt(provider, tx.hash, `funding ${to} on ${rpcUrl}`, 60_000);
  } finally {
    provider.destroy();
  }
}

// geth --dev numbers the developer account's transactions itself, from its pool's pending nonce, which a transaction
// it just accepted joins asynchronously: two sends close together can get the same nonce and the second is refused
// ("replacement transaction underpriced", "nonce too low"). Sends are serialised per node (above), and a refused one
// is sent again once the pool has caught up.
const POOL_LAG = /replacement transaction underpriced|nonce too low|REPLACEMENT_UNDERPRICED|NONCE_EXPIRED/;

async function sendAfterPoolCatchesUp<T>(send: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await send();
    } catch (e) {
      if (i >= attempts || !POOL_LAG.test(String((e as Error).message ?? e))) throw e;
      await new Promise((r) => setTimeout(r, 100 * i));
    }
  }
}
