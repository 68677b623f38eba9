// A workload as a local process (lib/localProcess.ts runs it): in its own directory on this machine, listening on its
// site's loopback ports, ready once its endpoint answers — JSON-RPC over HTTP or over its IPC socket for a chain node
// (sealers serve no HTTP), an HTTP GET for a health server.
import { posix } from "node:path";
import { MAX_UNIX_SOCKET_PATH } from "../runSpec";
import { LOOPBACK } from "../site";
import { refusal, Workload, workloadPort } from "../workload";

/** What lib/localProcess.ts needs besides the secret files' contents. */
export interface LocalProcessSpec {
  /** Workload name, for messages. */
  name: string;
  /**
   * Its directory: the process's working directory; every relative path below (files, arguments) is inside it. Absolute,
   * or relative to the project folder (the provider's working directory), so that the state names no clone.
   */
  dir: string;
  /** Command and arguments (also of `init`): a `packagePath(...)` (lib/project.ts) names a file of the project being run. */
  command: string;
  args: string[];
  env: Record<string, string>;
  files: Record<string, string>;
  init: { command: string; args: string[] }[];
  /** Where readiness is probed: a JSON-RPC URL or IPC socket path, or (readiness "http") a health URL. */
  rpcUrl: string;
  readiness: "jsonrpc" | "http";
  /** Every port it listens on (all must be free before it starts). */
  ports: number[];
}

/** A port of a local workload as a URL on this machine. */
export const localUrl = (w: Pick<Workload, "name" | "ports">, port: string, path = "") => `http://${LOOPBACK}:${workloadPort(w, port).port}${path}`;

/**
 * The absolute path of a node's IPC socket, refused when longer than a unix socket path may be (the node itself
 * listens on the short relative path; this machine's clients need the absolute one).
 */
export function ipcSocketPath(node: string, dir: string, ipcPath: string): string {
  const path = posix.join(dir, ipcPath);
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_UNIX_SOCKET_PATH) {
    throw new Error(
      `node ${node}: its IPC socket ${path} is ${bytes} bytes, longer than the ${MAX_UNIX_SOCKET_PATH} bytes of a unix socket path, ` +
        `so the deployer could not reach it for readiness checks and validator votes. Fix: set consortium:fleet.workDir to a directory ` +
        `at most ${MAX_UNIX_SOCKET_PATH - (bytes - Buffer.byteLength(dir.replace(/\/[^/]*$/, "")))} bytes long (e.g. /var/lib/<consortium>)`,
    );
  }
  return path;
}

/** Where the deployer checks a local workload: its JSON-RPC endpoint (HTTP, or its IPC socket in `dir`), else its HTTP health. */
export function localReadiness(w: Workload, dir: string): Pick<LocalProcessSpec, "rpcUrl" | "readiness"> {
  if (w.endpoint && "ipc" in w.endpoint) return { rpcUrl: ipcSocketPath(w.name, dir, w.endpoint.ipc), readiness: "jsonrpc" };
  if (w.endpoint) return { rpcUrl: localUrl(w, w.endpoint.http), readiness: "jsonrpc" };
  if (w.health && "http" in w.health) return { rpcUrl: localUrl(w, w.health.http.port, w.health.http.path), readiness: "http" };
  throw new Error(`${w.name}: a local process needs a JSON-RPC endpoint or an HTTP health check to tell it is up`);
}

export function localProcess(w: Workload, dir: string): LocalProcessSpec {
  const refused = refusal(w, "local", []);
  if (refused) throw new Error(refused);
  return {
    name: w.name,
    dir,
    command: w.command,
    args: w.args,
    env: w.env,
    files: w.files,
    init: w.init,
    ...localReadiness(w, dir),
    ports: w.ports.map((p) => p.port),
  };
}
