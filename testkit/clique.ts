// Who sealed which Clique block, read from a test chain (the recovery itself: lib/eth/clique.ts).
import { JsonRpcProvider } from "ethers";
import { cliqueSigner, RawHeader } from "../lib/eth/clique";

/** Signers of blocks [from, to] (inclusive), in order. */
export async function blockSigners(rpcUrl: string, from: number, to: number): Promise<string[]> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  try {
    const out: string[] = [];
    for (let n = from; n <= to; n++) {
      const raw = (await provider.send("eth_getBlockByNumber", ["0x" + n.toString(16), false])) as RawHeader | null;
      if (!raw) throw new Error(`block ${n} not found at ${rpcUrl}`);
      out.push(cliqueSigner(raw));
    }
    return out;
  } finally {
    provider.destroy();
  }
}

/** Polls until the chain at `rpcUrl` reaches `height`, or throws after `timeoutMs`. */
export async function waitForBlock(rpcUrl: string, height: number, timeoutMs: number): Promise<number> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, polling: false });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const n = await provider.getBlockNumber().catch(() => -1);
      if (n >= height) return n;
      if (Date.now() > deadline) throw new Error(`${rpcUrl} stayed at block ${n} (< ${height}) for ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    provider.destroy();
  }
}

/**
 * Waits until `window` consecutive blocks at the head were sealed by exactly the signers in `expected` (each at
 * least once); returns their signers. A node that just started must sync before it takes its turns again.
 */
export async function waitForSealingBy(rpcUrl: string, expected: readonly string[], window: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const want = new Set(expected.map((a) => a.toLowerCase()));
  let last: string[] = [];
  for (;;) {
    const head = await waitForBlock(rpcUrl, window, Math.max(1, deadline - Date.now()));
    last = await blockSigners(rpcUrl, head - window + 1, head);
    const seen = new Set(last.map((a) => a.toLowerCase()));
    if (seen.size === want.size && [...want].every((a) => seen.has(a))) return last;
    if (Date.now() > deadline) {
      throw new Error(`blocks ${head - window + 1}..${head} were sealed by ${[...seen].join(", ")}; expected every one of ${[...want].join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
