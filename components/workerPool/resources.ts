// The custom resource of a worker pool (its dynamic provider in ./providers.ts); its hosts' resources are the
// SSH-hosts target's (components/targets/sshHosts/).
import * as pulumi from "@pulumi/pulumi";
import { registrationProviderRef } from "./providers";
import { ProjectResource } from "../projectResource";

export interface WorkerpoolRegistrationArgs {
  /** JSON-RPC URL the deploying machine sends the transaction to. */
  rpcUrl: pulumi.Input<string>;
  chainId: pulumi.Input<number>;
  /** WorkerpoolRegistry address (PoCo deployment output). */
  registry: pulumi.Input<string>;
  description: pulumi.Input<string>;
  /** The scheduler key's address: the workerpool's owner. */
  owner: pulumi.Input<string>;
  /** Secret: the contract deployer's key, which sends the (permissionless) registration. */
  deployerKey: pulumi.Input<string>;
}

/** The workerpool on chain, owned by the scheduler key, registered by the contract deployer. */
export class WorkerpoolRegistration extends ProjectResource {
  declare readonly address: pulumi.Output<string>;
  declare readonly ownerOnChain: pulumi.Output<string>;

  constructor(name: string, args: WorkerpoolRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { address: undefined, registered: undefined, ownerOnChain: undefined };
    super(registrationProviderRef, name, { ...args, deployerKey: pulumi.secret(args.deployerKey), ...outputs }, { ...opts, additionalSecretOutputs: ["deployerKey"] }, "workerpool", "WorkerpoolRegistration");
  }
}
