// Declares the token bridge of a stack: the foreign chain (a local geth --dev in dev stacks), a key per bridge
// validator, the contracts on both chains and the agents.
import * as pulumi from "@pulumi/pulumi";
import { computeAddress } from "ethers";
import { join } from "node:path";
import { BridgeAddresses, TokenBridge } from "../components/bridge/TokenBridge";
import { DevFunding } from "../components/bridge/resources";
import { LocalNodeProcess, PortBlock } from "../components/fleet/local/resources";
import { GeneratedKey } from "../components/keys/GeneratedKey";
import { GETH_DEV_CHAIN_ID, renderGethDevChain } from "../render/geth/devChain";
import { ensureTools } from "../scripts/toolchain/resolve";
import { cacheRoot } from "../scripts/toolchain/versions";
import { ConsortiumSpec } from "../spec/consortium";
import { NAMESPACE } from "./config";

/** RLC has 9 decimals; a configured foreign token with other decimals is declared in `bridge.token`. */
const RLC_DECIMALS = 9;
const ETHER = 10n ** 18n;
/** Gas money for each dev validator on each chain. */
const DEV_VALIDATOR_FUNDING = 100n * ETHER;
/** Ports of the bridge's block: the foreign dev chain's, then one health port per agent. */
const FOREIGN_HTTP_OFFSET = 1;
const AGENT_HEALTH_OFFSET = 10;

export interface BridgeInputs {
  spec: ConsortiumSpec;
  /** The fleet's JSON-RPC endpoint (home chain). */
  homeRpcUrl: pulumi.Output<string>;
  /** Absolute directory of the stack's local processes (local target). */
  workDir?: string;
  /** Dev stacks: the prefunded dev account, which deploys, holds the foreign dev RLC and is whitelisted. */
  devAccount?: { address: pulumi.Output<string>; privateKey: pulumi.Output<string> };
}

export interface DeclaredBridge {
  foreignRpcUrl: pulumi.Output<string>;
  bridge: pulumi.Output<BridgeAddresses & { agents: Record<string, string> }>;
}

export async function declareBridge({ spec, homeRpcUrl, workDir, devAccount }: BridgeInputs): Promise<DeclaredBridge | undefined> {
  const bridge = spec.bridge;
  if (!bridge) return undefined;
  if (spec.fleet.target !== "local" || !workDir) {
    throw new pulumi.RunError(
      `consortium:bridge: bridge agents run as local processes for now, but fleet.target is "${spec.fleet.target}". Fix: remove the bridge settings from this stack, or use fleet.target local.`,
    );
  }
  const stack = pulumi.getStack();
  const block = new PortBlock("bridge-ports", { owner: `${pulumi.getProject()}/${stack}/bridge@${workDir}`, registryRoot: cacheRoot(), holderDir: workDir });

  let foreign: { rpcUrl: pulumi.Output<string>; chainId: number; token?: string };
  const deployer = devAccount ?? { address: undefined, privateKey: new pulumi.Config(NAMESPACE).requireSecret("bridgeDeployerKey") };
  if (bridge.foreign.rpcUrl) {
    foreign = { rpcUrl: pulumi.output(bridge.foreign.rpcUrl), chainId: bridge.foreign.chainId!, token: bridge.foreign.token! };
  } else {
    foreign = { rpcUrl: foreignDevChain(block, workDir, await gethPath()), chainId: GETH_DEV_CHAIN_ID };
  }
  const deployerAddress = devAccount?.address ?? deployer.privateKey.apply((k) => computeAddress(k));

  // The deployer pays gas on the foreign dev chain from geth's developer account.
  const deployerGas = devAccount && !bridge.foreign.rpcUrl
    ? [new DevFunding("bridge-deployer-foreign-gas", { rpcUrl: foreign.rpcUrl, chainId: foreign.chainId, to: devAccount.address, minimumWei: (1000n * ETHER).toString() })]
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
      deployerAddress,
      tokenDecimals: RLC_DECIMALS,
      whitelist: devAccount ? devAccount.address.apply((a) => [...new Set([...bridge.whitelist, a])]) : bridge.whitelist,
      validators,
      agents: {
        target: "local",
        node: process.execPath,
        agentMain: join(__dirname, "..", "agent", "main.js"),
        workDir,
        healthPorts: block.base.apply((base) => bridge.validators.map((_, i) => base + AGENT_HEALTH_OFFSET + i)),
      },
      ...(devAccount ? { devFunding: { homeFunderKey: devAccount.privateKey, amountWei: DEV_VALIDATOR_FUNDING } } : {}),
    },
    { dependsOn: deployerGas },
  );
  return {
    foreignRpcUrl: foreign.rpcUrl,
    bridge: pulumi.all([tokenBridge.addresses, tokenBridge.agentHealth]).apply(([addresses, agents]) => ({ ...addresses, agents })),
  };
}

/** The dev stack's foreign chain: geth --dev on the bridge's port block, its data under the stack's work dir. */
function foreignDevChain(block: PortBlock, workDir: string, geth: string): pulumi.Output<string> {
  const run = block.base.apply((base) => renderGethDevChain({ name: "foreign", geth, httpPort: base + FOREIGN_HTTP_OFFSET, periodSeconds: 1 }));
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

