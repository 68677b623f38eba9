// A chain node as a workload (render/workload.ts): its client's run spec, with the ports it opens and to whom,
// its health check and its endpoint. Every node opens p2p and its metrics to the stack; sealers nothing else (their
// signer key is unlocked: no JSON-RPC over HTTP at all, Besu's validators aside, on their own loopback for the
// operator's QBFT votes); the members' RPC nodes also serve JSON-RPC to clients.
import { Client } from "../settings/clients";
import { ConsortiumSpec } from "../settings/consortium";
import { GETH_FILES } from "./geth/node";
import { RunSpec } from "./runSpec";
import { CONTAINER_NODE_DIR, Endpoint, Health, Workload, WorkloadPort } from "./workload";

export type NodeRole = "authority" | "rpc";

/** The name of a node's devp2p port: the one its peers dial. */
export const P2P_PORT = "p2p";

/** The name of a node's metrics port (render/clients/index.ts CLIENT_METRICS_PATH: where it serves them). */
export const METRICS_PORT = "metrics";

/** The group of a fleet's nodes: they dial each other's p2p ports. */
export const NODES_GROUP = "nodes";

/** geth writes only under its data directory; the other clients write logs or plugins beside their binary. */
const READ_ONLY_ROOT: Record<Client, boolean> = { geth: true, nethermind: false, openethereum: false, besu: false };

/** `geth attach` on the node's own endpoint: healthy once JSON-RPC answers there. */
export function gethAttach(run: Pick<RunSpec, "command" | "ports" | "ipcPath">, dir = CONTAINER_NODE_DIR): string[] {
  // The console needs a writable data dir for its history, so it is pointed at the node's own (the image's $HOME may
  // not be writable). Over IPC, absolute paths: probes may run elsewhere than the working directory.
  return run.ipcPath !== undefined
    ? [run.command, "attach", "--datadir", `${dir}/${GETH_FILES.dataDir}`, "--exec", "eth.blockNumber", `${dir}/${run.ipcPath}`]
    : [run.command, "attach", "--datadir", GETH_FILES.dataDir, "--exec", "eth.blockNumber", `http://127.0.0.1:${run.ports.http}`];
}

/**
 * How a node is checked. geth: `geth attach` on its endpoint (IPC for sealers; as a Kubernetes probe on sealers only,
 * an RPC node's port gets a cheaper connect). The other clients: a TCP connect, to
 * the RPC port where the node serves clients, else to p2p, which they open once they run. As a command (Docker's
 * checks are commands) the Nethermind (Debian) and Besu (Ubuntu) images offer bash but no curl, hence a connect through
 * bash's /dev/tcp; OpenEthereum's Alpine image has neither bash nor an RPC-capable client command: no command check
 * (a documented gap; Kubernetes still connects to its port).
 */
function nodeHealth(client: Client, run: RunSpec, role: NodeRole): { health: Health; execCheck?: string[] } {
  if (client === "geth") {
    const attach = gethAttach(run);
    // Kubernetes probes an RPC node's port with a cheap connect, a sealer (no port to probe) with the console.
    return { health: role === "rpc" ? { tcp: "rpc" } : { exec: attach }, execCheck: attach };
  }
  // The check inside the container may use a loopback-only RPC port (Besu's validators); the cluster's only a declared one.
  const inside = run.rpcUrl !== undefined ? run.ports.http : run.ports.p2p;
  return { health: { tcp: role === "rpc" ? "rpc" : "p2p" }, ...(client !== "openethereum" ? { execCheck: ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${inside}`] } : {}) };
}

/** The client's image on container targets; local processes run the client's executable, no image. */
export const clientImage = (spec: ConsortiumSpec): string => (spec.fleet.target === "local" ? "" : spec.fleet.images[spec.client]);

export interface NodeWorkloadInput {
  spec: ConsortiumSpec;
  run: RunSpec;
  member: string;
  role: NodeRole;
  /** The client's image (container targets). */
  image: string;
}

export function nodeWorkload({ spec, run, member, role, image }: NodeWorkloadInput): Workload {
  const ports: WorkloadPort[] = [{ name: P2P_PORT, port: run.ports.p2p, reach: "stack", udp: true }];
  // RPC nodes serve clients — through the policy gateway in front of them when the stack's permissions restrict
  // anything (render/permissions/gateway.ts), so then only the stack reaches them; a sealer's HTTP (Besu's validators
  // only) stays on its loopback.
  if (run.rpcUrl !== undefined) ports.push({ name: "rpc", port: run.ports.http, reach: role === "rpc" ? (spec.permissions ? "stack" : "clients") : "self" });
  ports.push({ name: "authrpc", port: run.ports.authrpc, reach: "self" });
  // Its own metrics, for a Prometheus beside the stack's workloads (never published to clients: they tell a node's
  // peers, height and load, nothing a member's clients need).
  if (run.ports.metrics !== undefined) ports.push({ name: METRICS_PORT, port: run.ports.metrics, reach: "stack" });
  const endpoint: Endpoint | undefined = run.ipcPath !== undefined ? { ipc: run.ipcPath } : run.rpcUrl !== undefined ? { http: "rpc" } : undefined;
  return {
    name: run.name,
    member,
    role,
    app: spec.client,
    group: NODES_GROUP,
    image,
    command: run.command,
    args: run.args,
    env: run.env,
    files: run.files,
    secretFiles: run.secretFiles,
    init: run.init,
    ports,
    ...(endpoint ? { endpoint } : {}),
    ...nodeHealth(spec.client, run, role),
    critical: role === "authority",
    readOnlyRoot: READ_ONLY_ROOT[spec.client],
  };
}
