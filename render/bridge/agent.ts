// A bridge validator agent as a run spec: its configuration (agent/config.ts shape), its files and how it starts.
// Pure: the deployment fills in addresses and start blocks once the contracts exist.
import type { AgentConfig } from "../../agent/config";

/** Paths inside the agent's directory (its working directory). */
export const AGENT_FILES = {
  config: "agent.json",
  keystore: "keystore.json",
  password: "password",
  db: "agent.sqlite",
} as const;

/** Where an agent finds its files and binds its health server. */
export interface AgentLayout {
  files: Record<keyof typeof AGENT_FILES, string>;
  healthHost: string;
}

/** A local process: files relative to its working directory, health on loopback. */
export const LOCAL_AGENT_LAYOUT: AgentLayout = { files: AGENT_FILES, healthHost: "127.0.0.1" };

export interface AgentParams {
  /** Validator (authority) name, for the process name. */
  name: string;
  validatorAddress: string;
  /** Encrypted v3 keystore (JSON text): public, the password is the secret. */
  keystore: string;
  home: AgentConfig["home"];
  foreign: AgentConfig["foreign"];
  healthPort: number;
  /** Poll interval: a fraction of the faster chain's block period. */
  pollIntervalMs: number;
}

export interface AgentRunSpec {
  name: string;
  /** Node.js executable and the compiled agent entry. */
  command: string;
  args: string[];
  files: Record<string, string>;
  secretFiles: Record<string, "password">;
  healthUrl: string;
  ports: number[];
}

export function renderAgentConfig(p: AgentParams, layout: AgentLayout = LOCAL_AGENT_LAYOUT): AgentConfig {
  return {
    validatorAddress: p.validatorAddress,
    keystoreFile: layout.files.keystore,
    passwordFile: layout.files.password,
    dbFile: layout.files.db,
    home: p.home,
    foreign: p.foreign,
    health: { host: layout.healthHost, port: p.healthPort },
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
    files: { [AGENT_FILES.config]: JSON.stringify(config, null, 2) + "\n", [AGENT_FILES.keystore]: p.keystore },
    secretFiles: { [AGENT_FILES.password]: "password" },
    healthUrl: `http://127.0.0.1:${p.healthPort}/healthz`,
    ports: [p.healthPort],
  };
}
