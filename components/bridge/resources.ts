import * as pulumi from "@pulumi/pulumi";
import type { BridgeContractInputs, RoleHolders, Settings } from "../../lib/bridge/onchain";
import type { FundingInputs } from "../../lib/funding";
import { bridgeContractProvider } from "./contractProvider";
import { fundingProvider } from "./fundingProvider";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** One deployed bridge contract; `deployerKey` must be a secret Output. */
export class BridgeContract extends pulumi.dynamic.Resource {
  declare readonly address: pulumi.Output<string>;
  declare readonly deployBlock: pulumi.Output<number>;
  declare readonly codeHash: pulumi.Output<string>;
  declare readonly createdToken: pulumi.Output<string | undefined>;
  declare readonly settings: pulumi.Output<Settings>;
  declare readonly roles: pulumi.Output<RoleHolders | undefined>;
  constructor(name: string, args: Inputs<BridgeContractInputs>, opts?: pulumi.CustomResourceOptions) {
    super(bridgeContractProvider, name, { ...args, address: undefined, deployBlock: undefined, codeHash: undefined, createdToken: undefined }, opts, "bridge", "BridgeContract");
  }
}

/** Gas for a dev account; `funderKey`, when given, must be a secret Output. */
export class DevFunding extends pulumi.dynamic.Resource {
  constructor(name: string, args: Inputs<FundingInputs>, opts?: pulumi.CustomResourceOptions) {
    super(fundingProvider, name, args, opts, "bridge", "DevFunding");
  }
}
