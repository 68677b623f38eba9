import * as pulumi from "@pulumi/pulumi";
import type { ContractInputs, SetupInputs } from "../../lib/poco/resources";
import type { PocoObservation } from "../../lib/poco/observe";
import { contractProvider, setupProvider } from "./providers";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

// Each class owns its secrets: the deployer key is wrapped as a secret whatever the caller passed, and so is the RPC URL
// (it may carry an API key; the bridge's contracts keep the same URL secret). The providers never return the key; it
// is listed as a secret output all the same, so that it stays encrypted should it ever be echoed.
const SECRET_OUTPUTS = ["deployerKey", "rpcUrl"];

const secretInputs = <T extends { deployerKey: pulumi.Input<string>; rpcUrl: pulumi.Input<string> }>(args: T): T => ({
  ...args,
  deployerKey: pulumi.secret(args.deployerKey),
  rpcUrl: pulumi.secret(args.rpcUrl),
});
const secretOutputs = (opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions => ({
  ...opts,
  additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS],
});

/** One PoCo contract created from the npm artifacts. */
export class PocoContract extends pulumi.dynamic.Resource {
  declare readonly address: pulumi.Output<string>;
  declare readonly codeHash: pulumi.Output<string>;
  constructor(name: string, args: Inputs<ContractInputs>, opts?: pulumi.CustomResourceOptions) {
    super(contractProvider, name, { ...secretInputs(args), address: undefined, codeHash: undefined }, secretOutputs(opts), "poco", "PocoContract");
  }
}

/** The Diamond's facets, registries, configuration, categories and ownership. */
export class PocoSetup extends pulumi.dynamic.Resource {
  declare readonly observed: pulumi.Output<PocoObservation>;
  declare readonly problems: pulumi.Output<string[]>;
  constructor(name: string, args: Inputs<SetupInputs>, opts?: pulumi.CustomResourceOptions) {
    super(setupProvider, name, { ...secretInputs(args), observed: undefined, problems: undefined }, secretOutputs(opts), "poco", "PocoSetup");
  }
}
