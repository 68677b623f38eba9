// The chains the app asks the wallet to add or switch to: the consortium chain (with the holder's read key where reads
// need one) and the foreign chain. No browser API here: the unit tests read it too.
import type { BridgeAppSettings } from "../../monitor/bridgeApp";

export interface ChainToAdd {
  chainId: number;
  chainName: string;
  rpcUrl?: string;
}

/**
 * The consortium chain as the wallet adds it. Where reads need an API key (`s.home.keyRequired`), the holder's own key
 * is the URL's path, the form the policy gateway reads from wallets (they cannot set headers); without one the chain
 * cannot be added.
 */
export function homeChain(s: BridgeAppSettings, readKey?: string): ChainToAdd {
  const chain = { chainId: s.home.chainId, chainName: s.chainName };
  if (!s.home.keyRequired) return { ...chain, rpcUrl: s.home.rpcUrl };
  return readKey ? { ...chain, rpcUrl: `${s.home.rpcUrl.replace(/\/+$/, "")}/${encodeURIComponent(readKey)}` } : chain;
}

export const foreignChain = (s: BridgeAppSettings): ChainToAdd => ({ chainId: s.foreign.chainId, chainName: `Foreign chain ${s.foreign.chainId}`, ...(s.foreign.walletRpcUrl ? { rpcUrl: s.foreign.walletRpcUrl } : {}) });
