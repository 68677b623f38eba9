// A workload: one long-running program the stack runs on its target — a chain node, a bridge agent, and whatever
// comes next — with everything a target needs to run it, whatever the target: the program and its arguments, its
// files (secret ones by what they hold), the one-shot steps before it starts, the ports it opens and to whom, and
// how to tell it is healthy. Every workload has one directory of its own (a local directory, a Docker volume, a
// Kubernetes PVC), which is its working directory: paths in its arguments and files are relative to it.
// The target layer (render/site.ts and each target's renderer for the pure part, components/targets/ for the
// resources) places any workload; adding a kind of workload is one renderer that returns this.
import type { RunSpec } from "./runSpec";

/** A workload's directory inside its container (a Docker volume, a Kubernetes PVC): its working directory. */
export const CONTAINER_NODE_DIR = "/node";

/** Who may connect to a port. */
export type PortReach =
  /** The workload itself (loopback inside its container or on its host): admin paths such as geth's authrpc. */
  | "self"
  /**
   * The stack's other workloads (peers, the stack's Prometheus): on a fleet across Docker hosts p2p alone is published
   * on its member's host; other such ports stay on the engine's network.
   */
  | "stack"
  /** Clients outside the stack too: published on the bind address (Docker), a Service port (Kubernetes). */
  | "clients";

export interface WorkloadPort {
  /** Port name (Kubernetes port names: at most 15 lower-case letters, digits and '-'). */
  name: string;
  /** Where the program listens: in its container, or on this machine for a local process. */
  port: number;
  reach: PortReach;
  /** Also UDP (devp2p discovery shares the TCP port number). */
  udp?: boolean;
}

/** How the target tells the workload is up and well. */
export type Health =
  /** An HTTP GET on one of its ports answers 2xx. */
  | { http: { port: string; path: string } }
  /** A command run inside its container exits 0 (a container target; a local process is checked by its endpoint). */
  | { exec: string[] }
  /** A TCP connect to one of its ports succeeds. */
  | { tcp: string };

/** The JSON-RPC endpoint of a workload on its own machine: an HTTP port, or an IPC socket in its directory. */
export type Endpoint = { http: string } | { ipc: string };

/**
 * The program, as a node's run spec has it (render/runSpec.ts): the command (a path on this machine for a local
 * process, the binary in `image` for a container), its arguments and environment, its public and secret files (paths
 * relative to its directory; secret ones by what they hold, filled from Pulumi secrets), and its one-shot init commands.
 */
export type WorkloadProgram = Pick<RunSpec, "command" | "args" | "env" | "files" | "secretFiles" | "init">;

export interface Workload extends WorkloadProgram {
  /** Unique in the stack, a DNS label: names its container, its Kubernetes objects, its directory. */
  name: string;
  /** The member organisation that runs it: its Docker host, its labels. */
  member: string;
  /** What it is, for labels and policies: `authority`, `rpc`, `bridge-agent`, … */
  role: string;
  /** The program's name for labels (the client, …); default: the role. */
  app?: string;
  /** The workloads that dial each other's "stack" ports (a fleet's nodes): Kubernetes admits only them there. */
  group: string;
  /** Container image (Docker, Kubernetes); empty for a local process. */
  image: string;
  ports: WorkloadPort[];
  /** JSON-RPC for readiness checks and clients on the same machine (chain nodes). */
  endpoint?: Endpoint;
  health?: Health;
  /**
   * The same check as a command that works inside `image`, for targets whose checks are commands (Docker: images
   * may have no shell, no curl, so it is written per image); absent when the image offers no way to run it.
   */
  execCheck?: string[];
  /** Seconds it may take to become healthy after a start before failed checks count (default 30). */
  startSeconds?: number;
  /** Never evicted on purpose (a Kubernetes disruption budget): a sealer, whose absence costs the chain a signer. */
  critical?: boolean;
  /** The program writes only in its directory and /tmp (a read-only root file system on Kubernetes). */
  readOnlyRoot?: boolean;
  /** Kubernetes sizing, when not the fleet's (`fleet.resources`, `fleet.storageSize`): a small service. */
  resources?: { cpuRequest: string; memoryRequest: string; cpuLimit: string; memoryLimit: string };
  storage?: string;
  // What a packaged service (an iExec worker, a database) asks beyond a program the deployer runs in its own
  // directory. Every target honours each of these or refuses the workload (`refusal` below): none is silently dropped.
  /** The image's own entrypoint and command run (a service configured by its environment): `command` and `args` are empty. */
  imageEntrypoint?: boolean;
  /** Where the program sees its directory in its container (default CONTAINER_NODE_DIR): a database's data path. */
  dir?: string;
  /**
   * Secret files are mounted read-only at this absolute path, not copied into its directory: a directory shared with
   * the task containers it starts must not hold them. Paths in `secretFiles` are relative to it.
   */
  secretsDir?: string;
  /**
   * It starts task containers through the Docker API, and they must run under Kata Containers: the target gives it an
   * engine whose default runtime is Kata, which sees its directory at the same path (`dir`) as it does.
   */
  tasks?: "kata";
}

/** The optional asks of a packaged service (above), as a target lists those it honours. */
export type WorkloadAsk = "imageEntrypoint" | "dir" | "secretsDir" | "tasks";

const ASKS: Record<WorkloadAsk, string> = {
  imageEntrypoint: "runs its image's own entrypoint",
  dir: "sees its directory at a path of its own",
  secretsDir: "mounts its secret files outside its directory",
  tasks: "starts Kata task containers",
};

/**
 * Why a target cannot place the workload (undefined: it can): the first ask it does not honour, with the fix. Called
 * by each target's renderer, so a workload never runs without what it asked for.
 */
export function refusal(w: Pick<Workload, "name" | WorkloadAsk>, target: string, honours: readonly WorkloadAsk[]): string | undefined {
  const ask = (Object.keys(ASKS) as WorkloadAsk[]).find((a) => w[a] !== undefined && w[a] !== false && !honours.includes(a));
  if (!ask) return undefined;
  return `workload ${w.name} ${ASKS[ask]} (${ask}), which the ${target} target does not do. Fix: place it on a target that does (a worker pool's target)`;
}

/** An HTTP health check as a command for an image that has Node.js but no curl (the agent's, the monitor's). */
export const nodeHttpCheck = (port: number, path: string): string[] => [
  "node",
  "-e",
  `fetch("http://127.0.0.1:${port}${path}").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
];

/**
 * The port and checks of one of the stack's small Node.js services (the monitor, a bridge agent, a policy gateway): one
 * HTTP port, healthy when its /healthz answers — checked inside its image by Node.js itself (the image has no curl) —
 * and a read-only root.
 */
export function nodeHttpService(s: {
  port: WorkloadPort;
  startSeconds: number;
  resources: NonNullable<Workload["resources"]>;
  storage: string;
}): Pick<Workload, "ports" | "health" | "execCheck" | "startSeconds" | "readOnlyRoot" | "resources" | "storage"> {
  return {
    ports: [s.port],
    health: { http: { port: s.port.name, path: "/healthz" } },
    execCheck: nodeHttpCheck(s.port.port, "/healthz"),
    startSeconds: s.startSeconds,
    readOnlyRoot: true,
    resources: s.resources,
    storage: s.storage,
  };
}

/** The named port, or an error naming the workload (a renderer's mistake, not an operator's). */
export function workloadPort(w: Pick<Workload, "name" | "ports">, name: string): WorkloadPort {
  const p = w.ports.find((x) => x.name === name);
  if (!p) throw new Error(`workload ${w.name} has no port named ${name}`);
  return p;
}
