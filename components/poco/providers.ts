// Dynamic providers for the PoCo resources (implementation in lib/poco/resources.ts). Contracts cannot be deleted
// from a chain: deleting a resource only forgets it.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { ContractInputs, ContractState, DeploymentInputs, DeploymentState } from "../../lib/poco/resources";
import { projectProvider } from "../projectResource";

// The implementation is loaded inside the methods, from the project being run (lib/project.ts): the provider host loads
// this module by name (components/projectResource.ts), and an implementation only when an operation calls into it.
const IMPL = "lib/poco/resources";

export const deploymentProvider: pulumi.dynamic.ResourceProvider<DeploymentInputs, DeploymentState> = {
  async create(inputs: DeploymentInputs) {
    const outs: DeploymentState = await projectModule(IMPL).createDeployment(inputs);
    return { id: outs.contracts.Diamond, outs };
  },
  async read(id: string, props?: DeploymentState) {
    return props ? { id, props: await projectModule(IMPL).readDeployment(props) } : { id };
  },
  async diff(_id: string, olds: DeploymentState, news: DeploymentInputs) {
    const { changes, replaces } = projectModule(IMPL).deploymentChanges(olds, news);
    return { changes: changes.length > 0 || olds.rpcUrl !== news.rpcUrl, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, olds: DeploymentState, news: DeploymentInputs) {
    return { outs: await projectModule(IMPL).updateDeployment(olds, news) };
  },
};

export const contractProvider: pulumi.dynamic.ResourceProvider<ContractInputs, ContractState> = {
  async create(inputs: ContractInputs) {
    const outs: ContractState = await projectModule(IMPL).adoptContract(inputs);
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

/** The providers above, as the dynamic-provider host loads them (components/projectResource.ts). */
export const deploymentProviderRef = projectProvider(__filename, { deploymentProvider });
export const contractProviderRef = projectProvider(__filename, { contractProvider });
