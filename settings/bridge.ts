// The token bridge settings (`consortium:bridge`), validated with the rest of the spec: every problem names its
// field and the fix before any resource exists.
import type { Engine } from "./consortium";
import { BridgeContractsSpec, parseContracts } from "./bridgeContracts";
import { bigInt, int, isRecord, parseAddress, pinnedImage, Report, show } from "./fields";

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
  /**
   * Authorities (by name) that run a bridge validator agent, each with its own key: made by this stack, or by the
   * member in the ceremony (`external.bridgeValidator`; the agent runs in the stack that has its `keyDir`).
   */
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
    /** The agents' fee cap on this chain, wei. */
    maxFeePerGasWei: bigint;
  };
  home: {
    /**
     * Where the deployment reaches the consortium chain (default: the fleet's RPC endpoint), and where agents do that
     * cannot reach the fleet's RPC node inside its Docker network or cluster. Required on the kubernetes target.
     */
    rpcUrl?: string;
    confirmations: number;
    maxFeePerGasWei: bigint;
  };
  /** Deposit limits on the foreign vault. */
  depositLimits: LimitsSpec;
  /** Release limits on the foreign vault: what a threshold of validator signatures can take per transfer and day. */
  releaseLimits: LimitsSpec;
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
  /** Absent: this stack deploys the contracts. Given: it deploys none and runs its validators' agents against these. */
  contracts?: BridgeContractsSpec;
  agent: {
    /** The agents' image on the docker and kubernetes targets (templates/bridge-agent/Dockerfile). */
    image: string;
    /** Whether the agents also pay for the permissionless foreign transactions (withdrawal execution, refunds). */
    relayForeign: boolean;
  };
}

/** Per validator (authority name), the endpoints its agent reads the chains through: `consortium:bridgeEndpoints`, a secret. */
export type BridgeEndpoints = Record<string, { home?: string; foreign?: string }>;

export const BRIDGE_KEYS = [
  "validators", "threshold", "foreign", "home", "depositLimits", "executionLimits", "withdrawLimits", "releaseLimits",
  "feeBps", "feeRecipient", "whitelist", "roles", "token", "agent", "contracts",
] as const;
const CHAIN_KEYS = ["rpcUrl", "confirmations", "maxFeePerGasGwei"];

/** The dev foreign chain (geth --dev) has this chain id. */
export const DEV_FOREIGN_CHAIN_ID = 1337;
/** 500 gwei: far above normal fees on either chain, far below what a lying node could ask. */
const DEFAULT_MAX_FEE_GWEI = 500;
const GWEI = 10n ** 9n;

/** The agent image built from templates/bridge-agent/Dockerfile, tagged with the project's version. */
export const DEFAULT_AGENT_IMAGE = "consortium-deployer/bridge-agent:0.1.0";

/** Dev defaults, in base units of a 9-decimal token (RLC): 0.001 to 1,000,000 per transfer, 10,000,000 a day. */
const DEV_LIMITS: LimitsSpec = { minPerTx: 10n ** 6n, maxPerTx: 10n ** 15n, dailyLimit: 10n ** 16n };
export const MAX_FEE_BPS = 1000;

interface BridgeContext {
  dev: boolean;
  /** Authority names this stack runs (not external). */
  localAuthorities: string[];
  /** External authorities whose bridge validator address the ceremony gave (`external.bridgeValidator`). */
  externalValidators: string[];
  /** Retired authorities: their members left, and their validators with them. */
  retired: string[];
  allAuthorities: string[];
  /** The consortium's chain id and engine, when valid. */
  chainId?: number;
  engine?: Engine;
}

/**
 * Home confirmations by default: QBFT blocks are final once sealed; Clique and AuRa blocks are safe from a reorg once
 * a majority of the signers sealed on top of them (a minority partition cannot outgrow that chain).
 */
export function defaultHomeConfirmations(engine: Engine | undefined, authorities: number, dev: boolean): number {
  if (dev || engine === "qbft") return 1;
  return Math.floor(authorities / 2) + 1;
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
    const known = [...CHAIN_KEYS, "chainId", "token"];
    if (!known.includes(key)) problem(at(`foreign.${key}`), "is not a known setting", `remove it; known: ${known.join(", ")}`);
  }
  const foreignRpcUrl = optionalUrl(foreign.rpcUrl, at("foreign.rpcUrl"), problem);
  // Given contracts, the deployer's endpoint is not needed: each agent reads Ethereum through its own (bridgeEndpoints).
  const deployedElsewhere = raw.contracts !== undefined;
  if (!ctx.dev && foreign.rpcUrl === undefined && !deployedElsewhere) {
    problem(at("foreign.rpcUrl"), "is missing", "give the Ethereum JSON-RPC endpoint (only dev stacks start a local foreign chain)");
  }
  const foreignChainId =
    foreign.chainId === undefined ? undefined : int(foreign.chainId, at("foreign.chainId"), 1, 2 ** 32 - 1, problem, "give the foreign chain's id (1 for Ethereum mainnet)");
  if ((foreignRpcUrl || deployedElsewhere) && foreign.chainId === undefined) problem(at("foreign.chainId"), "is missing", "give the foreign chain's id (1 for mainnet); it is checked against the live chain");
  if (!foreignRpcUrl && foreign.chainId !== undefined && ctx.dev) problem(at("foreign.chainId"), "is set without foreign.rpcUrl", `remove it: the local dev chain has its own id (${DEV_FOREIGN_CHAIN_ID})`);
  if (ctx.chainId !== undefined) {
    if (foreignChainId === ctx.chainId) {
      problem(at("foreign.chainId"), `is the consortium's own chain id (${ctx.chainId}): a withdrawal signature would be valid on both sides`, "bridge to another chain, or give the consortium another chainId");
    } else if (!foreignRpcUrl && ctx.dev && ctx.chainId === DEV_FOREIGN_CHAIN_ID) {
      problem("chainId", `${DEV_FOREIGN_CHAIN_ID} is the chain id of the dev foreign chain (geth --dev) the bridge runs`, "pick another chainId for the consortium (e.g. 31415)");
    }
  }
  const token = foreign.token === undefined ? undefined : parseAddress(foreign.token, at("foreign.token"), problem);
  if ((foreignRpcUrl || deployedElsewhere) && foreign.token === undefined) problem(at("foreign.token"), "is missing", "give the address of the ERC-20 to bridge (RLC on mainnet: 0x607F4C5BB672230e8672085532f7e901544a7375)");
  const foreignConfirmations = confirmations(foreign.confirmations, at("foreign.confirmations"), ctx.dev ? 1 : 12, problem);
  const foreignMaxFee = maxFee(foreign.maxFeePerGasGwei, at("foreign.maxFeePerGasGwei"), problem);

  const home = isRecord(raw.home) ? raw.home : {};
  if (raw.home !== undefined && !isRecord(raw.home)) problem(at("home"), `${show(raw.home)} is not an object`, "write { rpcUrl, confirmations }");
  for (const key of Object.keys(home)) {
    if (!CHAIN_KEYS.includes(key)) problem(at(`home.${key}`), "is not a known setting", `remove it; known: ${CHAIN_KEYS.join(", ")}`);
  }
  const homeRpcUrl = optionalUrl(home.rpcUrl, at("home.rpcUrl"), problem);
  const homeConfirmations = confirmations(home.confirmations, at("home.confirmations"), defaultHomeConfirmations(ctx.engine, ctx.allAuthorities.length, ctx.dev), problem);
  const homeMaxFee = maxFee(home.maxFeePerGasGwei, at("home.maxFeePerGasGwei"), problem);

  const depositLimits = parseLimits(raw.depositLimits, at("depositLimits"), ctx.dev ? DEV_LIMITS : undefined, problem);
  // Home limits default to the deposit limits; when those are bad, that one problem is reported once.
  const executionLimits = parseLimits(raw.executionLimits, at("executionLimits"), depositLimits, problem, depositLimits !== undefined);
  const withdrawLimits = parseLimits(raw.withdrawLimits, at("withdrawLimits"), depositLimits, problem, depositLimits !== undefined);
  const releaseLimits = parseLimits(raw.releaseLimits, at("releaseLimits"), withdrawLimits, problem, withdrawLimits !== undefined);
  checkLimitChain(depositLimits, executionLimits, "depositLimits", "executionLimits", "a whitelisted deposit the home side cannot mint waits for the owner to cancel it", problem);
  checkLimitChain(withdrawLimits, releaseLimits, "withdrawLimits", "releaseLimits", "a burnt withdrawal the vault cannot release is stuck until the limits change", problem);
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
  const contracts = parseContracts(raw.contracts, { home: ctx.chainId, foreign: foreignChainId, token }, problem);
  if (deployedElsewhere && ctx.dev && !foreignRpcUrl) {
    problem(at("contracts"), "is set without bridge.foreign.rpcUrl: a dev stack's foreign chain is its own local one, where no other stack deployed contracts", "give bridge.foreign.rpcUrl, chainId and token of the chain the contracts are on");
  }

  const values = [validators, threshold, foreignConfirmations, homeConfirmations, foreignMaxFee, homeMaxFee, depositLimits, executionLimits, withdrawLimits, releaseLimits, feeBps];
  if (values.includes(undefined)) return undefined;
  return {
    validators: validators!,
    threshold: threshold!,
    foreign: {
      ...(foreignRpcUrl ? { rpcUrl: foreignRpcUrl } : {}),
      ...(foreignChainId !== undefined ? { chainId: foreignChainId } : {}),
      ...(token ? { token } : {}),
      confirmations: foreignConfirmations!,
      maxFeePerGasWei: foreignMaxFee!,
    },
    home: { ...(homeRpcUrl ? { rpcUrl: homeRpcUrl } : {}), confirmations: homeConfirmations!, maxFeePerGasWei: homeMaxFee! },
    depositLimits: depositLimits!,
    executionLimits: executionLimits!,
    withdrawLimits: withdrawLimits!,
    releaseLimits: releaseLimits!,
    feeBps: feeBps!,
    ...(feeRecipient ? { feeRecipient } : {}),
    whitelist,
    roles,
    token: { name: tokenName!, symbol: tokenSymbol! },
    ...(contracts ? { contracts } : {}),
    agent,
  };
}

function parseAgent(raw: unknown, problem: Report): BridgeSpec["agent"] {
  const agent = { image: DEFAULT_AGENT_IMAGE, relayForeign: false };
  if (raw === undefined) return agent;
  if (!isRecord(raw)) {
    problem("bridge.agent", `${show(raw)} is not an object`, `write { image: "${DEFAULT_AGENT_IMAGE}", relayForeign: false }`);
    return agent;
  }
  for (const key of Object.keys(raw)) {
    if (key !== "image" && key !== "relayForeign") problem(`bridge.agent.${key}`, "is not a known setting", "remove it; known: image, relayForeign");
  }
  if (raw.relayForeign !== undefined && typeof raw.relayForeign !== "boolean") {
    problem("bridge.agent.relayForeign", `${show(raw.relayForeign)} is not a boolean`, "set true (validators pay for executions and refunds on foreign) or false (users do)");
  }
  const relayForeign = raw.relayForeign === true;
  if (raw.image === undefined) return { ...agent, relayForeign };
  return { image: pinnedImage(raw.image, "bridge.agent.image", problem) ?? agent.image, relayForeign };
}

/**
 * `consortium:bridgeEndpoints` (a secret: RPC URLs often carry an API key): `{ <validator>: { home?, foreign? } }`,
 * the nodes each validator's agent reads the chains through — its own member's. Home defaults to the member's own RPC
 * node; foreign has no default outside dev stacks, so no two members' agents share an Ethereum endpoint by accident.
 * Values are checked, never echoed.
 */
export function checkBridgeEndpoints(
  raw: unknown,
  bridge: BridgeSpec | undefined,
  /** `agentsHere`: the authorities whose validator keys this stack holds (the others' agents run in their members' stacks). */
  { configured, dev, agentsHere }: { configured: boolean; dev: boolean; agentsHere: string[] },
  problem: Report,
): void {
  const field = "bridgeEndpoints";
  const fix = (v: string, side: string) => `pulumi config set --secret --path '${"consortium:"}${field}.${v}.${side}' <URL of ${side === "home" ? "the consortium" : "an Ethereum"} node ${v}'s member runs>`;
  if (raw !== undefined && !isRecord(raw)) {
    problem(field, "is not an object", "write { <validator>: { home: <url>, foreign: <url> } } as a secret");
    return;
  }
  const given = (raw ?? {}) as Record<string, unknown>;
  if (!bridge) {
    // A bridge whose settings have problems is reported by them; endpoints are checked once it parses.
    if (raw !== undefined && !configured) problem(field, "is set but there is no bridge", "remove it, or configure consortium:bridge");
    return;
  }
  const agents = bridge.validators.filter((v) => agentsHere.includes(v));
  for (const [v, entry] of Object.entries(given)) {
    if (!agents.includes(v)) {
      problem(`${field}.${v}`, bridge.validators.includes(v) ? "is a validator whose agent its member runs elsewhere" : "is not a bridge validator of this stack", `use one of: ${agents.join(", ")}`);
      continue;
    }
    if (!isRecord(entry)) {
      problem(`${field}.${v}`, "is not an object", "write { home: <url>, foreign: <url> }");
      continue;
    }
    for (const [side, url] of Object.entries(entry)) {
      if (side !== "home" && side !== "foreign") problem(`${field}.${v}.${side}`, "is not a known setting", "use home or foreign");
      else if (typeof url !== "string" || !/^https?:\/\/[^\s]+$/.test(url)) problem(`${field}.${v}.${side}`, "is not an http(s) URL", fix(v, side));
    }
  }
  if (dev) return;
  for (const v of agents) {
    const entry = given[v];
    if (!isRecord(entry) || entry.foreign === undefined) {
      problem(`${field}.${v}.foreign`, "is missing: each validator reads Ethereum through its own member's node, so no single endpoint can feed all of them forged deposits", fix(v, "foreign"));
    }
  }
}

/** Each deposit (withdrawal) that passes the first limits must pass the second, or it is stuck: both per transfer and per day. */
function checkLimitChain(first: LimitsSpec | undefined, second: LimitsSpec | undefined, a: string, b: string, consequence: string, problem: Report): void {
  if (!first || !second) return;
  if (first.minPerTx < second.minPerTx || first.maxPerTx > second.maxPerTx || first.dailyLimit > second.dailyLimit) {
    problem(
      `bridge.${b}`,
      `(${second.minPerTx} / ${second.maxPerTx} / ${second.dailyLimit}) do not cover bridge.${a} (${first.minPerTx} / ${first.maxPerTx} / ${first.dailyLimit}): ${consequence}`,
      `make ${b}.minPerTx ≤ ${a}.minPerTx, ${b}.maxPerTx ≥ ${a}.maxPerTx and ${b}.dailyLimit ≥ ${a}.dailyLimit`,
    );
  }
}

function maxFee(raw: unknown, field: string, problem: Report): bigint | undefined {
  const gwei = raw === undefined ? DEFAULT_MAX_FEE_GWEI : int(raw, field, 1, 1_000_000, problem, "give the highest fee per gas the agents may offer, in gwei (e.g. 500)");
  return gwei === undefined ? undefined : BigInt(gwei) * GWEI;
}

function parseValidators(raw: unknown, ctx: BridgeContext, problem: Report): string[] | undefined {
  // A validator's address is known when this stack makes its key, or when the ceremony gave it; a retired
  // authority's member left, and its validator with it.
  const known = ctx.allAuthorities.filter((a) => (ctx.localAuthorities.includes(a) || ctx.externalValidators.includes(a)) && !ctx.retired.includes(a));
  if (raw === undefined) {
    if (known.length === 0) problem("bridge.validators", "has no default: no authority's bridge validator is known here", "list the authorities whose members run a bridge validator, with their external.bridgeValidator from the ceremony");
    return known.length > 0 ? known : undefined;
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
    } else if (ctx.retired.includes(name)) {
      problem(field, `"${name}" is retired: its member left the consortium, and its bridge validator with it`, "remove it from bridge.validators (the owner then changes the on-chain validator sets: `up` names the calls)");
    } else if (!known.includes(name)) {
      problem(field, `"${name}" is run by its member elsewhere (external), and its bridge validator address is not given`, `set its external.bridgeValidator (from the ceremony's authorities.json), or list only authorities this stack runs`);
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

/**
 * What the fleet's target rules out. Only the local target runs the dev foreign chain (a local process), and on
 * Kubernetes the deployer cannot count on reaching the fleet's in-cluster RPC names.
 */
export function checkBridgeTarget(bridge: BridgeSpec, fleet: { target: string; namespace?: string }, problem: Report): void {
  if (fleet.target === "local") return;
  if (!bridge.foreign.rpcUrl && !bridge.contracts) {
    problem(
      "bridge.foreign.rpcUrl",
      `is missing: the dev foreign chain runs as a local process, which agents on the ${fleet.target} target cannot reach`,
      "give an Ethereum JSON-RPC endpoint the agents reach, with bridge.foreign.chainId and bridge.foreign.token",
    );
  }
  if (fleet.target === "kubernetes" && !bridge.home.rpcUrl) {
    problem(
      "bridge.home.rpcUrl",
      "is missing: on the kubernetes target the fleet's RPC endpoints are in-cluster Service names (<node>.<namespace>.svc.cluster.local), which the agents use but `pulumi up` may not reach",
      `set bridge.home.rpcUrl to an address of an RPC node that the deployer reaches (an Ingress or LoadBalancer; or \`kubectl -n ${fleet.namespace} port-forward svc/rpc-<member> 8545\` — svc/gateway-<member> with permissions, which this URL must then reach — and http://127.0.0.1:8545)`,
    );
  }
}
