// The holder's own wallet, through the EIP-1193 provider it injects (window.ethereum): accounts, the chain it is on
// (switched or added on demand), the bridged token added to it, and signers for transactions. Keys never leave it.
import { BrowserProvider, getAddress, JsonRpcSigner, toQuantity } from "ethers";
import type { BridgeAppSettings } from "../../monitor/bridgeApp";
import type { ChainToAdd } from "./chains";

export interface Eip1193 {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

export const injected = (): Eip1193 | undefined => (window as unknown as { ethereum?: Eip1193 }).ethereum;

/** The accounts the wallet already granted this page (none before the first connect; kept across reloads). */
export async function knownAccount(w: Eip1193): Promise<string | undefined> {
  const [a] = (await w.request({ method: "eth_accounts" })) as string[];
  return a ? getAddress(a) : undefined;
}

export async function connect(w: Eip1193): Promise<string> {
  const [a] = (await w.request({ method: "eth_requestAccounts" })) as string[];
  return getAddress(a);
}

export async function addChain(w: Eip1193, c: ChainToAdd): Promise<void> {
  if (!c.rpcUrl) throw Object.assign(new Error(`add chain ${c.chainId} to your wallet first`), { code: 4902 });
  await w.request({
    method: "wallet_addEthereumChain",
    params: [{ chainId: toQuantity(c.chainId), chainName: c.chainName, rpcUrls: [c.rpcUrl], nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 } }],
  });
}

/** Puts the wallet on chain `c`, adding it when the wallet does not know it (EIP-3326 error 4902). */
export async function useChain(w: Eip1193, c: ChainToAdd): Promise<void> {
  if (Number(await w.request({ method: "eth_chainId" })) === c.chainId) return;
  try {
    await w.request({ method: "wallet_switchEthereumChain", params: [{ chainId: toQuantity(c.chainId) }] });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 4902) throw e;
    await addChain(w, c);
  }
}

export async function watchToken(w: Eip1193, s: BridgeAppSettings): Promise<void> {
  await w.request({ method: "wallet_watchAsset", params: { type: "ERC20", options: { address: s.home.token, symbol: s.symbol, decimals: s.decimals } } });
}

/** A signer of the connected account on chain `c` (the wallet is switched there first). */
export async function signerOn(w: Eip1193, c: ChainToAdd): Promise<JsonRpcSigner> {
  await useChain(w, c);
  return new BrowserProvider(w, c.chainId).getSigner();
}
