// The token bridge settings (`consortium:bridge`), validated with the rest of the spec: every problem names its
// field and the fix before any resource exists.
import { bigInt, int, isRecord, parseAddress, Report, show } from "./fields";

/** Per-transaction and daily limits, in token base units. */
export interface LimitsSpec {
  minPerTx: bigint;
  maxPerTx: bigint;
  dailyLimit: bigint;
}

export interface BridgeRolesSpec {
  /** DEFAULT_ADMIN_ROLE of the three contracts: changes validators and hands out the other roles. */
  owner?: string;
  pauser?: string;
  whitelistManager?: string;
  limitsManager?: string;
}

export interface BridgeSpec {
  /** Authorities (by name) that run a bridge validator agent, each with its own key. */
  validators: string[];
  /** Signatures / confirmations needed: m of the n validators. */
  threshold: number;
  foreign: {
    /** Ethereum JSON-RPC endpoint; absent in dev stacks, which run a local geth --dev chain instead. */
    rpcUrl?: string;
    chainId?: number;
    /** The ERC-20 bridged (RLC on mainnet); absent in dev stacks, which deploy the dev RLC. */
    token?: string;
    confirmations: number;
  };
  home: {
    /**
     * Where the deployment reaches the consortium chain (default: the fleet's RPC endpoint), and where agents do that
     * cannot reach the fleet's RPC node inside its Docker network or cluster. Required on the kubernetes target.
     */
    rpcUrl?: string;
    confirmations: number;
  };
  /** Deposit limits on the foreign vault. */
  depositLimits: LimitsSpec;
  /** Mint (execution) limits on the home gateway. */
  executionLimits: LimitsSpec;
  /** Withdraw limits on the home gateway. */
  withdrawLimits: LimitsSpec;
  /** Refund fee for non-whitelisted deposits, basis points (≤ 1000). */
  feeBps: number;
  /** Receives refund fees; defaults to the owner. */
  feeRecipient?: string;
  /** Foreign addresses allowed to deposit. */
  whitelist: string[];
  /** Role holders; each defaults to the deployer. */
  roles: BridgeRolesSpec;
  /** Bridged token name and symbol on the home chain. */
  token: { name: string; symbol: string };
  /** The agents' image on the docker and kubernetes targets (templates/bridge-agent/Dockerfile). */
  agent: { image: string };
}

export const BRIDGE_KEYS = [
  "validators", "threshold", "foreign", "home", "depositLimits", "executionLimits", "withdrawLimits",
  "feeBps", "feeRecipient", "whitelist", "roles", "token", "agent",
] as const;

/** The agent image built from templates/bridge-agent/Dockerfile, tagged with the project's version. */
export const DEFAULT_AGENT_IMAGE = "consortium-deployer/bridge-agent:0.1.0";

/** Dev defaults, in base units of a 9-decimal token (RLC): 0.001 to 1,000,000 per transfer, 10,000,000 a day. */
const DEV_LIMITS: LimitsSpec = { minPerTx: 10n ** 6n, maxPerTx: 10n ** 15n, dailyLimit: 10n ** 16n };
export const MAX_FEE_BPS = 1000;

interface BridgeContext {
  dev: boolean;
  /** Authority names this stack runs (not external). */
  localAuthorities: string[];
  allAuthorities: string[];
}

export function parseBridge(raw: unknown, ctx: BridgeContext, problem: Report): BridgeSpec | undefined {
  if (raw === undefined) return undefined;
  const at = (f: string) => `bridge.${f}`;
  if (!isRecord(raw)) {
    problem("bridge", `${show(raw)} is not an object`, "write the bridge settings as a map (see README, \"Token bridge\")");
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!(BRIDGE_KEYS as readonly string[]).includes(key)) problem(at(key), "is not a known bridge setting", `remove it; known: ${BRIDGE_KEYS.join(", ")}`);
  }

  const validators = parseValidators(raw.validators, ctx, problem);
  const majority = validators ? Math.floor(validators.length / 2) + 1 : 1;
  const threshold =
    raw.threshold === undefined
      ? majority
      : int(raw.threshold, at("threshold"), 1, Math.max(1, validators?.length ?? 1), problem, `use a number from ${majority} (a majority) to ${validators?.length ?? 1} (all validators)`);
  if (threshold !== undefined && validators && threshold < majority) {
    problem(at("threshold"), `${threshold} of ${validators.length} is not a majority: two disjoint groups could approve conflicting transfers`, `use at least ${majority}`);
  }

  const foreign = isRecord(raw.foreign) ? raw.foreign : {};
  if (raw.foreign !== undefined && !isRecord(raw.foreign)) problem(at("foreign"), `${show(raw.foreign)} is not an object`, "write { rpcUrl, chainId, token, confirmations }");
  for (const key of Object.keys(foreign)) {
    if (!["rpcUrl", "chainId", "token", "confirmations"].includes(key)) problem(at(`foreign.${key}`), "is not a known setting", "remove it; known: rpcUrl, chainId, token, confirmations");
  }
  const foreignRpcUrl = optionalUrl(foreign.rpcUrl, at("foreign.rpcUrl"), problem);
  if (!ctx.dev && foreign.rpcUrl === undefined) {
    problem(at("foreign.rpcUrl"), "is missing", "give the Ethereum JSON-RPC endpoint (only dev stacks start a local foreign chain)");
  }
  const foreignChainId =
    foreign.chainId === undefined ? undefined : int(foreign.chainId, at("foreign.chainId"), 1, 2 ** 32 - 1, problem, "give the foreign chain's id (1 for Ethereum mainnet)");
  if (foreignRpcUrl && foreign.chainId === undefined) problem(at("foreign.chainId"), "is missing", "give the foreign chain's id (1 for mainnet); it is checked against the live chain");
  if (!foreignRpcUrl && foreign.chainId !== undefined && ctx.dev) problem(at("foreign.chainId"), "is set without foreign.rpcUrl", "remove it: the local dev chain has its own id (1337)");
  const token = foreign.token === undefined ? undefined : parseAddress(foreign.token, at("foreign.token"), problem);
  if (foreignRpcUrl && foreign.token === undefined) problem(at("foreign.token"), "is missing", "give the address of the ERC-20 to bridge (RLC on mainnet: 0x607F4C5BB672230e8672085532f7e901544a7375)");
  const foreignConfirmations = confirmations(foreign.confirmations, at("foreign.confirmations"), ctx.dev ? 1 : 12, problem);

  const home = isRecord(raw.home) ? raw.home : {};
  if (raw.home !== undefined && !isRecord(raw.home)) problem(at("home"), `${show(raw.home)} is not an object`, "write { rpcUrl, confirmations }");
  for (const key of Object.keys(home)) {
    if (!["rpcUrl", "confirmations"].includes(key)) problem(at(`home.${key}`), "is not a known setting", "remove it; known: rpcUrl, confirmations");
  }
  const homeRpcUrl = optionalUrl(home.rpcUrl, at("home.rpcUrl"), problem);
  const homeConfirmations = confirmations(home.confirmations, at("home.confirmations"), ctx.dev ? 1 : 2, problem);

  const depositLimits = parseLimits(raw.depositLimits, at("depositLimits"), ctx.dev ? DEV_LIMITS : undefined, problem);
  // Home limits default to the deposit limits; when those are bad, that one problem is reported once.
  const executionLimits = parseLimits(raw.executionLimits, at("executionLimits"), depositLimits, problem, depositLimits !== undefined);
  const withdrawLimits = parseLimits(raw.withdrawLimits, at("withdrawLimits"), depositLimits, problem, depositLimits !== undefined);
  const feeBps = raw.feeBps === undefined ? 50 : int(raw.feeBps, at("feeBps"), 0, MAX_FEE_BPS, problem, `use basis points from 0 to ${MAX_FEE_BPS} (50 = 0.5%)`);
  const feeRecipient = raw.feeRecipient === undefined ? undefined : parseAddress(raw.feeRecipient, at("feeRecipient"), problem);

  const whitelist: string[] = [];
  if (raw.whitelist !== undefined && !Array.isArray(raw.whitelist)) {
    problem(at("whitelist"), `${show(raw.whitelist)} is not a list`, "list the foreign addresses allowed to deposit");
  } else {
    for (const [i, a] of ((raw.whitelist as unknown[]) ?? []).entries()) {
      const address = parseAddress(a, at(`whitelist[${i}]`), problem);
      if (address) whitelist.push(address);
    }
  }

  const roles: BridgeRolesSpec = {};
  if (raw.roles !== undefined && !isRecord(raw.roles)) {
    problem(at("roles"), `${show(raw.roles)} is not an object`, "write { owner, pauser, whitelistManager, limitsManager } as addresses");
  } else if (isRecord(raw.roles)) {
    for (const [key, value] of Object.entries(raw.roles)) {
      if (!["owner", "pauser", "whitelistManager", "limitsManager"].includes(key)) {
        problem(at(`roles.${key}`), "is not a known role", "use owner, pauser, whitelistManager or limitsManager");
        continue;
      }
      const address = parseAddress(value, at(`roles.${key}`), problem);
      if (address) roles[key as keyof BridgeRolesSpec] = address;
    }
  }
  if (!ctx.dev && !roles.owner) {
    problem(at("roles.owner"), "is missing", "name the address (ideally a multisig) that will own the bridge contracts; the deployer key must not stay their owner");
  }

  const tokenRaw = isRecord(raw.token) ? raw.token : {};
  if (raw.token !== undefined && !isRecord(raw.token)) problem(at("token"), `${show(raw.token)} is not an object`, 'write { name: "RLC (bridged)", symbol: "RLC" }');
  const tokenName = text(tokenRaw.name, at("token.name"), "RLC (consortium)", problem);
  const tokenSymbol = text(tokenRaw.symbol, at("token.symbol"), "RLC", problem);
  const agent = parseAgent(raw.agent, problem);

  if ([validators, threshold, foreignConfirmations, homeConfirmations, depositLimits, executionLimits, withdrawLimits, feeBps].includes(undefined)) return undefined;
  return {
    validators: validators!,
    threshold: threshold!,
    foreign: {
      ...(foreignRpcUrl ? { rpcUrl: foreignRpcUrl } : {}),
      ...(foreignChainId !== undefined ? { chainId: foreignChainId } : {}),
      ...(token ? { token } : {}),
      confirmations: foreignConfirmations!,
    },
    home: { ...(homeRpcUrl ? { rpcUrl: homeRpcUrl } : {}), confirmations: homeConfirmations! },
    depositLimits: depositLimits!,
    executionLimits: executionLimits!,
    withdrawLimits: withdrawLimits!,
    feeBps: feeBps!,
    ...(feeRecipient ? { feeRecipient } : {}),
    whitelist,
    roles,
    token: { name: tokenName!, symbol: tokenSymbol! },
    agent,
  };
}

function parseAgent(raw: unknown, problem: Report): BridgeSpec["agent"] {
  const agent = { image: DEFAULT_AGENT_IMAGE };
  if (raw === undefined) return agent;
  if (!isRecord(raw)) {
    problem("bridge.agent", `${show(raw)} is not an object`, `write { image: "${DEFAULT_AGENT_IMAGE}" }`);
    return agent;
  }
  for (const key of Object.keys(raw)) if (key !== "image") problem(`bridge.agent.${key}`, "is not a known setting", "remove it; known: image");
  if (raw.image === undefined) return agent;
  // The rule of fleet.images: a tag or a digest, never an implicit "latest".
  if (typeof raw.image !== "string" || !/^[\w./-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/.test(raw.image) || !/[:@]/.test(raw.image)) {
    problem("bridge.agent.image", `${show(raw.image)} is not a pinned image reference`, 'give repository:tag or repository@sha256:digest (never an implicit "latest")');
    return agent;
  }
  return { image: raw.image };
}

function parseValidators(raw: unknown, ctx: BridgeContext, problem: Report): string[] | undefined {
  if (raw === undefined) {
    if (ctx.localAuthorities.length === 0) problem("bridge.validators", "has no default: this stack runs no authority", "list the authorities whose members run a bridge validator here");
    return ctx.localAuthorities.length > 0 ? [...ctx.localAuthorities] : undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    problem("bridge.validators", `${show(raw)} is not a non-empty list`, "list authority names, e.g. [alpha, beta, gamma]");
    return undefined;
  }
  const out: string[] = [];
  for (const [i, name] of raw.entries()) {
    const field = `bridge.validators[${i}]`;
    if (typeof name !== "string" || !ctx.allAuthorities.includes(name)) {
      problem(field, `${show(name)} is not an authority of this consortium`, `use one of: ${ctx.allAuthorities.join(", ")}`);
    } else if (!ctx.localAuthorities.includes(name)) {
      problem(field, `"${name}" is run by its member elsewhere (external), so this stack holds no key for its validator`, "list only authorities this stack runs");
    } else if (out.includes(name)) {
      problem(field, `"${name}" is listed twice`, "list each validator once");
    } else {
      out.push(name);
    }
  }
  return out;
}

function parseLimits(raw: unknown, field: string, fallback: LimitsSpec | undefined, problem: Report, reportMissing = true): LimitsSpec | undefined {
  if (raw === undefined) {
    if (!fallback && reportMissing) problem(field, "is missing", "give { minPerTx, maxPerTx, dailyLimit } in token base units (quoted decimals)");
    return fallback;
  }
  if (!isRecord(raw)) {
    problem(field, `${show(raw)} is not an object`, "give { minPerTx, maxPerTx, dailyLimit } in token base units");
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!["minPerTx", "maxPerTx", "dailyLimit"].includes(key)) problem(`${field}.${key}`, "is not a known limit", "use minPerTx, maxPerTx, dailyLimit");
  }
  const minPerTx = bigInt(raw.minPerTx, `${field}.minPerTx`, fallback?.minPerTx, problem);
  const maxPerTx = bigInt(raw.maxPerTx, `${field}.maxPerTx`, fallback?.maxPerTx, problem);
  const dailyLimit = bigInt(raw.dailyLimit, `${field}.dailyLimit`, fallback?.dailyLimit, problem);
  if (minPerTx === undefined || maxPerTx === undefined || dailyLimit === undefined) return undefined;
  if (minPerTx === 0n || minPerTx > maxPerTx || maxPerTx > dailyLimit) {
    problem(field, `needs 0 < minPerTx ≤ maxPerTx ≤ dailyLimit, got ${minPerTx} / ${maxPerTx} / ${dailyLimit}`, "order the limits so");
    return undefined;
  }
  return { minPerTx, maxPerTx, dailyLimit };
}

function confirmations(raw: unknown, field: string, fallback: number, problem: Report): number | undefined {
  return raw === undefined ? fallback : int(raw, field, 1, 1000, problem, "use a block count from 1 to 1000 (12 is customary on Ethereum mainnet)");
}

function optionalUrl(raw: unknown, field: string, problem: Report): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !/^https?:\/\/[^\s]+$/.test(raw)) {
    problem(field, `${show(raw)} is not an http(s) URL`, "write e.g. https://mainnet.example.org/rpc");
    return undefined;
  }
  return raw;
}

function text(raw: unknown, field: string, fallback: string, problem: Report): string | undefined {
  if (raw === undefined) return fallback;
  if (typeof raw !== "string" || raw.trim() === "" || raw.length > 64) {
    problem(field, `${show(raw)} is not a name of 1-64 characters`, `write e.g. "${fallback}"`);
    return undefined;
  }
  return raw;
}
