// A whole local geth fleet from resolved values: ports from one block, static peering by enode over loopback,
// one run spec per node (authorities first, then the optional non-signing RPC node).
import { ConsortiumSpec } from "../../spec/consortium";
import { GethGenesis } from "../genesis/clique";
import { keystoreFileName, KeystoreV3 } from "../keys/keystore";
import { enodeUrl } from "../keys/nodeKey";
import { NodePorts, RunSpec } from "../runSpec";
import { renderGethNode } from "./node";

export const LOCAL_HOST = "127.0.0.1";
export const RPC_NODE_NAME = "rpc";

export interface LocalFleetNode {
  name: string;
  nodePublicKey: string;
  /** Present for sealing authorities. */
  signer?: { address: string; keystore: string };
}

export interface LocalFleetInput {
  spec: ConsortiumSpec;
  geth: string;
  genesis: GethGenesis;
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

export function localEnodes(nodes: readonly Pick<LocalFleetNode, "nodePublicKey">[], basePort: number): string[] {
  return nodes.map((n, i) => enodeUrl(n.nodePublicKey, LOCAL_HOST, nodePorts(basePort, i).p2p));
}

export function renderLocalFleet(input: LocalFleetInput): RunSpec[] {
  const enodes = localEnodes(input.nodes, input.basePort);
  const peers = [...enodes, ...input.externalPeers];
  return input.nodes.map((node, i) =>
    renderGethNode({
      name: node.name,
      geth: input.geth,
      networkId: input.spec.networkId,
      genesis: input.genesis,
      ports: nodePorts(input.basePort, i),
      host: LOCAL_HOST,
      staticPeers: peers.filter((p) => p !== enodes[i]),
      gasLimit: input.spec.gasLimit,
      verbosity: input.spec.fleet.verbosity,
      ...(node.signer
        ? {
            signer: {
              address: node.signer.address,
              keystore: node.signer.keystore,
              keystoreFile: keystoreFileName(JSON.parse(node.signer.keystore) as KeystoreV3),
            },
          }
        : {}),
    }),
  );
}
