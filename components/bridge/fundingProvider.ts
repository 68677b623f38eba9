// Dynamic provider that tops up a dev account's gas (implementation in lib/funding.ts). Balances move with use,
// so `read` reports no drift: a later `up` simply tops up again when the inputs change.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { FundingInputs, FundingState } from "../../lib/funding";
import { projectProvider } from "../projectResource";

const IMPL = "lib/funding";

export const fundingProvider: pulumi.dynamic.ResourceProvider<FundingInputs, FundingState> = {
  async create(inputs: FundingInputs) {
    return { id: `${inputs.chainId}:${inputs.to}`, outs: await projectModule(IMPL).topUp(inputs) };
  },
  async read(id: string, props?: FundingState) {
    return { id, props: props ?? ({} as FundingState) };
  },
  async diff(_id: string, olds: FundingState, news: FundingInputs) {
    const replaces = (["chainId", "to"] as const).filter((k) => olds[k] !== news[k]);
    const changes = replaces.length > 0 || olds.minimumWei !== news.minimumWei || olds.rpcUrl !== news.rpcUrl;
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: FundingState, news: FundingInputs) {
    return { outs: await projectModule(IMPL).topUp(news) };
  },
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const fundingProviderRef = projectProvider(__filename, { fundingProvider });
