// A run spec: everything a target needs to run one node, independent of where it runs, and the parameters
// every client renderer takes to produce one.
import { ConsortiumSpec } from "../settings/consortium";
import type { PermissionsSpec } from "../settings/permissions";

export interface NodePorts {
  /** devp2p TCP/UDP. */
  p2p: number;
  /** JSON-RPC over HTTP (RPC nodes; a sealer's slot keeps the number but opens no such port, Besu aside: see besu.ts). */
  http: number;
  /** Engine API / admin port a client opens besides RPC (bound to loopback), if any. */
  authrpc: number;
  /**
   * The client's own Prometheus metrics server (path: render/clients/index.ts CLIENT_METRICS_PATH): every fleet node
   * has one (render/fleet.ts nodePortsAt); absent, the node serves none (the foreign dev chain).
   */
  metrics?: number;
}

/**
 * Where a secret file's content comes from; the apply layer fills it from Pulumi secrets (render/secrets.ts).
 * nodeKey: hex; nodeKey0x: 0x-hex; nodeKeyRaw: the 32 bytes themselves (Nethermind), carried base64-encoded;
 * password: the keystore password; keystore: the signer's encrypted v3 keystore (JSON). Key files are 0600 on every
 * target and in every export (DESIGN.md, security rules), encrypted keystore included. rpcUrl: an RPC endpoint (a
 * bridge agent's), secret because such URLs often carry an API key. apiKeys: the API keys a policy gateway admits
 * readers by (render/permissions/gateway.ts).
 */
export type SecretSource = "nodeKey" | "nodeKey0x" | "nodeKeyRaw" | "password" | "keystore" | "rpcUrl" | "apiKeys";

export interface RunSpec {
  /** Node name, unique in the fleet. */
  name: string;
  /** Executable and arguments; paths inside args are relative to the node directory (the working directory). */
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Non-secret files, path relative to the node directory → content. */
  files: Record<string, string>;
  /** Secret files (mode 0600), path → what they hold. */
  secretFiles: Record<string, SecretSource>;
  /** One-shot commands run before the first start (and again after a reset). */
  init: { command: string; args: string[] }[];
  ports: NodePorts;
  /**
   * JSON-RPC over HTTP as seen from where the node runs. Absent on a node that holds a signer key: it serves no HTTP
   * (Besu's validators aside, on the container's loopback only, for the operator's QBFT votes).
   */
  rpcUrl?: string;
  /** JSON-RPC over IPC: the socket's path relative to the node directory (sealers: readiness, votes, probes). */
  ipcPath?: string;
}

/** A run spec that serves JSON-RPC over HTTP (non-signing nodes, the foreign dev chain). */
export type HttpRunSpec = RunSpec & { rpcUrl: string };

/** A rendered chain definition file (genesis / chainspec) and the path nodes read it from. */
export interface ChainFile {
  path: string;
  content: string;
}

/** What every client renderer takes. */
export interface NodeParams {
  spec: ConsortiumSpec;
  name: string;
  /** Executable: an absolute path on a host, or the binary inside the client's image. */
  command: string;
  chain: ChainFile;
  ports: NodePorts;
  /** Interface RPC and p2p bind to: 127.0.0.1 for local processes, 0.0.0.0 inside containers. */
  bindHost: string;
  /** Address other nodes reach this node's p2p port at. */
  advertisedHost: string;
  /** enode URLs of every other node. */
  staticPeers: string[];
  /** Present for a sealing authority that signs with a keystore (not QBFT, where the node key signs). */
  signer?: { address: string; keystore: string };
  /** Sealing node (QBFT validators seal with the node key, so `signer` is absent there). */
  sealer: boolean;
  /** JSON-RPC namespaces on HTTP (non-signing nodes; Besu validators on loopback); never personal/admin by default. */
  httpApis?: string[];
  /**
   * The stack's effective policy (the consortium's, with the stack's own accounts: settings/permissions.ts
   * withStackAccounts) when it restricts something. Only Besu enforces it at the node, its transact list as an
   * account allowlist (render/clients/besuPermissions.ts); the other clients have no such list and ignore it.
   */
  permissions?: Pick<PermissionsSpec, "transact">;
}

export { RPC_NODE_NAME, rpcNodeName } from "../settings/consortium";

/**
 * A unix socket path holds at most 107 bytes (sun_path is 108 with its NUL). Clients render their sockets at a short
 * path relative to the node directory (the client runs there); a client connecting from elsewhere needs the absolute
 * path to fit (lib/ipc.ts refuses longer ones, components/fleet/NodeFleet.ts checks before anything runs).
 */
export const MAX_UNIX_SOCKET_PATH = 107;

export const DEFAULT_HTTP_APIS = ["eth", "net", "web3"];
const FORBIDDEN_APIS = ["personal", "admin", "debug", "miner", "parity_accounts", "parity_set", "signer"];

/** The HTTP APIs a node exposes (lower-case), refusing those that can move funds or reconfigure the node. */
export function httpApis(p: Pick<NodeParams, "name" | "httpApis">): string[] {
  // Clients accept namespaces in any case, so the check does too.
  const apis = (p.httpApis ?? DEFAULT_HTTP_APIS).map((a) => a.toLowerCase());
  for (const api of apis) {
    if (FORBIDDEN_APIS.includes(api)) throw new Error(`${p.name}: the ${api} API must not be exposed over HTTP`);
  }
  return apis;
}

export const isIPv4 = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

/** The node's RPC URL as seen from where it runs (a wildcard bind is reached over loopback). */
export function localRpcUrl(p: Pick<NodeParams, "bindHost" | "ports">): string {
  return `http://${p.bindHost === "0.0.0.0" ? "127.0.0.1" : p.bindHost}:${p.ports.http}`;
}
