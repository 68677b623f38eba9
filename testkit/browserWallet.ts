// TEST DOUBLE of a browser wallet (MetaMask and the like), for the bridge app's browser tests: an EIP-1193 provider
// injected into the page as window.ethereum, whose requests are answered in the test process with a test key. It
// knows the chains it is told of (others answer 4902 until wallet_addEthereumChain adds them, as wallets do), signs
// and sends eth_sendTransaction with the key, forwards reads to the current chain's RPC node, records what the page
// asked (added chains, watched tokens, transactions), and can reject the next signature like a holder clicking
// "Reject" (4001). It survives reloads: the page is re-injected, the wallet's state stays here.
import { getAddress, JsonRpcProvider, toQuantity, Wallet } from "ethers";
import type { Page } from "playwright-core";

export interface TestWallet {
  address: string;
  chainId(): number;
  /** Every request the page made, in order (method and params). */
  requests: { method: string; params: unknown }[];
  added: { chainId: number; chainName: string; rpcUrls: string[] }[];
  watched: unknown[];
  /** Hashes of the transactions it sent. */
  sent: string[];
  /** The next signature request is refused with 4001, as a holder rejecting it. */
  rejectNext(): void;
  close(): void;
}

interface WalletError {
  code: number;
  message: string;
}

export async function injectTestWallet(page: Page, opts: { key: string; chains: Record<number, string>; chainId: number }): Promise<TestWallet> {
  const known = new Map<number, string>([[opts.chainId, opts.chains[opts.chainId]]]);
  const providers = new Map<number, JsonRpcProvider>();
  const provider = (id: number) => {
    if (!providers.has(id)) providers.set(id, new JsonRpcProvider(known.get(id)!, id, { staticNetwork: true }));
    return providers.get(id)!;
  };
  let chainId = opts.chainId;
  let connected = false;
  let reject = false;
  const signer = new Wallet(opts.key);
  const w: TestWallet = {
    address: signer.address,
    chainId: () => chainId,
    requests: [],
    added: [],
    watched: [],
    sent: [],
    rejectNext: () => (reject = true),
    close: () => providers.forEach((p) => p.destroy()),
  };
  const fail = (code: number, message: string): never => {
    throw { code, message } satisfies WalletError;
  };

  const handle = async (method: string, params: any): Promise<unknown> => {
    w.requests.push({ method, params });
    switch (method) {
      case "eth_requestAccounts":
        connected = true;
        return [signer.address];
      case "eth_accounts":
        return connected ? [signer.address] : [];
      case "eth_chainId":
        return toQuantity(chainId);
      case "wallet_switchEthereumChain": {
        const id = Number(params[0].chainId);
        if (!known.has(id)) fail(4902, `Unrecognized chain ID ${params[0].chainId}`);
        chainId = id;
        return null;
      }
      case "wallet_addEthereumChain": {
        const p = params[0];
        const id = Number(p.chainId);
        // A wallet only adds a chain it can reach, and then switches to it.
        if (opts.chains[id] === undefined || !p.rpcUrls?.length) fail(-32602, `cannot add chain ${p.chainId}`);
        w.added.push({ chainId: id, chainName: p.chainName, rpcUrls: p.rpcUrls });
        known.set(id, p.rpcUrls[0]);
        chainId = id;
        return null;
      }
      case "wallet_watchAsset":
        w.watched.push(params);
        return true;
      case "eth_sendTransaction": {
        if (!connected) fail(4100, "not connected");
        if (reject) (reject = false), fail(4001, "User rejected the request.");
        const tx = params[0];
        if (getAddress(tx.from) !== signer.address) fail(4100, "unknown account");
        const sent = await signer.connect(provider(chainId)).sendTransaction({ to: tx.to, data: tx.data, value: tx.value ?? 0, ...(tx.gas ? { gasLimit: tx.gas } : {}) });
        w.sent.push(sent.hash);
        return sent.hash;
      }
      default:
        return provider(chainId).send(method, params ?? []);
    }
  };

  await page.exposeFunction("__testWallet", async (method: string, params: unknown) => {
    try {
      return { result: await handle(method, params) };
    } catch (e) {
      const err = e as Partial<WalletError> & { error?: { code?: number; message?: string } };
      return { error: { code: err.code ?? err.error?.code ?? -32603, message: err.message ?? err.error?.message ?? String(e) } };
    }
  });
  // Runs in the page (its `globalThis` is the window).
  await page.addInitScript(() => {
    const call = (globalThis as unknown as { __testWallet(m: string, p: unknown): Promise<{ result?: unknown; error?: WalletError }> }).__testWallet;
    (globalThis as unknown as { ethereum: unknown }).ethereum = {
      isTestWallet: true,
      async request({ method, params }: { method: string; params?: unknown }) {
        const r = await call(method, params);
        if (r.error) throw Object.assign(new Error(r.error.message), { code: r.error.code });
        return r.result;
      },
      on() {},
      removeListener() {},
    };
  });
  return w;
}
