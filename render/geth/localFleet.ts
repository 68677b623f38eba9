// A whole local geth fleet from resolved values: ports from one block, static peering by enode over loopback,
// one run spec per node (authorities first, then the optional non-signing RPC node).
import { ConsortiumSpec } from "../../spec/consortium";
import { enodeUrl } from "../keys/nodeKey";
import { ChainFile, NodePorts, RunSpec } from "../runSpec";
export { RPC_NODE_NAME } from "../runSpec";
import { renderGethNode } from "./node";

export const LOCAL_HOST = "127.0.0.1";

export interface LocalFleetNode {
  name: string;
  nodePublicKey: string;
  /** Present for sealing authorities. */
  signer?: { address: string; keystore: string };
  /** Port slot in the block (render/validators/slots.ts); default: the node's position. */
  slot?: number;
}

export interface LocalFleetInput {
  spec: ConsortiumSpec;
  geth: string;
  chain: ChainFile;
  /** First port of the stack's port block. */
  basePort: number;
  /** Authorities, then the RPC node if any. */
  nodes: LocalFleetNode[];
  /** enode URLs of nodes run elsewhere. */
  externalPeers: string[];
}

/** Ports of the i-th node of a block. */
export function nodePorts(base: number, index: number): NodePorts {
  return { p2p: base + 3 * index, http: base + 3 * index + 1, authrpc: base + 3 * index + 2 };
}

export function localEnodes(nodes: readonly Pick<LocalFleetNode, "nodePublicKey" | "slot">[], basePort: number): string[] {
  return nodes.map((n, i) => enodeUrl(n.nodePublicKey, LOCAL_HOST, nodePorts(basePort, n.slot ?? i).p2p));
}

export function renderLocalFleet(input: LocalFleetInput): RunSpec[] {
  const enodes = localEnodes(input.nodes, input.basePort);
  const peers = [...enodes, ...input.externalPeers];
  return input.nodes.map((node, i) =>
    renderGethNode({
      spec: input.spec,
      name: node.name,
      command: input.geth,
      chain: input.chain,
      ports: nodePorts(input.basePort, node.slot ?? i),
      bindHost: LOCAL_HOST,
      advertisedHost: LOCAL_HOST,
      staticPeers: peers.filter((p) => p !== enodes[i]),
      sealer: node.signer !== undefined,
      ...(node.signer ? { signer: node.signer } : {}),
    }),
  );
}
