// A bridge validator agent as a run spec: its configuration (agent/config.ts shape), its files and how it starts.
// Pure: the deployment fills in addresses and start blocks once the contracts exist. The configuration holds no
// secret: the keystore, its password and the two RPC URLs (which often carry an API key) are secret files (0600).
import type { AgentConfig, ForeignConfig, HomeConfig } from "../../agent/config";
import type { SecretSource } from "../runSpec";

/** Paths inside the agent's directory (its working directory). */
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

/** Where an agent finds its files and binds its health server. */
export interface AgentLayout {
  files: Record<keyof typeof AGENT_FILES, string>;
  healthHost: string;
}

/** A local process: files relative to its working directory, health on loopback. */
export const LOCAL_AGENT_LAYOUT: AgentLayout = { files: AGENT_FILES, healthHost: "127.0.0.1" };

/** A chain as the agent's public configuration names it: everything but the endpoint (a secret file). */
type PublicChain<T> = Omit<T, "rpcUrl">;

export interface AgentParams {
  /** Validator (authority) name, for the process name. */
  name: string;
  validatorAddress: string;
  home: PublicChain<HomeConfig>;
  foreign: PublicChain<ForeignConfig>;
  healthPort: number;
  /** Poll interval: a fraction of the faster chain's block period. */
  pollIntervalMs: number;
  /** Whether the agent pays for executions and refunds on foreign (else users do). */
  relayForeign: boolean;
}

export interface AgentRunSpec {
  name: string;
  /** Node.js executable and the compiled agent entry. */
  command: string;
  args: string[];
  files: Record<string, string>;
  healthUrl: string;
  ports: number[];
}

/** The agent's configuration file (agent/config.ts shape, with the endpoints as `rpcUrlFile`). */
export type RenderedAgentConfig = Omit<AgentConfig, "home" | "foreign"> & {
  home: PublicChain<HomeConfig> & { rpcUrlFile: string };
  foreign: PublicChain<ForeignConfig> & { rpcUrlFile: string };
};

export function renderAgentConfig(p: AgentParams, layout: AgentLayout = LOCAL_AGENT_LAYOUT): RenderedAgentConfig {
  return {
    validatorAddress: p.validatorAddress,
    keystoreFile: layout.files.keystore,
    passwordFile: layout.files.password,
    dbFile: layout.files.db,
    home: { ...p.home, rpcUrlFile: layout.files.homeRpcUrl },
    foreign: { ...p.foreign, rpcUrlFile: layout.files.foreignRpcUrl },
    health: { host: layout.healthHost, port: p.healthPort },
    relayForeign: p.relayForeign,
    pollIntervalMs: p.pollIntervalMs,
    maxBlockRange: 2000,
    // Replace an unmined transaction after a few blocks of the slower chain.
    txTimeoutMs: 30_000,
    fallbackDelayMs: 10_000,
  };
}

/** The agent as a local process: `node <dist>/agent/main.js --config agent.json` in its own directory. */
export function renderLocalAgent(p: AgentParams, node: string, agentMain: string): AgentRunSpec {
  const config = renderAgentConfig(p);
  return {
    name: `bridge-agent-${p.name}`,
    command: node,
    args: [agentMain, "--config", AGENT_FILES.config],
    files: { [AGENT_FILES.config]: JSON.stringify(config, null, 2) + "\n" },
    healthUrl: `http://127.0.0.1:${p.healthPort}/healthz`,
    ports: [p.healthPort],
  };
}
