// Where a workload listens and how the stack's other workloads dial it: its site on the target. The target plans the
// sites of a group of workloads at once (a fleet's nodes dial each other; Docker gives them static IPs on one
// engine, published ports across hosts); the workload's renderer then takes its ports and addresses from its site.

/** A workload asking for a site. */
export interface SiteRequest {
  name: string;
  member: string;
  /**
   * Local processes: its slot in the group's port block (stable across changes of the group: render/validators/slots.ts);
   * default: its position.
   */
  slot?: number;
  /** Names of its ports that serve clients (published on its Docker host). */
  serves?: string[];
  /** A target of several machines of one party (the SSH-hosts target): the machine, by name. */
  host?: string;
  /** Unix sockets it listens on, relative to its directory: a local directory must leave room for their paths. */
  sockets?: string[];
}

export interface SitesOptions {
  /** The group's workloads dial each other (a fleet's p2p): on Docker, static IPs on one engine, host addresses across hosts. */
  peers: boolean;
  /** Local processes: how many ports each workload takes in the group's block, and the block offset of the first one. */
  portsEach: number;
  firstPort?: number;
  /**
   * Docker: where ports that serve clients are published — the first host port of each port name (counted up per
   * engine in the group's order), on the member's RPC bind address (`fleet.rpcBind`, a host's own) or on loopback only.
   */
  publish?: { firstHostPorts: Record<string, number>; on: "rpcBind" | "loopback" };
}

export interface Site {
  /** The interface its reachable ports listen on: loopback for a local process, every interface in a container. */
  bindHost: string;
  /** The address the stack's other workloads dial it at. */
  address: string;
  /**
   * Local processes: the first of its own ports on this machine (`portsEach` of them). Containers: absent — each has
   * its own network namespace, so its ports are fixed by its renderer.
   */
  portBase?: number;
}

export const LOOPBACK = "127.0.0.1";
export const ANY_INTERFACE = "0.0.0.0";

/** Local processes: loopback, each with `portsEach` ports of the block from `firstPort`, by slot. */
export function localSites(blockBase: number, requests: readonly SiteRequest[], options: SitesOptions): Site[] {
  return requests.map((r, i) => ({ bindHost: LOOPBACK, address: LOOPBACK, portBase: blockBase + (options.firstPort ?? 0) + options.portsEach * (r.slot ?? i) }));
}
