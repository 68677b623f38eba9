// A whole Docker fleet from resolved values: sites (sites.ts) → run specs (render/fleet.ts) → workloads → container
// descriptions, plus the networks to create and the members' RPC endpoints. What components/fleet/Fleet.ts declares on
// a DockerTarget, as plain data: the compose export and the real-engine tests use it.
import { ConsortiumSpec } from "../../settings/consortium";
import { FleetNodeKeys, fleetEnodes, nodeSiteRequest, nodeSitesOptions, renderFleet } from "../fleet";
import { nodeWorkload } from "../nodeWorkload";
import { ChainFile } from "../runSpec";
import { ContainerDescription, DEFAULT_HELPER_IMAGE, dockerFleetSpec, LABELS, networkName, renderContainer } from "./container";
import { EngineRef } from "./placement";
import { dockerSites, publishedUrl } from "./sites";


export interface DockerFleetInput {
  spec: ConsortiumSpec;
  chain: ChainFile;
  /** Authorities first, then the non-signing RPC nodes (one per member, `rpc-<member>`, on that member's host). */
  nodes: FleetNodeKeys[];
  externalPeers: string[];
  /** Subnet of the consortium's network when the fleet runs on one engine. */
  subnet?: string;
  /**
   * Host port of the first RPC node on each Docker engine; the next RPC nodes on the same engine take the next
   * ports, in node order (one engine: 8545, 8546, … ; one host per member: 8545 on each).
   */
  rpcHostPort?: number;
  helperImage?: string;
}

export interface NetworkPlan {
  engine: EngineRef;
  name: string;
  subnet?: string;
  labels: Record<string, string>;
}

/** A member's RPC node: the only containers whose RPC port is published. */
export interface RpcNodePlan {
  node: string;
  member: string;
  /** Its JSON-RPC URL as seen from the Docker host that runs it. */
  url: string;
}

export interface DockerFleetPlan {
  multiHost: boolean;
  networks: NetworkPlan[];
  containers: ContainerDescription[];
  enodes: string[];
  /** The non-signing RPC nodes in node order (none with `fleet.rpcNode: false`). */
  rpcNodes: RpcNodePlan[];
  /** The fleet's JSON-RPC URL: the first RPC node's (the member of the first authority); absent without RPC nodes. */
  rpcUrl?: string;
}

export function renderDockerFleet(input: DockerFleetInput): DockerFleetPlan {
  const { spec, nodes } = input;
  const fleet = dockerFleetSpec(spec);
  if (nodes.length === 0) throw new Error(`consortium ${spec.name}: a Docker fleet needs at least one node`);
  const requests = nodes.map((n) => nodeSiteRequest({ ...n, role: n.sealer ? "authority" : "rpc" }, spec.client));
  const planned = dockerSites({ consortium: spec.name, fleet, requests, options: nodeSitesOptions(input.rpcHostPort), ...(input.subnet ? { subnet: input.subnet } : {}) });
  const multiHost = planned.engines.length > 1;
  const runs = renderFleet({ spec, chain: input.chain, nodes, sites: planned.sites, externalPeers: input.externalPeers });
  const containers = runs.map((run, i) =>
    renderContainer({
      consortium: spec.name,
      workload: nodeWorkload({ spec, run, member: nodes[i].member, role: nodes[i].sealer ? "authority" : "rpc", image: fleet.images[spec.client] }),
      placement: planned.sites[i].placement,
      helperImage: input.helperImage ?? DEFAULT_HELPER_IMAGE,
      published: planned.sites[i].published,
    }),
  );
  const rpcNodes = nodes.flatMap((n, i): RpcNodePlan[] => (n.sealer ? [] : [{ node: n.name, member: n.member, url: publishedUrl(planned.sites[i], "rpc", multiHost) }]));
  return {
    multiHost,
    networks: planned.engines.map((engine) => ({
      engine,
      name: networkName(spec.name),
      ...(planned.subnet ? { subnet: planned.subnet } : {}),
      labels: { [LABELS.consortium]: spec.name },
    })),
    containers,
    enodes: fleetEnodes(nodes, planned.sites),
    rpcNodes,
    ...(rpcNodes.length > 0 ? { rpcUrl: rpcNodes[0].url } : {}),
  };
}
