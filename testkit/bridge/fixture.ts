// A whole bridge on two real test chains: the dev RLC, a ValidatorSet on each chain, the foreign vault (home chain id =
// the home test chain's, binder = the foreign deployer) and the home gateway (with its BridgedToken), then the vault is
// bound to the gateway. The deployer on each chain is a fresh funded wallet holding every role; on foreign it also
// holds the whole RLC supply.
import { readFileSync } from "node:fs";
import { Contract, ContractFactory, Signer, Wallet } from "ethers";
import { ERC20_ABI } from "../../lib/bridge/abi";
import {
  bindGateway,
  bridgedToken,
  deployForeignVault,
  deployHomeGateway,
  deployValidatorSet,
  LimitsConfig,
} from "./deployContracts";
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
  addresses: {
    foreignToken: string;
    foreignValidatorSet: string;
    vault: string;
    homeValidatorSet: string;
    gateway: string;
    homeToken: string;
  };
  /** Sends dev RLC from the deployer's supply. */
  giveForeignTokens(to: string, amount: bigint): Promise<void>;
}

/** Deploys the dev RLC; its constructor mints the whole supply (87M RLC) to `signer`. */
export async function deployDevRlc(signer: Signer): Promise<Contract> {
  const path = require.resolve("rlc-faucet-contract/build/contracts/RLC.json");
  const { abi, bytecode } = JSON.parse(readFileSync(path, "utf8"));
  const deployed = await new ContractFactory(abi, bytecode, signer).deploy();
  await deployed.waitForDeployment();
  return new Contract(await deployed.getAddress(), ERC20_ABI, signer);
}

export async function deployBridgeOn(foreign: TestChain, home: TestChain, opts: BridgeFixtureOptions): Promise<BridgeFixture> {
  const validators = opts.validators.map((v) => (typeof v === "string" ? v : v.address));
  const [fDeployer, hDeployer] = await Promise.all([foreign.fundedWallet(), home.fundedWallet()]);
  const set = (deployer: Wallet) => deployValidatorSet(deployer, { owner: deployer.address, validators, threshold: opts.threshold });
  const feeRecipient = Wallet.createRandom().address;

  // The chains are independent: deploy on both at once; the gateway only needs the vault's address.
  const foreignSide = (async () => {
    const token = await deployDevRlc(fDeployer);
    const validatorSet = await set(fDeployer);
    const vault = await deployForeignVault(fDeployer, {
      token: await token.getAddress(),
      validatorSet: await validatorSet.getAddress(),
      owner: fDeployer.address,
      homeChainId: home.chainId,
      binder: fDeployer.address,
      depositLimits: opts.limits?.deposit ?? DEFAULT_LIMITS,
      releaseLimits: opts.limits?.release ?? DEFAULT_LIMITS,
      feeBps: opts.feeBps ?? 0,
      feeRecipient,
    });
    return { token, validatorSet, vault };
  })();
  const homeValidatorSet = await set(hDeployer);
  const { token, validatorSet, vault } = await foreignSide;
  const whitelisting = opts.whitelist?.length
    ? vault.getFunction("setWhitelisted")(opts.whitelist, true).then((tx) => tx.wait())
    : Promise.resolve();
  const gateway = await deployHomeGateway(hDeployer, {
    token: { name: "Bridged RLC", symbol: "bRLC", decimals: 9 },
    validatorSet: await homeValidatorSet.getAddress(),
    owner: hDeployer.address,
    foreignChainId: foreign.chainId,
    foreignVault: await vault.getAddress(),
    executionLimits: opts.limits?.execution ?? DEFAULT_LIMITS,
    withdrawLimits: opts.limits?.withdraw ?? DEFAULT_LIMITS,
  });
  await whitelisting;
  await bindGateway(vault, await gateway.getAddress());
  const homeToken = await bridgedToken(gateway);

  return {
    foreign: { chain: foreign, deployer: fDeployer, token, validatorSet, vault, feeRecipient },
    home: { chain: home, deployer: hDeployer, validatorSet: homeValidatorSet, gateway, token: homeToken },
    addresses: {
      foreignToken: await token.getAddress(),
      foreignValidatorSet: await validatorSet.getAddress(),
      vault: await vault.getAddress(),
      homeValidatorSet: await homeValidatorSet.getAddress(),
      gateway: await gateway.getAddress(),
      homeToken: await homeToken.getAddress(),
    },
    async giveForeignTokens(to, amount) {
      await (await token.getFunction("transfer")(to, amount)).wait();
    },
  };
}
