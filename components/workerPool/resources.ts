// The custom resources of a worker pool (dynamic providers in ./providers.ts).
import * as pulumi from "@pulumi/pulumi";
import type { HostContainer, HostFile } from "../../render/workerPool/hostPlan";
import type { KataArtifact, SshTargetSpec } from "../../settings/workerPool";
import type { SshConnection } from "../../lib/workerPool/ssh";
import { registrationProvider, sshHostProvider } from "./providers";

export interface SshWorkerHostArgs {
  pool: pulumi.Input<string>;
  connection: pulumi.Input<SshConnection>;
  daemonJsonPath: pulumi.Input<string>;
  restartCommand: pulumi.Input<string>;
  kataArtifact: pulumi.Input<KataArtifact>;
  target: pulumi.Input<Pick<SshTargetSpec, "minDockerVersion" | "kataRuntime" | "vhostModules">>;
  networks: pulumi.Input<string[]>;
  containers: pulumi.Input<HostContainer[]>;
  /** Secret: wallet and password files (only their digests reach the outputs). */
  files: pulumi.Input<HostFile[]>;
}

/** One bare-metal host of a pool: checked, Kata installed, daemon.json merged, wallets written, containers running. */
export class SshWorkerHost extends pulumi.dynamic.Resource {
  declare readonly daemonJsonDigest: pulumi.Output<string>;
  declare readonly observed: pulumi.Output<unknown>;

  constructor(name: string, args: SshWorkerHostArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { daemonJsonDigest: undefined, observed: undefined, fileDigests: undefined, kataSha256: undefined };
    super(sshHostProvider, name, { ...args, files: pulumi.secret(args.files), ...outputs }, { ...opts, additionalSecretOutputs: ["files"] }, "workerpool", "SshWorkerHost");
  }
}

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
export class WorkerpoolRegistration extends pulumi.dynamic.Resource {
  declare readonly address: pulumi.Output<string>;
  declare readonly ownerOnChain: pulumi.Output<string>;

  constructor(name: string, args: WorkerpoolRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { address: undefined, registered: undefined, ownerOnChain: undefined };
    super(registrationProvider, name, { ...args, deployerKey: pulumi.secret(args.deployerKey), ...outputs }, { ...opts, additionalSecretOutputs: ["deployerKey"] }, "workerpool", "WorkerpoolRegistration");
  }
}
