// The bridge's dynamic resources. Each class owns its secrets: the keys it is given are wrapped as secrets and the
// RPC URL (which may carry an API key) is a secret output, whatever the caller passed.
import * as pulumi from "@pulumi/pulumi";
import type { VaultBindingInputs } from "../../lib/bridge/binding";
import type { BridgeContractInputs, RoleHolders, Settings } from "../../lib/bridge/onchain";
import type { FundingInputs } from "../../lib/funding";
import { vaultBindingProvider } from "./bindingProvider";
import { bridgeContractProvider } from "./contractProvider";
import { fundingProvider } from "./fundingProvider";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

const secretOutputs = (opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions => ({
  ...opts,
  additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "rpcUrl"],
});

/** One deployed bridge contract. */
export class BridgeContract extends pulumi.dynamic.Resource {
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
    const outputs = { address: undefined, deployBlock: undefined, codeHash: undefined, createdToken: undefined, paused: undefined, whitelistBlock: undefined };
    super(bridgeContractProvider, name, { ...inputs, ...outputs }, secretOutputs(opts), "bridge", "BridgeContract");
  }
}

/** The vault's one-time binding to its gateway, by the vault's binder (the deployer). */
export class VaultBinding extends pulumi.dynamic.Resource {
  declare readonly boundGateway: pulumi.Output<string>;
  constructor(name: string, args: Inputs<VaultBindingInputs>, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...args, deployerKey: pulumi.secret(args.deployerKey), rpcUrl: pulumi.secret(args.rpcUrl) };
    super(vaultBindingProvider, name, { ...inputs, boundGateway: undefined }, secretOutputs(opts), "bridge", "VaultBinding");
  }
}

/** Gas for a dev account, from `funderKey` or the chain's geth --dev developer account. */
export class DevFunding extends pulumi.dynamic.Resource {
  constructor(name: string, args: Inputs<FundingInputs>, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...args, rpcUrl: pulumi.secret(args.rpcUrl), ...(args.funderKey === undefined ? {} : { funderKey: pulumi.secret(args.funderKey) }) };
    super(fundingProvider, name, inputs, secretOutputs(opts), "bridge", "DevFunding");
  }
}
