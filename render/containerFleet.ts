// A fleet of containers (Docker hosts or Kubernetes): every node listens on its own p2p port (30303 + index) so
// the port is the same inside the container and on the host it may be published on; RPC nodes serve HTTP on 8545
// (sealers none, Besu validators on their container's loopback only).
// Peers find each other at the address `advertise` gives (a static IP on a Docker network, a member's host
// address, or a Kubernetes service DNS name).
import { ConsortiumSpec } from "../settings/consortium";
import { CLIENT_BINARY, renderNode } from "./clients";
import { enodeUrl } from "./keys/nodeKey";
import { ChainFile, NodePorts, RunSpec } from "./runSpec";

export const CONTAINER_RPC_PORT = 8545;
export const CONTAINER_AUTHRPC_PORT = 8551;
export const FIRST_P2P_PORT = 30303;
/** The node directory inside every container: its volume, and the working directory of the client. */
export const CONTAINER_NODE_DIR = "/node";

export interface ContainerNode {
  name: string;
  member: string;
  nodePublicKey: string;
  /** Sealer with a keystore (Clique / AuRa). */
  signer?: { address: string; keystore: string };
  /** Sealer (QBFT validators seal with their node key). */
  sealer: boolean;
}

export interface ContainerFleetInput {
  spec: ConsortiumSpec;
  chain: ChainFile;
  nodes: ContainerNode[];
  /** Address other nodes reach node i at. */
  advertise: (node: ContainerNode, index: number) => string;
  /** enode URLs of nodes run elsewhere. */
  externalPeers: string[];
}

export function containerPorts(index: number): NodePorts {
  return { p2p: FIRST_P2P_PORT + index, http: CONTAINER_RPC_PORT, authrpc: CONTAINER_AUTHRPC_PORT };
}

export function containerEnodes(input: Pick<ContainerFleetInput, "nodes" | "advertise">): string[] {
  return input.nodes.map((n, i) => enodeUrl(n.nodePublicKey, input.advertise(n, i), containerPorts(i).p2p));
}

export function renderContainerFleet(input: ContainerFleetInput): RunSpec[] {
  const enodes = containerEnodes(input);
  const peers = [...enodes, ...input.externalPeers];
  return input.nodes.map((node, i) =>
    renderNode({
      spec: input.spec,
      name: node.name,
      command: CLIENT_BINARY[input.spec.client],
      chain: input.chain,
      ports: containerPorts(i),
      bindHost: "0.0.0.0",
      advertisedHost: input.advertise(node, i),
      staticPeers: peers.filter((p) => p !== enodes[i]),
      sealer: node.sealer,
      ...(node.signer ? { signer: node.signer } : {}),
    }),
  );
}
