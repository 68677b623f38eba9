// Sites on Docker (render/site.ts). A group whose workloads dial each other (a fleet's nodes) on one engine gets
// static IPs on the consortium's network; across hosts, every workload is dialled at its member's host address
// (placement.ts). Other groups are dialled by container name (Docker's DNS on the network). Ports that serve clients
// are published on the member's bind address (or loopback), host ports counted up per engine from the group's first.
import { DockerFleetSpec } from "../../settings/consortium";
import { ANY_INTERFACE, LOOPBACK, Site, SiteRequest, SitesOptions } from "../site";
import { containerName, Publication } from "./container";
import { assignEngines, EngineRef, NodePlacement, placeDockerFleet } from "./placement";

/** The default subnet of the consortium's network on a single engine. */
export const DEFAULT_SUBNET = "10.213.0.0/24";

export interface DockerSite extends Site {
  placement: NodePlacement;
  /** Where each port that serves clients is published on its host (by port name). */
  published: Record<string, Publication>;
  /** Its container's name on the network. */
  container: string;
}

export interface DockerSitesInput {
  consortium: string;
  fleet: DockerFleetSpec;
  requests: readonly SiteRequest[];
  options: SitesOptions;
  /** Subnet of the consortium's network on a single engine. */
  subnet?: string;
}

export function dockerSites({ consortium, fleet, requests, options, subnet }: DockerSitesInput): { sites: DockerSite[]; engines: EngineRef[]; subnet?: string } {
  const container = (r: SiteRequest) => containerName(consortium, r.name);
  const planned: { engines: EngineRef[]; nodes: NodePlacement[]; subnet?: string } = options.peers
    ? placeDockerFleet(fleet, requests, subnet ?? DEFAULT_SUBNET)
    : (() => {
        const { engines, engineOf } = assignEngines(fleet, requests);
        return { engines, nodes: requests.map((r, i): NodePlacement => ({ engine: engineOf[i], advertisedHost: container(r), publishP2p: false })) };
      })();
  const next = new Map<string, number>(); // `<engine>/<port>` → next host port
  const sites = requests.map((r, i): DockerSite => {
    const placement = planned.nodes[i];
    const published: Record<string, Publication> = {};
    for (const port of r.serves ?? []) {
      const first = options.publish?.firstHostPorts[port];
      if (first === undefined) throw new Error(`workload ${r.name}: no first host port for its ${port} port`);
      const key = `${placement.engine.key}/${port}`;
      const hostPort = next.get(key) ?? first;
      next.set(key, hostPort + 1);
      const ip = options.publish!.on === "loopback" ? LOOPBACK : (fleet.hosts[r.member]?.rpcBind ?? fleet.rpcBind);
      published[port] = { ip, hostPort };
    }
    return { bindHost: ANY_INTERFACE, address: placement.advertisedHost, placement, published, container: container(r) };
  });
  return { sites, engines: planned.engines, ...(planned.subnet ? { subnet: planned.subnet } : {}) };
}

/** Where the deployer reaches a published port: its bind address, or over loopback (or the member's host address across hosts) for a wildcard. */
export function publishedUrl(site: DockerSite, port: string, multiHost: boolean, path = ""): string {
  const p = site.published[port];
  if (!p) throw new Error(`${site.container}: its ${port} port is not published on its Docker host`);
  const host = p.ip === ANY_INTERFACE ? (multiHost ? site.placement.advertisedHost : "127.0.0.1") : p.ip;
  return `http://${host}:${p.hostPort}${path}`;
}
