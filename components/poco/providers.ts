// Dynamic providers for the PoCo resources (implementation in lib/poco/resources.ts). Contracts cannot be deleted
// from a chain: deleting a resource only forgets it.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { ContractInputs, ContractState, SetupInputs, SetupState } from "../../lib/poco/resources";

// Loaded inside the methods from the project being run (lib/project.ts): they run from a serialised copy in Pulumi's
// dynamic-provider host, and the state must not pin the clone that created the resource.
const IMPL = "lib/poco/resources";

export const contractProvider: pulumi.dynamic.ResourceProvider<ContractInputs, ContractState> = {
  async create(inputs: ContractInputs) {
    const outs: ContractState = await projectModule(IMPL).createContract(inputs);
    return { id: outs.address, outs };
  },
  async read(id: string, props?: ContractState) {
    return props ? { id, props: await projectModule(IMPL).readContract(props) } : { id };
  },
  async diff(_id: string, olds: ContractState, news: ContractInputs) {
    const replaces: string[] = projectModule(IMPL).contractReplaces(olds, news);
    return { changes: replaces.length > 0 || olds.rpcUrl !== news.rpcUrl, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, olds: ContractState, news: ContractInputs) {
    // Only the RPC URL can change in place.
    return { outs: { ...olds, rpcUrl: news.rpcUrl } };
  },
};

export const setupProvider: pulumi.dynamic.ResourceProvider<SetupInputs, SetupState> = {
  async create(inputs: SetupInputs) {
    const outs: SetupState = await projectModule(IMPL).applySetup(inputs);
    return { id: outs.contracts.Diamond, outs };
  },
  async read(id: string, props?: SetupState) {
    return props ? { id, props: await projectModule(IMPL).readSetup(props) } : { id };
  },
  async diff(_id: string, olds: SetupState, news: SetupInputs) {
    const changed: string[] = projectModule(IMPL).setupChanges(olds, news);
    const replaces = olds.contracts.Diamond !== news.contracts.Diamond ? ["contracts"] : [];
    return { changes: changed.length > 0 || olds.rpcUrl !== news.rpcUrl, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: SetupState, news: SetupInputs) {
    return { outs: await projectModule(IMPL).applySetup(news) };
  },
};
