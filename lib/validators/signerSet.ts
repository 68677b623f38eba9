// Carries a voted validator-set change out on a running chain: each signer node of this stack that stays proposes
// every change on its own node, and the engine casts the votes as those nodes seal. Waits (bounded) until the live
// set is the desired one, then withdraws every leftover proposal. Used by the signer-set dynamic provider.
// Signer nodes serve no HTTP (their key is unlocked): the votes go over each node's IPC socket, which only the node's
// user reaches (lib/ipc.ts).
import { getAddress } from "ethers";
import { planSignerChange, proposals, sameSet, SignerChangePlan, staleProposals } from "../../render/validators/plan";
import { VOTE_METHODS, VotingEngine } from "../../render/validators/votes";
import { jsonRpcCall } from "../ipc";

export interface SignerNode {
  name: string;
  address: string;
  /** The node's own JSON-RPC endpoint exposing the engine's vote API: the absolute path of its IPC socket (or a URL). */
  endpoint: string;
}

export interface SignerSetInputs {
  engine: VotingEngine;
  /** Signer nodes this stack runs (retired authorities' nodes are not among them). */
  nodes: SignerNode[];
  /** Addresses the chain should have as signers. */
  desired: string[];
  /** Bound on the whole change, seconds. */
  timeoutSeconds: number;
}

export interface SignerSetState extends SignerSetInputs {
  /** The live signer set as last observed (empty when no node answered). */
  signers: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const rpc = <T>(endpoint: string, [method, params]: [string, unknown[]]): Promise<T> => jsonRpcCall<T>(endpoint, method, params, 5000);

/** The signer set at the head, from the first node that answers; undefined if none does. */
export async function liveSigners(engine: VotingEngine, nodes: readonly SignerNode[]): Promise<string[] | undefined> {
  for (const node of nodes) {
    const signers = await rpc<string[]>(node.endpoint, VOTE_METHODS[engine].signers()).catch(() => undefined);
    if (signers) return signers.map((s) => getAddress(s));
  }
  return undefined;
}

const blockNumber = (endpoint: string) => rpc<string>(endpoint, ["eth_blockNumber", []]).then(Number);

/** A joining node votes and seals only once it has the chain: wait until it is within 2 blocks of the head. */
async function synced(node: SignerNode, reference: SignerNode): Promise<boolean> {
  const [mine, head] = await Promise.all([blockNumber(node.endpoint).catch(() => -1), blockNumber(reference.endpoint).catch(() => -1)]);
  return mine >= 0 && mine >= head - 2;
}

/** Makes each voter's pending proposals exactly its share of `plan` (idempotent: unchanged proposals stay). */
async function castVotes(engine: VotingEngine, nodes: readonly SignerNode[], desired: readonly string[], plan: SignerChangePlan) {
  const methods = VOTE_METHODS[engine];
  const byVoter = new Map(nodes.map((n) => [n.address.toLowerCase(), n]));
  const wanted = proposals(plan);
  for (const node of nodes) {
    const pending = await rpc<Record<string, boolean>>(node.endpoint, methods.pending());
    for (const address of staleProposals(pending, desired, false)) await rpc(node.endpoint, methods.discard(address));
    for (const p of wanted.filter((w) => byVoter.get(w.voter.toLowerCase()) === node)) {
      const current = Object.entries(pending).find(([a]) => a.toLowerCase() === p.address.toLowerCase())?.[1];
      if (current !== p.authorize) await rpc(node.endpoint, methods.propose(p.address, p.authorize));
    }
  }
}

async function discardAll(engine: VotingEngine, nodes: readonly SignerNode[], desired: readonly string[]) {
  const methods = VOTE_METHODS[engine];
  for (const node of nodes) {
    const pending = await rpc<Record<string, boolean>>(node.endpoint, methods.pending());
    for (const address of staleProposals(pending, desired, true)) await rpc(node.endpoint, methods.discard(address));
  }
}

/**
 * One round of a change: plans it from the live set and casts this stack's votes (once joining signers have synced).
 * `leftToOthers` when this stack's signers cannot pass the change alone: a federated member's stack holds its own
 * signer only, so it casts its votes and leaves the rest to the other members' stacks instead of waiting for votes no
 * process of its own will cast; its next `up` (or refresh) finds the change done.
 */
async function voteRound(engine: VotingEngine, nodes: readonly SignerNode[], live: string[], desired: readonly string[]): Promise<{ status: string; leftToOthers: boolean }> {
  const plan = planSignerChange(live, desired, nodes.map((n) => n.address));
  if (plan.impossible) throw new Error(`cannot change the signers from [${live.join(", ")}] to [${desired.join(", ")}]: ${plan.impossible}`);
  const voters = nodes.filter((n) => plan.voters.some((v) => v.toLowerCase() === n.address.toLowerCase()));
  const joining = nodes.filter((n) => plan.add.some((a) => a.toLowerCase() === n.address.toLowerCase()));
  const unsynced: string[] = [];
  for (const node of joining) if (voters[0] && !(await synced(node, voters[0]))) unsynced.push(node.name);
  const progress = `signers ${live.length}, adding [${plan.add.join(", ")}], removing [${plan.remove.join(", ")}]: `;
  if (unsynced.length > 0) return { status: `${progress}waiting for ${unsynced.join(", ")} to sync before voting`, leftToOthers: false };
  await castVotes(engine, voters, desired, plan);
  const cast = `${plan.voters.length} vote(s) cast here (${voters.map((v) => v.name).join(", ") || "none: no signer of this stack stays"}), ${plan.needed} needed per change`;
  const leftToOthers = plan.voters.length < plan.needed;
  return { status: progress + cast + (leftToOthers ? "; the other members' signers vote from their own stacks" : ""), leftToOthers };
}

/**
 * Votes until the live signer set equals `desired`; throws with the reason when it cannot, or after the timeout. When
 * this stack's signers cannot pass the change alone, it casts their votes and returns the live set as it is.
 */
export async function applySignerSet(inputs: SignerSetInputs, log: (line: string) => void = () => {}): Promise<SignerSetState> {
  const { engine, nodes, desired } = inputs;
  const deadline = Date.now() + inputs.timeoutSeconds * 1000;
  let last = "";
  for (;;) {
    const live = await liveSigners(engine, nodes);
    if (live && sameSet(live, desired)) {
      await discardAll(engine, nodes, desired);
      return { ...inputs, signers: live };
    }
    let status = `no node of ${nodes.map((n) => n.name).join(", ")} answers ${VOTE_METHODS[engine].signers()[0]}`;
    if (live) {
      const round = await voteRound(engine, nodes, live, desired);
      if (round.leftToOthers) {
        log(round.status);
        return { ...inputs, signers: live };
      }
      status = round.status;
    }
    if (status !== last) log(status);
    last = status;
    if (Date.now() > deadline) throw new Error(`the signer set did not reach [${desired.join(", ")}] within ${inputs.timeoutSeconds}s: ${status}`);
    await sleep(1000);
  }
}
