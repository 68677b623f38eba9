import * as pulumi from "@pulumi/pulumi";
import { getAddress } from "ethers";
import type { DeployedKey } from "../../lib/bridge/deployment";
import type { BridgeContractKind, GatewaySettings, Limits, RoleHolders, Settings, ValidatorSetSettings, VaultSettings } from "../../lib/bridge/onchain";
import { sortAddresses } from "../../lib/bridge/signatures";
import { BridgeSpec, LimitsSpec } from "../../settings/bridge";
import type { BridgeContractsSpec } from "../../settings/bridgeContracts";
import type { AgentParams } from "../../render/bridge/agent";
import { AgentPlacement, AgentUnit, BridgeValidator, declareAgents } from "./agents";
import { BridgeContract, BridgeDeployment, DevFunding, VAULT_BINDING_TYPE } from "./resources";

export interface ChainEndpoint {
  /** JSON-RPC URL where `pulumi up` reaches the chain (the deployer's; agents read through their own, see BridgeValidator). */
  rpcUrl: pulumi.Input<string>;
  chainId: number;
}

export interface TokenBridgeArgs {
  /** Validated bridge settings (settings/bridge.ts). */
  spec: BridgeSpec;
  home: ChainEndpoint;
  /**
   * The foreign chain; `token` absent deploys the dev RLC there (dev stacks); `rpcUrl` absent only with deployed
   * contracts (`spec.contracts`), whose agents read it through their own endpoints.
   */
  foreign: Omit<ChainEndpoint, "rpcUrl"> & { rpcUrl?: pulumi.Input<string>; token?: pulumi.Input<string> };
  /**
   * Deploys and configures the contracts on both chains, then hands their roles over (kept secret here). Absent with
   * `spec.contracts`: the contracts exist (the consortium stack deployed them) and this bridge only runs agents.
   */
  deployer?: { key: pulumi.Input<string>; address: pulumi.Input<string> };
  /** Decimals of the foreign token, mirrored by the bridged token (RLC: 9). */
  tokenDecimals: number;
  /** How often the agents poll both chains: a fraction of the faster chain's block time. */
  pollIntervalMs: number;
  /** Foreign addresses allowed to deposit (the spec's list, plus the dev account in dev stacks). */
  whitelist: pulumi.Input<string[]>;
  /** Every validator of the set, in the spec's order, by address: what the contracts trust. */
  validators: { name: string; address: pulumi.Input<string> }[];
  /** The agents of the validators whose keys this stack holds, and where they run (the fleet's target); none in a consortium stack. */
  agents?: { placement: AgentPlacement; keys: BridgeValidator[] };
  /** Dev stacks: gas for every validator, from a home key and from the foreign geth --dev account. */
  devFunding?: { homeFunderKey: pulumi.Input<string>; amountWei: bigint };
}

export interface BridgeSide {
  chainId: number;
  validatorSet: string;
  token: string;
  /** First block the agents scan. */
  startBlock: number;
}

export interface BridgeAddresses {
  foreign: BridgeSide & { vault: string };
  home: BridgeSide & { gateway: string };
  validators: string[];
  threshold: number;
}

const limits = (l: LimitsSpec): Limits => ({ minPerTx: l.minPerTx.toString(), maxPerTx: l.maxPerTx.toString(), dailyLimit: l.dailyLimit.toString() });

/**
 * The ERC-20 ⇄ ERC-20 bridge between a foreign chain and the consortium: a validator set on each side, the foreign
 * vault, the home gateway (which creates the bridged token), every role handed to its configured holder, and one
 * agent per validator on the fleet's target (components/bridge/agents.ts). Contracts are dynamic resources whose `read` returns code, settings and role holders from the
 * chain, so a refresh sees an out-of-band change.
 */
export class TokenBridge extends pulumi.ComponentResource {
  readonly addresses: pulumi.Output<BridgeAddresses>;
  /** Health endpoints of the agents, by validator name (as seen from the agent's host, or in the cluster). */
  readonly agentHealth: pulumi.Output<Record<string, string>>;
  /** The same, as the stack's other workloads reach them (the monitor). */
  readonly agentHealthInStack: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: TokenBridgeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Args stay out of `super`: they hold the deployer key and passwords, and component args are saved in state.
    super("consortium:bridge:TokenBridge", name, {}, opts);
    const { spec } = args;
    // Settings validation (settings/bridge.ts) refuses these with the field and the fix before anything exists; here
    // they guard callers that build the arguments themselves.
    const given = args.validators.map((v) => v.name);
    if (given.join() !== spec.validators.join()) {
      throw new pulumi.ResourceError(`TokenBridge ${name}: validators are given for ${given.join(", ") || "none"}, not for the spec's validators ${spec.validators.join(", ")}`, this);
    }
    const stranger = args.agents?.keys.find((k) => !given.includes(k.name));
    if (stranger) throw new pulumi.ResourceError(`TokenBridge ${name}: an agent is given for ${stranger.name}, which is not a validator of the set`, this);
    if (!spec.contracts && !args.deployer) throw new pulumi.ResourceError(`TokenBridge ${name}: neither a deployer nor deployed contracts (spec.contracts) are given`, this);
    if (spec.contracts && !args.foreign.token) throw new pulumi.ResourceError(`TokenBridge ${name}: deployed contracts are given without the foreign token they bridge`, this);
    if (!args.foreign.rpcUrl && (!spec.contracts || args.devFunding)) throw new pulumi.ResourceError(`TokenBridge ${name}: deploying contracts and dev funding need the foreign chain's rpcUrl`, this);
    const foreignEndpoint = { ...args.foreign, rpcUrl: args.foreign.rpcUrl! };
    if (args.home.chainId === args.foreign.chainId) {
      throw new pulumi.ResourceError(`TokenBridge ${name}: home and foreign chain ids are both ${args.home.chainId}; a signature would be valid on both`, this);
    }

    const validatorAddresses = pulumi.all(args.validators.map((v) => v.address));
    const deployed = spec.contracts ? existingContracts(spec.contracts, args.foreign.token!) : this.deployContracts(name, { ...args, foreign: foreignEndpoint }, validatorAddresses);
    const keys = args.agents?.keys ?? [];
    const funding = args.devFunding
      ? keys.flatMap((v) => [
          new DevFunding(`${name}-${v.name}-home-gas`, { rpcUrl: args.home.rpcUrl, chainId: args.home.chainId, to: v.address, minimumWei: args.devFunding!.amountWei.toString(), funderKey: pulumi.secret(args.devFunding!.homeFunderKey) }, { parent: this }),
          new DevFunding(`${name}-${v.name}-foreign-gas`, { rpcUrl: foreignEndpoint.rpcUrl, chainId: args.foreign.chainId, to: v.address, minimumWei: args.devFunding!.amountWei.toString() }, { parent: this }),
        ])
      : [];
    const sides = deployed.sides;
    const units = keys.map((v): AgentUnit => ({
      validator: v,
      params: pulumi.all([sides, v.address]).apply(([s, validatorAddress]) => agentParams(v.name, validatorAddress, s, args)),
    }));
    const none = pulumi.output({} as Record<string, string>);
    const agents = args.agents && units.length > 0 ? declareAgents(args.agents.placement, units, { name, parent: this, dependsOn: [...deployed.resources, ...funding] }) : { health: none, healthInStack: none };
    this.agentHealth = agents.health;
    this.agentHealthInStack = agents.healthInStack;
    this.addresses = pulumi
      .all([sides, deployed.foreignToken, deployed.homeToken, validatorAddresses])
      .apply(([s, fToken, hToken, validators]) => ({
        foreign: { chainId: args.foreign.chainId, validatorSet: s.foreignSet, token: fToken, vault: s.vault, startBlock: s.foreignStart },
        home: { chainId: args.home.chainId, validatorSet: s.homeSet, token: hToken, gateway: s.gateway, startBlock: s.homeStart },
        validators,
        threshold: spec.threshold,
      }));
    this.registerOutputs({ addresses: this.addresses, agentHealth: this.agentHealth });
  }

  /**
   * The contracts on both chains, created and the vault bound by one BridgeDeployment, then each taken on by a
   * BridgeContract that keeps its settings and hands its roles to their configured holders.
   */
  private deployContracts(name: string, args: TokenBridgeArgs & { foreign: ChainEndpoint }, validatorAddresses: pulumi.Output<string[]>): BridgeContracts {
    const { spec } = args;
    const deployer = args.deployer!;
    const deployerKey = pulumi.secret(deployer.key);
    const child = { parent: this };
    // Each managed role has one holder: the configured address, else the deployer.
    const roles = (managed: (keyof RoleHolders)[]): pulumi.Output<RoleHolders> =>
      pulumi.output(deployer.address).apply((address) => {
        const out: RoleHolders = { owner: [spec.roles.owner ?? address] };
        for (const role of managed) out[role] = [spec.roles[role] ?? address];
        return out;
      });
    const validatorSetSettings = validatorAddresses.apply((validators): ValidatorSetSettings => ({ validators, threshold: spec.threshold }));
    const vaultSettings = pulumi.all([spec.feeRecipient ?? spec.roles.owner ?? deployer.address, args.whitelist]).apply(
      ([feeRecipient, whitelist]): VaultSettings => ({
        depositLimits: limits(spec.depositLimits),
        releaseLimits: limits(spec.releaseLimits),
        feeBps: spec.feeBps,
        feeRecipient,
        // In the order refresh reads it back, so an unchanged whitelist is no diff.
        whitelist: sortAddresses([...new Set(whitelist.map((a) => getAddress(a)))]),
      }),
    );
    const gatewaySettings: GatewaySettings = { executionLimits: limits(spec.executionLimits), withdrawLimits: limits(spec.withdrawLimits) };

    const deployment = new BridgeDeployment(
      `${name}-deployment`,
      {
        foreignRpcUrl: args.foreign.rpcUrl,
        foreignChainId: args.foreign.chainId,
        foreignToken: args.foreign.token,
        homeRpcUrl: args.home.rpcUrl,
        homeChainId: args.home.chainId,
        deployerKey,
        validators: validatorSetSettings,
        vault: vaultSettings,
        gateway: gatewaySettings,
        token: { name: spec.token.name, symbol: spec.token.symbol, decimals: args.tokenDecimals },
      },
      // Stacks made before took the binding alone; this takes over its state.
      { ...child, aliases: [{ name: `${name}-vault-binding`, type: VAULT_BINDING_TYPE }] },
    );
    const { contracts, deployBlocks } = deployment;
    const adopt = (suffix: string, side: ChainEndpoint, key: DeployedKey, kind: BridgeContractKind, settings: pulumi.Input<Settings>, managed?: (keyof RoleHolders)[]) =>
      new BridgeContract(
        `${name}-${suffix}`,
        {
          rpcUrl: side.rpcUrl,
          chainId: side.chainId,
          deployerKey,
          kind,
          address: contracts.apply((c) => c[key]),
          deployBlock: deployBlocks.apply((b) => b[key]),
          settings,
          roles: managed && roles(managed),
        },
        child,
      );
    const devToken = args.foreign.token ? [] : [adopt("foreign-dev-token", args.foreign, "foreignToken", "devToken", {})];
    const foreignSet = adopt("foreign-validators", args.foreign, "foreignSet", "validatorSet", validatorSetSettings, []);
    const vault = adopt("foreign-vault", args.foreign, "vault", "foreignVault", vaultSettings, ["pauser", "limitsManager", "whitelistManager"]);
    const homeSet = adopt("home-validators", args.home, "homeSet", "validatorSet", validatorSetSettings, []);
    const gateway = adopt("home-gateway", args.home, "gateway", "homeGateway", gatewaySettings, ["pauser", "limitsManager"]);
    return {
      sides: pulumi
        .all([foreignSet.address, homeSet.address, vault.address, gateway.address, vault.deployBlock, gateway.deployBlock])
        .apply(([foreignSetAddress, homeSetAddress, vaultAddress, gatewayAddress, foreignStart, homeStart]) => ({
          foreignSet: foreignSetAddress,
          homeSet: homeSetAddress,
          vault: vaultAddress,
          gateway: gatewayAddress,
          foreignStart,
          homeStart,
        })),
      foreignToken: contracts.apply((c) => c.foreignToken),
      homeToken: contracts.apply((c) => c.homeToken),
      resources: [deployment, ...devToken, foreignSet, vault, homeSet, gateway],
    };
  }
}

/** Where the bridge's contracts are on each chain, and the blocks the agents scan from. */
interface Sides {
  foreignSet: string;
  homeSet: string;
  vault: string;
  gateway: string;
  foreignStart: number;
  homeStart: number;
}

/** The bridge's contracts as the agents and the outputs need them. */
interface BridgeContracts {
  sides: pulumi.Output<Sides>;
  foreignToken: pulumi.Output<string>;
  homeToken: pulumi.Output<string>;
  /** What the agents wait for: the contracts deployed here (none when they exist already). */
  resources: pulumi.Resource[];
}

/** What one validator's agent runs with (agent/config.ts): both chains' contracts, confirmations and fee caps. */
function agentParams(name: string, validatorAddress: string, s: Sides, args: TokenBridgeArgs): AgentParams {
  const { spec } = args;
  return {
    name,
    validatorAddress,
    home: {
      chainId: args.home.chainId,
      confirmations: spec.home.confirmations,
      maxFeePerGasWei: spec.home.maxFeePerGasWei.toString(),
      startBlock: s.homeStart,
      validatorSet: s.homeSet,
      gateway: s.gateway,
    },
    foreign: {
      chainId: args.foreign.chainId,
      confirmations: spec.foreign.confirmations,
      maxFeePerGasWei: spec.foreign.maxFeePerGasWei.toString(),
      startBlock: s.foreignStart,
      validatorSet: s.foreignSet,
      vault: s.vault,
    },
    pollIntervalMs: args.pollIntervalMs,
    relayForeign: spec.agent.relayForeign,
  };
}

/** Contracts another stack deployed (the consortium stack): known by address, nothing to create. */
function existingContracts(c: BridgeContractsSpec, foreignToken: pulumi.Input<string>): BridgeContracts {
  return {
    sides: pulumi.output({
      foreignSet: c.foreign.validatorSet,
      homeSet: c.home.validatorSet,
      vault: c.foreign.vault,
      gateway: c.home.gateway,
      foreignStart: c.foreign.startBlock,
      homeStart: c.home.startBlock,
    }),
    foreignToken: pulumi.output(foreignToken),
    homeToken: pulumi.output(c.home.token),
    resources: [],
  };
}
