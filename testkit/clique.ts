// Who sealed which Clique block, read from a test chain (the recovery itself: lib/eth/clique.ts). `endpoint`: an RPC
// node's URL, or a sealer's IPC socket (a member host's RPC stays on that host's loopback; its sockets are files).
import { cliqueSigner, RawHeader } from "../lib/eth/clique";
import { jsonRpcCall } from "../lib/ipc";

/** Signers of blocks [from, to] (inclusive), in order. */
export async function blockSigners(endpoint: string, from: number, to: number): Promise<string[]> {
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const raw = await jsonRpcCall<RawHeader | null>(endpoint, "eth_getBlockByNumber", ["0x" + n.toString(16), false]);
    if (!raw) throw new Error(`block ${n} not found at ${endpoint}`);
    out.push(cliqueSigner(raw));
  }
  return out;
}

/**
 * How long a fresh fleet may take to show block 1 at its RPC node: geth re-dials a static peer whose dial failed only
 * after 35 s (p2p dialHistoryExpiration = inboundThrottleTime + 5 s), and under load the RPC node's first dial can come
 * before the sealer listens; a wait of 30 s failed in CI that way.
 */
export const FIRST_BLOCK_TIMEOUT_MS = 90_000;

/** Polls until the chain at `endpoint` reaches `height`, or throws after `timeoutMs`. */
export async function waitForBlock(endpoint: string, height: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await jsonRpcCall<string>(endpoint, "eth_blockNumber").then(Number, () => -1);
    if (n >= height) return n;
    if (Date.now() > deadline) throw new Error(`${endpoint} stayed at block ${n} (< ${height}) for ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Waits until `window` consecutive blocks at the head were sealed by exactly the signers in `expected` (each at
 * least once); returns their signers. A node that just started must sync before it takes its turns again.
 */
export async function waitForSealingBy(endpoint: string, expected: readonly string[], window: number, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  const want = new Set(expected.map((a) => a.toLowerCase()));
  let last: string[] = [];
  for (;;) {
    const head = await waitForBlock(endpoint, window, Math.max(1, deadline - Date.now()));
    last = await blockSigners(endpoint, head - window + 1, head);
    const seen = new Set(last.map((a) => a.toLowerCase()));
    if (seen.size === want.size && [...want].every((a) => seen.has(a))) return last;
    if (Date.now() > deadline) {
      throw new Error(`blocks ${head - window + 1}..${head} were sealed by ${[...seen].join(", ")}; expected every one of ${[...want].join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

interface CliqueSnapshot {
  number: number;
  tally: Record<string, { authorize: boolean; votes: number }>;
}

/**
 * What each signer node holds of a vote in progress, for a failure message: its own pending proposals and the tally
 * at its head. Tells a vote that was lost (no proposal left, no tally) from a chain that was slow to carry it.
 */
export async function describeVotes(nodes: Record<string, string>): Promise<string> {
  const lines = await Promise.all(
    Object.entries(nodes).map(async ([name, endpoint]) => {
      try {
        const [proposals, snapshot] = await Promise.all([
          jsonRpcCall<Record<string, boolean>>(endpoint, "clique_proposals"),
          jsonRpcCall<CliqueSnapshot>(endpoint, "clique_getSnapshot", ["latest"]),
        ]);
        return `${name}: at block ${snapshot.number}, proposes ${JSON.stringify(proposals)}, tally ${JSON.stringify(snapshot.tally)}`;
      } catch (e) {
        return `${name}: ${(e as Error).message}`;
      }
    }),
  );
  return lines.join("\n");
}
