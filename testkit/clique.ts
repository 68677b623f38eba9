// Who sealed a Clique block: recovers the signer from the header's seal, the way geth's clique.ecrecover does,
// so tests and benchmarks check sealing without trusting the node's own `clique_getSigner`.
import { encodeRlp, getBytes, hexlify, JsonRpcProvider, keccak256, recoverAddress, Signature, toBeArray } from "ethers";

/** The raw JSON-RPC block header fields the seal hash covers. */
export interface RawHeader {
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  logsBloom: string;
  difficulty: string;
  number: string;
  gasLimit: string;
  gasUsed: string;
  timestamp: string;
  extraData: string;
  mixHash: string;
  nonce: string;
  baseFeePerGas?: string;
}

const SEAL_LENGTH = 65;
const int = (q: string) => hexlify(toBeArray(BigInt(q)));

/** keccak256 of the RLP header with the 65-byte seal cut from extraData (geth's clique.SealHash, pre-Shanghai). */
export function cliqueSealHash(h: RawHeader): string {
  const extra = getBytes(h.extraData);
  const fields = [
    h.parentHash,
    h.sha3Uncles,
    h.miner,
    h.stateRoot,
    h.transactionsRoot,
    h.receiptsRoot,
    h.logsBloom,
    int(h.difficulty),
    int(h.number),
    int(h.gasLimit),
    int(h.gasUsed),
    int(h.timestamp),
    hexlify(extra.slice(0, extra.length - SEAL_LENGTH)),
    h.mixHash,
    h.nonce,
    ...(h.baseFeePerGas !== undefined ? [int(h.baseFeePerGas)] : []),
  ];
  return keccak256(encodeRlp(fields));
}

export function cliqueSigner(h: RawHeader): string {
  const extra = getBytes(h.extraData);
  if (extra.length < 32 + SEAL_LENGTH) throw new Error(`block ${h.number}: extraData too short for a Clique seal`);
  const seal = extra.slice(extra.length - SEAL_LENGTH);
  const sig = Signature.from({ r: hexlify(seal.slice(0, 32)), s: hexlify(seal.slice(32, 64)), v: 27 + seal[64] });
  return recoverAddress(cliqueSealHash(h), sig);
}

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
