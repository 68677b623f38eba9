// `node dist/agent/main.js --config <file>`: runs one bridge agent until SIGTERM/SIGINT, which finish the current
// step, close the database and exit 0. Exit codes: 0 clean stop, 1 unexpected failure (including a reorg deeper
// than the agent may rewind), 2 bad usage or configuration, 3 refused to start (wrong chain id or contracts,
// key not matching validatorAddress, unreadable keystore, database held by another live process).
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BridgeAgent, StartupCheckError } from "./agent";
import { AgentConfig, AgentConfigError, parseAgentConfig } from "./config";
import { startHealthServer } from "./health";
import { loadValidatorWallet } from "./keys";
import { createLogger, errField } from "./log";
import { createMetrics } from "./metrics";
import { Store } from "./store";

const EXIT = { ok: 0, failure: 1, usage: 2, refused: 3 } as const;

/** Relative file paths in the configuration are relative to the configuration file, wherever the agent is started. */
function withPathsFrom(dir: string, cfg: AgentConfig): AgentConfig {
  return { ...cfg, keystoreFile: resolve(dir, cfg.keystoreFile), passwordFile: resolve(dir, cfg.passwordFile), dbFile: resolve(dir, cfg.dbFile) };
}

async function main(): Promise<number> {
  const log = createLogger({});
  let configFile: string | undefined;
  try {
    configFile = parseArgs({ options: { config: { type: "string" } } }).values.config;
  } catch (e) {
    log.error({ err: errField(e) }, "usage: main.js --config <file>");
    return EXIT.usage;
  }
  if (!configFile) {
    log.error("usage: main.js --config <file>");
    return EXIT.usage;
  }
  let cfg;
  try {
    const dir = dirname(resolve(configFile));
    cfg = withPathsFrom(dir, parseAgentConfig(await readFile(configFile, "utf8"), (path) => readFileSync(resolve(dir, path), "utf8")));
  } catch (e) {
    log.error({ config: configFile, problems: e instanceof AgentConfigError ? e.problems : undefined, err: errField(e) }, "bad configuration");
    return EXIT.usage;
  }
  const agentLog = log.child({ validator: cfg.validatorAddress });

  let stopRequested = false;
  let wake: () => void = () => {};
  const stop = (signal: string) => {
    if (!stopRequested) agentLog.info({ signal }, "stopping after the current step");
    stopRequested = true;
    wake();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  const stopping = () => stopRequested;

  let wallet;
  let store;
  try {
    wallet = await loadValidatorWallet(cfg.keystoreFile, cfg.passwordFile, cfg.validatorAddress);
    store = new Store(cfg.dbFile);
  } catch (e) {
    agentLog.error({ err: errField(e) }, "cannot load the validator key or open the database");
    return EXIT.refused;
  }
  const metrics = createMetrics();
  const agent = new BridgeAgent({ cfg, wallet, store, log: agentLog, metrics });
  const server = await startHealthServer(cfg.health.host, cfg.health.port, () => agent.health(), metrics.registry);
  agentLog.info({ healthHost: cfg.health.host, healthPort: server.port }, "agent started");
  try {
    await agent.checkChains(stopping);
    await agent.resendPending();
    while (!stopping()) {
      const behind = await agent.round(stopping);
      if (!behind && !stopping()) await new Promise<void>((r) => ((wake = r), setTimeout(r, cfg.pollIntervalMs)));
    }
    agentLog.info("stopped");
    return EXIT.ok;
  } catch (e) {
    agentLog.error({ err: errField(e) }, e instanceof StartupCheckError ? "refusing to run" : "agent failed");
    return e instanceof StartupCheckError ? EXIT.refused : EXIT.failure;
  } finally {
    await server.close();
    agent.destroy();
    store.close();
  }
}

// Exit explicitly: a provider or timer left behind must not keep a stopped agent alive (logs are written synchronously).
main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(JSON.stringify({ level: 50, msg: "agent crashed", err: errField(e) }));
    process.exit(EXIT.failure);
  },
);
