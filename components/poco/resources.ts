import * as pulumi from "@pulumi/pulumi";
import type { ContractInputs, SetupInputs } from "../../lib/poco/resources";
import type { PocoObservation } from "../../lib/poco/observe";
import { contractProvider, setupProvider } from "./providers";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

// The deployer key is a secret input and never an output; listing it keeps it encrypted should it ever be echoed.
const SECRET_OUTPUTS = ["deployerKey"];

/** One PoCo contract created from the npm artifacts; `deployerKey` must be a secret. */
export class PocoContract extends pulumi.dynamic.Resource {
  declare readonly address: pulumi.Output<string>;
  declare readonly codeHash: pulumi.Output<string>;
  constructor(name: string, args: Inputs<ContractInputs>, opts?: pulumi.CustomResourceOptions) {
    super(contractProvider, name, { ...args, address: undefined, codeHash: undefined }, { ...opts, additionalSecretOutputs: SECRET_OUTPUTS }, "poco", "PocoContract");
  }
}

/** The Diamond's facets, registries, configuration, categories and ownership; `deployerKey` must be a secret. */
export class PocoSetup extends pulumi.dynamic.Resource {
  declare readonly observed: pulumi.Output<PocoObservation>;
  declare readonly problems: pulumi.Output<string[]>;
  constructor(name: string, args: Inputs<SetupInputs>, opts?: pulumi.CustomResourceOptions) {
    super(setupProvider, name, { ...args, observed: undefined, problems: undefined }, { ...opts, additionalSecretOutputs: SECRET_OUTPUTS }, "poco", "PocoSetup");
  }
}
