// Raw stack configuration → validated ConsortiumSpec. Every problem is collected with its field and fix,
// and all of them are reported at once, before any resource exists.
import { SigningKey } from "ethers";
import { Client, CLIENTS, DEFAULT_CLIENT, unsupportedPair } from "./clients";
import { AuthoritySpec, ConsortiumSpec, Engine, FORKS, ForkLevel, PrefundedAccount, RPC_NODE_NAME, rpcNodeName } from "./consortium";
import { BridgeSpec, checkBridgeEndpoints, checkBridgeTarget, parseBridge } from "./bridge";
import { parseMonitoring } from "./monitoring";
import { checkPermissionKeys, isRestricted, parsePermissions, restrictsSenders } from "./permissions";
import { parsePoco } from "./poco";
import { checkWorkerPoolsInStack, parseWorkerPools, WorkerPoolSpec } from "./workerPool";
import { SpecError, SpecIssue } from "./errors";
import { bigInt, DNS_FIX, DNS_LABEL, int, isRecord, oneOf, parseAddress, parseEndpoint, Report, show } from "./fields";
import { parseFleet } from "./fleet";
import { parseCluster } from "./kubernetes";
import { PUBLIC_CHAIN_IDS, PUBLICLY_KNOWN_ACCOUNTS } from "./publicChains";

export const DEFAULTS = {
  engine: "clique" as Engine,
  blockPeriodSeconds: 5,
  epochLength: 30000,
  gasLimit: 30_000_000n,
  forkLevel: "london" as ForkLevel,
  scryptN: 2 ** 18,
  devAccountBalanceWei: 10n ** 24n, // one million ether
};

/** Protocol floor of the block gas limit (Parity's `minGasLimit` 0x1388, geth's `params.MinGasLimit`). */
export const MIN_GAS_LIMIT = 5000n;
/** Keystore cost floor outside dev stacks (DESIGN.md, security rules). */
export const MIN_SCRYPT_N = 2 ** 17;
const MIN_DEV_SCRYPT_N = 2 ** 10;
/** 2^20 needs 1 GiB per derivation: above that a key ceremony on a laptop fails. */
const MAX_SCRYPT_N = 2 ** 20;
/** Newest fork every supported pair runs: geth 1.13.15 seals Clique up to London, OpenEthereum 3.3.5 stops there. */
export const MAX_FORK: ForkLevel = "london";
const FORK_CAP_REASON: Record<Client, string> = {
  geth: "geth 1.13.15 (the last release that seals Clique) refuses Shanghai and later",
  openethereum: "OpenEthereum 3.3.5 (archived) runs up to London",
  nethermind: "the deployer renders PoA chains up to London (the bridge and PoCo contracts target it; no PUSH0)",
  besu: "the deployer renders PoA chains up to London (the bridge and PoCo contracts target it; no PUSH0)",
};
/** CHAINID (Istanbul) is needed by the EIP-712 domains of the bridge and PoCo contracts. */
export const MIN_FORK: ForkLevel = "istanbul";
export { MAX_LOCAL_NODES } from "./fleet";

/** Every setting of the `consortium:` namespace. */
export const KNOWN_KEYS = [
  "name",
  "chainId",
  "networkId",
  "allowPublicChainId",
  "engine",
  "client",
  "blockPeriodSeconds",
  "epochLength",
  "gasLimit",
  "forkLevel",
  "authorities",
  "prefunded",
  "scryptN",
  "dev",
  "devAccountBalanceWei",
  "fleet",
  "bridge",
  "poco",
  "workerPools",
  "monitoring",
  "permissions",
] as const;

/**
 * Plain settings of where this stack's own objects go (settings/kubernetes.ts), not of the consortium: each member's
 * stack has its own, so they are kept apart from KNOWN_KEYS, which a key ceremony copies (lib/ceremony/params.ts).
 */
export const CLUSTER_KEYS = ["kubeContext"] as const;


/** Secret settings, checked with the rest but never kept in the spec (the program reads them as Pulumi secrets). */
export interface SecretSettings {
  bridgeEndpoints?: unknown;
  permissionKeys?: unknown;
  /** The kubeconfig file's text (settings/kubernetes.ts): only its shape is checked, the spec keeps none of it. */
  kubeconfig?: unknown;
  /** Secret settings (keys without `consortium:`) set without `--secret`, so in plaintext in Pulumi.<stack>.yaml. */
  plaintext?: readonly string[];
}

/** Parses and validates raw configuration (the `consortium:` namespace without its prefix). */
export function parseConsortiumSpec(raw: Record<string, unknown>, secrets: SecretSettings = {}): ConsortiumSpec {
  const issues: SpecIssue[] = [];
  const problem = (field: string, what: string, fix: string) => issues.push({ field, problem: what, fix });

  const known: readonly string[] = [...KNOWN_KEYS, ...CLUSTER_KEYS];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      problem(key, "is not a known setting", near ? `rename it to "${near}"` : `remove it; known settings: ${known.join(", ")}`);
    }
  }
  for (const key of secrets.plaintext ?? []) {
    problem(
      key,
      "is stored in plaintext in the stack's configuration file",
      `pulumi config rm consortium:${key}, then set it again with pulumi config set --secret consortium:${key} … (and replace the value if that file was ever committed or shared)`,
    );
  }

  const name = raw.name;
  if (typeof name !== "string" || !DNS_LABEL.test(name)) {
    problem("name", `${show(name)} is not a valid consortium name`, DNS_FIX);
  }

  const dev = raw.dev === undefined ? false : raw.dev;
  if (typeof dev !== "boolean") problem("dev", `${show(dev)} is not a boolean`, "set true or false");
  const isDev = dev === true;

  const chainId = int(raw.chainId, "chainId", 1, 2 ** 32 - 1, problem, "pick an unused id, e.g. from chainlist.org gaps (1 to 4294967295)");
  const allowPublic = raw.allowPublicChainId === true;
  if (raw.allowPublicChainId !== undefined && typeof raw.allowPublicChainId !== "boolean") {
    problem("allowPublicChainId", `${show(raw.allowPublicChainId)} is not a boolean`, "set true or false");
  }
  if (chainId !== undefined && PUBLIC_CHAIN_IDS.has(chainId) && !allowPublic) {
    problem(
      "chainId",
      `${chainId} is the chain id of ${PUBLIC_CHAIN_IDS.get(chainId)}; transactions signed there would replay on the consortium`,
      "pick an unused chain id, or set allowPublicChainId: true if this is deliberate",
    );
  }
  const networkId = raw.networkId === undefined ? chainId : int(raw.networkId, "networkId", 1, 2 ** 53 - 1, problem, "use a positive integer, usually equal to chainId");

  const engine = oneOf(raw.engine, "engine", ["clique", "aura", "qbft"] as const, DEFAULTS.engine, problem);
  const client = engine && oneOf(raw.client, "client", CLIENTS, DEFAULT_CLIENT[engine], problem);
  const unsupported = engine && client ? unsupportedPair(client, engine) : undefined;
  if (unsupported) problem("client", unsupported.problem, unsupported.fix);
  const blockPeriodSeconds =
    raw.blockPeriodSeconds === undefined
      ? DEFAULTS.blockPeriodSeconds
      : int(raw.blockPeriodSeconds, "blockPeriodSeconds", 1, 3600, problem, "use a whole number of seconds from 1 to 3600 (0 would make Clique seal only on demand and AuRa divide by zero)");
  const epochLength =
    raw.epochLength === undefined ? DEFAULTS.epochLength : int(raw.epochLength, "epochLength", 1, 2 ** 32 - 1, problem, "use a positive block count, 30000 is customary");

  const gasLimit = bigInt(raw.gasLimit, "gasLimit", DEFAULTS.gasLimit, problem);
  if (gasLimit !== undefined && gasLimit < MIN_GAS_LIMIT) {
    problem("gasLimit", `${gasLimit} is below the protocol minimum of ${MIN_GAS_LIMIT} gas`, `use at least ${MIN_GAS_LIMIT}; 30000000 fits contract deployments`);
  } else if (gasLimit !== undefined && gasLimit > 2n ** 63n - 1n) {
    problem("gasLimit", `${gasLimit} does not fit in 63 bits`, "use a value below 9223372036854775807");
  }

  const forkLevel = oneOf(raw.forkLevel, "forkLevel", FORKS, DEFAULTS.forkLevel, problem);
  if (forkLevel !== undefined) {
    const level = FORKS.indexOf(forkLevel);
    if (level > FORKS.indexOf(MAX_FORK)) {
      problem("forkLevel", `"${forkLevel}" is later than London: ${FORK_CAP_REASON[client ?? "geth"]}`, `set forkLevel to "${MAX_FORK}" and compile contracts for london or paris (no PUSH0)`);
    } else if (level < FORKS.indexOf(MIN_FORK)) {
      problem("forkLevel", `"${forkLevel}" lacks the CHAINID opcode the bridge and PoCo contracts need`, `use "${MIN_FORK}" or later, up to "${MAX_FORK}"`);
    }
  }

  const authorities = parseAuthorities(raw.authorities, problem);
  const prefunded = parsePrefunded(raw.prefunded, isDev, problem);

  const scryptN = raw.scryptN === undefined ? DEFAULTS.scryptN : int(raw.scryptN, "scryptN", 1, MAX_SCRYPT_N, problem, `use a power of two up to ${MAX_SCRYPT_N}`);
  if (scryptN !== undefined) {
    const floor = isDev ? MIN_DEV_SCRYPT_N : MIN_SCRYPT_N;
    if ((scryptN & (scryptN - 1)) !== 0) {
      problem("scryptN", `${scryptN} is not a power of two`, `use a power of two such as ${DEFAULTS.scryptN} (2^18)`);
    } else if (scryptN < floor) {
      problem("scryptN", `${scryptN} is below the minimum ${floor} for ${isDev ? "dev" : "non-dev"} stacks`, `use at least ${floor}; the default is ${DEFAULTS.scryptN} (2^18)`);
    }
  }

  let devAccountBalanceWei: bigint | undefined;
  if (raw.devAccountBalanceWei !== undefined && !isDev) {
    problem("devAccountBalanceWei", "a generated, prefunded dev account is only allowed in dev stacks", "remove it, or fund configured accounts through prefunded");
  } else if (isDev) {
    devAccountBalanceWei = bigInt(raw.devAccountBalanceWei, "devAccountBalanceWei", DEFAULTS.devAccountBalanceWei, problem);
  }

  const members = [...new Set((authorities ?? []).map((a) => a.member).filter((m) => typeof m === "string"))];
  const fleet = parseFleet(raw.fleet, { authorities: authorities?.length ?? 0, members, client: unsupported ? undefined : client }, problem);
  const bridge = parseBridge(raw.bridge, { ...bridgeContext(authorities ?? [], isDev), chainId, ...(engine ? { engine } : {}) }, problem);
  checkBridgeEndpoints(secrets.bridgeEndpoints, bridge, { configured: raw.bridge !== undefined, dev: isDev, agentsHere: bridgeContext(authorities ?? [], isDev).localAuthorities }, problem);
  if (bridge && fleet) checkBridgeTarget(bridge, fleet as { target: string; namespace?: string }, problem);
  const poco = parsePoco(raw.poco, { dev: isDev, hasBridge: raw.bridge !== undefined, consortium: typeof name === "string" ? name : "consortium" }, problem);
  const workerPools = parseWorkerPools(raw.workerPools, problem);
  if (workerPools) checkWorkerPoolsInStack(workerPools, { hasPoco: raw.poco !== undefined, fleetTarget: fleet?.target }, problem);
  if (authorities && engine && fleet) checkValidatorChanges(authorities, engine, fleet.target, problem);
  const monitoring = parseMonitoring(raw.monitoring, { rpcNode: fleet?.rpcNode ?? true }, problem);
  const permissions = parsePermissions(raw.permissions, problem, { onChain: engine === "aura" });
  if (fleet && !fleet.rpcNode) checkWithoutRpcNode(raw, bridge, workerPools, fleet.target, problem);
  else if (fleet?.target === "kubernetes") checkDeployerReachesCluster(raw, { readsPermissionContract: engine === "aura" && !!permissions && restrictsSenders(permissions) }, problem);
  checkPermissionKeys(secrets.permissionKeys, permissions, problem);
  const cluster = parseCluster(secrets.kubeconfig, raw.kubeContext, { fleetTarget: fleet?.target, poolTargetKinds: workerPools?.map((p) => p.target.kind) }, problem);

  if (issues.length > 0) throw new SpecError(issues);
  return {
    name: name as string,
    chainId: chainId!,
    networkId: networkId!,
    engine: engine!,
    client: client!,
    blockPeriodSeconds: blockPeriodSeconds!,
    epochLength: epochLength!,
    gasLimit: gasLimit!,
    forkLevel: forkLevel!,
    authorities: authorities!,
    prefunded,
    keys: { scryptN: scryptN! },
    dev: isDev,
    ...(devAccountBalanceWei !== undefined ? { devAccountBalanceWei } : {}),
    fleet: fleet!,
    ...(bridge ? { bridge } : {}),
    ...(poco ? { poco } : {}),
    ...(workerPools?.length ? { workerPools } : {}),
    ...(monitoring ? { monitoring } : {}),
    ...(permissions && isRestricted(permissions) ? { permissions } : {}),
    ...(cluster ? { cluster } : {}),
  };
}

function parseAuthorities(raw: unknown, problem: Report): AuthoritySpec[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    problem("authorities", raw === undefined ? "is missing" : "must list at least one authority", 'list the sealing nodes, e.g. [{ name: "alpha", member: "acme" }]');
    return undefined;
  }
  const out: AuthoritySpec[] = [];
  const names = new Set<string>();
  const addresses = new Map<string, string>();
  const nodeKeys = new Map<string, string>();
  raw.forEach((entry: unknown, i) => {
    const at = `authorities[${i}]`;
    if (!isRecord(entry)) {
      problem(at, `${show(entry)} is not an object`, 'write { name: "alpha", member: "acme" }');
      return;
    }
    const { name, member, external } = entry;
    for (const key of Object.keys(entry)) {
      if (!AUTHORITY_KEYS.includes(key)) problem(`${at}.${key}`, "is not a known authority setting", `remove it; known: ${AUTHORITY_KEYS.join(", ")}`);
    }
    if (typeof name !== "string" || !DNS_LABEL.test(name)) {
      problem(`${at}.name`, `${show(name)} is not a valid authority name`, DNS_FIX);
    } else if (name === RPC_NODE_NAME) {
      problem(`${at}.name`, `"${name}" is the name of the fleet's RPC node`, "give the authority another name");
    } else if (names.has(name)) {
      problem(`${at}.name`, `"${name}" is used by another authority`, "give every authority a unique name");
    } else {
      names.add(name);
    }
    if (typeof member !== "string" || member.trim() === "") {
      problem(`${at}.member`, `${show(member)} is not a member name`, "name the organisation that runs this authority");
    } else if (!MEMBER_LABEL.test(member)) {
      problem(
        `${at}.member`,
        `${show(member)} is not a DNS label: each member runs its own RPC node, named ${rpcNodeName("<member>")} (a container, Service and directory name)`,
        `use 1-${MEMBER_MAX} lower-case letters, digits and '-', starting with a letter (e.g. "org-a"), the same spelling for every authority of that member`,
      );
    }
    const authority: AuthoritySpec = { name: name as string, member: member as string };
    if (external !== undefined) {
      const ext = parseExternal(external, `${at}.external`, problem);
      if (ext) {
        authority.external = ext;
        const a = ext.address.toLowerCase();
        if (addresses.has(a)) problem(`${at}.external.address`, `${ext.address} is also the address of ${addresses.get(a)}`, "every authority needs its own signer key");
        addresses.set(a, at);
        const k = ext.nodePublicKey.toLowerCase();
        if (nodeKeys.has(k)) problem(`${at}.external.nodePublicKey`, `is also the node key of ${nodeKeys.get(k)}`, "every node needs its own devp2p key");
        nodeKeys.set(k, at);
        if (ext.bridgeValidator) {
          // A validator key is one member's, for one purpose: never another authority's signer or validator key.
          const v = ext.bridgeValidator.toLowerCase();
          if (addresses.has(v)) problem(`${at}.external.bridgeValidator`, `${ext.bridgeValidator} is also used by ${addresses.get(v)}`, "every bridge validator needs its own key");
          addresses.set(v, `${at}.external.bridgeValidator`);
        }
      }
    }
    Object.assign(authority, parseValidatorChange(entry, at, problem));
    out.push(authority);
  });
  // Member RPC nodes are named rpc-<member>: no authority may take such a name.
  const rpcNames = new Set(out.filter((a) => typeof a.member === "string").map((a) => rpcNodeName(a.member)));
  out.forEach((a, i) => {
    if (rpcNames.has(a.name)) problem(`authorities[${i}].name`, `"${a.name}" is the name of a member's RPC node`, "give the authority another name (rpc-<member> is reserved)");
  });
  return out;
}

/** A member name: a DNS label short enough that rpc-<member> is one too (DNS_LABEL: at most 32 characters). */
const MEMBER_MAX = 32 - rpcNodeName("").length;
const MEMBER_LABEL = new RegExp(`^[a-z]([a-z0-9-]{0,${MEMBER_MAX - 2}}[a-z0-9])?$`);

const AUTHORITY_KEYS = ["name", "member", "external", "joinedAfterGenesis", "retired", "joinedAtBlock", "retiredAtBlock"];

/** The after-genesis settings of one authority, as given (cross-field rules are in checkValidatorChanges). */
function parseValidatorChange(entry: Record<string, unknown>, at: string, problem: Report): Partial<AuthoritySpec> {
  const out: Partial<AuthoritySpec> = {};
  for (const key of ["joinedAfterGenesis", "retired"] as const) {
    if (entry[key] === undefined) continue;
    if (typeof entry[key] !== "boolean") problem(`${at}.${key}`, `${show(entry[key])} is not a boolean`, "set true or false");
    else if (entry[key]) out[key] = true;
  }
  for (const key of ["joinedAtBlock", "retiredAtBlock"] as const) {
    if (entry[key] === undefined) continue;
    const block = int(entry[key], `${at}.${key}`, 1, 2 ** 53 - 1, problem, "give the block number (≥ 1) from which the AuRa validator list changes");
    if (block !== undefined) out[key] = block;
  }
  return out;
}

/**
 * Validator changes after genesis: Clique changes are voted by this stack's signers over their IPC sockets
 * (local target); AuRa changes are scheduled at a block in the chainspec; QBFT votes are rendered for the operator.
 */
function checkValidatorChanges(authorities: AuthoritySpec[], engine: Engine, target: string, problem: Report): void {
  const changed = authorities.some((a) => a.joinedAfterGenesis || a.retired);
  if (authorities.every((a) => a.joinedAfterGenesis)) {
    problem("authorities", "every authority is joinedAfterGenesis, so the genesis would have no signer", "leave joinedAfterGenesis off the authorities that sealed from genesis");
  }
  if (authorities.every((a) => a.retired)) {
    problem("authorities", "every authority is retired, so nothing would seal", "keep at least one authority without retired: true (a majority of the current signers, to vote the others out)");
  }
  if (changed && engine === "clique" && target !== "local") {
    problem("authorities", `Clique validator changes are voted through the signers' IPC sockets (no signer serves HTTP), which the deployer reaches on the local target only (this fleet is ${target})`, 'remove joinedAfterGenesis/retired, or run the fleet with fleet.target "local"');
  }
  authorities.forEach((a, i) => {
    const at = `authorities[${i}]`;
    for (const [flag, block] of [["joinedAfterGenesis", "joinedAtBlock"], ["retired", "retiredAtBlock"]] as const) {
      if (engine === "aura" && a[flag] && a[block] === undefined) {
        problem(`${at}.${block}`, `is missing: an AuRa validator change takes effect at a block fixed in the chainspec (validators.multi)`, `set ${block} to a block far enough ahead for every node to restart on the new chainspec before it`);
      } else if (a[block] !== undefined && (engine !== "aura" || !a[flag])) {
        problem(`${at}.${block}`, engine === "aura" ? `is set without ${flag}: true` : `is an AuRa setting; ${engine} validator changes are voted, not scheduled`, engine === "aura" ? `set ${flag}: true, or remove ${block}` : `remove ${block}`);
      }
    }
    if (a.joinedAtBlock !== undefined && a.retiredAtBlock !== undefined && a.retiredAtBlock <= a.joinedAtBlock) {
      problem(`${at}.retiredAtBlock`, `${a.retiredAtBlock} is not after joinedAtBlock ${a.joinedAtBlock}`, "retire the authority at a later block than it joins");
    }
  });
}

/**
 * On the kubernetes target the fleet's RPC URLs are in-cluster Service names, which `pulumi up` may not resolve: what
 * the deployer sends to (or reads from) the home chain goes to `bridge.home.rpcUrl` (checkBridgeTarget requires it
 * with a bridge). PoCo, worker pools and AuRa's permission contract (read at every `up`) without a bridge have no such
 * setting yet, so they are refused here rather than failing on a name the deployer cannot resolve half-way through an
 * update.
 */
function checkDeployerReachesCluster(raw: Record<string, unknown>, needs: { readsPermissionContract: boolean }, problem: Report): void {
  if (raw.bridge !== undefined) return;
  const features = [...(["poco", "workerPools"] as const).filter((f) => raw[f] !== undefined), ...(needs.readsPermissionContract ? ["permissions"] : [])];
  for (const feature of features) {
    problem(
      feature,
      "needs the home chain's RPC URL as `pulumi up` reaches it, but on the kubernetes target the fleet's RPC endpoints are in-cluster Service names",
      "configure the bridge with bridge.home.rpcUrl (an Ingress, a LoadBalancer or a port-forward to svc/rpc-<member>, or to svc/gateway-<member> with permissions), or run the stack on the local or docker target",
    );
  }
}

/**
 * `fleet.rpcNode: false`: the stack runs no RPC node, and no node holding a signer key serves HTTP, so the stack has no
 * RPC URL. What needs one takes the endpoint the operator gives in `bridge.home.rpcUrl` (a non-signing node it runs
 * elsewhere), or is refused. Reads the bridge and pool settings; their own parsers stay as they are.
 */
function checkWithoutRpcNode(raw: Record<string, unknown>, bridge: BridgeSpec | undefined, pools: WorkerPoolSpec[] | undefined, target: string, problem: Report): void {
  const given = typeof bridge?.home.rpcUrl === "string";
  const why = "fleet.rpcNode is false, so this stack runs no RPC node (and no node holding a signer key serves HTTP): it has no RPC URL";
  if (raw.bridge !== undefined && !given) {
    problem("bridge.home.rpcUrl", `is missing: ${why} for the bridge's deployer and agents`, "give the JSON-RPC URL of a non-signing node of the home chain, or set fleet.rpcNode: true (the default)");
  }
  for (const feature of ["poco", "workerPools"] as const) {
    if (raw[feature] === undefined || given || raw.bridge !== undefined) continue;
    problem(feature, `needs the home chain's RPC URL, but ${why}`, "set fleet.rpcNode: true (the default), or give bridge.home.rpcUrl (a non-signing node's JSON-RPC URL)");
  }
  (pools ?? []).forEach((pool, i) => {
    if (pool.target.kind === "kubernetes" && !pool.chainRpcUrl && target === "kubernetes") {
      problem(`workerPools[${i}].chainRpcUrl`, `is missing: ${why}, so the pool has no in-cluster RPC Service to default to`, "give the home chain's JSON-RPC URL as the pool's pods reach it, or set fleet.rpcNode: true");
    }
  });
}

function parseExternal(raw: unknown, at: string, problem: Report) {
  if (!isRecord(raw)) {
    problem(at, `${show(raw)} is not an object`, "give { address, nodePublicKey } from the member's ceremony contribution");
    return undefined;
  }
  const address = parseAddress(raw.address, `${at}.address`, problem);
  let nodePublicKey: string | undefined;
  const pk = typeof raw.nodePublicKey === "string" ? raw.nodePublicKey.replace(/^0x/, "") : undefined;
  if (pk === undefined || !/^[0-9a-fA-F]{128}$/.test(pk)) {
    problem(`${at}.nodePublicKey`, `${show(raw.nodePublicKey)} is not a 64-byte node public key`, "use the 128 hex digits of the enode id (the part of enode://…@ before '@')");
  } else {
    try {
      SigningKey.computePublicKey("0x04" + pk);
      nodePublicKey = pk.toLowerCase();
    } catch {
      problem(`${at}.nodePublicKey`, "is not a point on secp256k1", "copy the enode id again from the member's contribution");
    }
  }
  let endpoint: string | undefined;
  if (raw.endpoint !== undefined) {
    if (typeof raw.endpoint !== "string" || !parseEndpoint(raw.endpoint)) {
      problem(`${at}.endpoint`, `${show(raw.endpoint)} is not host:port with a port from 1 to 65535`, 'write the reachable p2p endpoint, e.g. "node1.acme.example:30303"');
    } else {
      endpoint = raw.endpoint;
    }
  }
  if (raw.keyDir !== undefined && (typeof raw.keyDir !== "string" || raw.keyDir === "")) {
    problem(`${at}.keyDir`, `${show(raw.keyDir)} is not a directory path`, "give the directory `npm run ceremony -- contribute --out` wrote");
  }
  const bridgeValidator = raw.bridgeValidator === undefined ? undefined : parseAddress(raw.bridgeValidator, `${at}.bridgeValidator`, problem);
  if (bridgeValidator && address && bridgeValidator === address) {
    problem(`${at}.bridgeValidator`, "is the authority's signer address", "use the separate bridge validator key the ceremony made (authorities.json)");
  }
  const known = ["address", "nodePublicKey", "endpoint", "keyDir", "bridgeValidator"];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) problem(`${at}.${key}`, "is not a known setting of an external authority", `remove it; known: ${known.join(", ")}`);
  }
  if (!address || !nodePublicKey) return undefined;
  const keyDir = typeof raw.keyDir === "string" && raw.keyDir !== "" ? raw.keyDir : undefined;
  return { address, nodePublicKey, ...(endpoint ? { endpoint } : {}), ...(keyDir ? { keyDir } : {}), ...(bridgeValidator ? { bridgeValidator } : {}) };
}

function parsePrefunded(raw: unknown, isDev: boolean, problem: Report): PrefundedAccount[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problem("prefunded", `${show(raw)} is not a list`, 'write [{ address: "0x…", balanceWei: "1000000000000000000" }]');
    return [];
  }
  const seen = new Set<string>();
  const out: PrefundedAccount[] = [];
  raw.forEach((entry: unknown, i) => {
    const at = `prefunded[${i}]`;
    if (!isRecord(entry)) {
      problem(at, `${show(entry)} is not an object`, 'write { address: "0x…", balanceWei: "…" }');
      return;
    }
    const address = parseAddress(entry.address, `${at}.address`, problem);
    const balanceWei = bigInt(entry.balanceWei, `${at}.balanceWei`, undefined, problem);
    if (!address || balanceWei === undefined) return;
    const known = PUBLICLY_KNOWN_ACCOUNTS.get(address.toLowerCase());
    if (known && !isDev) {
      problem(`${at}.address`, `${address} is the ${known}, whose private key is public`, "fund an account whose key only you hold");
    }
    if (seen.has(address.toLowerCase())) problem(`${at}.address`, `${address} is listed twice`, "merge the two entries");
    seen.add(address.toLowerCase());
    out.push({ address, balanceWei });
  });
  return out;
}


/** Which authorities' bridge validators this stack knows: those whose keys it holds, and those the ceremony gave by address. */
function bridgeContext(authorities: AuthoritySpec[], dev: boolean) {
  const named = authorities.filter((a) => typeof a.name === "string");
  return {
    dev,
    allAuthorities: named.map((a) => a.name),
    localAuthorities: named.filter((a) => !a.external || a.external.keyDir).map((a) => a.name),
    externalValidators: named.filter((a) => a.external?.bridgeValidator).map((a) => a.name),
    retired: named.filter((a) => a.retired).map((a) => a.name),
  };
}
