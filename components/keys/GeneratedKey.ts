// Keys generated inside the stack (lib/keygen.ts), one class per kind so each declares exactly the outputs its kind
// has, typed: a signer key's keystore and password, a node key's public and private parts, an account's address and
// private key. All three are the same dynamic resource type (`keys:GeneratedKey`); secret parts are Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";
import type { KeyKind } from "../../lib/keygen";
import { keyProviderRef } from "./keyProvider";
import { ProjectResource } from "../projectResource";

/** Every output the provider can give, each only for its kinds (lib/keygen.ts KeyOutputs). */
const OUTPUTS = { address: undefined, publicKey: undefined, keystore: undefined, password: undefined, privateKey: undefined, token: undefined };

abstract class GeneratedKey extends ProjectResource {
  constructor(name: string, kind: KeyKind, args: { scryptN?: pulumi.Input<number> }, opts?: pulumi.CustomResourceOptions) {
    super(keyProviderRef, name, { kind, ...args, ...OUTPUTS }, { ...opts, additionalSecretOutputs: ["password", "privateKey", "token"] }, "keys", "GeneratedKey");
  }
}

/** A signer (validator, worker, scheduler) key: an encrypted v3 keystore and its random password. */
export class SignerKey extends GeneratedKey {
  /** Checksummed address. */
  declare readonly address: pulumi.Output<string>;
  /** Encrypted v3 keystore (JSON text). */
  declare readonly keystore: pulumi.Output<string>;
  /** Secret: the keystore password. */
  declare readonly password: pulumi.Output<string>;
  constructor(name: string, args: { scryptN?: pulumi.Input<number> } = {}, opts?: pulumi.CustomResourceOptions) {
    super(name, "signer", args, opts);
  }
}

/** A devp2p node key. */
export class NodeKey extends GeneratedKey {
  /** The enode id: 64 bytes hex, no 0x. */
  declare readonly publicKey: pulumi.Output<string>;
  /** Secret: the private key (0x hex). */
  declare readonly privateKey: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super(name, "node", {}, opts);
  }
}

/** An account whose private key the stack uses itself (the dev account). */
export class AccountKey extends GeneratedKey {
  declare readonly address: pulumi.Output<string>;
  /** Secret: the private key (0x hex). */
  declare readonly privateKey: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super(name, "account", {}, opts);
  }
}

/** A bearer token the stack presents itself (to its policy gateways, when reads need a key). */
export class ApiKey extends GeneratedKey {
  /** Secret: 256 bits, base64url. */
  declare readonly token: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.CustomResourceOptions) {
    super(name, "apiKey", {}, opts);
  }
}
