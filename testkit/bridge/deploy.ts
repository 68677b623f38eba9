// A whole bridge deployment outside Pulumi (tests, benchmarks): what its providers run — lib/bridge/deployment.ts,
// then lib/bridge/onchain.ts taking each contract on, with the deployer holding every role — or `oneAtATime`, the
// benchmark's baseline: each contract created, the whitelist set and the vault bound only once the transaction
// before it is mined.
import { getAddress } from "ethers";
import { BridgeContractAddresses, deployBridgeContracts, DeployedKey } from "../../lib/bridge/deployment";
import { adoptBridgeContract, BridgeContractKind, Limits, RoleHolders, Settings } from "../../lib/bridge/onchain";
import { sortAddresses } from "../../lib/bridge/signatures";
import { withProvider } from "../../lib/eth/provider";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { waitForReceipt } from "../../lib/eth/transactions";
import { deployDevRlc } from "../poco/devToken";
import { deployForeignVault, deployHomeGateway, deployValidatorSet, LimitsConfig } from "./deployContracts";

/** One chain as the providers reach it. */
export interface DeployEndpoint {
  rpcUrl: string;
  chainId: number;
}

export interface BridgeDeployParams {
  foreign: DeployEndpoint;
  home: DeployEndpoint;
  /** Funded on both chains: pays, and holds every role. */
  deployerKey: string;
  validators: string[];
  threshold: number;
  limits: { deposit: Limits; release: Limits; execution: Limits; withdraw: Limits };
  feeBps: number;
  feeRecipient: string;
  whitelist: string[];
  token: { name: string; symbol: string; decimals: number };
  /** Each transaction after the one before, none at the same time (the benchmark's baseline); default: the stack's way. */
  oneAtATime?: boolean;
}

export interface BridgeDeployment {
  foreignToken: string;
  foreignValidatorSet: string;
  vault: string;
  homeValidatorSet: string;
  gateway: string;
  homeToken: string;
}

export async function deployBridge(p: BridgeDeployParams): Promise<BridgeDeployment> {
  const c = p.oneAtATime ? await deployOneAtATime(p) : await deployAsTheStack(p);
  return { foreignToken: c.foreignToken, foreignValidatorSet: c.foreignSet, vault: c.vault, homeValidatorSet: c.homeSet, gateway: c.gateway, homeToken: c.homeToken };
}

const whitelistOf = (p: BridgeDeployParams) => sortAddresses([...new Set(p.whitelist.map((a) => getAddress(a)))]);

/** BridgeDeployment, then each contract's BridgeContract, as TokenBridge declares them. */
async function deployAsTheStack(p: BridgeDeployParams): Promise<BridgeContractAddresses> {
  const validators = { validators: p.validators, threshold: p.threshold };
  const vault = { depositLimits: p.limits.deposit, releaseLimits: p.limits.release, feeBps: p.feeBps, feeRecipient: p.feeRecipient, whitelist: whitelistOf(p) };
  const gateway = { executionLimits: p.limits.execution, withdrawLimits: p.limits.withdraw };
  const d = await deployBridgeContracts({
    foreignRpcUrl: p.foreign.rpcUrl,
    foreignChainId: p.foreign.chainId,
    homeRpcUrl: p.home.rpcUrl,
    homeChainId: p.home.chainId,
    deployerKey: p.deployerKey,
    validators,
    vault,
    gateway,
    token: p.token,
  });
  const deployer = new SequencedWallet(p.deployerKey).address;
  const roles = (managed: (keyof RoleHolders)[]): RoleHolders => ({ owner: [deployer], ...Object.fromEntries(managed.map((r) => [r, [deployer]])) });
  const adopt = (side: DeployEndpoint, key: DeployedKey, kind: BridgeContractKind, settings: Settings, managed?: (keyof RoleHolders)[]) =>
    adoptBridgeContract({ ...side, deployerKey: p.deployerKey, kind, address: d.contracts[key], deployBlock: d.deployBlocks[key], settings, roles: managed && roles(managed) });
  await Promise.all([
    adopt(p.foreign, "foreignToken", "devToken", {}),
    adopt(p.foreign, "foreignSet", "validatorSet", validators, []),
    adopt(p.foreign, "vault", "foreignVault", vault, ["pauser", "limitsManager", "whitelistManager"]),
    adopt(p.home, "homeSet", "validatorSet", validators, []),
    adopt(p.home, "gateway", "homeGateway", gateway, ["pauser", "limitsManager"]),
  ]);
  return d.contracts;
}

/** The typed deployers of testkit/bridge/deployContracts.ts, one transaction after another. */
function deployOneAtATime(p: BridgeDeployParams): Promise<BridgeContractAddresses> {
  const limits = (l: Limits): LimitsConfig => ({ minPerTx: BigInt(l.minPerTx), maxPerTx: BigInt(l.maxPerTx), dailyLimit: BigInt(l.dailyLimit) });
  return withProvider(p.foreign, (fp) =>
    withProvider(p.home, async (hp) => {
      const [f, h] = [new SequencedWallet(p.deployerKey, fp), new SequencedWallet(p.deployerKey, hp)];
      const owner = f.address;
      const token = await deployDevRlc(f);
      const foreignSet = await deployValidatorSet(f, { owner, validators: p.validators, threshold: p.threshold });
      const vault = await deployForeignVault(f, {
        token: await token.getAddress(),
        validatorSet: await foreignSet.getAddress(),
        owner,
        homeChainId: p.home.chainId,
        binder: owner,
        depositLimits: limits(p.limits.deposit),
        releaseLimits: limits(p.limits.release),
        feeBps: p.feeBps,
        feeRecipient: p.feeRecipient,
      });
      if (p.whitelist.length > 0) await waitForReceipt(fp, (await vault.getFunction("setWhitelisted")(whitelistOf(p), true)).hash, "whitelisting");
      const homeSet = await deployValidatorSet(h, { owner, validators: p.validators, threshold: p.threshold });
      const gateway = await deployHomeGateway(h, {
        token: p.token,
        validatorSet: await homeSet.getAddress(),
        owner,
        foreignChainId: p.foreign.chainId,
        foreignVault: await vault.getAddress(),
        executionLimits: limits(p.limits.execution),
        withdrawLimits: limits(p.limits.withdraw),
      });
      await waitForReceipt(fp, (await vault.getFunction("bindGateway")(await gateway.getAddress())).hash, "binding");
      return {
        foreignToken: await token.getAddress(),
        foreignSet: await foreignSet.getAddress(),
        vault: await vault.getAddress(),
        homeSet: await homeSet.getAddress(),
        gateway: await gateway.getAddress(),
        homeToken: await gateway.getFunction("token")(),
      };
    }),
  );
}
