// A consortium's permission policy, at the three levels the tool we replace promised: who may read the chain, who may
// call contracts (send transactions), who may create contracts. Checked here field by field, before anything runs;
// enforced per engine (every engine: the policy gateway in front of the RPC nodes the stack exposes, gateway/; AuRa also
// on chain, in the transaction permission contract of its genesis; Besu also by each node's account allowlist).
import { ZeroAddress } from "ethers";
import { isRecord, parseAddress, pinnedImage, Report, show } from "./fields";

export interface PermissionsSpec {
  /** Who may read through the stack's RPC endpoints: anyone, or the holders of an API key (the keys are secrets). */
  read: "open" | "keys";
  /** Who may send transactions (call contracts, move value): anyone, or these addresses. */
  transact: "open" | string[];
  /** Who may create contracts: anyone, or these addresses (each of which may also transact). */
  deploy: "open" | string[];
  /** Who alone may change an on-chain policy (AuRa's permission contract): ideally the consortium's multisig. */
  owner?: string;
  /** The policy gateway's image on the docker and kubernetes targets (templates/gateway/Dockerfile); default DEFAULT_GATEWAY_IMAGE. */
  gatewayImage?: string;
}

/** The gateway image built from templates/gateway/Dockerfile, tagged with the project's version. */
export const DEFAULT_GATEWAY_IMAGE = "consortium-deployer/gateway:0.1.0";

export const OPEN_POLICY: PermissionsSpec = { read: "open", transact: "open", deploy: "open" };
const KEYS = ["read", "transact", "deploy", "owner", "gatewayImage"];

/** Anything to enforce: some level is not open. */
export const isRestricted = (p: PermissionsSpec): boolean => p.read !== "open" || restrictsSenders(p);
/** Who may send or create is listed: what AuRa's permission contract holds (reads are the gateways' alone). */
export const restrictsSenders = (p: PermissionsSpec): boolean => p.transact !== "open" || p.deploy !== "open";

/** The accounts of `accounts` a policy does not admit at the level they need (a deployer needs deploy). */
export function notAdmitted(p: PermissionsSpec, accounts: { transact: readonly string[]; deploy: readonly string[] }): string[] {
  const may = (list: "open" | string[], a: string) => list === "open" || list.includes(a);
  return [...new Set([...accounts.transact.filter((a) => !may(p.transact, a)), ...accounts.deploy.filter((a) => !may(p.deploy, a))])];
}

/**
 * The policy with the stack's own accounts added (the contracts' deployer, the bridge's validators, the worker pools'
 * accounts): a restrictive policy must not stop the stack itself. An open level stays open.
 */
export function withStackAccounts(p: PermissionsSpec, accounts: { transact: readonly string[]; deploy: readonly string[] }): PermissionsSpec {
  const add = (list: "open" | string[], more: readonly string[]) => (list === "open" ? list : [...new Set([...list, ...more])]);
  return { ...p, transact: add(p.transact, [...accounts.transact, ...accounts.deploy]), deploy: add(p.deploy, accounts.deploy) };
}

/** "open", or a list of addresses (checksummed, no duplicates). */
function allowList(raw: unknown, field: string, problem: Report): "open" | string[] | undefined {
  if (raw === undefined || raw === "open") return "open";
  if (!Array.isArray(raw)) {
    problem(field, `${show(raw)} is neither "open" nor a list of addresses`, `write "open", or a list such as ["0x…"]`);
    return undefined;
  }
  const addresses = raw.map((a, i) => parseAddress(a, `${field}[${i}]`, problem));
  if (addresses.some((a) => a === undefined)) return undefined;
  const seen = new Set<string>();
  for (const [i, a] of (addresses as string[]).entries()) {
    if (seen.has(a)) problem(`${field}[${i}]`, `${a} is listed twice`, "list each address once");
    seen.add(a);
  }
  return addresses as string[];
}

/**
 * The policy, or undefined after reporting every problem. Absent: open at every level. `onChain`: the engine keeps
 * the transact and deploy lists in a contract (AuRa), which then needs an owner.
 */
export function parsePermissions(raw: unknown, problem: Report, context: { onChain?: boolean } = {}): PermissionsSpec | undefined {
  if (raw === undefined) return OPEN_POLICY;
  if (!isRecord(raw)) {
    problem("permissions", `${show(raw)} is not a map`, 'write e.g. { read: "keys", transact: ["0x…"], deploy: ["0x…"] }');
    return undefined;
  }
  let ok = true;
  const report: Report = (...args) => {
    ok = false;
    problem(...args);
  };
  for (const key of Object.keys(raw)) if (!KEYS.includes(key)) report(`permissions.${key}`, "is not a known setting", `remove it; known: ${KEYS.join(", ")}`);
  const read = raw.read === undefined ? "open" : raw.read;
  if (read !== "open" && read !== "keys") report("permissions.read", `${show(read)} is not a read policy`, 'write "open" (anyone who reaches an RPC endpoint) or "keys" (holders of an API key)');
  const transact = allowList(raw.transact, "permissions.transact", report);
  const deploy = allowList(raw.deploy, "permissions.deploy", report);
  // Creating a contract is a transaction: a deployer the transact list refuses could never deploy.
  if (deploy === "open" && Array.isArray(transact)) {
    report("permissions.deploy", 'is "open" while permissions.transact is a list', "list the deployers, or open transact too");
  } else if (Array.isArray(deploy) && Array.isArray(transact)) {
    for (const [i, a] of deploy.entries()) {
      if (!transact.includes(a)) report(`permissions.deploy[${i}]`, `${a} may deploy but not transact`, "add it to permissions.transact (a creation is a transaction)");
    }
  }
  const owner = raw.owner === undefined ? undefined : parseAddress(raw.owner, "permissions.owner", report);
  if (owner === ZeroAddress) report("permissions.owner", "is the zero address: nobody could ever change the policy", "set the consortium's multisig (or another account the members control together)");
  if (context.onChain && owner === undefined && raw.owner === undefined && (transact !== "open" || deploy !== "open")) {
    report("permissions.owner", "is missing: AuRa enforces transact and deploy in a contract whose owner alone may change its lists", "set it to the consortium's multisig address");
  }
  const gatewayImage = raw.gatewayImage === undefined ? undefined : pinnedImage(raw.gatewayImage, "permissions.gatewayImage", report);
  return ok ? { read: read as PermissionsSpec["read"], transact: transact!, deploy: deploy!, ...(owner ? { owner } : {}), ...(gatewayImage ? { gatewayImage } : {}) } : undefined;
}

/** An API key's least length: 32 characters (e.g. `openssl rand -hex 16`) leave nothing to guess. */
export const MIN_API_KEY_LENGTH = 32;
const KEY_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/i;
/** The holder name of the key the stack generates for itself (program/permissions.ts). */
export const STACK_KEY_HOLDER = "stack";

/**
 * The secret `permissionKeys` (holder name → API key): needed exactly when reads need a key. Only its shape is
 * checked here; the program reads it again as a Pulumi secret where the gateways get it.
 */
export function checkPermissionKeys(raw: unknown, policy: PermissionsSpec | undefined, problem: Report): void {
  const field = "permissionKeys";
  const set = `pulumi config set --secret --path 'consortium:${field}.<holder>' <key of at least ${MIN_API_KEY_LENGTH} characters>`;
  if (policy?.read !== "keys") {
    if (raw !== undefined && policy) problem(field, 'is set but permissions.read is not "keys"', "remove it, or set permissions.read to \"keys\"");
    return;
  }
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    problem(field, raw === undefined ? "is missing: reads need an API key and nobody holds one" : "is not a map of holder name to key", set);
    return;
  }
  for (const [holder, key] of Object.entries(raw)) {
    if (!KEY_NAME.test(holder)) problem(`${field}.${holder}`, "is not a holder name (letters, digits, - and _)", "name the holder, e.g. ops or wallet-app");
    else if (holder === STACK_KEY_HOLDER) problem(`${field}.${holder}`, "is the name of the key the stack generates for itself", "name the holder otherwise");
    if (typeof key !== "string" || key.length < MIN_API_KEY_LENGTH) problem(`${field}.${holder}`, `is not a key of at least ${MIN_API_KEY_LENGTH} characters`, set);
  }
}
