// A whole local geth fleet from resolved values: ports from one block, static peering by enode over loopback,
// one run spec per node (authorities first, then each member's non-signing RPC node).
import { posix } from "node:path";
import { ConsortiumSpec, rpcNodeName } from "../../settings/consortium";
import { enodeUrl } from "../keys/nodeKey";
import { ChainFile, MAX_UNIX_SOCKET_PATH, NodePorts, RunSpec } from "../runSpec";
import { localSlots } from "../validators/slots";
export { RPC_NODE_NAME, rpcNodeName } from "../runSpec";
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
  /** Authorities, then the RPC nodes if any. */
  nodes: LocalFleetNode[];
  /** enode URLs of nodes run elsewhere. */
  externalPeers: string[];
}

/** A node of a local fleet before any key exists: what it is, whose, and where its ports are. */
export interface LocalNodeShape {
  name: string;
  member: string;
  role: "authority" | "rpc";
  slot: number;
}

/**
 * The nodes a local fleet runs for `authorities` (names of the non-retired authorities this stack runs, spec order):
 * each authority, then — with `fleet.rpcNode` — one RPC node per member of those authorities, `rpc-<member>`, in the
 * order of the members' first authority. Slots from render/validators/slots.ts.
 */
export function localFleetLayout(spec: ConsortiumSpec, authorities: readonly string[]): LocalNodeShape[] {
  const slots = localSlots(spec.authorities, { rpcNodes: spec.fleet.rpcNode });
  const memberOf = (name: string) => {
    const a = spec.authorities.find((x) => x.name === name);
    if (!a) throw new Error(`local fleet: authority ${name} is not in the spec`);
    return a.member;
  };
  const slotOf = (map: Map<string, number>, key: string) => {
    const slot = map.get(key);
    if (slot === undefined) throw new Error(`local fleet: no port slot for ${key}`);
    return slot;
  };
  const own = authorities.map((name): LocalNodeShape => ({ name, member: memberOf(name), role: "authority", slot: slotOf(slots.authorities, name) }));
  const members = spec.fleet.rpcNode ? [...new Set(own.map((a) => a.member))] : [];
  return [...own, ...members.map((member): LocalNodeShape => ({ name: rpcNodeName(member), member, role: "rpc", slot: slotOf(slots.rpcNodes, member) }))];
}

/** Ports of the i-th node of a block. */
export function nodePorts(base: number, index: number): NodePorts {
  return { p2p: base + 3 * index, http: base + 3 * index + 1, authrpc: base + 3 * index + 2 };
}

/** The ports a local node listens on: a sealer opens no HTTP port, so its slot's HTTP port stays closed. */
export function listeningPorts(run: Pick<RunSpec, "ports" | "rpcUrl">): number[] {
  return [run.ports.p2p, ...(run.rpcUrl !== undefined ? [run.ports.http] : []), run.ports.authrpc];
}

/**
 * Where a local node answers JSON-RPC, as an absolute endpoint on this machine: its HTTP URL (RPC nodes), else the
 * absolute path of its IPC socket in `dir` (sealers), which must fit a unix socket path.
 */
export function localEndpoint(run: Pick<RunSpec, "name" | "rpcUrl" | "ipcPath">, dir: string): string {
  if (run.rpcUrl !== undefined) return run.rpcUrl;
  if (run.ipcPath === undefined) throw new Error(`${run.name}: serves neither HTTP nor IPC`);
  return ipcSocketPath(run.name, dir, run.ipcPath);
}

/**
 * The absolute path of a node's IPC socket, refused when longer than a unix socket path may be (the node itself
 * listens on the short relative path; this machine's clients need the absolute one).
 */
export function ipcSocketPath(node: string, dir: string, ipcPath: string): string {
  const path = posix.join(dir, ipcPath);
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_UNIX_SOCKET_PATH) {
    throw new Error(
      `node ${node}: its IPC socket ${path} is ${bytes} bytes, longer than the ${MAX_UNIX_SOCKET_PATH} bytes of a unix socket path, ` +
        `so the deployer could not reach it for readiness checks and validator votes. Fix: set consortium:fleet.workDir to a directory ` +
        `at most ${MAX_UNIX_SOCKET_PATH - (bytes - Buffer.byteLength(dir.replace(/\/[^/]*$/, "")))} bytes long (e.g. /var/lib/<consortium>)`,
    );
  }
  return path;
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
