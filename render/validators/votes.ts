// The JSON-RPC calls that carry a voted validator change on each engine: Clique on geth (`clique` API) and QBFT on
// Besu (`QBFT` API). The signer-set provider runs them against this stack's signer nodes over their IPC sockets
// (geth sealers serve no HTTP); for fleets it cannot reach they are rendered as requests for the operator to send on
// each validator's own node (Besu validators serve HTTP on their container's loopback only, for exactly this).
import { planSignerChange, proposals, SignerChangePlan } from "./plan";

export type VotingEngine = "clique" | "qbft";

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: number;
  method: string;
  params: unknown[];
}

interface VoteMethods {
  /** The API namespace a signer node answers the votes in (geth: over IPC, which serves every namespace; Besu: HTTP on loopback). */
  api: string;
  /** Current signer / validator addresses at the head. */
  signers: () => [string, unknown[]];
  /** This node's pending proposals: address → authorize. */
  pending: () => [string, unknown[]];
  propose: (address: string, authorize: boolean) => [string, unknown[]];
  discard: (address: string) => [string, unknown[]];
}

export const VOTE_METHODS: Record<VotingEngine, VoteMethods> = {
  clique: {
    api: "clique",
    signers: () => ["clique_getSigners", []],
    pending: () => ["clique_proposals", []],
    propose: (address, authorize) => ["clique_propose", [address, authorize]],
    discard: (address) => ["clique_discard", [address]],
  },
  // Besu 24.x QBFT API (validator selection by block header votes, the default when no validator contract is set).
  qbft: {
    api: "qbft",
    signers: () => ["qbft_getValidatorsByBlockNumber", ["latest"]],
    pending: () => ["qbft_getPendingVotes", []],
    propose: (address, add) => ["qbft_proposeValidatorVote", [address, add]],
    discard: (address) => ["qbft_discardValidatorVote", [address]],
  },
};

export const rpcRequest = ([method, params]: [string, unknown[]], id = 1): JsonRpcRequest => ({ jsonrpc: "2.0", id, method, params });

export interface RenderedVotes {
  plan: SignerChangePlan;
  /** Per voting validator (address): the requests to send to its own node's RPC, in order. */
  requests: Record<string, JsonRpcRequest[]>;
}

/**
 * The vote requests that move a chain from `current` to `desired` validators, every staying validator voting on
 * its own node. Assumes the validators listed in `current` are the ones at the head (e.g. the genesis set).
 */
export function renderVotes(engine: VotingEngine, current: readonly string[], desired: readonly string[]): RenderedVotes {
  const plan = planSignerChange(current, desired, current);
  const requests: Record<string, JsonRpcRequest[]> = {};
  for (const p of proposals(plan)) {
    const list = (requests[p.voter] ??= []);
    list.push(rpcRequest(VOTE_METHODS[engine].propose(p.address, p.authorize), list.length + 1));
  }
  return { plan, requests };
}
