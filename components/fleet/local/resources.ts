import * as pulumi from "@pulumi/pulumi";
import type { LocalProcessInputs } from "../../../lib/localProcess";
import { PortBlockInputs, portBlockProvider } from "./portBlockProvider";
import { localProcessProvider } from "./processProvider";

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** A block of loopback ports reserved for one stack's local fleet. */
export class PortBlock extends pulumi.dynamic.Resource {
  declare readonly base: pulumi.Output<number>;
  constructor(name: string, args: Inputs<PortBlockInputs>, opts?: pulumi.CustomResourceOptions) {
    super(portBlockProvider, name, { ...args, base: undefined, size: undefined }, opts, "fleet", "PortBlock");
  }
}

/** One node running as a local process; `secretFiles` must be a secret Output. */
export class LocalNodeProcess extends pulumi.dynamic.Resource {
  declare readonly pid: pulumi.Output<number>;
  declare readonly running: pulumi.Output<boolean>;
  declare readonly rpcUrl: pulumi.Output<string>;
  constructor(name: string, args: Inputs<LocalProcessInputs>, opts?: pulumi.CustomResourceOptions) {
    super(localProcessProvider, name, { ...args, pid: undefined, running: undefined, digests: undefined }, { ...opts, deleteBeforeReplace: true }, "fleet", "LocalNodeProcess");
  }
}
