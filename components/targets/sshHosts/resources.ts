// The custom resources of the SSH-hosts target (dynamic providers in ./providers.ts).
import * as pulumi from "@pulumi/pulumi";
import type { ContainerInputs } from "../../../lib/sshHosts/container";
import type { HostInputs } from "../../../lib/sshHosts/setup";
import { containerProviderRef, hostSetupProviderRef } from "./providers";
import { ProjectResource } from "../../projectResource";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** One bare-metal host made ready for Kata task containers: checked, Kata installed, daemon.json merged. */
export class SshHostSetup extends ProjectResource {
  declare readonly daemonJsonDigest: pulumi.Output<string>;
  declare readonly observed: pulumi.Output<unknown>;

  constructor(name: string, args: Inputs<HostInputs>, opts?: pulumi.CustomResourceOptions) {
    super(hostSetupProviderRef, name, { ...args, daemonJsonDigest: undefined, observed: undefined, kataSha256: undefined }, opts, "target", "SshHostSetup");
  }
}

/**
 * One workload's container on its host. It owns its secrets: `files` (wallets, passwords) is wrapped as a secret
 * whatever the caller passed, and listed as a secret output (lib/sshHosts/container.ts keeps only digests).
 */
export class SshHostContainer extends ProjectResource {
  declare readonly observed: pulumi.Output<unknown>;

  constructor(name: string, args: Inputs<ContainerInputs>, opts?: pulumi.CustomResourceOptions) {
    const options = { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "files"] };
    super(containerProviderRef, name, { ...args, files: pulumi.secret(args.files), fileDigests: undefined, observed: undefined }, options, "target", "SshHostContainer");
  }
}
