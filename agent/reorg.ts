// Reorg detection on resume and before every scan: the newest stored checkpoint must still be on the node's canonical
// chain. If it is not, the scan rewinds to the newest checkpoint that is, looking back at most CHECKPOINTS_KEPT
// checkpoints; a reorg deeper than that stops the agent rather than guessing.
import { Checkpoint, Side } from "./store";

/** Where block hashes come from (the chain's RPC node; a test double in unit tests). */
export interface HeaderSource {
  /** The canonical hash of block `n`, or null if the node does not have that block (yet). */
  blockHash(n: number): Promise<string | null>;
}

export type ResumePoint =
  | { kind: "canonical" }
  /** The node is behind our cursor (a lagging or freshly synced RPC node): wait, do not rewind. */
  | { kind: "nodeBehind"; block: number }
  | { kind: "rewind"; to: Checkpoint; from: Checkpoint };

export class ReorgTooDeepError extends Error {
  constructor(
    readonly side: Side,
    readonly oldest: Checkpoint,
  ) {
    super(`${side} chain: none of the stored checkpoints down to block ${oldest.block} is canonical any more: the reorg is deeper than the agent may rewind on its own`);
    this.name = "ReorgTooDeepError";
  }
}

/**
 * `checkpoints` newest first, as the store returns them; taken one at a time, so a lazy sequence reads the older ones
 * only when the newest is not canonical.
 */
export async function findResumePoint(side: Side, checkpoints: Iterable<Checkpoint>, headers: HeaderSource): Promise<ResumePoint> {
  let newest: Checkpoint | undefined;
  let oldest: Checkpoint | undefined;
  for (const cp of checkpoints) {
    newest ??= cp;
    oldest = cp;
    const hash = await headers.blockHash(cp.block);
    // A node without a block we already processed is lagging (or resyncing), not reorged: wait for it.
    if (hash === null) return { kind: "nodeBehind", block: cp.block };
    if (hash.toLowerCase() === cp.hash.toLowerCase()) return cp === newest ? { kind: "canonical" } : { kind: "rewind", to: cp, from: newest };
  }
  if (!oldest) return { kind: "canonical" };
  throw new ReorgTooDeepError(side, oldest);
}
