// A whole bridge on two real test chains, deployed as a stack deploys it (testkit/bridge/deploy.ts: the providers'
// functions): the dev RLC, a ValidatorSet on each chain, the foreign vault (home chain id = the home test chain's,
// binder = the deployer) and the home gateway (with its BridgedToken), then the vault is bound to the gateway.
// The deployer is one fresh key funded on both chains, holding every role; on foreign it also holds the whole RLC supply.
import { Contract, Wallet } from "ethers";
import { ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI, VALIDATOR_SET_ABI } from "../../lib/bridge/abi";
import { bridgedToken, LimitsConfig } from "./deployContracts";
import { BridgeDeployment, deployBridge } from "./deploy";
import { TestChain } from "../chains";

/** Generous defaults (RLC has 9 decimals): 1 nRLC min, 1M RLC per tx, 10M RLC a day; for every set not given. */
export const DEFAULT_LIMITS: LimitsConfig = { minPerTx: 1n, maxPerTx: 10n ** 15n, dailyLimit: 10n ** 16n };

export interface BridgeFixtureOptions {
  /** The validators of both chains (same set on each side). */
  validators: (Wallet | string)[];
  threshold: number;
  /** deposit and release: the vault's; execution and withdraw: the gateway's. */
  limits?: { deposit?: LimitsConfig; release?: LimitsConfig; execution?: LimitsConfig; withdraw?: LimitsConfig };
  /** Refund fee, basis points (default 0). */
  feeBps?: number;
  /** Foreign senders whose deposits are bridged (the others are refundable). */
  whitelist?: string[];
}

export interface BridgeFixture {
  foreign: {
    chain: TestChain;
    deployer: Wallet;
    /** The dev RLC (rlc-faucet-contract), 9 decimals; the deployer holds the supply. */
    token: Contract;
    validatorSet: Contract;
    /** Bound to `home.gateway` (by the deployer, its binder). */
    vault: Contract;
    /** A fresh address (no key) receiving refund fees. */
    feeRecipient: string;
  };
  home: {
    chain: TestChain;
    deployer: Wallet;
    validatorSet: Contract;
    gateway: Contract;
    /** The BridgedToken created by the gateway. */
    token: Contract;
  };
  addresses: BridgeDeployment;
  /** Sends dev RLC from the deployer's supply. */
  giveForeignTokens(to: string, amount: bigint): Promise<void>;
}

export async function deployBridgeOn(foreign: TestChain, home: TestChain, opts: BridgeFixtureOptions): Promise<BridgeFixture> {
  const validators = opts.validators.map((v) => (typeof v === "string" ? v : v.address));
  const key = Wallet.createRandom().privateKey;
  const [fDeployer, hDeployer] = await Promise.all([foreign.fundedWallet(undefined, key), home.fundedWallet(undefined, key)]);
  const feeRecipient = Wallet.createRandom().address;
  const endpoint = (chain: TestChain) => ({ rpcUrl: chain.rpcUrl, chainId: chain.chainId });
  const limits = (l: LimitsConfig | undefined) => {
    const { minPerTx, maxPerTx, dailyLimit } = l ?? DEFAULT_LIMITS;
    return { minPerTx: minPerTx.toString(), maxPerTx: maxPerTx.toString(), dailyLimit: dailyLimit.toString() };
  };
  const d = await deployBridge({
    foreign: endpoint(foreign),
    home: endpoint(home),
    deployerKey: key,
    validators,
    threshold: opts.threshold,
    limits: { deposit: limits(opts.limits?.deposit), release: limits(opts.limits?.release), execution: limits(opts.limits?.execution), withdraw: limits(opts.limits?.withdraw) },
    feeBps: opts.feeBps ?? 0,
    feeRecipient,
    whitelist: opts.whitelist ?? [],
    token: { name: "Bridged RLC", symbol: "bRLC", decimals: 9 },
  });
  const token = new Contract(d.foreignToken, ERC20_ABI, fDeployer);
  const gateway = new Contract(d.gateway, HOME_GATEWAY_ABI, hDeployer);

  return {
    foreign: { chain: foreign, deployer: fDeployer, token, validatorSet: new Contract(d.foreignValidatorSet, VALIDATOR_SET_ABI, fDeployer), vault: new Contract(d.vault, FOREIGN_VAULT_ABI, fDeployer), feeRecipient },
    home: { chain: home, deployer: hDeployer, validatorSet: new Contract(d.homeValidatorSet, VALIDATOR_SET_ABI, hDeployer), gateway, token: await bridgedToken(gateway) },
    addresses: d,
    async giveForeignTokens(to, amount) {
      await (await token.getFunction("transfer")(to, amount)).wait();
    },
  };
}
