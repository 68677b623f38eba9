// The policy an AuRa genesis holds (its transaction permission contract's lists), kept as it was when the chain began.
// A genesis never changes under a running chain: a later change of consortium:permissions goes to the contract through
// its owner (components/permissions/OnChainPolicy.ts), not into a new genesis that would make a new chain. A chain that
// is new anyway (the rest of its genesis changed: `chainKey`) takes the policy of the moment.
import * as pulumi from "@pulumi/pulumi";
import type { PermissionsSpec } from "../../settings/permissions";
import { ProjectResource, projectProvider } from "../projectResource";

interface GenesisPolicyState {
  policy: PermissionsSpec;
  /** A digest of the genesis without the policy: what makes it a new chain. */
  chainKey: string;
}

export const genesisPolicyProvider: pulumi.dynamic.ResourceProvider<GenesisPolicyState, GenesisPolicyState> = {
  async create(inputs: GenesisPolicyState) {
    return { id: `genesis-policy-${inputs.chainKey.slice(0, 16)}`, outs: inputs };
  },
  async diff(_id: string, olds: GenesisPolicyState, news: GenesisPolicyState) {
    // Only a new chain takes a new policy; otherwise the engine keeps the outputs it has (the policy of the genesis).
    const replace = olds.chainKey !== news.chainKey;
    return { changes: replace, replaces: replace ? ["chainKey"] : [], deleteBeforeReplace: false };
  },
  async read(id: string, props?: GenesisPolicyState) {
    return { id, props: props ?? ({} as GenesisPolicyState) };
  },
};

export const genesisPolicyProviderRef = projectProvider(__filename, { genesisPolicyProvider });

export class GenesisPolicy extends ProjectResource {
  /** The policy of the chain's genesis. */
  declare readonly policy: pulumi.Output<PermissionsSpec>;
  constructor(name: string, args: { policy: pulumi.Input<PermissionsSpec>; chainKey: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(genesisPolicyProviderRef, name, args, opts, "permissions", "GenesisPolicy");
  }
}
