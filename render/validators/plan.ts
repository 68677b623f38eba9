// Pure planning of a voted validator-set change (Clique, QBFT): who adds or drops whom, how many votes a change
// needs, and which pending proposals are stale. No I/O: the signer-set provider feeds it what the nodes report.

/** A change passes once more than half of the current signers voted for it (Clique and QBFT alike). */
export const votesNeeded = (signers: number): number => Math.floor(signers / 2) + 1;

const key = (a: string) => a.toLowerCase();
const has = (set: readonly string[], a: string) => set.some((s) => key(s) === key(a));
const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !has(b, x));

export interface SignerChangePlan {
  /** Addresses to vote in. */
  add: string[];
  /** Addresses to vote out. */
  remove: string[];
  /** Live signers that stay, i.e. those whose votes count towards the change. */
  stayers: string[];
  /** Stayers whose nodes this stack runs: they cast the votes here; other members vote from their own stacks. */
  voters: string[];
  /** Votes the next change needs from the live signers. */
  needed: number;
  /** Why the change can never pass, if it cannot (too few signers stay to outvote the live set). */
  impossible?: string;
}

/**
 * Plans the change from the `live` signer set to `desired`, voted by the nodes of `ownSigners` that are live
 * signers. Only signers that stay vote: a retiring signer's node may already be gone.
 */
export function planSignerChange(live: readonly string[], desired: readonly string[], ownSigners: readonly string[]): SignerChangePlan {
  const add = minus(desired, live);
  const remove = minus(live, desired);
  const stayers = live.filter((s) => has(desired, s));
  const voters = stayers.filter((s) => has(ownSigners, s));
  const needed = votesNeeded(live.length);
  const plan: SignerChangePlan = { add, remove, stayers, voters, needed };
  if (add.length + remove.length > 0 && stayers.length < needed) {
    plan.impossible =
      `only ${stayers.length} of the ${live.length} live signers stay, and a change needs ${needed} votes: ` +
      `retire fewer authorities at once (at most ${live.length - needed} now), then the rest in a later update`;
  }
  return plan;
}

/** One proposal a voter makes on its own node: `authorize` true adds `address`, false drops it. */
export interface Proposal {
  voter: string;
  address: string;
  authorize: boolean;
}

/** Every voter proposes every change; the engine casts one pending vote per sealed block until each passes. */
export function proposals(plan: SignerChangePlan): Proposal[] {
  return plan.voters.flatMap((voter) => [
    ...plan.add.map((address) => ({ voter, address, authorize: true })),
    ...plan.remove.map((address) => ({ voter, address, authorize: false })),
  ]);
}

/**
 * Pending proposals of one node (address → authorize) that must go: those that contradict the desired set
 * (an out-of-band vote) and, once the set is reached, every leftover, so no vote is cast later by surprise.
 */
export function staleProposals(pending: Record<string, boolean>, desired: readonly string[], reached: boolean): string[] {
  return Object.entries(pending)
    .filter(([address, authorize]) => reached || authorize !== has(desired, address))
    .map(([address]) => address);
}

/** Same members, whatever the order and case. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return minus(a, b).length === 0 && minus(b, a).length === 0;
}
