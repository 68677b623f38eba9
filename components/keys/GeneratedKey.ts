import * as pulumi from "@pulumi/pulumi";
import type { KeyKind } from "../../lib/keygen";
import { keyProvider } from "./keyProvider";

export interface GeneratedKeyArgs {
  /** What the key is for; see lib/keygen.ts. */
  kind: KeyKind;
  /** scrypt cost N of a signer keystore. */
  scryptN?: pulumi.Input<number>;
}

/** One secp256k1 key generated inside the stack; secret parts are Pulumi secrets. */
export class GeneratedKey extends pulumi.dynamic.Resource {
  declare readonly address: pulumi.Output<string | undefined>;
  declare readonly publicKey: pulumi.Output<string | undefined>;
  declare readonly keystore: pulumi.Output<string | undefined>;
  declare readonly password: pulumi.Output<string | undefined>;
  declare readonly privateKey: pulumi.Output<string | undefined>;

  constructor(name: string, args: GeneratedKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { address: undefined, publicKey: undefined, keystore: undefined, password: undefined, privateKey: undefined };
    super(keyProvider, name, { ...args, ...outputs }, { ...opts, additionalSecretOutputs: ["password", "privateKey"] }, "keys", "GeneratedKey");
  }
}
