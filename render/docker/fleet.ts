// A whole Docker fleet from resolved values: placement → run specs (renderContainerFleet) → container
// descriptions, plus the networks to create and the fleet's RPC endpoint. The one entry point shared by the
// DockerFleet component, the compose export and the real-engine tests.
import { renderChainFile } from "../chain";
import { ChainFile } from "../runSpec";
import { ContainerNode, containerEnodes, renderContainerFleet } from "../containerFleet";
import { ConsortiumSpec } from "../../spec/consortium";
import { ContainerDescription, DEFAULT_HELPER_IMAGE, dockerFleetSpec, LABELS, networkName, renderContainer } from "./container";
import { EngineRef, placeDockerFleet } from "./placement";

export const DEFAULT_SUBNET = "10.213.0.0/24";
export const DEFAULT_RPC_HOST_PORT = 8545;

export interface DockerFleetInput {
  spec: ConsortiumSpec;
  chain: ChainFile;
  /** Authorities first, then the optional non-signing RPC node (with the member whose host runs it). */
  nodes: ContainerNode[];
  externalPeers: string[];
  /** Subnet of the consortium's own network when the fleet runs on one engine. */
  subnet?: string;
  /** Host port of the published RPC endpoint. */
  rpcHostPort?: number;
  helperImage?: string;
}

export interface NetworkPlan {
  engine: EngineRef;
  name: string;
  subnet?: string;
  labels: Record<string, string>;
}

export interface DockerFleetPlan {
  multiHost: boolean;
  networks: NetworkPlan[];
  containers: ContainerDescription[];
  enodes: string[];
  /** The node clients talk to: the first non-sealing node, else the first node. */
  rpcNode: string;
  /** Its JSON-RPC URL as seen from the Docker host that runs it. */
  rpcUrl: string;
}

/** Index of the fleet's RPC endpoint. */
export function rpcNodeIndex(nodes: readonly Pick<ContainerNode, "sealer">[]): number {
  const i = nodes.findIndex((n) => !n.sealer);
  return i >= 0 ? i : 0;
}

export function renderDockerFleet(input: DockerFleetInput): DockerFleetPlan {
  const { spec, nodes } = input;
  const fleet = dockerFleetSpec(spec);
  if (nodes.length === 0) throw new Error(`consortium ${spec.name}: a Docker fleet needs at least one node`);
  const placement = placeDockerFleet(fleet, nodes, input.subnet ?? DEFAULT_SUBNET);
  const advertise = (_: ContainerNode, i: number) => placement.nodes[i].advertisedHost;
  const runs = renderContainerFleet({ spec, chain: input.chain, nodes, advertise, externalPeers: input.externalPeers });
  const rpcIndex = rpcNodeIndex(nodes);
  const rpcHostPort = input.rpcHostPort ?? DEFAULT_RPC_HOST_PORT;
  const containers = runs.map((run, i) =>
    renderContainer({
      spec,
      run,
      member: nodes[i].member,
      placement: placement.nodes[i],
      helperImage: input.helperImage ?? DEFAULT_HELPER_IMAGE,
      ...(i === rpcIndex ? { rpcHostPort } : {}),
    }),
  );
  const rpcHost = fleet.rpcBind === "0.0.0.0" ? (placement.multiHost ? placement.nodes[rpcIndex].advertisedHost : "127.0.0.1") : fleet.rpcBind;
  return {
    multiHost: placement.multiHost,
    networks: placement.engines.map((engine) => ({
      engine,
      name: networkName(spec.name),
      ...(placement.subnet ? { subnet: placement.subnet } : {}),
      labels: { [LABELS.consortium]: spec.name },
    })),
    containers,
    enodes: containerEnodes({ nodes, advertise }),
    rpcNode: nodes[rpcIndex].name,
    rpcUrl: `http://${rpcHost}:${rpcHostPort}`,
  };
}

/** What the layout needs of a node: no key material. */
export type NodeShape = Pick<ContainerNode, "name" | "member" | "sealer">;

const PLACEHOLDER_KEY = "0".repeat(128);
const placeholderAddress = (i: number) => "0x" + (i + 1).toString(16).padStart(40, "0");

/**
 * The plan's shape (engines, networks, container and volume names, init steps, images, ports) before any key
 * material exists: the same rendering with placeholder keys and a chain file rendered for placeholder validators,
 * which only change file contents. The apply layer declares its resources from it, so previews show them before
 * keys and the genesis resolve; it checks the real plan against it.
 */
export function dockerFleetLayout(input: Omit<DockerFleetInput, "chain" | "nodes" | "externalPeers"> & { nodes: NodeShape[] }): DockerFleetPlan {
  const withKeystore = input.spec.engine !== "qbft"; // QBFT validators seal with their node key
  const nodes = input.nodes.map((n, i) => ({
    ...n,
    nodePublicKey: PLACEHOLDER_KEY,
    ...(n.sealer && withKeystore ? { signer: { address: placeholderAddress(i), keystore: JSON.stringify({ address: placeholderAddress(i).slice(2) }) } } : {}),
  }));
  const validators = nodes.flatMap((n, i) => (n.sealer ? [placeholderAddress(i)] : []));
  return renderDockerFleet({ ...input, nodes, externalPeers: [], chain: renderChainFile(input.spec, { validators }) });
}

/** Container, init and volume names of a plan, to check a rendered plan against the layout it was declared from. */
export const planShape = (p: DockerFleetPlan) => p.containers.map((c) => [c.name, c.volume.volume, c.prepare.name, ...c.init.map((s) => s.name)].join(" "));
