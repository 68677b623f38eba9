// The AuRa permission policy on chain, after the genesis (onChainPolicyProvider.ts): `pulumi up` passes when the
// transaction permission contract holds what consortium:permissions says, and otherwise stops with the transactions
// the contract's owner must send; it never sends them itself (only the owner may change the consortium's policy).
import * as pulumi from "@pulumi/pulumi";
import { getAddress, isAddress } from "ethers";
import type { ObservedPolicy } from "../../lib/permissions/onChainPolicy";
import { onChainPolicyProviderRef } from "./onChainPolicyProvider";
import { ProjectResource } from "../projectResource";

export interface OnChainPolicyArgs {
  /** The chain's JSON-RPC endpoint. Give it as a secret when it carries an API key: it then stays one in the state. */
  rpcUrl: pulumi.Input<string>;
  /** The transaction permission contract (TX_PERMISSION_ADDRESS of render/permissions/txPermission.ts). */
  contract: pulumi.Input<string>;
  /** permissions.transact (on AuRa it lists the stack's own accounts itself: program/permissions.ts genesisPolicy). */
  transact: pulumi.Input<"open" | string[]>;
  /** permissions.deploy. */
  deploy: pulumi.Input<"open" | string[]>;
  /** permissions.owner: who the contract's owner must be. */
  owner: pulumi.Input<string>;
  /**
   * The accounts the genesis lists (listedAccounts of the policy the chain began with, program/permissions.ts
   * genesisPolicy): a genesis account has no event, so without this one the settings stopped listing goes unseen.
   */
  genesisAccounts?: pulumi.Input<string[]>;
}

export class OnChainPolicy extends ProjectResource {
  /** The policy the contract holds, as last observed (a refresh reads it again). */
  declare readonly observed: pulumi.Output<ObservedPolicy>;

  constructor(name: string, args: OnChainPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    for (const key of ["contract", "owner"] as const) {
      const value = args[key];
      if (typeof value === "string" && !isAddress(value)) throw new pulumi.ResourceError(`OnChainPolicy ${name}: ${key} ${JSON.stringify(value)} is not an address`, opts?.parent);
    }
    const contract = typeof args.contract === "string" ? getAddress(args.contract) : args.contract;
    // The inputs as given: a secret rpcUrl stays secret in the state (the engine marks an output secret when its input is).
    super(onChainPolicyProviderRef, name, { ...args, contract, observed: undefined }, opts, "permissions", "OnChainPolicy");
  }
}
