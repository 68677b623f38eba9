// The agent's configuration: plain JSON (rendered by the deployment from Pulumi), validated here so that every
// problem is reported at once with the field that holds it, before the agent touches a key, a database or a chain.
import { getAddress, isAddress } from "ethers";

/** One side of the bridge as the agent sees it. */
export interface ChainConfig {
  /** JSON-RPC endpoint (http/https). */
  rpcUrl: string;
  /** The chain id the bridge was set up for; the agent refuses to run if the node reports another (chain split replay). */
  chainId: number;
  /** Blocks to wait behind the head before an event counts (reorg safety). */
  confirmations: number;
  /** First block to scan when the store has no cursor yet (the contracts' deployment block). */
  startBlock: number;
  /** This chain's ValidatorSet contract. */
  validatorSet: string;
}

/** Home (consortium) chain: the gateway mints deposits and collects withdrawal signatures. */
export interface HomeConfig extends ChainConfig {
  gateway: string;
}

/** Foreign chain (Ethereum mainnet): the vault locks deposits and releases withdrawals. */
export interface ForeignConfig extends ChainConfig {
  vault: string;
}

/** File paths may be relative: they are resolved against the configuration file's directory. */
export interface AgentConfig {
  /** The validator this agent acts for; must be the keystore's address. */
  validatorAddress: string;
  /** Web3 Secret Storage v3 keystore of the validator key (file 0600). */
  keystoreFile: string;
  /** File holding the keystore password (file 0600); its content never leaves the process. */
  passwordFile: string;
  /** SQLite database file: cursors, events, actions and the outbox of signed transactions. */
  dbFile: string;
  home: HomeConfig;
  foreign: ForeignConfig;
  /** Health and metrics HTTP server; `host` defaults to 127.0.0.1. */
  health: { host: string; port: number };
  /** Delay between two rounds of polling both chains. */
  pollIntervalMs: number;
  /** Largest block range per eth_getLogs call. */
  maxBlockRange: number;
  /** How long a sent transaction may stay unmined before it is replaced with a higher fee (same nonce). */
  txTimeoutMs: number;
  /**
   * Permissionless foreign actions (executeWithdrawal, refund): the validator at index `id mod n` of the foreign
   * validator set (sorted ascending) acts at once; the others act only after this delay, if it is still not done.
   */
  fallbackDelayMs: number;
}

export class AgentConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid agent configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
    this.name = "AgentConfigError";
  }
}

/** Reads fields of one JSON object and records a problem (named by its path) for each bad one. */
class Reader {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly path: string,
    private readonly problems: string[],
  ) {}

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  private fail(key: string, msg: string): void {
    this.problems.push(`${this.at(key)}: ${msg}`);
  }

  string(key: string, fallback?: string): string {
    const v = this.obj[key] ?? fallback;
    if (typeof v === "string" && v.length > 0) return v;
    this.fail(key, v === undefined ? "is required (a non-empty string)" : `must be a non-empty string, got ${JSON.stringify(v)}`);
    return "";
  }

  int(key: string, min: number, fallback?: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.obj[key] ?? fallback;
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max) return v;
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    this.fail(key, v === undefined ? `is required (${range})` : `must be ${range}, got ${JSON.stringify(v)}`);
    return NaN;
  }

  address(key: string): string {
    const v = this.string(key);
    if (!v) return v;
    if (!isAddress(v)) {
      this.fail(key, `must be a 0x-prefixed 20-byte address, got ${JSON.stringify(v)}`);
      return v;
    }
    return getAddress(v);
  }

  url(key: string): string {
    const v = this.string(key);
    if (v && !/^https?:\/\/[^\s]+$/.test(v)) this.fail(key, `must be an http(s) URL, got ${JSON.stringify(v)}`);
    return v;
  }

  object(key: string): Reader {
    const v = this.obj[key];
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return new Reader(v as Record<string, unknown>, this.at(key), this.problems);
    this.fail(key, v === undefined ? "is required (an object)" : "must be an object");
    return new Reader({}, this.at(key), []);
  }

  unknownKeys(known: string[]): void {
    for (const k of Object.keys(this.obj)) if (!known.includes(k)) this.fail(k, "is not a known setting (typo?)");
  }
}

const CHAIN_KEYS = ["rpcUrl", "chainId", "confirmations", "startBlock", "validatorSet"];

function chain(r: Reader): ChainConfig {
  return {
    rpcUrl: r.url("rpcUrl"),
    chainId: r.int("chainId", 1),
    confirmations: r.int("confirmations", 0),
    startBlock: r.int("startBlock", 0),
    validatorSet: r.address("validatorSet"),
  };
}

/** Validates a parsed JSON value (or JSON text) as an AgentConfig; throws AgentConfigError listing every problem. */
export function parseAgentConfig(json: unknown): AgentConfig {
  const problems: string[] = [];
  let value = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new AgentConfigError([`not valid JSON: ${(e as Error).message}`]);
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new AgentConfigError(["the configuration must be a JSON object"]);
  const r = new Reader(value as Record<string, unknown>, "", problems);
  r.unknownKeys(["validatorAddress", "keystoreFile", "passwordFile", "dbFile", "home", "foreign", "health", "pollIntervalMs", "maxBlockRange", "txTimeoutMs", "fallbackDelayMs"]);
  const home = r.object("home");
  home.unknownKeys([...CHAIN_KEYS, "gateway"]);
  const foreign = r.object("foreign");
  foreign.unknownKeys([...CHAIN_KEYS, "vault"]);
  const health = r.object("health");
  health.unknownKeys(["host", "port"]);
  const cfg: AgentConfig = {
    validatorAddress: r.address("validatorAddress"),
    keystoreFile: r.string("keystoreFile"),
    passwordFile: r.string("passwordFile"),
    dbFile: r.string("dbFile"),
    home: { ...chain(home), gateway: home.address("gateway") },
    foreign: { ...chain(foreign), vault: foreign.address("vault") },
    health: { host: health.string("host", "127.0.0.1"), port: health.int("port", 0, undefined, 65535) },
    pollIntervalMs: r.int("pollIntervalMs", 50, 2000),
    maxBlockRange: r.int("maxBlockRange", 1, 2000),
    txTimeoutMs: r.int("txTimeoutMs", 1000, 60_000),
    fallbackDelayMs: r.int("fallbackDelayMs", 0, 60_000),
  };
  if (cfg.home.chainId === cfg.foreign.chainId) {
    problems.push(`home.chainId and foreign.chainId: both are ${cfg.home.chainId}; the two sides must be different chains`);
  }
  if (problems.length) throw new AgentConfigError(problems);
  return cfg;
}
