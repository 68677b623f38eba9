// Who sealed a Clique block: recovers the signer from the header's seal, the way geth's clique.ecrecover does, so
// the monitor (and tests) tell who sealed what without trusting a node's own `clique_getSigner` or exposing the clique
// API (whose propose/discard are signer votes) on an RPC node.
import { encodeRlp, getBytes, hexlify, keccak256, recoverAddress, Signature, toBeArray } from "ethers";

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
