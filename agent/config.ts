// The agent's configuration: plain JSON (rendered by the deployment from Pulumi), validated here so that every
// problem is reported at once with the field that holds it, before the agent touches a key, a database or a chain.
import { getAddress, isAddress } from "ethers";

/** One side of the bridge as the agent sees it. */
export interface ChainConfig {
  /**
   * JSON-RPC endpoint (http/https) of a node this validator's own member runs: the agent trusts what it reads there.
   * Given either inline or, since such URLs often carry an API key, as `rpcUrlFile` (a 0600 file holding the URL),
   * which the parser resolves into this field. Never logged.
   */
  rpcUrl: string;
  /** The chain id the bridge was set up for; the agent refuses to run if the node reports another (chain split replay). */
  chainId: number;
  /** Blocks to wait behind the head before an event counts (reorg safety); at least 1. */
  confirmations: number;
  /**
   * Highest fee per gas this agent ever offers on this chain (wei, decimal): a lying or congested node cannot make it
   * overpay; a transaction the market prices above it waits.
   */
  maxFeePerGasWei: string;
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
  /**
   * Whether this agent also sends the permissionless foreign transactions (executeWithdrawal, refund). Off by default:
   * the recipient or sender pays for them (npm run bridge, the web app); validators only sign.
   */
  relayForeign: boolean;
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

const HTTP_URL = /^https?:\/\/[^\s]+$/;

function unreadable(): string {
  throw new Error("no file reader given");
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
    // The value is not echoed: an RPC URL may carry an API key.
    if (v && !HTTP_URL.test(v)) this.fail(key, "must be an http(s) URL");
    return v;
  }

  /** The URL held by the file named in `key` (trailing newline ignored). */
  urlFromFile(key: string, read: () => string, conflicting: boolean): string {
    if (conflicting) this.fail(key, "and rpcUrl are both set; give one of them");
    let v: string;
    try {
      v = read().replace(/\r?\n$/, "");
    } catch (e) {
      this.fail(key, `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return "";
    }
    if (!HTTP_URL.test(v)) this.fail(key, "must name a file holding one http(s) URL");
    return v;
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.obj[key] ?? fallback;
    if (typeof v === "boolean") return v;
    this.fail(key, `must be true or false, got ${JSON.stringify(v)}`);
    return fallback;
  }

  /** A non-negative integer written as a decimal string (JSON numbers cannot hold wei amounts exactly). */
  decimal(key: string, fallback: string): string {
    const v = this.obj[key] ?? fallback;
    if (typeof v === "string" && /^\d+$/.test(v) && BigInt(v) > 0n) return v;
    this.fail(key, `must be a positive integer as a decimal string, got ${JSON.stringify(v)}`);
    return fallback;
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

const CHAIN_KEYS = ["rpcUrl", "rpcUrlFile", "chainId", "confirmations", "maxFeePerGasWei", "startBlock", "validatorSet"];
/** 500 gwei: far above normal mainnet fees, far below what a lying node could ask. */
const DEFAULT_MAX_FEE_PER_GAS_WEI = "500000000000";

/** `rpcUrlFile` is read by the caller (the parser stays pure); here it only has to be exclusive with `rpcUrl`. */
function chain(r: Reader, readFile: (path: string) => string): ChainConfig {
  const file = r.optionalString("rpcUrlFile");
  const rpcUrl = file === undefined ? r.url("rpcUrl") : r.urlFromFile("rpcUrlFile", () => readFile(file), r.has("rpcUrl"));
  return {
    rpcUrl,
    chainId: r.int("chainId", 1),
    confirmations: r.int("confirmations", 1),
    maxFeePerGasWei: r.decimal("maxFeePerGasWei", DEFAULT_MAX_FEE_PER_GAS_WEI),
    startBlock: r.int("startBlock", 0),
    validatorSet: r.address("validatorSet"),
  };
}

/**
 * Validates a parsed JSON value (or JSON text) as an AgentConfig; throws AgentConfigError listing every problem.
 * `readFile` reads an `rpcUrlFile` (paths as written in the configuration; main.ts resolves them).
 */
export function parseAgentConfig(json: unknown, readFile: (path: string) => string = unreadable): AgentConfig {
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
  r.unknownKeys(["validatorAddress", "keystoreFile", "passwordFile", "dbFile", "home", "foreign", "health", "relayForeign", "pollIntervalMs", "maxBlockRange", "txTimeoutMs", "fallbackDelayMs"]);
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
    home: { ...chain(home, readFile), gateway: home.address("gateway") },
    foreign: { ...chain(foreign, readFile), vault: foreign.address("vault") },
    health: { host: health.string("host", "127.0.0.1"), port: health.int("port", 0, undefined, 65535) },
    relayForeign: r.boolean("relayForeign", false),
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
