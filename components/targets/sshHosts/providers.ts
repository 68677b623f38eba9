// Dynamic providers of the SSH-hosts target: one host's setup, one workload's container.
// Implementations are loaded inside the methods, from the project being run (lib/project.ts), only when an operation
// calls into them; the provider host loads this module by name (components/projectResource.ts).
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../../lib/project";
import type { ContainerInputs, ContainerState } from "../../../lib/sshHosts/container";
import type { HostInputs, HostState } from "../../../lib/sshHosts/setup";
import { projectProvider } from "../../projectResource";

const SETUP = "lib/sshHosts/setup";
const CONTAINER = "lib/sshHosts/container";

export const hostSetupProvider: pulumi.dynamic.ResourceProvider<HostInputs, HostState> = {
  async create(inputs: HostInputs) {
    const outs: HostState = await projectModule(SETUP).applyHost(inputs);
    return { id: `${inputs.pool}/${inputs.connection.name}`, outs };
  },
  async read(id: string, props?: HostState) {
    return props ? { id, props: await projectModule(SETUP).readHost(props) } : { id };
  },
  async diff(_id: string, olds: HostState, news: HostInputs) {
    const impl = projectModule(SETUP);
    const changed: string[] = [...(await impl.configChanges(olds, news)), ...impl.hostDrift(olds).map(() => "observed")];
    // A host given to another owner is a different resource: the old owner's containers are removed first.
    const replaces = changed.includes("pool") ? ["pool"] : [];
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: HostState, news: HostInputs) {
    return { outs: await projectModule(SETUP).applyHost(news) };
  },
  async delete(_id: string, props: HostState) {
    await projectModule(SETUP).removeHost(props);
  },
};

export const containerProvider: pulumi.dynamic.ResourceProvider<ContainerInputs, ContainerState> = {
  async create(inputs: ContainerInputs) {
    const outs: ContainerState = await projectModule(CONTAINER).applyContainer(inputs);
    return { id: `${inputs.connection.name}/${inputs.container.name}`, outs };
  },
  async read(id: string, props?: ContainerState) {
    return props ? { id, props: await projectModule(CONTAINER).readContainer(props) } : { id };
  },
  async diff(_id: string, olds: ContainerState, news: ContainerInputs) {
    const impl = projectModule(CONTAINER);
    const changed: string[] = [...impl.containerChanges(olds, news), ...impl.containerDrift(olds).map(() => "observed")];
    // Another host or another name is another container: the old one is removed first (its name may be reused).
    const moved = olds.connection.name !== news.connection.name || olds.container.name !== news.container.name;
    return { changes: changed.length > 0, replaces: moved ? ["connection"] : [], deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: ContainerState, news: ContainerInputs) {
    return { outs: await projectModule(CONTAINER).applyContainer(news) };
  },
  async delete(_id: string, props: ContainerState) {
    await projectModule(CONTAINER).removeContainer(props);
  },
};

/** The providers above, as the dynamic-provider host loads them (components/projectResource.ts). */
export const hostSetupProviderRef = projectProvider(__filename, { hostSetupProvider });
export const containerProviderRef = projectProvider(__filename, { containerProvider });
