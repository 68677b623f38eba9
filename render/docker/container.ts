// One node as Docker containers, from its run spec and placement. Pure: no Docker, no Pulumi.
//   prepare: a one-shot helper container that receives the node's files into the node's volume (owned by the node
//            user; secrets 0600), then hands the directories those files created to that user (a copy into a
//            container creates missing parent directories as root, and client images may have no `chown`);
//   init:    the client's one-shot init commands (geth init), as the node user;
//   node:    the long-running client, as the node user, restarted unless stopped.
import { posix } from "node:path";
import { ConsortiumSpec, DockerFleetSpec } from "../../settings/consortium";
import { CONTAINER_NODE_DIR } from "../containerFleet";
import { RunSpec, SecretSource } from "../runSpec";
import { clientHealthcheck, Healthcheck } from "./healthcheck";
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

export interface ContainerInput {
  spec: ConsortiumSpec;
  run: RunSpec;
  member: string;
  /** Holds a signer key (or seals with its node key): nothing of it is ever published but p2p. */
  sealer: boolean;
  placement: NodePlacement;
  /** Host port this node's RPC is published on; RPC nodes only. */
  rpcHostPort?: number;
  /** Host address it is published on: its member's host's `rpcBind`, else `fleet.rpcBind`. */
  rpcBind?: string;
  helperImage: string;
}

export const containerName = (consortium: string, node: string) => `${consortium}-${node}`;
export const volumeName = (consortium: string, node: string) => `${containerName(consortium, node)}-data`;
export const networkName = (consortium: string) => `${consortium}-net`;

export function dockerFleetSpec(spec: ConsortiumSpec): DockerFleetSpec {
  if (spec.fleet.target !== "docker") throw new Error(`consortium ${spec.name}: fleet target is ${spec.fleet.target}, not docker`);
  return spec.fleet;
}

/** A run-spec path (relative to the node directory) inside the container; refuses paths that leave the node dir. */
function inNodeDir(node: string, rel: string): string {
  const path = posix.join(CONTAINER_NODE_DIR, rel);
  if (posix.isAbsolute(rel) || !path.startsWith(CONTAINER_NODE_DIR + "/")) throw new Error(`node ${node}: file ${rel} is outside the node directory`);
  return path;
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
  const { spec, run, placement } = input;
  const fleet = dockerFleetSpec(spec);
  const name = containerName(spec.name, run.name);
  const image = fleet.images[spec.client];
  const files = Object.entries(run.files).map(([rel, content]) => ({ path: inNodeDir(run.name, rel), content, mode: FILE_MODE }));
  const secretFiles = Object.entries(run.secretFiles).map(([rel, source]) => ({ path: inNodeDir(run.name, rel), source, mode: SECRET_FILE_MODE }));
  const ports: PublishedPort[] = [];
  if (input.rpcHostPort !== undefined) {
    if (input.sealer || run.rpcUrl === undefined) throw new Error(`node ${run.name}: a sealer's RPC is never published (it serves no HTTP, or only on its loopback)`);
    ports.push({ internal: run.ports.http, external: input.rpcHostPort, ip: input.rpcBind ?? fleet.rpcBind, protocol: "tcp" });
  }
  // Static peering over TCP only (--nodiscover): no UDP port to publish.
  if (placement.publishP2p) ports.push({ internal: run.ports.p2p, external: run.ports.p2p, ip: "0.0.0.0", protocol: "tcp" });
  const healthcheck = clientHealthcheck(spec.client, run);
  const oneShot = (suffix: string, command: string, args: string[]): OneShotContainer => ({
    name: `${name}-${suffix}`,
    image,
    user: NODE_USER,
    entrypoint: [command],
    command: args,
    workingDir: CONTAINER_NODE_DIR,
  });
  return {
    node: run.name,
    member: input.member,
    engine: placement.engine,
    name,
    image,
    entrypoint: [run.command],
    command: run.args,
    workingDir: CONTAINER_NODE_DIR,
    user: NODE_USER,
    env: run.env,
    restart: "unless-stopped",
    ...(healthcheck ? { healthcheck } : {}),
    network: { name: networkName(spec.name), ...(placement.ipv4Address ? { ipv4Address: placement.ipv4Address } : {}) },
    ports,
    volume: { volume: volumeName(spec.name, run.name), target: CONTAINER_NODE_DIR, noCopy: true },
    files,
    secretFiles,
    labels: { [LABELS.consortium]: spec.name, [LABELS.node]: run.name, [LABELS.member]: input.member },
    prepare: {
      name: `${name}-prepare`,
      image: input.helperImage,
      user: "0:0",
      entrypoint: ["busybox"],
      command: ["chown", NODE_USER, ...nodeDirectories([...files, ...secretFiles].map((f) => f.path))],
      workingDir: "/",
    },
    init: run.init.map((c, k) => oneShot(run.init.length > 1 ? `init-${k}` : "init", c.command, c.args)),
  };
}
