// The one target layer: a Target places any workload (render/workload.ts: a chain node, a bridge agent, …) where the
// stack runs — local processes, Docker hosts, a Kubernetes cluster — and tells where its ports answer. Fleets, bridge
// agents and every future workload go through `sites` and `place`; what differs per target lives in its module only.
import * as pulumi from "@pulumi/pulumi";
import type { TargetKind } from "../../settings/consortium";
import type { Workload } from "../../render/workload";
import type { Site, SiteRequest, SitesOptions } from "../../render/site";

/** What a target needs of a workload before any key exists (names, image, steps): plain data. */
export interface WorkloadShape {
  name: string;
  member: string;
  /** Its container image (pulled once per Docker engine). */
  image: string;
  /** Kubernetes: a disruption budget (sealers). */
  critical?: boolean;
  /** How many one-shot init steps it has (each is a resource of its own on Docker). */
  inits: number;
  /** False when it listens on no port (a pool's worker): nothing to reach it by (no Kubernetes Service). */
  listens?: boolean;
}

export interface PlaceArgs {
  /** Base of the resources' names (`<resourceName>`, `<resourceName>-data`, …): unique in the stack. */
  resourceName: string;
  shape: WorkloadShape;
  /** The workload, rendered for the site `sites` gave it. */
  workload: pulumi.Output<Workload>;
  /** Secret file contents by path: wrapped as a secret by the target whatever the caller passes. */
  secretValues: pulumi.Input<Record<string, string>>;
  /**
   * A new value gives the workload a fresh directory: new contracts for an agent; a new chain for a node (Kubernetes
   * nodes excepted: render/kubernetes/statefulSet.ts, claimName).
   */
  resetKey?: pulumi.Input<string>;
  /** Kubernetes: chain nodes keep their claim across chains (a new genesis is refused visibly instead). */
  keepDataOnReset?: boolean;
  parent: pulumi.Resource;
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Earlier names of its resources, by resource-name suffix ("" for the workload itself, "-data", …). */
  aliases?: (suffix: string) => pulumi.Input<pulumi.Alias | string>[];
}

/** A placed workload. */
export interface Placed {
  /** The running workload: what depends on it waits for it. */
  resource: pulumi.Resource;
  /**
   * A port's URL as the deployer reaches it: loopback for a local process, the published host port on its Docker host,
   * the Service in the cluster. Only for ports its site publishes to clients (and every port of a local process).
   */
  url(port: string, path?: string): pulumi.Output<string>;
  /** A port's URL as the stack's other workloads reach it: loopback, its container on the network, its Service. */
  stackUrl(port: string, path?: string): pulumi.Output<string>;
  /** Local processes: where the deployer reaches its JSON-RPC endpoint (an HTTP URL, or its IPC socket's path). */
  endpoint?: pulumi.Output<string>;
}

export interface Target {
  /** The stack's targets (`fleet.target`), and a worker pool's bare-metal hosts. */
  readonly kind: TargetKind | "ssh";
  /**
   * The target restarts a group's workloads one at a time by itself (local processes: lib/localProcess.ts), so a
   * fleet chains no dependencies between its nodes for that — a chain that would also make their first start, and
   * every RPC node's sync, one after the other. Containers are replaced by their providers: there the chain stays.
   */
  readonly restartsInTurn: boolean;
  /**
   * Workloads run from their image (containers); otherwise they are processes of this machine, whose programs are
   * this machine's files (Node.js, geth, the project's dist/).
   */
  readonly runsImages: boolean;
  /**
   * Where a group of workloads (a fleet's nodes, the bridge's agents) listen and how the stack's others dial them, in
   * order; call before placing them. Local processes share the machine, so each gets ports of its own from the group's
   * port block (an Output); containers have fixed ports in their own network namespace. A group may be sited in
   * several calls (the bridge's agents, and a dev stack's foreign chain) when they publish no port name in common.
   */
  sites(group: string, requests: SiteRequest[], options: SitesOptions): pulumi.Output<Site[]>;
  /**
   * Local processes: the first port of a block of `group`'s own, for ports workloads take besides their sites' (a
   * fleet node's metrics port, by its slot: the fleet's block is full). Absent where ports are fixed per container.
   */
  portBlockBase?(group: string): pulumi.Output<number>;
  place(args: PlaceArgs): Placed;
  /**
   * The name resource `suffix` ("" for the workload itself, "-data", …) of the workload `workload`, placed as
   * `resourceName`, had in earlier versions of this target: local processes were named after the workload alone.
   * For an alias; the current name `<resourceName><suffix>` when it never had another.
   */
  namedBefore(resourceName: string, workload: string, suffix: string): string;
}

/** Target.namedBefore of a target whose resources always had their current names. */
export const currentNames = (resourceName: string, _workload: string, suffix: string): string => resourceName + suffix;

/** Resource options carrying a placed resource's earlier names (PlaceArgs.aliases), if it had any. */
export function earlierNames(a: Pick<PlaceArgs, "aliases">, suffix: string): { aliases?: pulumi.Input<pulumi.Alias | string>[] } {
  const earlier = a.aliases?.(suffix) ?? [];
  return earlier.length > 0 ? { aliases: earlier } : {};
}
