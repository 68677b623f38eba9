// Configures and observes one bridge contract on its chain, once BridgeDeployment created it (lib/bridge/deployment.ts):
// what the BridgeContract dynamic provider runs.
// Settings and role holders are written in the same shape as they are read back, so a refresh that finds a changed
// limit or a new owner shows up as a diff on exactly that field. The pause state is only observed: an operator's
// emergency pause is reported by refresh and drift, and never undone by `pulumi up` (npm run bridge -- unpause).
import { Contract, ContractTransaction, EventLog, getAddress, JsonRpcProvider, keccak256, Wallet, ZeroHash } from "ethers";
import { Burst } from "../eth/burst";
import { withProvider } from "../eth/provider";
import { SequencedWallet } from "../eth/sequencedWallet";
import { FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI, VALIDATOR_SET_ABI } from "./abi";
import { sortAddresses } from "./signatures";

export type BridgeContractKind = "validatorSet" | "foreignVault" | "homeGateway" | "devToken";

export interface Limits {
  minPerTx: string;
  maxPerTx: string;
  dailyLimit: string;
}

/** Holders of each managed role, sorted; owner = DEFAULT_ADMIN_ROLE. Roles left out are not managed. */
export interface RoleHolders {
  owner: string[];
  pauser?: string[];
  limitsManager?: string[];
  /** Vault only. */
  whitelistManager?: string[];
}

export interface ValidatorSetSettings {
  validators: string[];
  threshold: number;
}
export interface VaultSettings {
  depositLimits: Limits;
  releaseLimits: Limits;
  feeBps: number;
  feeRecipient: string;
  /** Every whitelisted address, sorted (read back from the vault's WhitelistChanged events). */
  whitelist: string[];
}
export interface GatewaySettings {
  executionLimits: Limits;
  withdrawLimits: Limits;
}

/** The mutable configuration of each kind (numbers as decimal strings: state is JSON). */
export type Settings = ValidatorSetSettings | VaultSettings | GatewaySettings | Record<string, never>;

export interface BridgeContractInputs {
  kind: BridgeContractKind;
  rpcUrl: string;
  chainId: number;
  /** Secret: signs configuration (the deployer, holding every role until it hands them over). */
  deployerKey: string;
  /** Where BridgeDeployment created it; another address is another contract. */
  address: string;
  /**
   * Block of its creation, where the agents and the whitelist's history start. Absent for a contract created before
   * the deployment was one resource: a stack made then keeps the block its state holds.
   */
  deployBlock?: number;
  settings: Settings;
  /** Absent for the dev token, which has no roles. */
  roles?: RoleHolders;
}

export interface BridgeContractState extends Omit<BridgeContractInputs, "deployerKey"> {
  deployBlock: number;
  /** keccak256 of the runtime code as deployed; "missing" when the address has no code any more. */
  codeHash: string;
  /** The gateway's bridged token (it creates it). */
  createdToken?: string;
  /** Observed only (vault, gateway): whether the contract is paused. Never an input, so `up` never changes it. */
  paused?: boolean;
  /** Vault: the block up to which `settings.whitelist` reflects the chain (its events are read from there on). */
  whitelistBlock?: number;
}

const ROLE_NAMES = { owner: "DEFAULT_ADMIN_ROLE", pauser: "PAUSER_ROLE", limitsManager: "LIMITS_MANAGER_ROLE", whitelistManager: "WHITELIST_MANAGER_ROLE" } as const;

const ABI: Record<Exclude<BridgeContractKind, "devToken">, readonly string[]> = {
  validatorSet: VALIDATOR_SET_ABI,
  foreignVault: FOREIGN_VAULT_ABI,
  homeGateway: HOME_GATEWAY_ABI,
};

const limitsTuple = (l: Limits) => [BigInt(l.minPerTx), BigInt(l.maxPerTx), BigInt(l.dailyLimit)] as const;
const toLimits = (t: readonly bigint[]): Limits => ({ minPerTx: t[0].toString(), maxPerTx: t[1].toString(), dailyLimit: t[2].toString() });
const sameLimits = (a: Limits, b: Limits) => JSON.stringify(a) === JSON.stringify(b);
/** Checksummed and in ascending order, as state lists them. */
const sortedAddresses = (a: string[]) => sortAddresses(a.map((x) => getAddress(x)));

/** Takes on the contract BridgeDeployment created: applies what its creation left out, hands its roles to their holders. */
export function adoptBridgeContract(inputs: BridgeContractInputs): Promise<BridgeContractState> {
  return withProvider(inputs, async (provider) => {
    await assertChainId(provider, inputs);
    const code = await provider.getCode(inputs.address);
    if (code === "0x") throw new Error(`${inputs.kind}: no contract at ${inputs.address} on chain ${inputs.chainId}, where the bridge deployment reported one`);
    const state: BridgeContractState = { ...publicInputs(inputs), deployBlock: inputs.deployBlock ?? 0, codeHash: keccak256(code) };
    if (inputs.kind === "homeGateway") state.createdToken = await new Contract(inputs.address, HOME_GATEWAY_ABI, provider).token();
    await configure(inputs, state, new SequencedWallet(inputs.deployerKey, provider));
    return observeBridgeContract(state);
  });
}

/** Re-applies settings and roles on the existing contract (the deployer must still hold the roles it needs). */
export function updateBridgeContract(olds: BridgeContractState, inputs: BridgeContractInputs): Promise<BridgeContractState> {
  return withProvider(inputs, async (provider) => {
    await assertChainId(provider, inputs);
    const deployer = new SequencedWallet(inputs.deployerKey, provider);
    await configure(inputs, olds, deployer);
    // The block of the creation stays the state's (a stack made before BridgeDeployment has none in its inputs).
    return observeBridgeContract({ ...olds, ...publicInputs(inputs), deployBlock: olds.deployBlock });
  });
}

/** What is on chain now, in the state's shape. */
export function observeBridgeContract(state: BridgeContractState): Promise<BridgeContractState> {
  return withProvider(state, async (provider) => {
    const code = await provider.getCode(state.address);
    if (code === "0x") return { ...state, codeHash: "missing" };
    const observed: BridgeContractState = { ...state, codeHash: keccak256(code) };
    if (state.kind === "devToken") return observed;
    const c = new Contract(state.address, ABI[state.kind], provider);
    const head = await provider.getBlockNumber();
    const [settings, paused, roles] = await Promise.all([
      readSettings(state, c, head),
      state.kind === "validatorSet" ? undefined : (c.paused() as Promise<boolean>),
      state.roles && readRoles(c, state.roles),
    ]);
    Object.assign(observed, { settings }, paused === undefined ? {} : { paused }, roles ? { roles } : {});
    // The whitelist is read up to `head`: the next observation reads its events from there on.
    if (state.kind === "foreignVault") observed.whitelistBlock = head;
    return observed;
  });
}

function publicInputs(inputs: BridgeContractInputs): Omit<BridgeContractInputs, "deployerKey"> {
  const { deployerKey: _secret, ...rest } = inputs;
  return rest;
}

async function assertChainId(provider: JsonRpcProvider, inputs: BridgeContractInputs): Promise<void> {
  const live = Number(await provider.send("eth_chainId", []));
  if (live !== inputs.chainId) {
    throw new Error(`${inputs.kind}: the chain at ${inputs.rpcUrl} has chain id ${live}, expected ${inputs.chainId}. Fix the RPC URL or the configured chain id.`);
  }
}

/** Blocks per eth_getLogs call when reading the whitelist's history (public endpoints cap the range). */
const LOG_RANGE = 10_000;

/**
 * The whole on-chain whitelist: the mapping cannot be enumerated, so it is rebuilt from WhitelistChanged events —
 * from the deployment, or from `whitelistBlock` on top of the list the state last saw — so an address added by hand
 * shows up as drift too.
 */
async function readWhitelist(state: BridgeContractState, c: Contract, head: number): Promise<string[]> {
  const known = state.whitelistBlock !== undefined;
  const list = new Set<string>(known ? (state.settings as VaultSettings).whitelist.map((a) => getAddress(a)) : []);
  for (let from = known ? state.whitelistBlock! + 1 : state.deployBlock; from <= head; from += LOG_RANGE) {
    const events = await c.queryFilter(c.filters.WhitelistChanged(), from, Math.min(head, from + LOG_RANGE - 1));
    for (const e of events as EventLog[]) {
      const [account, allowed] = e.args as unknown as [string, boolean];
      if (allowed) list.add(getAddress(account));
      else list.delete(getAddress(account));
    }
  }
  return sortedAddresses([...list]);
}

/** The contract's settings; a vault's whitelist as of block `head` (its events up to there). Independent reads go at once. */
async function readSettings(state: BridgeContractState, c: Contract, head: number): Promise<Settings> {
  switch (state.kind) {
    case "validatorSet": {
      const [validators, threshold] = await Promise.all([c.validators(), c.threshold()]);
      return { validators: [...validators].map((a: string) => getAddress(a)), threshold: Number(threshold) };
    }
    case "foreignVault": {
      const [deposit, release, feeBps, feeRecipient, whitelist] = await Promise.all([c.depositLimits(), c.releaseLimits(), c.feeBps(), c.feeRecipient(), readWhitelist(state, c, head)]);
      return { depositLimits: toLimits([...deposit]), releaseLimits: toLimits([...release]), feeBps: Number(feeBps), feeRecipient: getAddress(feeRecipient), whitelist };
    }
    case "homeGateway": {
      const [execution, withdraw] = await Promise.all([c.executionLimits(), c.withdrawLimits()]);
      return { executionLimits: toLimits([...execution]), withdrawLimits: toLimits([...withdraw]) };
    }
    case "devToken":
      return {};
  }
}

async function readRoles(c: Contract, wanted: RoleHolders): Promise<RoleHolders> {
  const entries = await Promise.all(
    (Object.keys(wanted) as (keyof RoleHolders)[]).map(async (key) => {
      const role = key === "owner" ? ZeroHash : await c[ROLE_NAMES[key]]();
      const count = Number(await c.getRoleMemberCount(role));
      const members: string[] = await Promise.all(Array.from({ length: count }, (_, i) => c.getRoleMember(role, i)));
      return [key, sortedAddresses(members)] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as RoleHolders;
}

/**
 * Brings settings, then roles, to the wanted values; each transaction only when the value differs. Never pauses or
 * unpauses. `observed` is the last observation of the contract (its whitelist is read on from there). Settings and
 * grants go in one burst (lib/eth/burst.ts), then, once they are mined, the revocations with the deployer's own last
 * in a second one — transactions in a burst do not stop at a failed one, and the deployer must not give up its roles
 * on a contract left half configured. A setting whose role the deployer no longer holds (handed over) is not sent:
 * the change is refused with the calls its role holder (a multisig) submits (RoleHolderCallsNeeded).
 */
async function configure(inputs: BridgeContractInputs, observed: BridgeContractState, signer: Wallet): Promise<void> {
  if (inputs.kind === "devToken") return;
  const c = new Contract(observed.address, ABI[inputs.kind], signer);
  const now = await readSettings(observed, c, await signer.provider!.getBlockNumber());
  const label = (what: string) => `${inputs.kind} ${observed.address}: ${what}`;
  const changes: SettingChange[] = [];
  const settings = { add: (role: keyof RoleHolders, what: string, request: Promise<ContractTransaction>) => changes.push({ role, what, request }) };
  switch (inputs.kind) {
    case "validatorSet": {
      const w = inputs.settings as ValidatorSetSettings;
      if (JSON.stringify(now) !== JSON.stringify({ validators: w.validators.map((a) => getAddress(a)), threshold: w.threshold })) {
        settings.add("owner", label("setValidators"), c.setValidators.populateTransaction(w.validators, w.threshold));
      }
      break;
    }
    case "foreignVault": {
      const w = inputs.settings as VaultSettings;
      const n = now as VaultSettings;
      if (!sameLimits(n.depositLimits, w.depositLimits)) settings.add("limitsManager", label("setDepositLimits"), c.setDepositLimits.populateTransaction(...limitsTuple(w.depositLimits)));
      if (!sameLimits(n.releaseLimits, w.releaseLimits)) settings.add("limitsManager", label("setReleaseLimits"), c.setReleaseLimits.populateTransaction(...limitsTuple(w.releaseLimits)));
      if (n.feeBps !== w.feeBps || n.feeRecipient !== getAddress(w.feeRecipient)) settings.add("limitsManager", label("setFee"), c.setFee.populateTransaction(w.feeBps, w.feeRecipient));
      const wanted = sortedAddresses(w.whitelist);
      const missing = wanted.filter((a) => !n.whitelist.includes(a));
      const extra = n.whitelist.filter((a) => !wanted.includes(a));
      if (missing.length > 0) settings.add("whitelistManager", label("whitelist add"), c.setWhitelisted.populateTransaction(missing, true));
      if (extra.length > 0) settings.add("whitelistManager", label("whitelist remove"), c.setWhitelisted.populateTransaction(extra, false));
      break;
    }
    case "homeGateway": {
      const w = inputs.settings as GatewaySettings;
      const n = now as GatewaySettings;
      if (!sameLimits(n.executionLimits, w.executionLimits)) settings.add("limitsManager", label("setExecutionLimits"), c.setExecutionLimits.populateTransaction(...limitsTuple(w.executionLimits)));
      if (!sameLimits(n.withdrawLimits, w.withdrawLimits)) settings.add("limitsManager", label("setWithdrawLimits"), c.setWithdrawLimits.populateTransaction(...limitsTuple(w.withdrawLimits)));
      break;
    }
  }
  await refuseHandedOver(c, changes, signer.address, inputs.chainId);
  const burst = new Burst(signer);
  for (const change of changes) burst.add(change.what, change.request);
  const revocations = new Burst(signer);
  if (inputs.roles) await planRoles(c, inputs.roles, signer.address, label, { grants: burst, revocations });
  await burst.send();
  await revocations.send();
}

/** A settings transaction, and the role it needs. */
interface SettingChange {
  role: keyof RoleHolders;
  what: string;
  request: Promise<ContractTransaction>;
}

/** A call a role holder submits itself (from a multisig, say): the deployer no longer holds that role. */
export interface RoleHolderCall {
  what: string;
  role: string;
  chainId: number;
  to: string;
  data: string;
}

/** Refuses changes whose role the deployer no longer holds, with the calls their role holders submit instead. */
export class RoleHolderCallsNeeded extends Error {
  constructor(readonly calls: RoleHolderCall[]) {
    super(
      `${calls.map((c) => c.what).join("; ")}: the deployer no longer holds ${[...new Set(calls.map((c) => c.role))].join(", ")} (handed over), so it does not send ` +
        `these. Fix: submit them from the role holder (the multisig), then run up again — ${ROLE_HOLDER_CALLS_MARK}${JSON.stringify(calls)}`,
    );
    this.name = "RoleHolderCallsNeeded";
  }
}

/** Precedes the JSON of the calls in the message, so tools can take them from it. */
export const ROLE_HOLDER_CALLS_MARK = "calls: ";

async function refuseHandedOver(c: Contract, changes: SettingChange[], deployer: string, chainId: number): Promise<void> {
  const calls: RoleHolderCall[] = [];
  for (const change of changes) {
    const role = change.role === "owner" ? ZeroHash : await c[ROLE_NAMES[change.role]]();
    if (await c.hasRole(role, deployer)) continue;
    const tx = await change.request;
    calls.push({ what: change.what, role: ROLE_NAMES[change.role], chainId, to: String(tx.to), data: tx.data });
  }
  if (calls.length > 0) throw new RoleHolderCallsNeeded(calls);
}

/** Grants every wanted holder, and revokes everyone else: the owner role last, so the deployer can finish. */
async function planRoles(c: Contract, wanted: RoleHolders, deployer: string, label: (w: string) => string, to: { grants: Burst; revocations: Burst }): Promise<void> {
  const current = await readRoles(c, wanted);
  const keys = (Object.keys(wanted) as (keyof RoleHolders)[]).sort((a, b) => Number(a === "owner") - Number(b === "owner"));
  for (const key of keys) {
    const role = key === "owner" ? ZeroHash : await c[ROLE_NAMES[key]]();
    const want = sortedAddresses(wanted[key] ?? []);
    const have = current[key] ?? [];
    for (const a of want.filter((x) => !have.includes(x))) to.grants.add(label(`grant ${key} to ${a}`), c.grantRole.populateTransaction(role, a));
    for (const a of have.filter((x) => !want.includes(x))) {
      // The deployer cannot revoke itself once it lost the owner role; it renounces instead.
      const revoke = a === getAddress(deployer) ? c.renounceRole.populateTransaction(role, a) : c.revokeRole.populateTransaction(role, a);
      to.revocations.add(label(`remove ${key} from ${a}`), revoke);
    }
  }
}
