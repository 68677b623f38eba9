// Port slots of a local fleet that survive validator changes: a node's ports follow its slot, so when an authority
// joins or retires no other node moves (a moved node would restart onto ports a retiring node still holds).
import { AuthoritySpec } from "../../spec/consortium";

export interface LocalSlots {
  /** Slot of each authority this stack runs, retired ones included (their slots stay reserved). */
  authorities: Map<string, number>;
  rpc: number;
}

/** Genesis authorities in spec order, then the RPC node, then joined ones: without changes, the historic layout. */
export function localSlots(authorities: readonly AuthoritySpec[]): LocalSlots {
  const own = authorities.filter((a) => !a.external || a.external.keyDir);
  const genesis = own.filter((a) => !a.joinedAfterGenesis);
  const joined = own.filter((a) => a.joinedAfterGenesis);
  return {
    authorities: new Map([...genesis.map((a, i) => [a.name, i] as const), ...joined.map((a, j) => [a.name, genesis.length + 1 + j] as const)]),
    rpc: genesis.length,
  };
}
