// Funding on a geth --dev chain: its developer account is unlocked, so eth_sendTransaction from it pays anyone.
import { JsonRpcProvider } from "ethers";
import { waitForReceipt } from "./eth/transactions";

/** Sends `wei` from the dev chain's developer account to `to` and waits for the receipt. */
export async function fundFromDevAccount(rpcUrl: string, to: string, wei: bigint): Promise<void> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, polling: true, pollingInterval: 250 });
  try {
    const signer = await provider.getSigner(0);
    const tx = await signer.sendTransaction({ to, value: wei });
    await waitForReceipt(provider, tx.hash, `funding ${to} on ${rpcUrl}`, 60_000);
  } finally {
    provider.destroy();
  }
}
