// A local fleet as process specs, from resolved values: what components/fleet/Fleet.ts places on a LocalTarget, as
// plain data, for code that starts nodes without Pulumi (test chains, benchmarks).
import { ConsortiumSpec } from "../../settings/consortium";
import { FleetNodeKeys, FleetNodeShape, LOCAL_PORTS_PER_NODE, localMetricsPorts, renderFleet } from "../fleet";
import { CLIENT_METRICS_PATH } from "../clients";
import { METRICS_PORT, nodeWorkload } from "../nodeWorkload";
import { ChainFile, RunSpec } from "../runSpec";
import { localSites } from "../site";
import { localProcess, LocalProcessSpec, localUrl } from "./process";

export interface LocalFleetInput {
  spec: ConsortiumSpec;
  /** geth on this machine. */
  geth: string;
  chain: ChainFile;
  /** First port of the fleet's port block. */
  basePort: number;
  /** First port of the block of the nodes' metrics ports (render/fleet.ts NODE_METRICS_GROUP). */
  metricsBasePort: number;
  /** The fleet's layout (render/fleet.ts fleetLayout) with each node's keys' public parts. */
  nodes: (FleetNodeKeys & Pick<FleetNodeShape, "role" | "slot">)[];
  externalPeers: string[];
  /** Directory holding one directory per node. */
  workDir: string;
}

/** Each node's process spec, its run spec, and where it serves its own metrics (as FleetNode.metricsUrl says). */
export function renderLocalFleet(input: LocalFleetInput): (LocalProcessSpec & { run: RunSpec; metricsUrl: string })[] {
  const sites = localSites(input.basePort, input.nodes, { peers: true, portsEach: LOCAL_PORTS_PER_NODE });
  const metricsPorts = localMetricsPorts(input.metricsBasePort, input.nodes);
  const runs = renderFleet({ spec: input.spec, chain: input.chain, nodes: input.nodes, sites, externalPeers: input.externalPeers, metricsPorts, command: input.geth });
  return runs.map((run, i) => {
    const workload = nodeWorkload({ spec: input.spec, run, member: input.nodes[i].member, role: input.nodes[i].role, image: "" });
    return { run, metricsUrl: localUrl(workload, METRICS_PORT, CLIENT_METRICS_PATH[input.spec.client]), ...localProcess(workload, `${input.workDir}/${run.name}`) };
  });
}
