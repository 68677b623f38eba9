// Dynamic providers of a worker pool: one bare-metal host, and the on-chain workerpool registration.
// Implementations are loaded inside the methods from the project being run (lib/project.ts): Pulumi runs these methods
// from a serialised copy in its dynamic-provider host (DESIGN.md, "Pulumi habits"), whatever clone runs it.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { HostInputs, HostState } from "../../lib/workerPool/host";
import type { RegistrationInputs, RegistrationState } from "../../lib/workerPool/registration";

const HOST = "lib/workerPool/host";
const REGISTRATION = "lib/workerPool/registration";

export const sshHostProvider: pulumi.dynamic.ResourceProvider<HostInputs, HostState> = {
  async create(inputs: HostInputs) {
    const outs: HostState = await projectModule(HOST).applyHost(inputs);
    return { id: `${inputs.pool}/${inputs.connection.name}`, outs };
  },
  async read(id: string, props?: HostState) {
    return props ? { id, props: await projectModule(HOST).readHost(props) } : { id };
  },
  async diff(_id: string, olds: HostState, news: HostInputs) {
    const impl = projectModule(HOST);
    const changed: string[] = [...(await impl.configChanges(olds, news)), ...impl.hostDrift(olds).map(() => "observed")];
    // A host given to another pool is a different resource: the old pool's containers are removed first.
    const replaces = changed.includes("pool") ? ["pool"] : [];
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: HostState, news: HostInputs) {
    return { outs: await projectModule(HOST).applyHost(news) };
  },
  async delete(_id: string, props: HostState) {
    await projectModule(HOST).removeHost(props);
  },
};

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
