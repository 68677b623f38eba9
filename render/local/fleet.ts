// A local fleet as process specs, from resolved values: what components/fleet/Fleet.ts places on a LocalTarget, as
// plain data, for code that starts nodes without Pulumi (test chains, benchmarks).
import { ConsortiumSpec } from "../../settings/consortium";
import { FleetNodeKeys, FleetNodeShape, LOCAL_PORTS_PER_NODE, renderFleet } from "../fleet";
import { nodeWorkload } from "../nodeWorkload";
import { ChainFile, RunSpec } from "../runSpec";
import { localSites } from "../site";
import { localProcess, LocalProcessSpec } from "./process";

export interface LocalFleetInput {
  spec: ConsortiumSpec;
  /** geth on this machine. */
  geth: string;
  chain: ChainFile;
  /** First port of the fleet's port block. */
  basePort: number;
  /** The fleet's layout (render/fleet.ts fleetLayout) with each node's keys' public parts. */
  nodes: (FleetNodeKeys & Pick<FleetNodeShape, "role" | "slot">)[];
  externalPeers: string[];
  /** Directory holding one directory per node. */
  workDir: string;
}

export function renderLocalFleet(input: LocalFleetInput): (LocalProcessSpec & { run: RunSpec })[] {
  const sites = localSites(input.basePort, input.nodes, { peers: true, portsEach: LOCAL_PORTS_PER_NODE });
  const runs = renderFleet({ spec: input.spec, chain: input.chain, nodes: input.nodes, sites, externalPeers: input.externalPeers, command: input.geth });
  return runs.map((run, i) => ({
    run,
    ...localProcess(nodeWorkload({ spec: input.spec, run, member: input.nodes[i].member, role: input.nodes[i].role, image: "" }), `${input.workDir}/${run.name}`),
  }));
}
