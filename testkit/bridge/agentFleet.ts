// Test harness: a bridge on two real chains with one agent per validator, each a real child process
// (`node dist/agent/main.js --config <file>`) with its own keystore, database, health port and, as in production,
// its RPC endpoints in 0600 files (by default the chains' nodes; a test may put a proxy in front of one agent's).
import { ChildProcess, spawn } from "node:child_process";
import { createWriteStream, WriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Wallet } from "ethers";
import type { RenderedAgentConfig } from "../../render/bridge/agent";
import { AGENT_MAIN, ensureAgentBuilt, writeKeyFiles } from "../agentBuild";
import { BridgeFixture, BridgeFixtureOptions, deployBridgeOn } from "./fixture";
import { startForeignDevChain, startHomeCliqueChain, TestChain } from "../chains";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { approveVault } from "./transfers";

export interface AgentTuning {
  confirmations: number;
  pollIntervalMs: number;
  txTimeoutMs: number;
  fallbackDelayMs: number;
  /** Agents execute withdrawals and refunds on foreign themselves (off by default, as in production). */
  relayForeign?: boolean;
}

export const FAST: AgentTuning = { confirmations: 2, pollIntervalMs: 300, txTimeoutMs: 20_000, fallbackDelayMs: 3_000 };

/** Per validator index, the endpoint its agent reads a chain through (default: the chain's node). */
export interface AgentEndpoints {
  home?: Record<number, string>;
  foreign?: Record<number, string>;
}

interface Running {
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  healthUrl: Promise<string>;
}

export class AgentFleet {
  private readonly running = new Map<number, Running>();
  private readonly logs = new Map<number, WriteStream>();

  private constructor(
    readonly dir: string,
    readonly validators: Wallet[],
    readonly configFiles: string[],
  ) {}

  /** Agent i's log, appended to across restarts. */
  private log(i: number): WriteStream {
    if (!this.logs.has(i)) this.logs.set(i, createWriteStream(join(this.dir, `agent-${i}.log`), { flags: "a" }));
    return this.logs.get(i)!;
  }

  /** Writes each validator's key files, endpoint files and configuration; starts nothing. */
  static async create(b: BridgeFixture, validators: Wallet[], start: { home: number; foreign: number }, t: AgentTuning = FAST, endpoints: AgentEndpoints = {}): Promise<AgentFleet> {
    ensureAgentBuilt();
    const dir = await mkdtemp(join(tmpdir(), "bridge-agents-"));
    const maxFeePerGasWei = String(500n * 10n ** 9n);
    const files = await Promise.all(
      validators.map(async (v, i) => {
        const vdir = join(dir, `v${i}`);
        await writeKeyFiles(vdir, v.privateKey);
        await writeFile(join(vdir, "home-rpc-url"), endpoints.home?.[i] ?? b.home.chain.rpcUrl, { mode: 0o600 });
        await writeFile(join(vdir, "foreign-rpc-url"), endpoints.foreign?.[i] ?? b.foreign.chain.rpcUrl, { mode: 0o600 });
        // Relative paths, as the deployment renders them: resolved against the configuration file's directory.
        const cfg: RenderedAgentConfig = {
          validatorAddress: v.address,
          keystoreFile: "keystore.json",
          passwordFile: "password",
          dbFile: "agent.db",
          home: { rpcUrlFile: "home-rpc-url", chainId: b.home.chain.chainId, gateway: b.addresses.gateway, validatorSet: b.addresses.homeValidatorSet, confirmations: t.confirmations, maxFeePerGasWei, startBlock: start.home },
          foreign: { rpcUrlFile: "foreign-rpc-url", chainId: b.foreign.chain.chainId, vault: b.addresses.vault, validatorSet: b.addresses.foreignValidatorSet, confirmations: t.confirmations, maxFeePerGasWei, startBlock: start.foreign },
          health: { host: "127.0.0.1", port: 0 },
          relayForeign: t.relayForeign ?? false,
          pollIntervalMs: t.pollIntervalMs,
          maxBlockRange: 500,
          txTimeoutMs: t.txTimeoutMs,
          fallbackDelayMs: t.fallbackDelayMs,
        };
        const file = join(vdir, "agent.json");
        await writeFile(file, JSON.stringify(cfg, null, 2));
        return file;
      }),
    );
    return new AgentFleet(dir, validators, files);
  }

  /** Starts agent `i` on `configFile` (its own by default); its JSON log lines go to agent-<i>.log. */
  start(i: number, configFile = this.configFiles[i]): Running {
    if (this.running.has(i)) throw new Error(`agent ${i} is already running`);
    const proc = spawn(process.execPath, [AGENT_MAIN, "--config", configFile], { stdio: ["ignore", "pipe", "pipe"] });
    let resolveUrl: (u: string) => void = () => {};
    const healthUrl = new Promise<string>((r) => (resolveUrl = r));
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      this.log(i).write(line + "\n");
      const m = /"healthPort":(\d+)/.exec(line);
      if (m) resolveUrl(`http://127.0.0.1:${m[1]}`);
    });
    proc.stderr!.on("data", (d) => this.log(i).write(d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on("exit", (code, signal) => {
        this.running.delete(i);
        resolve({ code, signal });
      }),
    );
    const r = { proc, exited, healthUrl };
    this.running.set(i, r);
    return r;
  }

  startAll(): void {
    this.validators.forEach((_, i) => this.start(i));
  }

  isRunning(i: number): boolean {
    return this.running.has(i);
  }

  get(i: number): Running | undefined {
    return this.running.get(i);
  }

  async kill(i: number): Promise<void> {
    const r = this.running.get(i);
    if (!r) return;
    r.proc.kill("SIGKILL");
    await r.exited;
  }

  /** SIGTERM to every running agent; returns their exit codes. */
  async stopAll(): Promise<(number | null)[]> {
    const all = [...this.running.values()];
    for (const r of all) r.proc.kill("SIGTERM");
    return Promise.all(all.map(async (r) => (await r.exited).code));
  }

  async dispose(): Promise<void> {
    for (const i of [...this.running.keys()]) await this.kill(i);
    for (const l of this.logs.values()) l.end();
    if (!process.env.KEEP_AGENT_LOGS) await rm(this.dir, { recursive: true, force: true });
  }
}

export interface BridgeWorld {
  foreign: TestChain;
  home: TestChain;
  bridge: BridgeFixture;
  validators: Wallet[];
  fleet: AgentFleet;
  dispose(): Promise<void>;
}

/** Two chains, a bridge with `n` validators (funded on both sides) and their agents (not started). */
export async function startBridgeWorld(
  n: number,
  opts: Omit<BridgeFixtureOptions, "validators"> & { tuning?: AgentTuning; periodSeconds?: number; endpoints?: (chains: { home: TestChain; foreign: TestChain }) => Promise<AgentEndpoints> },
): Promise<BridgeWorld> {
  // One after the other: each start picks a free port block, and two concurrent starts can pick the same one.
  const foreign = await startForeignDevChain(opts.periodSeconds);
  const home = await startHomeCliqueChain({ periodSeconds: opts.periodSeconds }).catch(async (e) => {
    await foreign.stop();
    throw e;
  });
  try {
    const validators = await Promise.all(Array.from({ length: n }, () => foreign.fundedWallet(100n)));
    const homeFunder = await home.fundedWallet(BigInt(n) * 100n + 1n);
    for (const v of validators) await (await homeFunder.sendTransaction({ to: v.address, value: 100n * 10n ** 18n })).wait();
    const start = { home: await home.provider().getBlockNumber(), foreign: await foreign.provider().getBlockNumber() };
    const bridge = await deployBridgeOn(foreign, home, { ...opts, validators });
    const fleet = await AgentFleet.create(bridge, validators, start, opts.tuning, await opts.endpoints?.({ home, foreign }));
    return {
      foreign,
      home,
      bridge,
      validators,
      fleet,
      async dispose() {
        await fleet.dispose();
        await Promise.all([foreign.stop(), home.stop()]);
      },
    };
  } catch (e) {
    await Promise.all([foreign.stop(), home.stop()]);
    throw e;
  }
}

/** Polls `check` until it returns true (or throws after `timeoutMs`, naming `what`). */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 250): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A depositor with foreign gas, `tokens` of the dev RLC and the vault approved for them. Its key is made before the
 * world (the whitelist needs the address at deployment); this funds it once the world runs.
 */
export async function fundDepositor(w: BridgeWorld, key: string, tokens: bigint): Promise<SequencedWallet> {
  const depositor = new SequencedWallet(key, w.foreign.provider());
  const funder = await w.foreign.fundedWallet(20n);
  await (await funder.sendTransaction({ to: depositor.address, value: 10n ** 19n })).wait();
  await w.bridge.giveForeignTokens(depositor.address, tokens);
  await approveVault(w.bridge, depositor, tokens);
  return depositor;
}
