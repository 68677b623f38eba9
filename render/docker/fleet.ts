// A whole Docker fleet from resolved values: placement → run specs (renderContainerFleet) → container
// descriptions, plus the networks to create and the members' RPC endpoints. The one entry point shared by the
// DockerFleet component, the compose export and the real-engine tests.
import { renderChainFile } from "../chain";
import { ChainFile } from "../runSpec";
import { ContainerNode, containerEnodes, renderContainerFleet } from "../containerFleet";
import { ConsortiumSpec } from "../../settings/consortium";
import { ContainerDescription, DEFAULT_HELPER_IMAGE, dockerFleetSpec, LABELS, networkName, renderContainer } from "./container";
import { EngineRef, placeDockerFleet } from "./placement";

export const DEFAULT_SUBNET = "10.213.0.0/24";
export const DEFAULT_RPC_HOST_PORT = 8545;

export interface DockerFleetInput {
  spec: ConsortiumSpec;
  chain: ChainFile;
  /** Authorities first, then the non-signing RPC nodes (one per member, `rpc-<member>`, on that member's host). */
  nodes: ContainerNode[];
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

/** Host port of each RPC node (by node index), counted per engine from `base`. */
function rpcHostPorts(nodes: readonly Pick<ContainerNode, "sealer">[], engineKeys: readonly string[], base: number): Map<number, number> {
  const next = new Map<string, number>();
  const out = new Map<number, number>();
  nodes.forEach((n, i) => {
    if (n.sealer) return;
    const port = next.get(engineKeys[i]) ?? base;
    out.set(i, port);
    next.set(engineKeys[i], port + 1);
  });
  return out;
}

export function renderDockerFleet(input: DockerFleetInput): DockerFleetPlan {
  const { spec, nodes } = input;
  const fleet = dockerFleetSpec(spec);
  if (nodes.length === 0) throw new Error(`consortium ${spec.name}: a Docker fleet needs at least one node`);
  const placement = placeDockerFleet(fleet, nodes, input.subnet ?? DEFAULT_SUBNET);
  const advertise = (_: ContainerNode, i: number) => placement.nodes[i].advertisedHost;
  const runs = renderContainerFleet({ spec, chain: input.chain, nodes, advertise, externalPeers: input.externalPeers });
  const hostPorts = rpcHostPorts(nodes, placement.nodes.map((p) => p.engine.key), input.rpcHostPort ?? DEFAULT_RPC_HOST_PORT);
  // Each RPC node publishes on its member's host: that host's rpcBind, else the fleet's.
  const bindOf = (i: number) => fleet.hosts[nodes[i].member]?.rpcBind ?? fleet.rpcBind;
  const containers = runs.map((run, i) =>
    renderContainer({
      spec,
      run,
      member: nodes[i].member,
      sealer: nodes[i].sealer,
      placement: placement.nodes[i],
      helperImage: input.helperImage ?? DEFAULT_HELPER_IMAGE,
      ...(hostPorts.has(i) ? { rpcHostPort: hostPorts.get(i)!, rpcBind: bindOf(i) } : {}),
    }),
  );
  const rpcHost = (i: number) => (bindOf(i) === "0.0.0.0" ? (placement.multiHost ? placement.nodes[i].advertisedHost : "127.0.0.1") : bindOf(i));
  const rpcNodes = [...hostPorts].map(([i, port]): RpcNodePlan => ({ node: nodes[i].name, member: nodes[i].member, url: `http://${rpcHost(i)}:${port}` }));
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
    rpcNodes,
    ...(rpcNodes.length > 0 ? { rpcUrl: rpcNodes[0].url } : {}),
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
