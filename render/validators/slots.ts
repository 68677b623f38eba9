// Port slots of a local fleet that survive validator changes: a node's ports follow its slot, so when an authority
// joins or retires no other node moves (a moved node would restart onto ports a retiring node still holds).
import { allMembers, AuthoritySpec } from "../../settings/consortium";

/** Slots in a stack's port block: 100 ports (lib/ports.ts PORT_BLOCK_SIZE), three per node. */
export const LOCAL_SLOT_COUNT = 33;

export interface LocalSlots {
  /** Slot of each authority this stack runs, retired ones included (their slots stay reserved). */
  authorities: Map<string, number>;
  /**
   * Slot of each member's RPC node (rpc-<member>), by member, whether or not it runs one now: the first member takes
   * the slot of the single RPC node of earlier versions (right after the genesis authorities), the others count down
   * from the top of the block, so neither joined authorities nor new members move a node.
   */
  rpcNodes: Map<string, number>;
}

/**
 * Genesis authorities in spec order, then the first member's RPC node, then joined ones; the other members' RPC
 * nodes from the last slot down (`rpcNodes: false`: none). settings/fleet.ts keeps authorities + members within the
 * block, so the two ends never meet.
 */
export function localSlots(authorities: readonly AuthoritySpec[], opts: { rpcNodes: boolean } = { rpcNodes: true }): LocalSlots {
  const own = authorities.filter((a) => !a.external || a.external.keyDir);
  const genesis = own.filter((a) => !a.joinedAfterGenesis);
  const joined = own.filter((a) => a.joinedAfterGenesis);
  const members = opts.rpcNodes ? allMembers(authorities) : [];
  const slots: LocalSlots = {
    authorities: new Map([...genesis.map((a, i) => [a.name, i] as const), ...joined.map((a, j) => [a.name, genesis.length + 1 + j] as const)]),
    rpcNodes: new Map(members.map((member, k) => [member, k === 0 ? genesis.length : LOCAL_SLOT_COUNT - k] as const)),
  };
  // From below: authorities and the first member's RPC node; from above: the other members' RPC nodes.
  const highest = Math.max(members.length > 0 ? genesis.length : -1, ...slots.authorities.values());
  const lowest = members.length > 1 ? LOCAL_SLOT_COUNT - (members.length - 1) : LOCAL_SLOT_COUNT;
  if (highest >= lowest || highest >= LOCAL_SLOT_COUNT) {
    throw new Error(`${own.length} authorities and ${slots.rpcNodes.size} member RPC nodes do not fit the ${LOCAL_SLOT_COUNT - 1} node slots of a local port block: run fewer authorities here`);
  }
  return slots;
}
