// Deploys, configures and observes one bridge contract on its chain: what the BridgeContract dynamic provider runs.
// Settings and role holders are written in the same shape as they are read back, so a refresh that finds a changed
// limit or a new owner shows up as a diff on exactly that field.
import { Contract, ContractFactory, getAddress, Interface, JsonRpcProvider, keccak256, Wallet, ZeroHash } from "ethers";
import { readFileSync } from "node:fs";
import { withProvider } from "../eth/provider";
import { waitForReceipt, withSenderLock } from "../eth/transactions";
import { FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI, VALIDATOR_SET_ABI } from "./abi";
import { SequencedWallet } from "../eth/sequencedWallet";

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

/** The mutable configuration of each kind (numbers as decimal strings: state is JSON). */
export type Settings =
  | { validators: string[]; threshold: number }
  | { limits: Limits; feeBps: number; feeRecipient: string; whitelist: string[]; paused: boolean }
  | { executionLimits: Limits; withdrawLimits: Limits; paused: boolean }
  | Record<string, never>;

export interface BridgeContractInputs {
  kind: BridgeContractKind;
  rpcUrl: string;
  chainId: number;
  /** Secret: pays for and signs deployment and configuration. */
  deployerKey: string;
  /**
   * What makes the contract this one and no other (a change means a new deployment): vault [token, validatorSet];
   * gateway [tokenName, tokenSymbol, tokenDecimals, validatorSet, foreignChainId, foreignVault]; none for the others.
   * The constructor's other arguments come from `settings`, which later change in place.
   */
  constructorArgs: unknown[];
  settings: Settings;
  /** Absent for the dev token, which has no roles. */
  roles?: RoleHolders;
}

export interface BridgeContractState extends Omit<BridgeContractInputs, "deployerKey"> {
  address: string;
  /** Block of the deployment: where the agents start scanning. */
  deployBlock: number;
  /** keccak256 of the runtime code as deployed; "missing" when the address has no code any more. */
  codeHash: string;
  /** The gateway's bridged token (it creates it). */
  createdToken?: string;
}

const ROLE_NAMES = { owner: "DEFAULT_ADMIN_ROLE", pauser: "PAUSER_ROLE", limitsManager: "LIMITS_MANAGER_ROLE", whitelistManager: "WHITELIST_MANAGER_ROLE" } as const;
const RECEIPT_TIMEOUT_MS = 120_000;

function artifact(kind: BridgeContractKind): { abi: Interface; bytecode: string } {
  if (kind === "devToken") {
    // The dev RLC: rlc-faucet-contract's truffle build (constructor mints the whole supply to the deployer).
    const a = JSON.parse(readFileSync(require.resolve("rlc-faucet-contract/build/contracts/RLC.json"), "utf8"));
    return { abi: new Interface(a.abi), bytecode: a.bytecode };
  }
  const { loadArtifact } = require("./artifacts") as typeof import("./artifacts");
  const name = ({ validatorSet: "ValidatorSet", foreignVault: "ForeignVault", homeGateway: "HomeGateway" } as const)[kind];
  const a = loadArtifact(name);
  return { abi: new Interface(a.abi), bytecode: a.bytecode };
}

const ABI: Record<Exclude<BridgeContractKind, "devToken">, readonly string[]> = {
  validatorSet: VALIDATOR_SET_ABI,
  foreignVault: FOREIGN_VAULT_ABI,
  homeGateway: HOME_GATEWAY_ABI,
};

const limitsTuple = (l: Limits) => [BigInt(l.minPerTx), BigInt(l.maxPerTx), BigInt(l.dailyLimit)] as const;
const toLimits = (t: readonly bigint[]): Limits => ({ minPerTx: t[0].toString(), maxPerTx: t[1].toString(), dailyLimit: t[2].toString() });
const sameLimits = (a: Limits, b: Limits) => JSON.stringify(a) === JSON.stringify(b);
const sortAddresses = (a: string[]) => a.map((x) => getAddress(x)).sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()));

/** The full constructor call (lib/bridge/abi.ts order): identity, the deployer as owner until roles are handed over, settings. */
function constructorCall(inputs: BridgeContractInputs, deployer: string): unknown[] {
  const id = inputs.constructorArgs;
  switch (inputs.kind) {
    case "validatorSet": {
      const w = inputs.settings as Extract<Settings, { threshold: number }>;
      return [deployer, w.validators, w.threshold];
    }
    case "foreignVault": {
      const w = inputs.settings as Extract<Settings, { feeBps: number }>;
      return [id[0], id[1], deployer, ...limitsTuple(w.limits), w.feeBps, w.feeRecipient];
    }
    case "homeGateway": {
      const w = inputs.settings as Extract<Settings, { executionLimits: Limits }>;
      return [...id.slice(0, 4), deployer, ...id.slice(4, 6), limitsTuple(w.executionLimits), limitsTuple(w.withdrawLimits)];
    }
    case "devToken":
      return [];
  }
}

async function send(what: string, c: Contract, tx: Promise<{ hash: string }>): Promise<void> {
  const sent = await tx;
  await waitForReceipt((c.runner as Wallet).provider!, sent.hash, what, RECEIPT_TIMEOUT_MS);
}

/** Deploys the contract, applies its settings and hands its roles to their holders. */
export function createBridgeContract(inputs: BridgeContractInputs): Promise<BridgeContractState> {
  return withProvider(inputs, async (provider) => {
    await assertChainId(provider, inputs);
    const deployer = new SequencedWallet(inputs.deployerKey, provider);
    return withSenderLock(inputs.chainId, deployer.address, async () => {
      const { abi, bytecode } = artifact(inputs.kind);
      const contract = await new ContractFactory(abi, bytecode, deployer).deploy(...constructorCall(inputs, deployer.address));
      const receipt = await waitForReceipt(provider, contract.deploymentTransaction()!.hash, `${inputs.kind}: deployment`, RECEIPT_TIMEOUT_MS);
      const address = receipt.contractAddress!;
      const state: BridgeContractState = { ...publicInputs(inputs), address, deployBlock: receipt.blockNumber, codeHash: keccak256(await provider.getCode(address)) };
      if (inputs.kind === "homeGateway") state.createdToken = await new Contract(address, HOME_GATEWAY_ABI, provider).token();
      await configure(inputs, address, deployer);
      return state;
    });
  });
}

/** Re-applies settings and roles on the existing contract (the deployer must still hold the roles it needs). */
export function updateBridgeContract(olds: BridgeContractState, inputs: BridgeContractInputs): Promise<BridgeContractState> {
  return withProvider(inputs, async (provider) => {
    await assertChainId(provider, inputs);
    const deployer = new SequencedWallet(inputs.deployerKey, provider);
    await withSenderLock(inputs.chainId, deployer.address, () => configure(inputs, olds.address, deployer));
    return { ...olds, ...publicInputs(inputs) };
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
    observed.settings = await readSettings(state.kind, c, state.settings);
    if (state.roles) observed.roles = await readRoles(c, state.roles);
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

async function readSettings(kind: BridgeContractKind, c: Contract, wanted: Settings): Promise<Settings> {
  switch (kind) {
    case "validatorSet":
      return { validators: [...(await c.validators())].map((a: string) => getAddress(a)), threshold: Number(await c.threshold()) };
    case "foreignVault": {
      const w = wanted as Extract<Settings, { feeBps: number }>;
      // The whitelist is a mapping: read back the configured addresses (a removal shows as a shorter list).
      const whitelist: string[] = [];
      for (const a of w.whitelist) if (await c.isWhitelisted(a)) whitelist.push(a);
      return {
        limits: toLimits([await c.minPerTx(), await c.maxPerTx(), await c.dailyLimit()]),
        feeBps: Number(await c.feeBps()),
        feeRecipient: getAddress(await c.feeRecipient()),
        whitelist,
        paused: await c.paused(),
      };
    }
    case "homeGateway":
      return { executionLimits: toLimits([...(await c.executionLimits())]), withdrawLimits: toLimits([...(await c.withdrawLimits())]), paused: await c.paused() };
    case "devToken":
      return {};
  }
}

async function readRoles(c: Contract, wanted: RoleHolders): Promise<RoleHolders> {
  const out: Partial<RoleHolders> = {};
  for (const key of Object.keys(wanted) as (keyof RoleHolders)[]) {
    const role = key === "owner" ? ZeroHash : await c[ROLE_NAMES[key]]();
    const count = Number(await c.getRoleMemberCount(role));
    const members: string[] = [];
    for (let i = 0; i < count; i++) members.push(await c.getRoleMember(role, i));
    out[key] = sortAddresses(members);
  }
  return out as RoleHolders;
}

/** Brings settings, then roles, to the wanted values; each transaction only when the value differs. */
async function configure(inputs: BridgeContractInputs, address: string, signer: Wallet): Promise<void> {
  if (inputs.kind === "devToken") return;
  const c = new Contract(address, ABI[inputs.kind], signer);
  const now = await readSettings(inputs.kind, c, inputs.settings);
  const label = (what: string) => `${inputs.kind} ${address}: ${what}`;
  switch (inputs.kind) {
    case "validatorSet": {
      const w = inputs.settings as Extract<Settings, { threshold: number }>;
      if (JSON.stringify(now) !== JSON.stringify({ validators: w.validators.map((a) => getAddress(a)), threshold: w.threshold })) {
        await send(label("setValidators"), c, c.setValidators(w.validators, w.threshold));
      }
      break;
    }
    case "foreignVault": {
      const w = inputs.settings as Extract<Settings, { feeBps: number }>;
      const n = now as typeof w;
      if (!sameLimits(n.limits, w.limits)) await send(label("setLimits"), c, c.setLimits(...limitsTuple(w.limits)));
      if (n.feeBps !== w.feeBps || n.feeRecipient !== getAddress(w.feeRecipient)) await send(label("setFee"), c, c.setFee(w.feeBps, w.feeRecipient));
      const missing = w.whitelist.filter((a) => !n.whitelist.includes(a));
      if (missing.length > 0) await send(label("setWhitelisted"), c, c.setWhitelisted(missing, true));
      await setPaused(c, n.paused, w.paused, label);
      break;
    }
    case "homeGateway": {
      const w = inputs.settings as Extract<Settings, { executionLimits: Limits }>;
      const n = now as typeof w;
      if (!sameLimits(n.executionLimits, w.executionLimits)) await send(label("setExecutionLimits"), c, c.setExecutionLimits(...limitsTuple(w.executionLimits)));
      if (!sameLimits(n.withdrawLimits, w.withdrawLimits)) await send(label("setWithdrawLimits"), c, c.setWithdrawLimits(...limitsTuple(w.withdrawLimits)));
      await setPaused(c, n.paused, w.paused, label);
      break;
    }
  }
  if (inputs.roles) await handOverRoles(c, inputs.roles, signer.address, label);
}

async function setPaused(c: Contract, now: boolean, wanted: boolean, label: (w: string) => string): Promise<void> {
  if (now !== wanted) await send(label(wanted ? "pause" : "unpause"), c, wanted ? c.pause() : c.unpause());
}

/** Grants every wanted holder, then revokes everyone else; the owner role last, so the deployer can finish. */
async function handOverRoles(c: Contract, wanted: RoleHolders, deployer: string, label: (w: string) => string): Promise<void> {
  const current = await readRoles(c, wanted);
  const keys = (Object.keys(wanted) as (keyof RoleHolders)[]).sort((a, b) => Number(a === "owner") - Number(b === "owner"));
  for (const key of keys) {
    const role = key === "owner" ? ZeroHash : await c[ROLE_NAMES[key]]();
    const want = sortAddresses(wanted[key] ?? []);
    const have = current[key] ?? [];
    for (const a of want.filter((x) => !have.includes(x))) await send(label(`grant ${key} to ${a}`), c, c.grantRole(role, a));
    for (const a of have.filter((x) => !want.includes(x))) {
      // The deployer cannot revoke itself once it lost the owner role; it renounces instead.
      await send(label(`remove ${key} from ${a}`), c, a === getAddress(deployer) ? c.renounceRole(role, a) : c.revokeRole(role, a));
    }
  }
}
