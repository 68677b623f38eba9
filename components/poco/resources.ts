import * as pulumi from "@pulumi/pulumi";
import type { ContractInputs, DeploymentInputs } from "../../lib/poco/resources";
import type { ContractName } from "../../lib/poco/plan";
import type { PocoObservation } from "../../lib/poco/observe";
import { contractProviderRef, deploymentProviderRef } from "./providers";
import { ProjectResource } from "../projectResource";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

// Each class owns its secrets: the deployer key is wrapped as a secret whatever the caller passed, and so is the RPC URL
// (it may carry an API key; the bridge's contracts keep the same URL secret). The providers never return the key; it
// is listed as a secret output all the same, so that it stays encrypted should it ever be echoed.
const secretOutputs = (opts: pulumi.CustomResourceOptions | undefined, secrets: string[]): pulumi.CustomResourceOptions => ({
  ...opts,
  additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secrets],
});

/**
 * Type of the resource that held the setup alone, before the contracts were deployed in one burst with it: a
 * PocoDeployment takes over its state (the same contracts) through an alias.
 */
export const POCO_SETUP_TYPE = "pulumi-nodejs:dynamic/poco:PocoSetup";

/**
 * The whole PoCo deployment: its contracts, the Diamond's facets, the registries, configuration, categories and
 * ownership (lib/poco/deployment.ts).
 */
export class PocoDeployment extends ProjectResource {
  declare readonly contracts: pulumi.Output<Record<ContractName, string>>;
  declare readonly observed: pulumi.Output<PocoObservation>;
  declare readonly problems: pulumi.Output<string[]>;
  constructor(name: string, args: Inputs<DeploymentInputs>, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...args, deployerKey: pulumi.secret(args.deployerKey), rpcUrl: pulumi.secret(args.rpcUrl) };
    const outputs = { contracts: undefined, missing: undefined, observed: undefined, problems: undefined };
    super(deploymentProviderRef, name, { ...inputs, ...outputs }, secretOutputs(opts, ["deployerKey", "rpcUrl"]), "poco", "PocoDeployment");
  }
}

/** One contract of the deployment, as it is on chain (its address and code fingerprint): what a refresh checks. */
export class PocoContract extends ProjectResource {
  declare readonly address: pulumi.Output<string>;
  declare readonly codeHash: pulumi.Output<string>;
  constructor(name: string, args: Inputs<ContractInputs>, opts?: pulumi.CustomResourceOptions) {
    super(contractProviderRef, name, { ...args, rpcUrl: pulumi.secret(args.rpcUrl), codeHash: undefined }, secretOutputs(opts, ["rpcUrl"]), "poco", "PocoContract");
  }
}
