// One workload (render/workload.ts: a chain node, a bridge agent, …) as Docker containers. Pure: no Docker, no Pulumi.
//   prepare: a one-shot helper container that receives the workload's files into its volume (owned by the workload
//            user; secrets 0600), then hands the directories those files created to that user (a copy into a
//            container creates missing parent directories as root, and images may have no `chown`);
//   init:    the workload's one-shot init commands (geth init), as the workload user;
//   main:    the long-running program, as the workload user, restarted unless stopped.
// Ports: a "clients" port is published where the caller says (an RPC node on its member's bind address, an agent's
// health on loopback); a node's p2p port is published on the host when the fleet spans hosts (peers dial it there);
// other "stack" ports (a node's metrics) stay on the engine's network, for a Prometheus container joined to it;
// "self" never.
import { posix } from "node:path";
import { ConsortiumSpec, DockerFleetSpec } from "../../settings/consortium";
import { P2P_PORT } from "../nodeWorkload";
import { SecretSource } from "../runSpec";
import { CONTAINER_NODE_DIR, refusal, Workload } from "../workload";
import { Healthcheck } from "./healthcheck";
import { EngineRef, NodePlacement } from "./placement";

export const NODE_UID = 10001;
/** Every node runs as this numeric user (present in our images; numeric ids work in any image). */
export const NODE_USER = `${NODE_UID}:${NODE_UID}`;
export const FILE_MODE = 0o644;
export const SECRET_FILE_MODE = 0o600;
/** Helper image for the prepare step (needs `busybox chown`); pinned, overridable. */
export const DEFAULT_HELPER_IMAGE = "busybox:1.36.1";

/** Labels on every container, volume and network of a fleet (cleanup and drift checks select by them). */
export const LABELS = {
  consortium: "consortium.name",
  node: "consortium.node",
  member: "consortium.member",
  role: "consortium.role",
  /** On volumes: digest of the chain file they were initialised with (a new chain replaces them). */
  chain: "consortium.chain",
  /** On init and node containers: id of the step they follow (its replacement replaces them). */
  after: "consortium.after",
} as const;

export interface ContainerFile {
  /** Absolute path inside the container. */
  path: string;
  content: string;
  mode: number;
}

export interface ContainerSecretFile {
  path: string;
  /** What it holds; the apply layer fills it from a Pulumi secret. */
  source: SecretSource;
  mode: number;
}

export interface PublishedPort {
  internal: number;
  external: number;
  /** Host interface the port is published on. */
  ip: string;
  protocol: "tcp" | "udp";
}

export interface VolumeMount {
  volume: string;
  target: string;
  /**
   * Always true: without it Docker seeds an empty volume from the image path it is mounted on, including that
   * path's owner, so a working directory the image lacks (created root-owned) would take the volume from the user.
   */
  noCopy: true;
}

/** A container that runs once to completion. */
export interface OneShotContainer {
  name: string;
  image: string;
  user: string;
  entrypoint: string[];
  command: string[];
  workingDir: string;
}

export interface ContainerDescription {
  /** The workload's name. */
  node: string;
  member: string;
  engine: EngineRef;
  /** `<consortium>-<node>`. */
  name: string;
  image: string;
  entrypoint: string[];
  command: string[];
  workingDir: string;
  user: string;
  env: Record<string, string>;
  restart: "unless-stopped";
  healthcheck?: Healthcheck;
  network: { name: string; ipv4Address?: string };
  ports: PublishedPort[];
  volume: VolumeMount;
  files: ContainerFile[];
  secretFiles: ContainerSecretFile[];
  labels: Record<string, string>;
  prepare: OneShotContainer;
  init: OneShotContainer[];
}

/** Where a "clients" port of a workload is published on its Docker host. */
export interface Publication {
  ip: string;
  hostPort: number;
}

export interface ContainerInput {
  /** The consortium's name: prefixes container, volume and network names. */
  consortium: string;
  workload: Workload;
  placement: NodePlacement;
  /** By port name: where each of the workload's "clients" ports is published (every one must be). */
  published: Record<string, Publication>;
  helperImage: string;
}

export const containerName = (consortium: string, node: string) => `${consortium}-${node}`;
export const volumeName = (consortium: string, node: string) => `${containerName(consortium, node)}-data`;
export const networkName = (consortium: string) => `${consortium}-net`;

export function dockerFleetSpec(spec: ConsortiumSpec): DockerFleetSpec {
  if (spec.fleet.target !== "docker") throw new Error(`consortium ${spec.name}: fleet target is ${spec.fleet.target}, not docker`);
  return spec.fleet;
}

/** A workload path (relative to its directory) inside the container; refuses paths that leave the directory. */
function inNodeDir(node: string, rel: string): string {
  const path = posix.join(CONTAINER_NODE_DIR, rel);
  if (posix.isAbsolute(rel) || !path.startsWith(CONTAINER_NODE_DIR + "/")) throw new Error(`workload ${node}: file ${rel} is outside its directory`);
  return path;
}

/** Docker's checks are commands: the workload's own, with the usual cadence. */
function healthcheckOf(w: Workload): Healthcheck | undefined {
  return w.execCheck && { test: ["CMD", ...w.execCheck], intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: w.startSeconds ?? 30 };
}

/** The node directory and every directory between it and a file (parents first). */
export function nodeDirectories(paths: readonly string[]): string[] {
  const dirs = new Set<string>([CONTAINER_NODE_DIR]);
  for (const p of paths) {
    for (let d = posix.dirname(p); d.startsWith(CONTAINER_NODE_DIR + "/"); d = posix.dirname(d)) dirs.add(d);
  }
  return [...dirs].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}

export function renderContainer(input: ContainerInput): ContainerDescription {
  const { consortium, workload: w, placement } = input;
  const refused = refusal(w, "docker", []);
  if (refused) throw new Error(refused);
  const name = containerName(consortium, w.name);
  const files = Object.entries(w.files).map(([rel, content]) => ({ path: inNodeDir(w.name, rel), content, mode: FILE_MODE }));
  const secretFiles = Object.entries(w.secretFiles).map(([rel, source]) => ({ path: inNodeDir(w.name, rel), source, mode: SECRET_FILE_MODE }));
  const ports: PublishedPort[] = [];
  // Clients' ports first, then the peers': one order whatever the workload lists.
  const order = { clients: 0, stack: 1, self: 2 } as const;
  for (const p of [...w.ports].sort((a, b) => order[a.reach] - order[b.reach])) {
    if (p.reach === "clients") {
      const at = input.published[p.name];
      if (!at) throw new Error(`workload ${w.name}: its ${p.name} port serves clients but has no host port to be published on`);
      ports.push({ internal: p.port, external: at.hostPort, ip: at.ip, protocol: "tcp" });
    } else if (p.name === P2P_PORT && placement.publishP2p) {
      // Static peering over TCP only (--nodiscover): no UDP port to publish.
      ports.push({ internal: p.port, external: p.port, ip: "0.0.0.0", protocol: "tcp" });
    }
  }
  // Only a port that serves clients is ever published (a sealer's RPC, which it does not even open, least of all).
  for (const port of Object.keys(input.published)) {
    const p = w.ports.find((x) => x.name === port);
    if (p?.reach !== "clients") {
      throw new Error(`workload ${w.name}: its ${port} port ${p ? `is for ${p.reach === "self" ? "itself" : "the stack"} only and` : "does not exist and"} is never published for clients`);
    }
  }
  const healthcheck = healthcheckOf(w);
  const oneShot = (suffix: string, command: string, args: string[]): OneShotContainer => ({
    name: `${name}-${suffix}`,
    image: w.image,
    user: NODE_USER,
    entrypoint: [command],
    command: args,
    workingDir: CONTAINER_NODE_DIR,
  });
  return {
    node: w.name,
    member: w.member,
    engine: placement.engine,
    name,
    image: w.image,
    entrypoint: [w.command],
    command: w.args,
    workingDir: CONTAINER_NODE_DIR,
    user: NODE_USER,
    env: w.env,
    restart: "unless-stopped",
    ...(healthcheck ? { healthcheck } : {}),
    network: { name: networkName(consortium), ...(placement.ipv4Address ? { ipv4Address: placement.ipv4Address } : {}) },
    ports,
    volume: { volume: volumeName(consortium, w.name), target: CONTAINER_NODE_DIR, noCopy: true },
    files,
    secretFiles,
    labels: { [LABELS.consortium]: consortium, [LABELS.node]: w.name, [LABELS.member]: w.member },
    prepare: {
      name: `${name}-prepare`,
      image: input.helperImage,
      user: "0:0",
      entrypoint: ["busybox"],
      command: ["chown", NODE_USER, ...nodeDirectories([...files, ...secretFiles].map((f) => f.path))],
      workingDir: "/",
    },
    init: w.init.map((c, k) => oneShot(w.init.length > 1 ? `init-${k}` : "init", c.command, c.args)),
  };
}
