// Declares the token bridge of a stack: the foreign chain (a local geth --dev in dev stacks on the local target), a
// key per bridge validator, the contracts on both chains and the agents on the fleet's target. Each validator's agent
// reads the chains through its own member's nodes: home through the member's RPC node unless
// `consortium:bridgeEndpoints.<validator>.home` says otherwise, foreign through `...foreign` (required outside dev).
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import type { AgentTarget, BridgeValidator } from "../components/bridge/agents";
import { BridgeAddresses, TokenBridge } from "../components/bridge/TokenBridge";
import { DevFunding } from "../components/bridge/resources";
import { LocalNodeProcess, PortBlock } from "../components/fleet/local/resources";
import { GeneratedKey } from "../components/keys/GeneratedKey";
import { GETH_DEV_CHAIN_ID, renderGethDevChain } from "../render/geth/devChain";
import { ensureTools } from "../lib/toolchain/resolve";
import { cacheRoot } from "../lib/toolchain/versions";
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

/** Ports of the bridge's block: the foreign dev chain's, then one health port per agent. */
const FOREIGN_HTTP_OFFSET = 1;
const AGENT_HEALTH_OFFSET = 10;

export interface BridgeInputs {
  spec: ConsortiumSpec;
  /** Where the deployer reaches the home chain. */
  homeRpcUrl: pulumi.Output<string>;
  /** Each member's own RPC node, as this machine reaches it. */
  memberRpcUrls: pulumi.Output<Record<string, string>>;
  /** Absolute directory of the stack's local processes (local target). */
  workDir?: string;
  /** Deploys the contracts: the dev account in dev stacks (it also holds the foreign dev RLC and is whitelisted). */
  deployer: Deployer;
  /** Dev stacks only: the deployer is the generated dev account. */
  dev: boolean;
  /** The home fleet: contracts and agents wait until it runs. */
  fleet: pulumi.Resource;
}

export interface DeclaredBridge {
  foreignRpcUrl: pulumi.Output<string>;
  bridge: pulumi.Output<BridgeAddresses & { agents: Record<string, string> }>;
}

export async function declareBridge({ spec, homeRpcUrl, memberRpcUrls, workDir, deployer, dev, fleet }: BridgeInputs): Promise<DeclaredBridge | undefined> {
  const bridge = spec.bridge;
  if (!bridge) return undefined;
  // Only the local target has a work dir and a port block; settings validation (settings/bridge.ts, checkBridgeTarget)
  // leaves the dev foreign chain to it.
  const block = workDir ? portBlock(workDir) : undefined;

  // A configured foreign endpoint may carry an API key: secret from here on.
  const foreign: { rpcUrl: pulumi.Output<string>; chainId: number; token?: string } = bridge.foreign.rpcUrl
    ? { rpcUrl: pulumi.secret(bridge.foreign.rpcUrl), chainId: bridge.foreign.chainId!, token: bridge.foreign.token! }
    : { rpcUrl: foreignDevChain(block!, workDir!, await gethPath()), chainId: GETH_DEV_CHAIN_ID };

  // The deployer pays gas on the foreign dev chain from geth's developer account.
  const deployerGas = dev && !bridge.foreign.rpcUrl
    ? [new DevFunding("bridge-deployer-foreign-gas", { rpcUrl: foreign.rpcUrl, chainId: foreign.chainId, to: deployer.address, minimumWei: (1000n * ETHER).toString() })]
    : [];

  // Secret (settings/bridge.ts checked its shape): the nodes each validator's agent reads through.
  const endpoints = new pulumi.Config(NAMESPACE).getSecretObject<BridgeEndpoints>("bridgeEndpoints") ?? pulumi.secret({} as BridgeEndpoints);
  const validators = bridge.validators.map((name): BridgeValidator => {
    const member = spec.authorities.find((a) => a.name === name)!.member;
    // Protected like the authority keys: the contracts trust these addresses.
    const key = new GeneratedKey(`${name}-bridge-validator`, { kind: "signer", scryptN: spec.keys.scryptN }, { protect: true });
    // Local agents run beside this stack's nodes and reach the member's RPC node as this machine does; on Docker and
    // Kubernetes the target places them beside it (components/bridge).
    const own = bridgeEndpointGiven(name, "home") ? endpoints.apply((e) => e[name]!.home!) : undefined;
    const home = own ?? (spec.fleet.target === "local" ? memberRpcUrls.apply((urls) => urls[member]) : undefined);
    return {
      name,
      member,
      address: key.address.apply((a) => a!),
      keystore: key.keystore.apply((k) => k!),
      password: pulumi.secret(key.password.apply((p) => p!)),
      endpoints: {
        ...(home ? { home: pulumi.secret(home) } : {}),
        foreign: pulumi.secret(pulumi.all([endpoints, foreign.rpcUrl]).apply(([e, shared]) => e[name]?.foreign ?? shared)),
      },
    };
  });

  const tokenBridge = new TokenBridge(
    "bridge",
    {
      spec: bridge,
      home: { rpcUrl: bridge.home.rpcUrl ?? homeRpcUrl, chainId: spec.chainId },
      foreign,
      deployerKey: pulumi.secret(deployer.privateKey),
      deployerAddress: deployer.address,
      tokenDecimals: RLC_DECIMALS,
      pollIntervalMs: agentPollIntervalMs(spec.blockPeriodSeconds, bridge.foreign.rpcUrl ? MAINNET_BLOCK_SECONDS : DEV_FOREIGN_PERIOD_SECONDS),
      whitelist: dev ? deployer.address.apply((a) => [...new Set([...bridge.whitelist, a])]) : bridge.whitelist,
      validators,
      agents: agentTarget(spec, block, workDir),
      ...(dev ? { devFunding: { homeFunderKey: deployer.privateKey, amountWei: DEV_VALIDATOR_FUNDING } } : {}),
    },
    { dependsOn: [fleet, ...deployerGas] },
  );
  return {
    foreignRpcUrl: foreign.rpcUrl,
    bridge: pulumi.all([tokenBridge.addresses, tokenBridge.agentHealth]).apply(([addresses, agents]) => ({ ...addresses, agents })),
  };
}

/** The local target's ports: the foreign dev chain's, then one health port per agent. */
function portBlock(workDir: string): PortBlock {
  return new PortBlock("bridge-ports", { owner: `${pulumi.getProject()}/${pulumi.getStack()}/bridge@${workDir}`, registryRoot: cacheRoot(), holderDir: workDir });
}

/** Where the agents run: beside the fleet's nodes. */
function agentTarget(spec: ConsortiumSpec, block: PortBlock | undefined, workDir: string | undefined): AgentTarget {
  switch (spec.fleet.target) {
    case "local":
      return {
        target: "local",
        node: process.execPath,
        agentMain: join(__dirname, "..", "agent", "main.js"),
        workDir: workDir!,
        healthPorts: block!.base.apply((base) => spec.bridge!.validators.map((_, i) => base + AGENT_HEALTH_OFFSET + i)),
      };
    case "docker":
      return { target: "docker", consortium: spec };
    case "kubernetes":
      return { target: "kubernetes", consortium: spec };
  }
}

/** The dev stack's foreign chain: geth --dev on the bridge's port block, its data under the stack's work dir. */
function foreignDevChain(block: PortBlock, workDir: string, geth: string): pulumi.Output<string> {
  const run = block.base.apply((base) => renderGethDevChain({ name: "foreign", geth, httpPort: base + FOREIGN_HTTP_OFFSET, periodSeconds: DEV_FOREIGN_PERIOD_SECONDS }));
  const proc = new LocalNodeProcess(
    "foreign-dev-chain",
    {
      name: run.name,
      dir: join(workDir, "foreign-dev-chain"),
      command: run.command,
      args: run.args,
      env: run.env,
      files: run.files,
      secretFiles: pulumi.secret({}),
      init: run.init,
      rpcUrl: run.rpcUrl,
      ports: run.ports.apply((p) => [p.http, p.authrpc]),
      resetKey: "geth --dev",
    },
    { dependsOn: [block] },
  );
  return proc.rpcUrl;
}

/** Whether `consortium:bridgeEndpoints.<validator>.<side>` is set (known at preview: the value itself stays secret). */
function bridgeEndpointGiven(validator: string, side: "home" | "foreign"): boolean {
  const raw = pulumi.runtime.allConfig()[`${NAMESPACE}:bridgeEndpoints`];
  if (!raw) return false;
  const parsed = JSON.parse(raw) as BridgeEndpoints;
  return parsed[validator]?.[side] !== undefined;
}

async function gethPath(): Promise<string> {
  return process.env.CONSORTIUM_GETH ?? (await ensureTools({ build: false, log: () => {} })).geth;
}

