// Dynamic provider of the AuRa permission policy on chain (implementation in lib/permissions/onChainPolicy.ts). It
// sends nothing: create and update check that the contract holds what consortium:permissions says and otherwise fail
// with the transactions its owner must send; `read` observes the contract, so a refresh (and the drift check) shows a
// change the owner made outside the settings.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { OnChainPolicyInputs, OnChainPolicyState } from "../../lib/permissions/onChainPolicy";
import { projectProvider } from "../projectResource";

const IMPL = "lib/permissions/onChainPolicy";

export const onChainPolicyProvider: pulumi.dynamic.ResourceProvider<OnChainPolicyInputs, OnChainPolicyState> = {
  async create(inputs: OnChainPolicyInputs) {
    const outs: OnChainPolicyState = await projectModule(IMPL).applyOnChainPolicy(inputs);
    return { id: outs.contract, outs };
  },
  async read(id: string, props?: OnChainPolicyState) {
    if (!props) return { id, props: {} as OnChainPolicyState };
    const { observed, ...inputs } = props;
    return { id, props: await projectModule(IMPL).observeOnChainPolicy(inputs, { known: Object.keys(observed?.accounts ?? {}) }) };
  },
  async diff(_id: string, olds: OnChainPolicyState, news: OnChainPolicyInputs) {
    const keys = ["rpcUrl", "contract", "owner", "transact", "deploy", "genesisAccounts"] as const;
    const inputsDiffer = keys.some((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    // The chain as last observed (a refresh updates it) against the settings: a difference is an update, which fails
    // with the owner's transactions until the owner has sent them.
    const inSync = olds.observed !== undefined && (projectModule(IMPL).policyMatches(news, olds.observed) as boolean);
    return { changes: inputsDiffer || !inSync, replaces: [], deleteBeforeReplace: false };
  },
  async update(_id: string, olds: OnChainPolicyState, news: OnChainPolicyInputs) {
    // The accounts the last observation found are read again: one of the genesis that the settings stopped listing
    // has no event to be found by (genesisAccounts covers it too, when given).
    return { outs: await projectModule(IMPL).applyOnChainPolicy(news, { known: Object.keys(olds.observed?.accounts ?? {}) }) };
  },
  async delete() {
    // The contract is in the genesis: it cannot be removed, and its policy stays its owner's. Forgetting it is all a destroy does.
  },
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const onChainPolicyProviderRef = projectProvider(__filename, { onChainPolicyProvider });
