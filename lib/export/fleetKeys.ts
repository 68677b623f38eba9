// The key material a fleet is rendered from, as plain values (from a stack's state, or generated in tests).
import { computeAddress } from "ethers";
import { FleetNodeKeys } from "../../render/fleet";
import { RunSpec } from "../../render/runSpec";
import { resolveSecretFiles } from "../../render/secrets";
import { sealsWithNodeKey } from "../../settings/clients";
import { ConsortiumSpec, RPC_NODE_NAME, rpcMembers, rpcNodeName } from "../../settings/consortium";

export interface NodeKeys {
  name: string;
  /** devp2p node private key (hex). */
  nodeKey: string;
  nodePublicKey: string;
  /** Keystore signer (Clique / AuRa authorities). */
  signer?: { address: string; keystore: string; password: string };
}

export interface FleetKeys {
  /** Authorities first (spec order), then the members' RPC nodes (`rpc-<member>`, rpcMembers order) if the fleet has them. */
  nodes: NodeKeys[];
  /** Extra genesis balances (the dev account). */
  extraAlloc: Record<string, bigint>;
}

/** The member whose RPC node `name` is (`rpc-<member>`), or undefined for any other name. */
function rpcNodeMember(spec: ConsortiumSpec, name: string): string | undefined {
  return spec.authorities.map((a) => a.member).find((m) => rpcNodeName(m) === name);
}

/** The fleet's nodes and the chain's validators for `keys`. */
export function fleetNodes(spec: ConsortiumSpec, keys: FleetKeys): { nodes: FleetNodeKeys[]; validators: string[] } {
  const byNodeKey = sealsWithNodeKey(spec.engine);
  const isAuthority = (k: NodeKeys) => spec.authorities.some((a) => a.name === k.name);
  const nodes = keys.nodes.map((k): FleetNodeKeys => {
    const authority = spec.authorities.find((a) => a.name === k.name);
    const member = authority?.member ?? rpcNodeMember(spec, k.name);
    if (member === undefined) {
      throw new Error(`export: node ${k.name} is neither an authority nor a member's RPC node (${rpcNodeName("<member>")})${k.name === RPC_NODE_NAME ? ": the single RPC node of earlier versions is one per member now" : ""}`);
    }
    return {
      name: k.name,
      member,
      nodePublicKey: k.nodePublicKey,
      sealer: authority !== undefined,
      ...(k.signer && !byNodeKey ? { signer: { address: k.signer.address, keystore: k.signer.keystore } } : {}),
    };
  });
  const validators = keys.nodes.filter(isAuthority).map((k) => (byNodeKey ? computeAddress("0x04" + k.nodePublicKey) : k.signer!.address));
  return { nodes, validators };
}

/**
 * The nodes an export renders, by the names of the stack's key resources: each authority this stack generated
 * (`<authority>-node`, `<authority>-signer`) and each member's RPC node (`fleet-rpc-<member>-node`).
 */
export function fleetKeyResources(spec: ConsortiumSpec): { node: string; nodeKey: string; signer?: string }[] {
  const own = spec.authorities.filter((a) => !a.external && !a.retired);
  return [
    ...own.map((a) => ({ node: a.name, nodeKey: `${a.name}-node`, signer: `${a.name}-signer` })),
    ...rpcMembers({ ...spec, authorities: own }).map((m) => ({ node: rpcNodeName(m), nodeKey: `fleet-${rpcNodeName(m)}-node` })),
  ];
}

/** Secret file contents for `secretFiles` (path → source) of the node holding `keys`. */
export function nodeSecrets(secretFiles: RunSpec["secretFiles"], keys: NodeKeys): Record<string, string> {
  return resolveSecretFiles(secretFiles, { nodeKey: keys.nodeKey, ...(keys.signer ? { password: keys.signer.password, keystore: keys.signer.keystore } : {}) });
}
