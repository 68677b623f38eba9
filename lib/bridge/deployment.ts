// The bridge's contracts on both chains in two rounds of blocks: what the BridgeDeployment dynamic provider runs.
// Round one is one burst per chain (lib/eth/burst.ts: addresses follow from the deployer's nonces, every transaction
// runs first in an EVM of our own, nothing is sent if one would fail), both planned, simulated and mined at once: on
// the foreign chain the dev token (dev stacks), the validator set, the vault and its whitelist; on the home chain the
// validator set and the gateway, which names the vault — sent once the foreign burst is, when the vault's address is
// final. Round two binds the vault to the gateway, and only once the gateway is on chain naming that vault: the
// binding is for good, so it never names an address where nothing is yet. Creations are journaled before they are
// broadcast and adopted by the run after a crash (lib/eth/creationJournal.ts). From then on each contract's settings
// and roles are BridgeContract's (lib/bridge/onchain.ts).
import { concat, Contract, getAddress, getCreateAddress, Interface, JsonRpcProvider, Transaction, ZeroAddress } from "ethers";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { broadcastSimulated, minedBurst, SentBurst } from "../eth/burst";
import { adoptJournaled, Creation, journalCreation } from "../eth/creationJournal";
import { withProvider } from "../eth/provider";
import { SequencedWallet } from "../eth/sequencedWallet";
import type { PlannedTransaction, SimulatedTransaction } from "../eth/simulation";
import { CREATED_WAIT_MS, readCreated, waitForReceipt } from "../eth/transactions";
import { FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "./abi";
import { BridgeContractName, loadArtifact } from "./artifacts";
import type { GatewaySettings, Limits, ValidatorSetSettings, VaultSettings } from "./onchain";

/** The contracts a deployment creates, in the order it creates them. */
export const DEPLOYED = ["foreignToken", "foreignSet", "vault", "homeSet", "gateway"] as const;
export type DeployedKey = (typeof DEPLOYED)[number];

export interface BridgedTokenSpec {
  name: string;
  symbol: string;
  decimals: number;
}

export interface BridgeDeploymentInputs {
  foreignRpcUrl: string;
  foreignChainId: number;
  /** The token the vault locks; absent: the dev RLC, created here (dev stacks). */
  foreignToken?: string;
  homeRpcUrl: string;
  homeChainId: number;
  /** Secret: pays for the creations, holds every role until BridgeContract hands them over, and binds the vault. */
  deployerKey: string;
  /** What the contracts are created with; from then on each BridgeContract keeps its own up to date. */
  validators: ValidatorSetSettings;
  vault: VaultSettings;
  gateway: GatewaySettings;
  /** The bridged token the gateway creates: the gateway's for good. */
  token: BridgedTokenSpec;
}

/** Where each contract is; `homeToken` is the bridged token the gateway created. */
export type BridgeContractAddresses = Record<DeployedKey | "homeToken", string>;

export interface BridgeDeploymentState extends Omit<BridgeDeploymentInputs, "deployerKey"> {
  contracts: BridgeContractAddresses;
  /** Blocks of the creations (none for contracts created before the deployment was one resource). */
  deployBlocks: Partial<Record<DeployedKey, number>>;
  /** The gateway the vault is bound to, as last observed ("" when unbound). */
  boundGateway: string;
  /** Contracts whose code is gone (a reset chain), as a refresh saw: the next `up` creates them again. */
  missing: DeployedKey[];
}

/** The state of the VaultBinding a BridgeDeployment takes over through its alias (stacks made before it). */
export interface LegacyBindingState {
  rpcUrl: string;
  chainId: number;
  vault: string;
  gateway: string;
  boundGateway: string;
}

export const isLegacy = (s: BridgeDeploymentState | LegacyBindingState): s is LegacyBindingState => !("contracts" in s);

const TX_TIMEOUT_MS = 120_000;
const sameAddress = (a: string | undefined, b: string | undefined) => a?.toLowerCase() === b?.toLowerCase();

/** What a change of the bridged token would change on the gateway, field by field. */
function gatewayFieldChanges(olds: BridgeDeploymentState, news: BridgeDeploymentInputs): { field: string; from: unknown; to: unknown }[] {
  const fields = [
    ["bridge.token.name", olds.token.name, news.token.name],
    ["bridge.token.symbol", olds.token.symbol, news.token.symbol],
    ["the foreign token's decimals", olds.token.decimals, news.token.decimals],
  ] as const;
  return fields.filter(([, from, to]) => from !== to).map(([field, from, to]) => ({ field, from, to }));
}

/**
 * The contracts a deployment from `olds` to `news` creates: every one the first time; then one whose code is gone, or
 * whose constructor would now be given something else (a contract it names being created anew among them).
 */
export function toCreate(olds: BridgeDeploymentState | undefined, news: BridgeDeploymentInputs): Set<DeployedKey> {
  const create = new Set<DeployedKey>();
  const renew = (key: DeployedKey, ...because: boolean[]) => {
    if (!olds || olds.missing.includes(key) || because.some(Boolean)) create.add(key);
  };
  const foreignMoved = olds?.foreignChainId !== news.foreignChainId;
  const homeMoved = olds?.homeChainId !== news.homeChainId;
  if (!news.foreignToken) renew("foreignToken", foreignMoved, olds?.foreignToken !== undefined);
  renew("foreignSet", foreignMoved);
  const tokenChanged = create.has("foreignToken") || (news.foreignToken !== undefined && !sameAddress(news.foreignToken, olds?.contracts.foreignToken));
  renew("vault", foreignMoved, homeMoved, create.has("foreignSet"), tokenChanged);
  renew("homeSet", homeMoved);
  renew("gateway", create.has("homeSet"), create.has("vault"), olds !== undefined && gatewayFieldChanges(olds, news).length > 0);
  return create;
}

const MIGRATION = 'to move to new contracts, follow contracts/README.md, "Migration".';

/**
 * Why creating `create` anew must be refused, or undefined when it may go ahead. A bound vault serves its gateway for
 * good, so a gateway is only created anew with a new vault (another one would mint the vault's history again); and a
 * vault holding tokens is never left behind (they are locked for the bridged token's holders).
 */
export async function replacementProblem(olds: BridgeDeploymentState, news: BridgeDeploymentInputs, create: Set<DeployedKey>): Promise<string | undefined> {
  const c = olds.contracts;
  if (create.has("gateway") && !create.has("vault") && olds.boundGateway) {
    const changes = gatewayFieldChanges(olds, news);
    const what = changes.length
      ? `changing ${changes.map((x) => `${x.field} (${JSON.stringify(x.from)} → ${JSON.stringify(x.to)})`).join(", ")}`
      : `creating again what the home chain lost (${DEPLOYED.filter((k) => olds.missing.includes(k)).join(", ")})`;
    const fix = changes.length ? `set ${changes.map((x) => x.field).join(", ")} back to the deployed value` : "restore the home chain";
    return (
      `home gateway ${c.gateway}: ${what} would deploy a new gateway, but the foreign vault ${c.vault} is bound to this one for good, ` +
      `and a new gateway would mint the vault's history again. Fix: ${fix}; ${MIGRATION}`
    );
  }
  if (create.has("vault") && !olds.missing.includes("vault")) {
    const erc20 = ["function balanceOf(address) view returns (uint256)"];
    const locked = await withProvider({ rpcUrl: olds.foreignRpcUrl, chainId: olds.foreignChainId }, (p) => new Contract(c.foreignToken, erc20, p).balanceOf(c.vault) as Promise<bigint>);
    if (locked > 0n) {
      return (
        `foreign vault ${c.vault} holds ${locked} base units of ${c.foreignToken} locked for the bridged token's holders; ` +
        `changing its token, validator set or home chain would deploy an empty vault and strand them. Fix: set the setting back; ${MIGRATION}`
      );
    }
  }
  return undefined;
}

/** Creation code of one of our contracts (or the dev RLC: rlc-faucet-contract's build, minting its supply to the deployer). */
function creationCode(contract: BridgeContractName | "devToken", args: unknown[]): string {
  const a =
    contract === "devToken" ? JSON.parse(readFileSync(require.resolve("rlc-faucet-contract/build/contracts/RLC.json"), "utf8")) : loadArtifact(contract);
  return concat([a.bytecode, new Interface(a.abi).encodeDeploy(args)]);
}

const limitsTuple = (l: Limits) => [BigInt(l.minPerTx), BigInt(l.maxPerTx), BigInt(l.dailyLimit)];

/** One chain's burst as it is planned: creations at the next nonces, or adopted from an interrupted run's journal. */
class BurstPlan {
  readonly txs: PlannedTransaction[] = [];
  readonly adopted: Creation[] = [];
  constructor(private readonly signer: SequencedWallet, readonly firstNonce: number) {}

  async create(what: string, data: string): Promise<string> {
    const adopted = await adoptJournaled(this.signer, data, what, TX_TIMEOUT_MS);
    if (adopted) {
      this.adopted.push(adopted);
      return adopted.address;
    }
    this.txs.push({ what, data });
    return getCreateAddress({ from: this.signer.address, nonce: this.firstNonce + this.txs.length - 1 });
  }

  call(what: string, to: string, data: string): void {
    this.txs.push({ what, to, data });
  }

  /** Whether this burst sends the creation of `address` (not adopted). */
  sends(address: string): boolean {
    return this.txs.some((t, i) => t.to === undefined && sameAddress(getCreateAddress({ from: this.signer.address, nonce: this.firstNonce + i }), address));
  }
}

/** One chain of the deployment: where it sends from, and the plan its burst was last built from. */
interface Side {
  rpcUrl: string;
  chainId: number;
  signer: SequencedWallet;
  plan?: BurstPlan;
  journaled: (() => Promise<void>)[];
}

/** Raised before anything of the home burst is sent: the vault it names is not where the foreign burst puts it. */
class VaultMoved extends Error {}

/**
 * Broadcasts the side's burst, built by `build` at the nonce it will take, each creation journaled first; `gate`, if
 * given, is passed before anything is journaled or sent (and may refuse it all).
 */
function broadcastSide(side: Side, build: (plan: BurstPlan) => Promise<void>, gate?: () => Promise<void>) {
  return broadcastSimulated(
    side.signer,
    side.rpcUrl,
    async (firstNonce) => {
      side.plan = new BurstPlan(side.signer, firstNonce);
      await build(side.plan);
      return side.plan.txs;
    },
    async (tx: SimulatedTransaction, signed: Transaction) => {
      if (tx.nonce === side.plan!.firstNonce) await gate?.();
      if (tx.to === undefined) side.journaled.push(await journalCreation(side.chainId, signed, tx.data));
    },
  );
}

/** Blocks of the side's creations, by address: sent in its burst, or adopted. */
function creationBlocks(side: Side, mined: SentBurst | undefined): Map<string, number> {
  const blocks = new Map<string, number>();
  mined?.txs.forEach((tx, i) => tx.created && blocks.set(tx.created.toLowerCase(), mined.receipts[i].blockNumber));
  for (const a of side.plan?.adopted ?? []) blocks.set(a.address.toLowerCase(), a.receipt.blockNumber);
  return blocks;
}

async function boundGatewayOf(vault: Contract): Promise<string> {
  const bound: string = await vault.homeGateway();
  return bound === ZeroAddress ? "" : getAddress(bound);
}

/**
 * Binds the vault to the gateway, unless it is already: only to a gateway on chain that names this vault, and never
 * away from the gateway it is bound to.
 */
async function bind(foreign: Side, home: JsonRpcProvider, vaultAddress: string, gatewayAddress: string): Promise<string> {
  const vault = new Contract(vaultAddress, FOREIGN_VAULT_ABI, foreign.signer);
  const gateway = new Contract(gatewayAddress, HOME_GATEWAY_ABI, home);
  const [bound, named, binder]: string[] = await Promise.all([boundGatewayOf(vault), readCreated(`the vault that gateway ${gatewayAddress} names`, () => gateway.foreignVault()), vault.binder()]);
  if (bound) {
    if (sameAddress(bound, gatewayAddress)) return bound;
    throw new Error(`foreign vault ${vaultAddress} is bound to gateway ${bound} for good; it cannot serve ${gatewayAddress}. Fix: ${MIGRATION}`);
  }
  if (!sameAddress(named, vaultAddress)) throw new Error(`home gateway ${gatewayAddress} names the vault ${named}, not ${vaultAddress}: the vault is not bound to it`);
  if (getAddress(binder) !== foreign.signer.address) throw new Error(`foreign vault ${vaultAddress}: only its binder ${binder} may bind it, not the deployer ${foreign.signer.address}`);
  const tx = await vault.bindGateway(gatewayAddress);
  await waitForReceipt(foreign.signer.provider!, tx.hash, `binding vault ${vaultAddress} to gateway ${gatewayAddress}`, TX_TIMEOUT_MS);
  return boundGatewayOf(vault);
}

function publicInputs(inputs: BridgeDeploymentInputs): Omit<BridgeDeploymentInputs, "deployerKey"> {
  const { deployerKey: _secret, ...rest } = inputs;
  return rest;
}

/**
 * Creates the contracts `toCreate` names (all of them without `olds`), binds the vault, and returns where everything
 * is. Refuses, before sending anything, what `replacementProblem` refuses.
 */
export async function deployBridgeContracts(inputs: BridgeDeploymentInputs, olds?: BridgeDeploymentState | LegacyBindingState): Promise<BridgeDeploymentState> {
  const connection = (rpcUrl: string, chainId: number) => ({ rpcUrl, chainId });
  return withProvider(connection(inputs.foreignRpcUrl, inputs.foreignChainId), (fp) =>
    withProvider(connection(inputs.homeRpcUrl, inputs.homeChainId), async (hp) => {
      const previous = olds && isLegacy(olds) ? await recoverLegacy(olds, inputs, fp, hp) : olds;
      const create = toCreate(previous, inputs);
      const problem = previous && create.size > 0 ? await replacementProblem(previous, inputs, create) : undefined;
      if (problem) throw new Error(problem);
      const foreign: Side = { rpcUrl: inputs.foreignRpcUrl, chainId: inputs.foreignChainId, signer: new SequencedWallet(inputs.deployerKey, fp), journaled: [] };
      const home: Side = { rpcUrl: inputs.homeRpcUrl, chainId: inputs.homeChainId, signer: new SequencedWallet(inputs.deployerKey, hp), journaled: [] };
      const deployer = foreign.signer.address;
      const c = { ...previous?.contracts } as BridgeContractAddresses;
      if (inputs.foreignToken) c.foreignToken = getAddress(inputs.foreignToken);

      // Both bursts are planned and simulated at once: the home one as soon as the foreign plan puts the vault at a
      // nonce; it is broadcast only once the foreign burst is, when that address is final (the foreign burst is
      // planned again from another nonce if the node had counted its first one: the home burst then names the vault
      // where it ends up, with nothing sent before).
      let vaultPlanned: (address: string) => void = () => {};
      const plannedVault = new Promise<string>((resolve) => (vaultPlanned = resolve));
      const foreignCreates = create.has("foreignToken") || create.has("foreignSet") || create.has("vault");
      const foreignBurst = foreignCreates
        ? broadcastSide(foreign, async (plan) => {
            if (create.has("foreignToken")) c.foreignToken = await plan.create("creating the dev RLC", creationCode("devToken", []));
            if (create.has("foreignSet")) c.foreignSet = await plan.create("creating the foreign validator set", validatorSetCode(deployer, inputs.validators));
            if (!create.has("vault")) return;
            c.vault = await plan.create("creating the foreign vault", vaultCode(deployer, c, inputs));
            vaultPlanned(c.vault);
            // A vault adopted from an interrupted run gets its whitelist from BridgeContract, which reads what it has.
            if (plan.sends(c.vault) && inputs.vault.whitelist.length > 0) {
              plan.call("whitelisting on the vault", c.vault, new Interface(FOREIGN_VAULT_ABI).encodeFunctionData("setWhitelisted", [inputs.vault.whitelist, true]));
            }
          })
        : Promise.resolve(undefined);
      const homeBurstNaming = (vault: string) =>
        broadcastSide(
          home,
          async (plan) => {
            if (create.has("homeSet")) c.homeSet = await plan.create("creating the home validator set", validatorSetCode(deployer, inputs.validators));
            if (create.has("gateway")) c.gateway = await plan.create("creating the home gateway", gatewayCode(deployer, { ...c, vault }, inputs));
          },
          async () => {
            await foreignBurst;
            if (!sameAddress(c.vault, vault)) throw new VaultMoved();
          },
        );
      const homeBurst =
        create.has("homeSet") || create.has("gateway")
          ? homeBurstNaming(await Promise.race([plannedVault, foreignBurst.then(() => c.vault)])).catch((e) => (e instanceof VaultMoved ? homeBurstNaming(c.vault) : Promise.reject(e)))
          : undefined;
      const [foreignSent, homeSent] = await Promise.all([foreignBurst, homeBurst]);
      const [foreignMined, homeMined] = await Promise.all([foreignSent && minedBurst(fp, foreignSent), homeSent && minedBurst(hp, homeSent)]);

      await awaitCode(c, fp, hp);
      const boundGateway = await bind(foreign, hp, c.vault, c.gateway);
      c.homeToken = getAddress(await readCreated(`the token of gateway ${c.gateway}`, () => new Contract(c.gateway, HOME_GATEWAY_ABI, hp).token()));

      const blocks = new Map([...creationBlocks(foreign, foreignMined), ...creationBlocks(home, homeMined)]);
      const deployBlocks = { ...(previous?.deployBlocks ?? {}) };
      for (const key of create) deployBlocks[key] = blocks.get(c[key].toLowerCase());
      // The caller's state holds every contract from here: nothing is left to adopt.
      const sides = [foreign, home];
      await Promise.all([...sides.flatMap((s) => s.plan?.adopted.map((a) => a.recorded()) ?? []), ...sides.flatMap((s) => s.journaled.map((forget) => forget()))]);
      return { ...publicInputs(inputs), contracts: c, deployBlocks, boundGateway, missing: [] };
    }),
  );
}

function validatorSetCode(deployer: string, s: ValidatorSetSettings): string {
  return creationCode("ValidatorSet", [deployer, s.validators, s.threshold]);
}

/** The vault, owned by the deployer until BridgeContract hands its roles over, and bound by it (its binder). */
function vaultCode(deployer: string, c: BridgeContractAddresses, inputs: BridgeDeploymentInputs): string {
  const v = inputs.vault;
  return creationCode("ForeignVault", [c.foreignToken, c.foreignSet, deployer, inputs.homeChainId, deployer, limitsTuple(v.depositLimits), limitsTuple(v.releaseLimits), v.feeBps, v.feeRecipient]);
}

function gatewayCode(deployer: string, c: BridgeContractAddresses, inputs: BridgeDeploymentInputs): string {
  const { token: t, gateway: g } = inputs;
  return creationCode("HomeGateway", [t.name, t.symbol, t.decimals, c.homeSet, deployer, inputs.foreignChainId, c.vault, limitsTuple(g.executionLimits), limitsTuple(g.withdrawLimits)]);
}

/** The contracts with no code at their address (the home chain holds its validator set and the gateway). */
async function withoutCode(c: BridgeContractAddresses, fp: JsonRpcProvider, hp: JsonRpcProvider): Promise<DeployedKey[]> {
  const onHome = (k: DeployedKey) => k === "homeSet" || k === "gateway";
  return (await Promise.all(DEPLOYED.map(async (k) => ((await (onHome(k) ? hp : fp).getCode(c[k])) === "0x" ? [k] : [])))).flat();
}

/** Waits until every contract has code at the head: a node may follow a fork without a creation for a block or two (`readCreated`). */
async function awaitCode(c: BridgeContractAddresses, fp: JsonRpcProvider, hp: JsonRpcProvider): Promise<void> {
  const deadline = Date.now() + CREATED_WAIT_MS;
  for (let codeless = await withoutCode(c, fp, hp); codeless.length > 0; codeless = await withoutCode(c, fp, hp)) {
    if (Date.now() > deadline) throw new Error(`the bridge deployment left no code for ${codeless.map((k) => `${k} at ${c[k]}`).join(", ")}`);
    await sleep(250);
  }
}

/** Which contracts have no code any more, and the vault's binding: what a refresh shows. */
export function observeDeployment(state: BridgeDeploymentState): Promise<BridgeDeploymentState> {
  return withProvider({ rpcUrl: state.foreignRpcUrl, chainId: state.foreignChainId }, (fp) =>
    withProvider({ rpcUrl: state.homeRpcUrl, chainId: state.homeChainId }, async (hp) => {
      const missing = await withoutCode(state.contracts, fp, hp);
      const boundGateway = missing.includes("vault") ? "" : await boundGatewayOf(new Contract(state.contracts.vault, FOREIGN_VAULT_ABI, fp));
      return { ...state, missing, boundGateway };
    }),
  );
}

/**
 * A stack made before BridgeDeployment: its VaultBinding knew the vault and the gateway; the rest, and what their
 * constructors were given, is read from the chains, so that `toCreate` compares the new inputs with what is deployed.
 */
async function recoverLegacy(legacy: LegacyBindingState, inputs: BridgeDeploymentInputs, fp: JsonRpcProvider, hp: JsonRpcProvider): Promise<BridgeDeploymentState> {
  const vault = new Contract(legacy.vault, FOREIGN_VAULT_ABI, fp);
  const gateway = new Contract(legacy.gateway, HOME_GATEWAY_ABI, hp);
  const [foreignToken, foreignSet, homeChainId, homeSet, homeToken, foreignChainId] = await Promise.all([vault.token(), vault.validatorSet(), vault.homeChainId(), gateway.validatorSet(), gateway.token(), gateway.foreignChainId()]);
  const bridged = new Contract(homeToken, ["function name() view returns (string)", "function symbol() view returns (string)", "function decimals() view returns (uint8)"], hp);
  const [name, symbol, decimals] = await Promise.all([bridged.name(), bridged.symbol(), bridged.decimals()]);
  return {
    ...publicInputs(inputs),
    // A given token that is the vault's was given then too; otherwise the vault's is the dev RLC created with it.
    foreignToken: inputs.foreignToken && sameAddress(inputs.foreignToken, foreignToken) ? inputs.foreignToken : undefined,
    foreignChainId: Number(foreignChainId),
    homeChainId: Number(homeChainId),
    token: { name, symbol, decimals: Number(decimals) },
    contracts: { foreignToken, foreignSet, vault: legacy.vault, homeSet, gateway: legacy.gateway, homeToken },
    deployBlocks: {},
    boundGateway: legacy.boundGateway,
    missing: [],
  };
}
