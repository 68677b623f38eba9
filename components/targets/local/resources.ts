import * as pulumi from "@pulumi/pulumi";
import type { LocalProcessInputs } from "../../../lib/localProcess";
import { PortBlockInputs, portBlockProviderRef } from "./portBlockProvider";
import { localProcessProviderRef } from "./processProvider";
import { ProjectResource } from "../../projectResource";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** A block of loopback ports reserved for one stack's local fleet. */
export class PortBlock extends ProjectResource {
  declare readonly base: pulumi.Output<number>;
  constructor(name: string, args: Inputs<PortBlockInputs>, opts?: pulumi.CustomResourceOptions) {
    super(portBlockProviderRef, name, { ...args, base: undefined, size: undefined }, opts, "fleet", "PortBlock");
  }
}

/**
 * One node running as a local process. It owns its secrets: `secretFiles` (keys, passwords, endpoints) is wrapped as a
 * secret whatever the caller passed, and listed as a secret output should a provider ever echo it (lib/localProcess.ts
 * keeps only digests).
 */
export class LocalNodeProcess extends ProjectResource {
  declare readonly pid: pulumi.Output<number>;
  declare readonly running: pulumi.Output<boolean>;
  declare readonly rpcUrl: pulumi.Output<string>;
  constructor(name: string, args: Inputs<LocalProcessInputs>, opts?: pulumi.CustomResourceOptions) {
    const inputs = { ...args, secretFiles: pulumi.secret(args.secretFiles) };
    const options = { ...opts, deleteBeforeReplace: true, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "secretFiles"] };
    super(localProcessProviderRef, name, { ...inputs, pid: undefined, running: undefined, digests: undefined }, options, "fleet", "LocalNodeProcess");
  }
}
