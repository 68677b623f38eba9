// A consortium's node fleet from resolved values, whatever the target: which nodes the stack runs (each authority it
// holds keys for, then each of their members' RPC node), their ports from their sites (render/site.ts), static
// peering by enode, and one run spec per node by the spec's client. Targets differ only in the sites they give.
import { ConsortiumSpec, rpcNodeName } from "../settings/consortium";
import { Client } from "../settings/clients";
import { parseEndpoint } from "../settings/fields";
import type { PermissionsSpec } from "../settings/permissions";
import { CLIENT_BINARY, renderNode, SEALER_IPC_PATH } from "./clients";
import { enodeUrl } from "./keys/nodeKey";
import { NodeRole } from "./nodeWorkload";
import { ChainFile, NodePorts, RunSpec } from "./runSpec";
import { Site, SiteRequest, SitesOptions } from "./site";
import { localSlots } from "./validators/slots";

export const CONTAINER_RPC_PORT = 8545;
export const CONTAINER_AUTHRPC_PORT = 8551;
/** geth's default metrics port, for every client in a container (each has its own network namespace). */
export const CONTAINER_METRICS_PORT = 6060;
export const FIRST_P2P_PORT = 30303;
/** Ports a local node takes in its fleet's block. */
export const LOCAL_PORTS_PER_NODE = 3;

/** A node of the fleet before any key exists: what it is, whose, and (local processes) its port slot. */
export interface FleetNodeShape {
  name: string;
  member: string;
  role: NodeRole;
  /** Its slot in a local fleet's port block (render/validators/slots.ts): stable when authorities join or retire. */
  slot: number;
}

/**
 * The nodes a fleet runs for `authorities` (names of the non-retired authorities this stack runs, spec order): each
 * authority, then — with `fleet.rpcNode` — one RPC node per member of those authorities, `rpc-<member>`, in the order
 * of the members' first authority.
 */
export function fleetLayout(spec: ConsortiumSpec, authorities: readonly string[]): FleetNodeShape[] {
  // Only local processes share a port block; containers have a network namespace each.
  const slots = spec.fleet.target === "local" ? localSlots(spec.authorities, { rpcNodes: spec.fleet.rpcNode }) : undefined;
  const memberOf = (name: string) => {
    const a = spec.authorities.find((x) => x.name === name);
    if (!a) throw new Error(`fleet: authority ${name} is not in the spec`);
    return a.member;
  };
  const slotOf = (map: Map<string, number> | undefined, key: string, position: number) => {
    if (!map) return position;
    const slot = map.get(key);
    if (slot === undefined) throw new Error(`fleet: no port slot for ${key}`);
    return slot;
  };
  const own = authorities.map((name, i): FleetNodeShape => ({ name, member: memberOf(name), role: "authority", slot: slotOf(slots?.authorities, name, i) }));
  const members = spec.fleet.rpcNode ? [...new Set(own.map((a) => a.member))] : [];
  return [...own, ...members.map((member, k): FleetNodeShape => ({ name: rpcNodeName(member), member, role: "rpc", slot: slotOf(slots?.rpcNodes, member, own.length + k) }))];
}

/**
 * Local processes: the group whose port block holds the nodes' metrics ports, one per node slot. The nodes' own block
 * is full (three ports a slot, render/validators/slots.ts), and a fourth port per slot would move every node of an
 * existing stack onto ports its neighbours still hold while they restart in turn.
 */
export const NODE_METRICS_GROUP = "fleet-metrics";

/** Local processes: each node's metrics port, at its slot of the metrics block (stable as its other ports are). */
export const localMetricsPorts = (metricsBase: number, nodes: readonly Pick<FleetNodeShape, "slot">[]): number[] => nodes.map((n) => metricsBase + n.slot);

/** A node's p2p port: its site's first for a local process; in a container from 30303 up, so it can be published unchanged on a host the fleet spans. */
const p2pPortAt = (site: Pick<Site, "portBase">, index: number): number => site.portBase ?? FIRST_P2P_PORT + index;

/**
 * A node's ports from its site: three of its own on this machine for a local process, and its `metricsPort` from the
 * metrics block (localMetricsPorts); in a container the same for every node but p2p.
 */
export function nodePortsAt(site: Pick<Site, "portBase">, index: number, metricsPort?: number): NodePorts {
  const p2p = p2pPortAt(site, index);
  if (site.portBase === undefined) return { p2p, http: CONTAINER_RPC_PORT, authrpc: CONTAINER_AUTHRPC_PORT, metrics: CONTAINER_METRICS_PORT };
  if (metricsPort === undefined) throw new Error(`a local node (ports from ${site.portBase}) needs its metrics port from the fleet's metrics block`);
  return { p2p, http: p2p + 1, authrpc: p2p + 2, metrics: metricsPort };
}

/** Host port of the first RPC node on each Docker engine (the next ones on that engine count up). */
export const DEFAULT_RPC_HOST_PORT = 8545;

/** The sites of a fleet's nodes: they dial each other; RPC nodes publish their RPC port on their member's bind address. */
export function nodeSitesOptions(rpcHostPort = DEFAULT_RPC_HOST_PORT): SitesOptions {
  return { peers: true, portsEach: LOCAL_PORTS_PER_NODE, publish: { firstHostPorts: { rpc: rpcHostPort }, on: "rpcBind" } };
}

/**
 * A node's site request: only RPC nodes serve clients (sealers serve no HTTP, only their IPC socket), and not even
 * they when `gated`: the stack's permissions put a policy gateway in front of them, which clients reach instead.
 */
export function nodeSiteRequest(n: Pick<FleetNodeShape, "name" | "member" | "role"> & { slot?: number }, client: Client, gated = false): SiteRequest {
  const ipc = n.role === "authority" ? SEALER_IPC_PATH[client] : undefined;
  return { name: n.name, member: n.member, ...(n.slot !== undefined ? { slot: n.slot } : {}), serves: n.role === "rpc" && !gated ? ["rpc"] : [], ...(ipc ? { sockets: [ipc] } : {}) };
}

/** A node with its keys' public parts. */
export interface FleetNodeKeys {
  name: string;
  member: string;
  nodePublicKey: string;
  /** Sealer with a keystore (Clique / AuRa). */
  signer?: { address: string; keystore: string };
  /** Sealer (QBFT validators seal with their node key). */
  sealer: boolean;
  /**
   * A member's authority run on the member's own host (local processes): its ceremony endpoint, `host:port`, where the
   * other members' nodes dial it. It listens for p2p on that port and advertises that host instead of loopback.
   */
  endpoint?: string;
}

/** Where peers dial a node: its member's endpoint for a local process that has one, else its site's address and p2p port. */
function p2pAddress(node: Pick<FleetNodeKeys, "endpoint">, site: Site, index: number): { host: string; port: number } {
  if (node.endpoint !== undefined && site.portBase !== undefined) {
    // Validated by the settings: a malformed endpoint never reaches render.
    return parseEndpoint(node.endpoint)!;
  }
  return { host: site.address, port: p2pPortAt(site, index) };
}

export function fleetEnodes(nodes: readonly Pick<FleetNodeKeys, "nodePublicKey" | "endpoint">[], sites: readonly Site[]): string[] {
  return nodes.map((n, i) => {
    const at = p2pAddress(n, sites[i], i);
    return enodeUrl(n.nodePublicKey, at.host, at.port);
  });
}

export interface FleetInput {
  spec: ConsortiumSpec;
  chain: ChainFile;
  nodes: FleetNodeKeys[];
  /** Each node's site, in node order. */
  sites: Site[];
  /** enode URLs of nodes run elsewhere. */
  externalPeers: string[];
  /** Local processes: each node's metrics port, in node order (localMetricsPorts). */
  metricsPorts?: number[];
  /** The client's executable: a path on this machine for local processes; default: the binary in its image. */
  command?: string;
  /** The policy the nodes enforce themselves (Besu's account allowlist), with the stack's own accounts. */
  permissions?: PermissionsSpec;
}

export function renderFleet(input: FleetInput): RunSpec[] {
  const enodes = fleetEnodes(input.nodes, input.sites);
  const peers = [...enodes, ...input.externalPeers];
  return input.nodes.map((node, i) => {
    const p2p = p2pAddress(node, input.sites[i], i);
    return renderNode({
      spec: input.spec,
      name: node.name,
      command: input.command ?? CLIENT_BINARY[input.spec.client],
      chain: input.chain,
      ports: { ...nodePortsAt(input.sites[i], i, input.metricsPorts?.[i]), p2p: p2p.port },
      bindHost: input.sites[i].bindHost,
      advertisedHost: p2p.host,
      staticPeers: peers.filter((p) => p !== enodes[i]),
      sealer: node.sealer,
      ...(node.signer ? { signer: node.signer } : {}),
      ...(input.permissions ? { permissions: input.permissions } : {}),
    });
  });
}
