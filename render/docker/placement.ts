// Where each node of a Docker fleet runs and the address its peers dial. One engine for the whole fleet (the
// local one, or a single host every member shares) → the consortium's own bridge network with a static IP per
// node, nothing published for p2p. Several hosts → every node's p2p port is published on its member's host
// address, which is then what peers dial; a node without a host address cannot take part.
import { DockerFleetSpec } from "../../settings/consortium";

/** A Docker engine of the fleet: `url` absent means the deployer's default engine (DOCKER_HOST or the local socket). */
export interface EngineRef {
  /** Stable, resource-name-safe key ("local", or derived from the first member on that host). */
  key: string;
  url?: string;
}

export interface NodePlacement {
  engine: EngineRef;
  /** The address peers dial (static IP on the shared network, or the member's host address). */
  advertisedHost: string;
  /** Static IP on the consortium's network (single engine only). */
  ipv4Address?: string;
  /** Publish the p2p port on the host (several engines). */
  publishP2p: boolean;
}

export interface FleetPlacement {
  multiHost: boolean;
  engines: EngineRef[];
  /** Subnet of the consortium's network (single engine only; Docker picks one per host otherwise). */
  subnet?: string;
  nodes: NodePlacement[];
}

export const LOCAL_ENGINE: EngineRef = { key: "local" };
/** Host offset of the first node's static IP: .1 is the bridge gateway, .2–.9 stay free for operators' tools. */
const FIRST_HOST_OFFSET = 10;

function ipv4ToInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`${ip} is not an IPv4 address`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

const intToIpv4 = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");

/** The static IP of node `index` in an IPv4 subnet ("10.213.7.0/24" → 10.213.7.10, .11, ...). */
export function staticIp(subnet: string, index: number): string {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(subnet);
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || prefix < 8 || prefix > 28) throw new Error(`subnet ${subnet} is not an IPv4 CIDR between /8 and /28`);
  const size = 2 ** (32 - prefix);
  const base = ipv4ToInt(m[1]);
  if (base % size !== 0) throw new Error(`subnet ${subnet}: ${m[1]} is not the network address of a /${prefix}`);
  const offset = FIRST_HOST_OFFSET + index;
  if (offset >= size - 1) throw new Error(`subnet ${subnet} has no room for node ${index + 1}: use a larger subnet`);
  return intToIpv4(base + offset);
}

/** Engine key of a member's host: its name made resource-safe. */
const memberKey = (member: string) => member.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "member";

/**
 * The engine each of `nodes` runs on: its member's host (`fleet.hosts`, one engine per distinct URL) or the local
 * engine. Shared by the fleet and the bridge agents, so a member's containers all land on the same engine.
 */
export function assignEngines(fleet: DockerFleetSpec, nodes: readonly { member: string }[]): { engines: EngineRef[]; engineOf: EngineRef[] } {
  const engines = new Map<string, EngineRef>(); // by url ("" = local)
  const engineOf = nodes.map((n) => {
    const url = fleet.hosts[n.member]?.url ?? "";
    if (!engines.has(url)) {
      const used = new Set([...engines.values()].map((e) => e.key));
      let key = url ? memberKey(n.member) : LOCAL_ENGINE.key;
      for (let i = 2; used.has(key); i++) key = `${memberKey(n.member)}-${i}`;
      engines.set(url, url ? { key, url } : { key });
    }
    return engines.get(url)!;
  });
  return { engines: [...engines.values()], engineOf };
}

export function placeDockerFleet(fleet: DockerFleetSpec, nodes: readonly { name: string; member: string }[], subnet: string): FleetPlacement {
  const { engines, engineOf } = assignEngines(fleet, nodes);
  const multiHost = engines.length > 1;
  if (!multiHost) {
    return {
      multiHost,
      engines,
      subnet,
      nodes: nodes.map((_, i) => {
        const ip = staticIp(subnet, i);
        return { engine: engineOf[i], advertisedHost: ip, ipv4Address: ip, publishP2p: false };
      }),
    };
  }
  return {
    multiHost,
    engines,
    nodes: nodes.map((n, i) => {
      const host = fleet.hosts[n.member];
      if (!host) {
        throw new Error(
          `node ${n.name}: member ${n.member} has no entry in fleet.hosts, but the fleet spans several Docker hosts; ` +
            "give every member a host { url, address } so peers can reach its nodes",
        );
      }
      return { engine: engineOf[i], advertisedHost: host.address, publishP2p: true };
    }),
  };
}
