// Declares the token bridge of a stack: the foreign chain (geth --dev in dev stacks, placed by the local target), a
// key per bridge validator, the contracts on both chains and the agents on the fleet's target. Each validator's agent
// reads the chains through its own member's nodes: home through the member's RPC node unless
// `consortium:bridgeEndpoints.<validator>.home` says otherwise, foreign through `...foreign` (required outside dev).
import * as pulumi from "@pulumi/pulumi";
import type { AgentPlacement, BridgeValidator } from "../components/bridge/agents";
import { BridgeAddresses, TokenBridge } from "../components/bridge/TokenBridge";
import { DevFunding } from "../components/bridge/resources";
import { ForeignDevChain } from "../components/bridge/ForeignDevChain";
import type { Target } from "../components/targets/Target";
import { IMAGE_AGENT_PROGRAM } from "../render/bridge/agent";
import { SignerKey } from "../components/keys/GeneratedKey";
import { memberBridgeValidator } from "./memberKeys";
import { GETH_DEV_CHAIN_ID } from "../render/geth/devChain";
import { packagePath } from "../lib/project";
import { installedGeth } from "../lib/toolchain/installedGeth";
import type { BridgeEndpoints } from "../settings/bridge";
import { ConsortiumSpec } from "../settings/consortium";
import { NAMESPACE } from "./config";
import type { Deployer } from "./deployer";

/** RLC has 9 decimals; a configured foreign token with other decimals is declared in `bridge.token`. */
const RLC_DECIMALS = 9;
const ETHER = 10n ** 18n;
/** Gas money for each dev validator on each chain. */
const DEV_VALIDATOR_FUNDING = 100n * ETHER;
/** Ethereum mainnet's slot time; the dev foreign chain's block period. */
const MAINNET_BLOCK_SECONDS = 12;
const DEV_FOREIGN_PERIOD_SECONDS = 1;

/** Half the faster chain's block time, within 250 ms to 6 s: fresh enough to relay in the next block, light on RPC. */
export function agentPollIntervalMs(homePeriodSeconds: number, foreignPeriodSeconds: number): number {
  return Math.min(6_000, Math.max(250, (Math.min(homePeriodSeconds, foreignPeriodSeconds) * 1000) / 2));
}

export interface BridgeInputs {
  spec: ConsortiumSpec;
  /** Where the deployer reaches the home chain. */
  homeRpcUrl: pulumi.Output<string>;
  /** Deploys the contracts (absent with `bridge.contracts`): the dev account in dev stacks (it also holds the foreign dev RLC and is whitelisted). */
  deployer?: Deployer;
  /** Dev stacks only: the deployer is the generated dev account. */
  dev: boolean;
  /** The nodes this stack runs; absent in a consortium stack, which runs no node, no agent and no dev foreign chain. */
  nodes?: BridgeNodes;
}

export interface BridgeNodes {
  /** Each member's own RPC node, as the stack's workloads reach it: a validator's agent reads the home chain there by default. */
  memberStackRpcUrls: pulumi.Output<Record<string, string>>;
  /** Where the agents run: the fleet's target. */
  target: Target;
  /** The home fleet (or the policy gateways in front of it): contracts and agents wait until it runs. */
  ready: pulumi.Resource;
}

export interface DeclaredBridge {
  /** The stack's endpoint of the foreign chain (secret): the configured one, else its first agent's; none without either. */
  foreignRpcUrl?: pulumi.Output<string>;
  bridge: pulumi.Output<BridgeAddresses & { agents: Record<string, string> }>;
  /** The agents' health URLs as the stack's workloads (the monitor) reach them, by validator name. */
  agentsInStack: pulumi.Output<Record<string, string>>;
  /** The bridged token on home, known once the gateway is deployed (what PoCo stakes; it need not wait for the agents). */
  homeToken: pulumi.Output<string>;
  /** The validators' addresses, from their keys (before any contract): the permissions admit them. */
  validatorAddresses: pulumi.Output<string[]>;
}

/** A validator of the set: its address, and its key when this stack runs its agent. */
interface DeclaredValidator {
  name: string;
  address: pulumi.Input<string>;
  agent?: BridgeValidator;
}

export async function declareBridge({ spec, homeRpcUrl, deployer, dev, nodes }: BridgeInputs): Promise<DeclaredBridge | undefined> {
  const bridge = spec.bridge;
  if (!bridge) return undefined;

  // A configured foreign endpoint may carry an API key: secret from here on. Contracts deployed elsewhere need none:
  // each agent reads Ethereum through its own. (Settings keep the dev chain to stacks with nodes.)
  const foreign: { rpcUrl?: pulumi.Output<string>; chainId: number; token?: string } = bridge.foreign.rpcUrl
    ? { rpcUrl: pulumi.secret(bridge.foreign.rpcUrl), chainId: bridge.foreign.chainId!, token: bridge.foreign.token! }
    : bridge.contracts
    ? { chainId: bridge.foreign.chainId!, token: bridge.foreign.token! }
    : {
        rpcUrl: new ForeignDevChain("foreign", { target: nodes!.target, member: spec.authorities[0].member, geth: await installedGeth(), periodSeconds: DEV_FOREIGN_PERIOD_SECONDS }).rpcUrl,
        chainId: GETH_DEV_CHAIN_ID,
      };

  // The deployer pays gas on the foreign dev chain from geth's developer account.
  const deployerGas = deployer && dev && !bridge.foreign.rpcUrl
    ? [new DevFunding("bridge-deployer-foreign-gas", { rpcUrl: foreign.rpcUrl!, chainId: foreign.chainId, to: deployer.address, minimumWei: (1000n * ETHER).toString() })]
    : [];

  // Secret (settings/bridge.ts checked its shape): the nodes each validator's agent reads through.
  const endpoints = new pulumi.Config(NAMESPACE).getSecretObject<BridgeEndpoints>("bridgeEndpoints") ?? pulumi.secret({} as BridgeEndpoints);
  const validators = bridge.validators.map((name) => declareValidator(spec, name, endpoints, foreign.rpcUrl));
  const keys = validators.flatMap((v) => (v.agent ? [v.agent] : []));
  if (keys.length > 0 && !nodes) throw new pulumi.RunError(`consortium:bridge.validators: this stack runs no node, so it cannot run the agents of ${keys.map((k) => k.name).join(", ")}`);

  const tokenBridge = new TokenBridge(
    "bridge",
    {
      spec: bridge,
      home: { rpcUrl: homeRpcUrl, chainId: spec.chainId },
      foreign,
      ...(deployer && !bridge.contracts ? { deployer: { key: pulumi.secret(deployer.privateKey), address: deployer.address } } : {}),
      tokenDecimals: RLC_DECIMALS,
      pollIntervalMs: agentPollIntervalMs(spec.blockPeriodSeconds, bridge.foreign.rpcUrl ? MAINNET_BLOCK_SECONDS : DEV_FOREIGN_PERIOD_SECONDS),
      whitelist: dev && deployer ? deployer.address.apply((a) => [...new Set([...bridge.whitelist, a])]) : bridge.whitelist,
      validators: validators.map(({ name, address }) => ({ name, address })),
      ...(nodes ? { agents: { placement: agentPlacement(spec, nodes.target, nodes.memberStackRpcUrls), keys } } : {}),
      ...(dev && deployer ? { devFunding: { homeFunderKey: deployer.privateKey, amountWei: DEV_VALIDATOR_FUNDING } } : {}),
    },
    { dependsOn: [...(nodes ? [nodes.ready] : []), ...deployerGas] },
  );
  const foreignRpcUrl = foreign.rpcUrl ?? (keys[0] ? pulumi.output(keys[0].endpoints.foreign) : undefined);
  return {
    ...(foreignRpcUrl ? { foreignRpcUrl } : {}),
    bridge: pulumi.all([tokenBridge.addresses, tokenBridge.agentHealth]).apply(([addresses, agents]) => ({ ...addresses, agents })),
    agentsInStack: tokenBridge.agentHealthInStack,
    homeToken: tokenBridge.addresses.apply((a) => a.home.token),
    validatorAddresses: pulumi.all(validators.map((v) => v.address)),
  };
}

/**
 * A validator's key: the member's own from the ceremony (its `keyDir`, in the member's stack), an address only (a
 * member runs it elsewhere: `external.bridgeValidator`), or made by this stack. Settings guarantee one of the three.
 */
function declareValidator(spec: ConsortiumSpec, name: string, endpoints: pulumi.Output<BridgeEndpoints>, sharedForeign: pulumi.Output<string> | undefined): DeclaredValidator {
  const index = spec.authorities.findIndex((a) => a.name === name);
  const authority = spec.authorities[index];
  const external = authority.external;
  if (external?.bridgeValidator && !external.keyDir) return { name, address: external.bridgeValidator };
  // Protected like the authority keys: the contracts trust these addresses.
  const key = external?.bridgeValidator ? memberBridgeValidator(authority, index) : new SignerKey(`${name}-bridge-validator`, { scryptN: spec.keys.scryptN }, { protect: true });
  // Without an endpoint of its own, an agent reads the home chain through its member's RPC node (components/bridge/agents.ts).
  const home = bridgeEndpointGiven(name, "home") ? endpoints.apply((e) => e[name]!.home!) : undefined;
  const agent: BridgeValidator = {
    name,
    member: authority.member,
    address: key.address,
    keystore: key.keystore,
    password: pulumi.secret(key.password),
    endpoints: {
      ...(home ? { home: pulumi.secret(home) } : {}),
      // Settings require a validator's own endpoint where there is no shared one.
      foreign: pulumi.secret(pulumi.all([endpoints, sharedForeign ?? ""]).apply(([e, shared]) => e[name]?.foreign ?? shared)),
    },
  };
  return { name, address: key.address, agent };
}

/** Agents run where the fleet runs, beside their member's nodes. */
function agentPlacement(spec: ConsortiumSpec, target: Target, memberHomeUrls: pulumi.Output<Record<string, string>>): AgentPlacement {
  // A local process runs this machine's Node.js and the compiled agent of the checkout running the provider, not this one (lib/project.ts).
  const program = target.runsImages ? IMAGE_AGENT_PROGRAM : { node: process.execPath, main: packagePath("dist/agent/main.js") };
  return { target, image: spec.bridge!.agent.image, program, memberHomeUrls };
}

/** Whether `consortium:bridgeEndpoints.<validator>.<side>` is set (known at preview: the value itself stays secret). */
function bridgeEndpointGiven(validator: string, side: "home" | "foreign"): boolean {
  const raw = pulumi.runtime.allConfig()[`${NAMESPACE}:bridgeEndpoints`];
  if (!raw) return false;
  const parsed = JSON.parse(raw) as BridgeEndpoints;
  return parsed[validator]?.[side] !== undefined;
}

