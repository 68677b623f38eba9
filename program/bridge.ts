// Declares the token bridge of a stack: the foreign chain (a local geth --dev in dev stacks on the local target), a
// key per bridge validator, the contracts on both chains and the agents on the fleet's target.
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import type { AgentTarget } from "../components/bridge/agents";
import { BridgeAddresses, TokenBridge } from "../components/bridge/TokenBridge";
import { DevFunding } from "../components/bridge/resources";
import { LocalNodeProcess, PortBlock } from "../components/fleet/local/resources";
import { GeneratedKey } from "../components/keys/GeneratedKey";
import { GETH_DEV_CHAIN_ID, renderGethDevChain } from "../render/geth/devChain";
import { ensureTools } from "../scripts/toolchain/resolve";
import { cacheRoot } from "../scripts/toolchain/versions";
import type { BridgeSpec } from "../spec/bridge";
import { ConsortiumSpec } from "../spec/consortium";
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
  /** The fleet's JSON-RPC endpoint (home chain); on kubernetes, the in-cluster Service the agents dial. */
  homeRpcUrl: pulumi.Output<string>;
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

export async function declareBridge({ spec, homeRpcUrl, workDir, deployer, dev, fleet }: BridgeInputs): Promise<DeclaredBridge | undefined> {
  const bridge = spec.bridge;
  if (!bridge) return undefined;
  checkTarget(spec, bridge, workDir);
  // Only the local target has a work dir and a port block; checkTarget leaves the dev foreign chain to it.
  const block = workDir ? portBlock(workDir) : undefined;

  const foreign: { rpcUrl: pulumi.Output<string>; chainId: number; token?: string } = bridge.foreign.rpcUrl
    ? { rpcUrl: pulumi.output(bridge.foreign.rpcUrl), chainId: bridge.foreign.chainId!, token: bridge.foreign.token! }
    : { rpcUrl: foreignDevChain(block!, workDir!, await gethPath()), chainId: GETH_DEV_CHAIN_ID };

  // The deployer pays gas on the foreign dev chain from geth's developer account.
  const deployerGas = dev && !bridge.foreign.rpcUrl
    ? [new DevFunding("bridge-deployer-foreign-gas", { rpcUrl: foreign.rpcUrl, chainId: foreign.chainId, to: deployer.address, minimumWei: (1000n * ETHER).toString() })]
    : [];

  const validators = bridge.validators.map((name) => {
    // Protected like the authority keys: the contracts trust these addresses.
    const key = new GeneratedKey(`${name}-bridge-validator`, { kind: "signer", scryptN: spec.keys.scryptN }, { protect: true });
    return { name, address: key.address.apply((a) => a!), keystore: key.keystore.apply((k) => k!), password: pulumi.secret(key.password.apply((p) => p!)) };
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
      agents: agentTarget(spec, homeRpcUrl, block, workDir),
      ...(dev ? { devFunding: { homeFunderKey: deployer.privateKey, amountWei: DEV_VALIDATOR_FUNDING } } : {}),
    },
    { dependsOn: [fleet, ...deployerGas] },
  );
  return {
    foreignRpcUrl: foreign.rpcUrl,
    bridge: pulumi.all([tokenBridge.addresses, tokenBridge.agentHealth]).apply(([addresses, agents]) => ({ ...addresses, agents })),
  };
}

/**
 * What the fleet's target rules out, before any resource exists. Only the local target runs the dev foreign chain
 * (a local process), and on Kubernetes the deployer cannot count on reaching the fleet's in-cluster RPC name.
 */
function checkTarget(spec: ConsortiumSpec, bridge: BridgeSpec, workDir: string | undefined): void {
  const target = spec.fleet.target;
  const fail = (field: string, problem: string, fix: string) => {
    throw new pulumi.RunError(`consortium:${field} ${problem}. Fix: ${fix}.`);
  };
  if (target === "local") {
    if (!workDir) throw new Error("declareBridge: the local target needs the fleet's workDir");
    return;
  }
  if (!bridge.foreign.rpcUrl) {
    fail("bridge.foreign.rpcUrl", `is missing: the dev foreign chain runs as a local process, which agents on the ${target} target cannot reach`, "give an Ethereum JSON-RPC endpoint the agents reach, with bridge.foreign.chainId and bridge.foreign.token");
  }
  if (target === "kubernetes" && !bridge.home.rpcUrl) {
    fail(
      "bridge.home.rpcUrl",
      "is missing: on the kubernetes target the fleet's RPC endpoint is an in-cluster Service name (<node>.<namespace>.svc.cluster.local), which the agents use but `pulumi up` may not reach",
      `set bridge.home.rpcUrl to an address of the fleet's RPC node that the deployer reaches (an Ingress or LoadBalancer; or \`kubectl -n ${spec.fleet.namespace} port-forward svc/${spec.fleet.rpcNode ? "rpc" : "<first authority>"} 8545\` and http://127.0.0.1:8545)`,
    );
  }
}

/** The local target's ports: the foreign dev chain's, then one health port per agent. */
function portBlock(workDir: string): PortBlock {
  return new PortBlock("bridge-ports", { owner: `${pulumi.getProject()}/${pulumi.getStack()}/bridge@${workDir}`, registryRoot: cacheRoot(), holderDir: workDir });
}

/** Where the agents run: beside the fleet's nodes. */
function agentTarget(spec: ConsortiumSpec, homeRpcUrl: pulumi.Output<string>, block: PortBlock | undefined, workDir: string | undefined): AgentTarget {
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
      return { target: "kubernetes", consortium: spec, homeRpcUrl };
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

async function gethPath(): Promise<string> {
  return process.env.CONSORTIUM_GETH ?? (await ensureTools({ build: false, log: () => {} })).geth;
}

