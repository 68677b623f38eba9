// The key material a fleet is rendered from, as plain values (from a stack's state, or generated in tests).
import { computeAddress } from "ethers";
import { ContainerNode } from "../../render/containerFleet";
import { RPC_NODE_NAME, RunSpec } from "../../render/runSpec";
import { resolveSecretFiles } from "../../render/secrets";
import { sealsWithNodeKey } from "../../spec/clients";
import { ConsortiumSpec } from "../../spec/consortium";

export interface NodeKeys {
  name: string;
  /** devp2p node private key (hex). */
  nodeKey: string;
  nodePublicKey: string;
  /** Keystore signer (Clique / AuRa authorities). */
  signer?: { address: string; keystore: string; password: string };
}

export interface FleetKeys {
  /** Authorities first (spec order), then the RPC node if the fleet has one. */
  nodes: NodeKeys[];
  /** Extra genesis balances (the dev account). */
  extraAlloc: Record<string, bigint>;
}

/** The container nodes and the chain's validators for `keys`. */
export function containerNodes(spec: ConsortiumSpec, keys: FleetKeys): { nodes: ContainerNode[]; validators: string[] } {
  const byNodeKey = sealsWithNodeKey(spec.engine);
  const rpcMember = spec.authorities[0].member;
  const nodes = keys.nodes.map((k): ContainerNode => {
    const authority = spec.authorities.find((a) => a.name === k.name);
    return {
      name: k.name,
      member: authority?.member ?? rpcMember,
      nodePublicKey: k.nodePublicKey,
      sealer: k.name !== RPC_NODE_NAME,
      ...(k.signer && !byNodeKey ? { signer: { address: k.signer.address, keystore: k.signer.keystore } } : {}),
    };
  });
  const validators = keys.nodes
    .filter((k) => k.name !== RPC_NODE_NAME)
    .map((k) => (byNodeKey ? computeAddress("0x04" + k.nodePublicKey) : k.signer!.address));
  return { nodes, validators };
}

/** Secret file contents for `secretFiles` (path → source) of the node holding `keys`. */
export function nodeSecrets(secretFiles: RunSpec["secretFiles"], keys: NodeKeys): Record<string, string> {
  return resolveSecretFiles(secretFiles, { nodeKey: keys.nodeKey, ...(keys.signer ? { password: keys.signer.password } : {}) });
}
