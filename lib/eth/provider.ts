// One short-lived JSON-RPC connection to a known chain, closed whatever happens: what every deployment step and
// dynamic provider method uses (a provider left open keeps polling and holds the process).
import { JsonRpcProvider } from "ethers";

export interface ChainConnection {
  rpcUrl: string;
  chainId: number;
}

export async function withProvider<T>(c: ChainConnection, fn: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
  // staticNetwork: the chain id is known, so no eth_chainId probe (and no retry loop) before each call.
  const provider = new JsonRpcProvider(c.rpcUrl, c.chainId, { staticNetwork: true, pollingInterval: 250 });
  try {
    return await fn(provider);
  } finally {
    provider.destroy();
  }
}
