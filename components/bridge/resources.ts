// The bridge's dynamic resources. Each class owns its secrets: the keys it is given are wrapped as secrets and the
// RPC URL (which may carry an API key) is a secret output, whatever the caller passed.
import * as pulumi from "@pulumi/pulumi";
import type { BridgeContractAddresses, BridgeDeploymentInputs, DeployedKey } from "../../lib/bridge/deployment";
import type { BridgeContractInputs, RoleHolders, Settings } from "../../lib/bridge/onchain";
import type { FundingInputs } from "../../lib/funding";
import { bridgeContractProviderRef } from "./contractProvider";
import { bridgeDeploymentProviderRef } from "./deploymentProvider";
import { fundingProviderRef } from "./fundingProvider";
import { ProjectResource } from "../projectResource";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

const secretOutputs = (opts: pulumi.CustomResourceOptions | undefined, secrets = ["rpcUrl"]): pulumi.CustomResourceOptions => ({
  ...opts,
  additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets],
});

/**
 * Type of the resource that bound the vault alone, before the contracts were deployed in one burst with it: a
 * BridgeDeployment takes over its state (the vault and the gateway) through an alias.
 */
export const VAULT_BINDING_TYPE = "pulumi-nodejs:dynamic/bridge:VaultBinding";

/** Every bridge contract on both chains, and the vault bound to its gateway (lib/bridge/deployment.ts). */
export class BridgeDeployment extends ProjectResource {
  declare readonly contracts: pulumi.Output<BridgeContractAddresses>;
  declare readonly deployBlocks: pulumi.Output<Partial<Record<DeployedKey, number>>>;
  constructor(name: string, args: Inputs<BridgeDeploymentInputs>, opts?: pulumi.CustomResourceOptions) {
    const secrets = { deployerKey: pulumi.secret(args.deployerKey), foreignRpcUrl: pulumi.secret(args.foreignRpcUrl), homeRpcUrl: pulumi.secret(args.homeRpcUrl) };
    const outputs = { contracts: undefined, deployBlocks: undefined, boundGateway: undefined, missing: undefined };
    super(bridgeDeploymentProviderRef, name, { ...args, ...secrets, ...outputs }, secretOutputs(opts, ["foreignRpcUrl", "homeRpcUrl"]), "bridge", "BridgeDeployment");
  }
}

/** One bridge contract, as BridgeDeployment created it: its settings and role holders, kept as configured. */
export class BridgeContract extends ProjectResource {
  declare readonly address: pulumi.Output<string>;
  declare readonly deployBlock: pulumi.Output<number>;
  declare readonly codeHash: pulumi.Output<string>;
  declare readonly createdToken: pulumi.Output<string | undefined>;
  declare readonly settings: pulumi.Output<Settings>;
  declare readonly roles: pulumi.Output<RoleHolders | undefined>;
  /** Observed (vault, gateway): refresh reports an operator's pause; `up` never changes it. */
  declare readonly paused: pulumi.Output<boolean | undefined>;
  constructor(name: string, args: Inputs<BridgeContractInputs>, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...args, deployerKey: pulumi.secret(args.deployerKey), rpcUrl: pulumi.secret(args.rpcUrl) };
    const outputs = { codeHash: undefined, createdToken: undefined, paused: undefined, whitelistBlock: undefined };
    super(bridgeContractProviderRef, name, { ...inputs, ...outputs }, secretOutputs(opts), "bridge", "BridgeContract");
  }
}

/** Gas for a dev account, from `funderKey` or the chain's geth --dev developer account. */
export class DevFunding extends ProjectResource {
  constructor(name: string, args: Inputs<FundingInputs>, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...args, rpcUrl: pulumi.secret(args.rpcUrl), ...(args.funderKey === undefined ? {} : { funderKey: pulumi.secret(args.funderKey) }) };
    super(fundingProviderRef, name, inputs, secretOutputs(opts), "bridge", "DevFunding");
  }
}
