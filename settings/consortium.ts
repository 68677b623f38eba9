// The validated, typed description of one consortium: the only input of the render layer.
// Produced by `parseConsortiumSpec` (settings/parse.ts) from raw stack configuration.
import type { BridgeSpec } from "./bridge";
import type { Client } from "./clients";
import type { PocoSpec } from "./poco";
import type { WorkerPoolSpec } from "./workerPool";
import type { MonitoringSpec } from "./monitoring";
import type { PermissionsSpec } from "./permissions";
import type { ClusterSpec } from "./kubernetes";
import type { PodResources } from "./fields";

/** Consensus engines the deployer can render a chain spec for. */
export type Engine = "clique" | "aura" | "qbft";

/** Hard forks in activation order; a spec activates every fork up to and including its `forkLevel` at genesis. */
export const FORKS = [
  "homestead",
  "tangerineWhistle",
  "spuriousDragon",
  "byzantium",
  "constantinople",
  "petersburg",
  "istanbul",
  "berlin",
  "london",
  "shanghai",
  "cancun",
] as const;
export type ForkLevel = (typeof FORKS)[number];

/**
 * The non-signing nodes that serve clients: one per member, named `rpc-<member>` on every target (rpcNodeName).
 * "rpc" alone was the name of the single shared RPC node of earlier versions; no authority may take either name.
 */
export const RPC_NODE_NAME = "rpc";

/** Name of a member's RPC node (a DNS label, as member names are; settings/parse.ts checks both). */
export const rpcNodeName = (member: string): string => `${RPC_NODE_NAME}-${member}`;

/**
 * Members that get an RPC node of their own (with `fleet.rpcNode`): those with a non-retired authority this stack
 * runs (generated here, or from the member's own key directory), in the order of their first authority.
 * The first one's RPC node is the stack's `rpcUrl` (the "primary" member).
 */
export function rpcMembers(spec: Pick<ConsortiumSpec, "authorities" | "fleet">): string[] {
  if (!spec.fleet.rpcNode) return [];
  const runs = (a: AuthoritySpec) => !a.retired && (!a.external || !!a.external.keyDir);
  return [...new Set(spec.authorities.filter(runs).map((a) => a.member))];
}

/** Every member in the order of its first authority (retired and external ones included): stable port slots. */
export const allMembers = (authorities: readonly Pick<AuthoritySpec, "member">[]): string[] => [...new Set(authorities.map((a) => a.member))];

/** One sealing authority (validator / signer) of the consortium. */
export interface AuthoritySpec {
  /** Unique name, a DNS label (`alpha`, `acme-1`): used for directories, containers and resource names. */
  name: string;
  /** The member organisation that runs this authority. */
  member: string;
  /**
   * Public parts brought by a member that generated its own keys (key ceremony). Absent: the stack generates
   * the signer key and node key itself and keeps them as Pulumi secrets.
   */
  external?: ExternalAuthority;
  /**
   * Not in the genesis: added to the running chain (Clique/QBFT: voted in by the existing signers; AuRa: from
   * `joinedAtBlock`). The genesis is rendered from the authorities without this flag only, so it never changes.
   */
  joinedAfterGenesis?: boolean;
  /** Removed from the validator set (voted out, or AuRa: from `retiredAtBlock`); its node is removed afterwards. */
  retired?: boolean;
  /** AuRa only: first block sealed with this authority in the validator list (`validators.multi` transition). */
  joinedAtBlock?: number;
  /** AuRa only: first block sealed without this authority. */
  retiredAtBlock?: number;
}

export interface ExternalAuthority {
  /** Checksummed signer address. */
  address: string;
  /** devp2p node public key: 64 bytes, uncompressed without the 0x04 prefix, hex. */
  nodePublicKey: string;
  /** `host:port` where the member's node accepts peers, if it is reachable. */
  endpoint?: string;
  /**
   * The member's own key directory (written by `npm run ceremony -- contribute`): when set, this stack runs the
   * authority's node with those keys — the member's stack uses its local keystore, never the coordinator's.
   */
  keyDir?: string;
  /**
   * The address of the member's bridge validator key (made in the ceremony, kept in its key directory): the bridge
   * contracts trust it; the member's own stack runs its agent from `keyDir`.
   */
  bridgeValidator?: string;
}

export interface PrefundedAccount {
  address: string;
  /** Balance in wei. */
  balanceWei: bigint;
}

export interface KeySettings {
  /** scrypt cost N for new keystores (power of two). */
  scryptN: number;
}

interface FleetCommon {
  /**
   * Run a non-signing RPC node per member (`rpc-<member>`, rpcMembers), so clients never talk to a node holding a
   * signer key (sealers serve no HTTP at all). false: the stack has no RPC URL, and what needs one (bridge, PoCo,
   * worker pools) needs `bridge.home.rpcUrl` (settings/parse.ts).
   */
  rpcNode: boolean;
  /** Client log verbosity (0–5, geth's scale; mapped per client). */
  verbosity: number;
}

export interface LocalFleetSpec extends FleetCommon {
  target: "local";
  /** Directory for chain data, logs and per-node files; defaults to `.work/<stack>` beside the stack's Pulumi.yaml. */
  workDir?: string;
}

export interface DockerFleetSpec extends FleetCommon {
  target: "docker";
  /** Image per client (pinned defaults, overridable). */
  images: Record<Client, string>;
  /**
   * Docker host per member (`ssh://user@host`, `tcp://…`, `unix://…`): each member's nodes run on its own host and
   * peer over the hosts' addresses. Members without an entry use the local engine.
   */
  hosts: Record<string, DockerHost>;
  /** Address the RPC nodes' ports are published on (loopback by default). */
  rpcBind: string;
}

export interface DockerHost {
  /** Docker daemon URL. */
  url: string;
  /** Address other members reach this host's p2p ports at. */
  address: string;
  /** Where this host publishes its member's RPC node (an address of this host); default `fleet.rpcBind`. */
  rpcBind?: string;
}

export interface KubernetesFleetSpec extends FleetCommon {
  target: "kubernetes";
  images: Record<Client, string>;
  namespace: string;
  storageClass?: string;
  /** PVC size per node, e.g. "20Gi". */
  storageSize: string;
  resources: PodResources;
}

export type FleetSpec = LocalFleetSpec | DockerFleetSpec | KubernetesFleetSpec;

/** Where the stack runs its workloads. */
export type TargetKind = FleetSpec["target"];

export interface ConsortiumSpec {
  /** Consortium name (DNS label). */
  name: string;
  /** EIP-155 chain id. */
  chainId: number;
  /** devp2p network id; defaults to the chain id. */
  networkId: number;
  engine: Engine;
  /** The client every node of the fleet runs. */
  client: Client;
  /** Clique block period / AuRa step duration / QBFT block period, seconds. */
  blockPeriodSeconds: number;
  /** Clique epoch length (blocks between checkpoints that reset pending votes). */
  epochLength: number;
  /** Genesis block gas limit (and the target the sealers keep). */
  gasLimit: bigint;
  forkLevel: ForkLevel;
  authorities: AuthoritySpec[];
  prefunded: PrefundedAccount[];
  keys: KeySettings;
  /** The embedded development stack: allows a generated, prefunded dev account and weaker scrypt settings. */
  dev: boolean;
  /** Generate a prefunded developer account (dev stacks only); its balance in wei. */
  devAccountBalanceWei?: bigint;
  fleet: FleetSpec;
  /** The token bridge to Ethereum, when configured. */
  bridge?: BridgeSpec;
  /** The iExec PoCo contracts on the home chain, when configured. */
  poco?: PocoSpec;
  /** iExec worker pools registered in that PoCo, when configured. */
  workerPools?: WorkerPoolSpec[];
  /** The operators' monitor, when it runs (settings/monitoring.ts). */
  monitoring?: MonitoringSpec;
  /** Who may read, transact and deploy, when some level is restricted (settings/permissions.ts); absent: open. */
  permissions?: PermissionsSpec;
  /**
   * The cluster the stack's Kubernetes resources go to, when `consortium:kubeconfig` is set (settings/kubernetes.ts):
   * whether one is given and its context, never the kubeconfig itself. Absent: the ambient kubeconfig.
   */
  cluster?: ClusterSpec;
}
