// Dynamic provider of a worker pool's on-chain registration.
// Implementations are loaded inside the methods, from the project being run (lib/project.ts), only when an operation
// calls into them; the provider host loads this module by name (components/projectResource.ts).
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { RegistrationInputs, RegistrationState } from "../../lib/workerPool/registration";
import { projectProvider } from "../projectResource";

const REGISTRATION = "lib/workerPool/registration";

// No delete: PoCo's registries cannot burn a workerpool, so a destroyed stack leaves it on chain (owned by the kept key).
export const registrationProvider: pulumi.dynamic.ResourceProvider<RegistrationInputs, RegistrationState> = {
  async create(inputs: RegistrationInputs) {
    const outs: RegistrationState = await projectModule(REGISTRATION).registerWorkerpool(inputs);
    return { id: outs.address, outs };
  },
  async read(id: string, props?: RegistrationState) {
    return props ? { id, props: await projectModule(REGISTRATION).readWorkerpool(props) } : { id };
  },
  async diff(_id: string, olds: RegistrationState, news: RegistrationInputs) {
    // Another registry, description or owner is another workerpool (another CREATE2 address).
    const replaces = (["registry", "description", "owner"] as const).filter((k) => olds[k].toLowerCase() !== news[k].toLowerCase());
    const moved = olds.rpcUrl !== news.rpcUrl || olds.chainId !== news.chainId;
    return { changes: replaces.length > 0 || moved || !projectModule(REGISTRATION).inStep(olds), replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: RegistrationState, news: RegistrationInputs) {
    return { outs: await projectModule(REGISTRATION).registerWorkerpool(news) };
  },
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const registrationProviderRef = projectProvider(__filename, { registrationProvider });
