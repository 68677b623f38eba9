// A bridge validator's agent as a workload (render/workload.ts), on any target: its configuration (agent/config.ts
// shape), its files and how it starts. Pure: the deployment fills in addresses and start blocks once the contracts
// exist. The configuration holds no secret: the keystore, its password and the two RPC URLs (which often carry an API
// key) are secret files (0600). Everything lives in the agent's directory, its working directory: agent.json, the
// secret files beside it (paths in agent.json are relative to it) and its SQLite database.
import type { AgentConfig, ForeignConfig, HomeConfig } from "../../agent/config";
import type { SecretSource } from "../runSpec";
import { Site } from "../site";
import { nodeHttpService, Workload } from "../workload";

/** Paths inside the agent's directory. */
export const AGENT_FILES = {
  config: "agent.json",
  keystore: "keystore.json",
  password: "password",
  homeRpcUrl: "home-rpc-url",
  foreignRpcUrl: "foreign-rpc-url",
  db: "agent.sqlite",
} as const;

/** What an agent holds in secret files. */
export interface AgentSecrets {
  /** Encrypted v3 keystore (JSON text). */
  keystore: string;
  password: string;
  /** The validator's own member's endpoints. */
  homeRpcUrl: string;
  foreignRpcUrl: string;
}

/** The agent's secret files (name in its directory → what they hold). */
export const AGENT_SECRET_FILES: Record<string, SecretSource> = {
  [AGENT_FILES.keystore]: "keystore",
  [AGENT_FILES.password]: "password",
  [AGENT_FILES.homeRpcUrl]: "rpcUrl",
  [AGENT_FILES.foreignRpcUrl]: "rpcUrl",
};

/** The contents of the agent's secret files, by their name in its directory. */
export function agentSecretFiles(s: AgentSecrets): Record<string, string> {
  return { [AGENT_FILES.keystore]: s.keystore, [AGENT_FILES.password]: s.password, [AGENT_FILES.homeRpcUrl]: s.homeRpcUrl, [AGENT_FILES.foreignRpcUrl]: s.foreignRpcUrl };
}

/** A chain as the agent's public configuration names it: everything but the endpoint (a secret file). */
type PublicChain<T> = Omit<T, "rpcUrl">;

/** What TokenBridge hands an agent once the contracts exist (public: no endpoint, no key material). */
export interface AgentParams {
  /** Validator (authority) name: names the agent. */
  name: string;
  validatorAddress: string;
  home: PublicChain<HomeConfig>;
  foreign: PublicChain<ForeignConfig>;
  /** Poll interval: a fraction of the faster chain's block period. */
  pollIntervalMs: number;
  /** Whether the agent pays for executions and refunds on foreign (else users do). */
  relayForeign: boolean;
}

/** The agent's configuration file (agent/config.ts shape, with the endpoints as `rpcUrlFile`). */
export type RenderedAgentConfig = Omit<AgentConfig, "home" | "foreign"> & {
  home: PublicChain<HomeConfig> & { rpcUrlFile: string };
  foreign: PublicChain<ForeignConfig> & { rpcUrlFile: string };
};

export function renderAgentConfig(p: AgentParams, health: { host: string; port: number }): RenderedAgentConfig {
  return {
    validatorAddress: p.validatorAddress,
    keystoreFile: AGENT_FILES.keystore,
    passwordFile: AGENT_FILES.password,
    dbFile: AGENT_FILES.db,
    home: { ...p.home, rpcUrlFile: AGENT_FILES.homeRpcUrl },
    foreign: { ...p.foreign, rpcUrlFile: AGENT_FILES.foreignRpcUrl },
    health,
    relayForeign: p.relayForeign,
    pollIntervalMs: p.pollIntervalMs,
    maxBlockRange: 2000,
    // Replace an unmined transaction after a few blocks of the slower chain.
    txTimeoutMs: 30_000,
    fallbackDelayMs: 10_000,
  };
}

export const agentName = (validator: string) => `bridge-agent-${validator}`;
/** The workloads' group: agents dial no one's "stack" ports, and no node admits them there. */
export const AGENTS_GROUP = "bridge";
/** The health and metrics port inside a container (templates/bridge-agent/Dockerfile EXPOSE). */
export const AGENT_HEALTH_PORT = 8080;
/** Ports an agent takes in a local port block: its health server. */
export const LOCAL_PORTS_PER_AGENT = 1;

/** Node.js and the agent's compiled entry: this machine's for a local process, the image's in a container. */
export interface AgentProgram {
  node: string;
  main: string;
}
/** templates/bridge-agent/Dockerfile: the package is installed at /app. */
export const IMAGE_AGENT_PROGRAM: AgentProgram = { node: "node", main: "/app/dist/agent/main.js" };

/**
 * A new database only with new contracts: the agent's cursors, events and outbox belong to these deployments (a
 * target's reset key: a new directory, volume or claim).
 */
export const agentResetKey = (p: Pick<AgentParams, "foreign" | "home">) => `${p.foreign.vault}/${p.home.gateway}`;

export interface AgentWorkloadInput {
  params: AgentParams;
  member: string;
  /** `bridge.agent.image`. */
  image: string;
  site: Site;
  program: AgentProgram;
}

/** `node <main> --config agent.json` in the agent's directory; healthy once /healthz answers 200 (both chains answer, cursors move). */
export function agentWorkload({ params, member, image, site, program }: AgentWorkloadInput): Workload {
  const port = site.portBase ?? AGENT_HEALTH_PORT;
  const config = renderAgentConfig(params, { host: site.bindHost, port });
  return {
    name: agentName(params.name),
    member,
    role: "bridge-agent",
    group: AGENTS_GROUP,
    image,
    command: program.node,
    args: [program.main, "--config", AGENT_FILES.config],
    env: {},
    files: { [AGENT_FILES.config]: JSON.stringify(config, null, 2) + "\n" },
    secretFiles: AGENT_SECRET_FILES,
    init: [],
    ...nodeHttpService({
      // Health and metrics only: published on its host's loopback (Docker), a Service port (Kubernetes).
      port: { name: "health", port, reach: "clients" },
      // Catching up on a chain's history counts as healthy, but opening both chains takes a moment.
      startSeconds: 60,
      resources: { cpuRequest: "50m", memoryRequest: "128Mi", cpuLimit: "500m", memoryLimit: "512Mi" },
      // SQLite holds cursors, events and the outbox: small.
      storage: "1Gi",
    }),
  };
}
