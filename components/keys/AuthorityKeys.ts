import * as pulumi from "@pulumi/pulumi";
import { MIN_SCRYPT_N } from "../../settings/parse";
import { NodeKey, SignerKey } from "./GeneratedKey";

export interface AuthorityKeysArgs {
  /** scrypt cost N of the signer keystore: a power of two, at least 2^17 unless `dev`. */
  scryptN: pulumi.Input<number>;
  /** Dev stacks may use cheaper keystores. */
  dev?: boolean;
}

/**
 * The keys of one authority that the stack generates: a signer key (encrypted keystore + random password) and a
 * separate devp2p node key. Both are protected: `pulumi destroy` keeps them unless they are unprotected first.
 */
export class AuthorityKeys extends pulumi.ComponentResource {
  /** Signer address (checksummed). */
  readonly address: pulumi.Output<string>;
  /** Web3 Secret Storage v3 keystore, JSON text (encrypted with `password`). */
  readonly keystore: pulumi.Output<string>;
  /** Secret: keystore password. */
  readonly password: pulumi.Output<string>;
  /** Secret: devp2p node private key (hex). */
  readonly nodeKey: pulumi.Output<string>;
  /** devp2p node public key: the enode id (128 hex digits). */
  readonly nodePublicKey: pulumi.Output<string>;

  constructor(name: string, args: AuthorityKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("consortium:keys:AuthorityKeys", name, {}, opts);
    if (typeof args.scryptN === "number" && !args.dev && args.scryptN < MIN_SCRYPT_N) {
      throw new pulumi.ResourceError(`AuthorityKeys ${name}: scryptN ${args.scryptN} is below ${MIN_SCRYPT_N}; raise it (default 2^18)`, this);
    }
    const child = { parent: this, protect: true };
    const signer = new SignerKey(`${name}-signer`, { scryptN: args.scryptN }, child);
    const node = new NodeKey(`${name}-node`, child);
    this.address = signer.address;
    this.keystore = signer.keystore;
    this.password = pulumi.secret(signer.password);
    this.nodeKey = pulumi.secret(node.privateKey);
    this.nodePublicKey = node.publicKey;
    this.registerOutputs({ address: this.address, nodePublicKey: this.nodePublicKey });
  }
}
