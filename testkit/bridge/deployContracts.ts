// Typed deployers of the bridge contracts, shared by the deployment, the agent's tests and the contract tests.
// Each waits for its deployment transaction to be mined and returns a Contract on the ABI of lib/bridge/abi.ts.
import { deployedAddress } from "../deployed";
import { Contract, ContractFactory, InterfaceAbi, Signer } from "ethers";
import { BRIDGED_TOKEN_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI, VALIDATOR_SET_ABI } from "../../lib/bridge/abi";
import { BridgeContractName, loadArtifact } from "../../lib/bridge/artifacts";

/** Per-transaction and daily limits, in the token's smallest unit. */
export interface LimitsConfig {
  minPerTx: bigint;
  maxPerTx: bigint;
  dailyLimit: bigint;
}

export interface ValidatorSetParams {
  owner: string;
  validators: string[];
  threshold: number | bigint;
}

export interface ForeignVaultParams {
  token: string;
  validatorSet: string;
  owner: string;
  /** The home chain's id (non-zero, not the foreign chain's): fixed for the vault's life. */
  homeChainId: number | bigint;
  /** The one account allowed to call `bindGateway` (once); cleared by the binding. */
  binder: string;
  depositLimits: LimitsConfig;
  /** What executed withdrawals may release, per transaction and per day. */
  releaseLimits: LimitsConfig;
  /** Refund fee in basis points (≤ 1000). */
  feeBps: number | bigint;
  feeRecipient: string;
}

export interface HomeGatewayParams {
  /** The bridged token the gateway creates. */
  token: { name: string; symbol: string; decimals: number };
  validatorSet: string;
  owner: string;
  foreignChainId: number | bigint;
  foreignVault: string;
  executionLimits: LimitsConfig;
  withdrawLimits: LimitsConfig;
}

export function deployValidatorSet(signer: Signer, p: ValidatorSetParams): Promise<Contract> {
  return deploy(signer, "ValidatorSet", VALIDATOR_SET_ABI, [p.owner, p.validators, p.threshold]);
}

export function deployForeignVault(signer: Signer, p: ForeignVaultParams): Promise<Contract> {
  const args = [
    p.token,
    p.validatorSet,
    p.owner,
    p.homeChainId,
    p.binder,
    limitsTuple(p.depositLimits),
    limitsTuple(p.releaseLimits),
    p.feeBps,
    p.feeRecipient,
  ];
  return deploy(signer, "ForeignVault", FOREIGN_VAULT_ABI, args);
}

export function deployHomeGateway(signer: Signer, p: HomeGatewayParams): Promise<Contract> {
  const args = [
    p.token.name,
    p.token.symbol,
    p.token.decimals,
    p.validatorSet,
    p.owner,
    p.foreignChainId,
    p.foreignVault,
    limitsTuple(p.executionLimits),
    limitsTuple(p.withdrawLimits),
  ];
  return deploy(signer, "HomeGateway", HOME_GATEWAY_ABI, args);
}

/** Binds `vault` to `gateway` (sent by `vault`'s signer, which must be its binder) and waits for it to be mined. */
export async function bindGateway(vault: Contract, gateway: string): Promise<void> {
  const receipt = await (await vault.getFunction("bindGateway")(gateway)).wait();
  if (!receipt) throw new Error("bindGateway transaction dropped");
}

/** The BridgedToken the gateway created in its constructor. */
export async function bridgedToken(gateway: Contract): Promise<Contract> {
  return new Contract(await gateway.getFunction("token")(), BRIDGED_TOKEN_ABI, gateway.runner);
}

function limitsTuple(l: LimitsConfig): [bigint, bigint, bigint] {
  return [l.minPerTx, l.maxPerTx, l.dailyLimit];
}

async function deploy(signer: Signer, name: BridgeContractName, abi: InterfaceAbi, args: unknown[]): Promise<Contract> {
  const deployed = await new ContractFactory(abi, loadArtifact(name).bytecode, signer).deploy(...args);
  return new Contract(await deployedAddress(deployed, `${name} deployment`), abi, signer);
}
