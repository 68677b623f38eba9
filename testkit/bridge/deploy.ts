// A whole bridge deployment outside Pulumi (tests, benchmarks), through the functions its providers run
// (lib/bridge/onchain.ts, lib/bridge/binding.ts) and in the order TokenBridge declares them: the dev RLC and both
// validator sets at once, then the vault, then the gateway, which needs the vault's address, then the binding. Each contract gets its settings and
// roles as in a stack, with the deployer holding every role.
import { getAddress } from "ethers";
import { bindVault } from "../../lib/bridge/binding";
import { BridgeContractInputs, createBridgeContract, Limits, RoleHolders } from "../../lib/bridge/onchain";
import { sortAddresses } from "../../lib/bridge/signatures";

/** One chain as the providers reach it, and the key that deploys there (it pays and holds every role). */
export interface DeployEndpoint {
  rpcUrl: string;
  chainId: number;
  deployerKey: string;
  deployer: string;
}

export interface BridgeDeployParams {
  foreign: DeployEndpoint;
  home: DeployEndpoint;
  validators: string[];
  threshold: number;
  limits: { deposit: Limits; release: Limits; execution: Limits; withdraw: Limits };
  feeBps: number;
  feeRecipient: string;
  whitelist: string[];
  token: { name: string; symbol: string; decimals: number };
  /** Each contract after the one before, none at the same time (the benchmark's baseline); default: TokenBridge's order. */
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

const on = (e: DeployEndpoint) => ({ rpcUrl: e.rpcUrl, chainId: e.chainId, deployerKey: e.deployerKey });
const roles = (e: DeployEndpoint, managed: (keyof RoleHolders)[]): RoleHolders => ({ owner: [e.deployer], ...Object.fromEntries(managed.map((r) => [r, [e.deployer]])) });

export async function deployBridge(p: BridgeDeployParams): Promise<BridgeDeployment> {
  const validatorSet = (e: DeployEndpoint) =>
    createBridgeContract({ ...on(e), kind: "validatorSet", constructorArgs: [], settings: { validators: p.validators, threshold: p.threshold }, roles: roles(e, []) });
  const foreignSide = async () => {
    const devToken = () => createBridgeContract({ ...on(p.foreign), kind: "devToken", constructorArgs: [], settings: {} });
    const [token, set] = p.oneAtATime ? [await devToken(), await validatorSet(p.foreign)] : await Promise.all([devToken(), validatorSet(p.foreign)]);
    const vault = await createBridgeContract({
      ...on(p.foreign),
      kind: "foreignVault",
      constructorArgs: [token.address, set.address, p.home.chainId],
      settings: {
        depositLimits: p.limits.deposit,
        releaseLimits: p.limits.release,
        feeBps: p.feeBps,
        feeRecipient: p.feeRecipient,
        whitelist: sortAddresses([...new Set(p.whitelist.map((a) => getAddress(a)))]),
      },
      roles: roles(p.foreign, ["pauser", "limitsManager", "whitelistManager"]),
    } satisfies BridgeContractInputs);
    return { token, set, vault };
  };
  const [foreign, homeSet] = p.oneAtATime ? [await foreignSide(), await validatorSet(p.home)] : await Promise.all([foreignSide(), validatorSet(p.home)]);
  const gateway = await createBridgeContract({
    ...on(p.home),
    kind: "homeGateway",
    constructorArgs: [p.token.name, p.token.symbol, p.token.decimals, homeSet.address, p.foreign.chainId, foreign.vault.address],
    settings: { executionLimits: p.limits.execution, withdrawLimits: p.limits.withdraw },
    roles: roles(p.home, ["pauser", "limitsManager"]),
  });
  await bindVault({ ...on(p.foreign), vault: foreign.vault.address, gateway: gateway.address });
  return {
    foreignToken: foreign.token.address,
    foreignValidatorSet: foreign.set.address,
    vault: foreign.vault.address,
    homeValidatorSet: homeSet.address,
    gateway: gateway.address,
    homeToken: gateway.createdToken!,
  };
}
