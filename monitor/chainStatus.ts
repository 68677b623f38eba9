// What the operators' dashboard and alerts say of the chain, from the last blocks alone (pure): the head and its age,
// the block time, and for each signer when it last sealed and its share of the blocks. A Clique signer seals at least
// its in-turn block every `signers` blocks while it is up, so one that sealed none of the last 2 × `signers` blocks is
// missing. Clique stops when fewer than ⌊n/2⌋+1 signers seal (each may seal once per that many blocks): the fault
// margin is how many more signers the chain can lose. A Clique block sealed out of turn (difficulty 1) is a turn its
// in-turn signer missed: block n's turn is the signer at n mod N of the signers sorted by address, as geth's
// `Snapshot.inturn` has it (with the configured signers: a vote not yet counted skews it until it is).

export interface SealedBlock {
  number: number;
  /** Unix seconds. */
  timestamp: number;
  /** The address that sealed it (Clique: recovered from the seal; AuRa, QBFT: the block's author). */
  signer: string;
  /** Clique: whether its in-turn signer sealed it (difficulty 2); absent for the other engines. */
  inTurn?: boolean;
}

export interface SignerRef {
  name: string;
  address: string;
}

export interface SignerStatus extends SignerRef {
  /** Last block it sealed in the window, or null. */
  lastSealed: number | null;
  /** Blocks since then (at least the window's length when it sealed none of them). */
  blocksSinceSealed: number;
  /** Blocks it sealed in the window, and their share of the window. */
  sealed: number;
  share: number;
  missing: boolean;
  /** Clique: its turns in the window that another signer sealed; null for the other engines. */
  missedTurns: number | null;
}

export interface ChainStatus {
  head: number;
  headTimestamp: number;
  headAgeSeconds: number;
  /** Mean seconds between the window's blocks, null with fewer than two. */
  blockTimeSeconds: number | null;
  window: { from: number; to: number };
  signers: SignerStatus[];
  liveSigners: number;
  neededSigners: number;
  /** Live signers beyond those needed: how many more the chain can lose and still seal (negative: it cannot seal). */
  faultMargin: number;
}

/** Clique: how many of each signer's turns (by lower-case address) were sealed out of turn; undefined for other engines. */
function missedTurns(blocks: readonly SealedBlock[], signers: readonly SignerRef[]): Map<string, number> | undefined {
  if (signers.length === 0 || blocks.some((b) => b.inTurn === undefined)) return undefined;
  // Fixed-length lower-case hex sorts as the addresses' numbers do.
  const order = signers.map((s) => s.address.toLowerCase()).sort();
  const missed = new Map<string, number>();
  for (const b of blocks) {
    if (b.inTurn) continue;
    const due = order[b.number % order.length];
    missed.set(due, (missed.get(due) ?? 0) + 1);
  }
  return missed;
}

/** Signers that must seal for a Clique chain to go on: ⌊n/2⌋+1. */
export const neededSigners = (n: number) => Math.floor(n / 2) + 1;

/** The status from the window's blocks (any order, no gaps needed) and the configured signers, at `nowSeconds`. */
export function chainStatus(blocks: readonly SealedBlock[], signers: readonly SignerRef[], nowSeconds: number): ChainStatus {
  if (blocks.length === 0) throw new Error("the chain has sealed no block yet");
  const sorted = [...blocks].sort((a, b) => a.number - b.number);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const length = last.number - first.number + 1;
  const missingAfter = 2 * signers.length;
  const missed = missedTurns(sorted, signers);
  const statuses = signers.map((s): SignerStatus => {
    const own = sorted.filter((b) => b.signer.toLowerCase() === s.address.toLowerCase());
    const lastSealed = own.length > 0 ? own[own.length - 1].number : null;
    const blocksSinceSealed = lastSealed === null ? length : last.number - lastSealed;
    const missedTurnsOf = missed ? (missed.get(s.address.toLowerCase()) ?? 0) : null;
    return { ...s, lastSealed, blocksSinceSealed, sealed: own.length, share: own.length / sorted.length, missing: blocksSinceSealed > missingAfter, missedTurns: missedTurnsOf };
  });
  const live = statuses.filter((s) => !s.missing).length;
  const needed = neededSigners(signers.length);
  return {
    head: last.number,
    headTimestamp: last.timestamp,
    headAgeSeconds: Math.max(0, nowSeconds - last.timestamp),
    blockTimeSeconds: sorted.length > 1 ? (last.timestamp - first.timestamp) / (last.number - first.number) : null,
    window: { from: first.number, to: last.number },
    signers: statuses,
    liveSigners: live,
    neededSigners: needed,
    faultMargin: live - needed,
  };
}
