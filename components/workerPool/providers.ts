// Dynamic providers of a worker pool: one bare-metal host, and the on-chain workerpool registration.
// Implementations are required by absolute path inside the methods: Pulumi runs these methods from a serialised
// copy in its dynamic-provider host (DESIGN.md, "Pulumi habits").
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import type { HostInputs, HostState } from "../../lib/workerPool/host";
import type { RegistrationInputs, RegistrationState } from "../../lib/workerPool/registration";

const HOST = join(__dirname, "..", "..", "lib", "workerPool", "host");
const REGISTRATION = join(__dirname, "..", "..", "lib", "workerPool", "registration");

export const sshHostProvider: pulumi.dynamic.ResourceProvider<HostInputs, HostState> = {
  async create(inputs: HostInputs) {
    const outs: HostState = await require(HOST).applyHost(inputs);
    return { id: `${inputs.pool}/${inputs.connection.name}`, outs };
  },
  async read(id: string, props?: HostState) {
    return props ? { id, props: await require(HOST).readHost(props) } : { id };
  },
  async diff(_id: string, olds: HostState, news: HostInputs) {
    const impl = require(HOST);
    const changed: string[] = [...(await impl.configChanges(olds, news)), ...impl.hostDrift(olds).map(() => "observed")];
    // A host given to another pool is a different resource: the old pool's containers are removed first.
    const replaces = changed.includes("pool") ? ["pool"] : [];
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
  },
  async update(_id: string, _olds: HostState, news: HostInputs) {
    return { outs: await require(HOST).applyHost(news) };
  },
  async delete(_id: string, props: HostState) {
    await require(HOST).removeHost(props);
  },
};

// No delete: PoCo's registries cannot burn a workerpool, so a destroyed stack leaves it on chain (owned by the kept key).
export const registrationProvider: pulumi.dynamic.ResourceProvider<RegistrationInputs, RegistrationState> = {
  async create(inputs: RegistrationInputs) {
    const outs: RegistrationState = await require(REGISTRATION).registerWorkerpool(inputs);
    return { id: outs.address, outs };
  },
  async read(id: string, props?: RegistrationState) {
    return props ? { id, props: await require(REGISTRATION).readWorkerpool(props) } : { id };
  },
  async diff(_id: string, olds: RegistrationState, news: RegistrationInputs) {
    // Another registry, description or owner is another workerpool (another CREATE2 address).
    const replaces = (["registry", "description", "owner"] as const).filter((k) => olds[k].toLowerCase() !== news[k].toLowerCase());
    const moved = olds.rpcUrl !== news.rpcUrl || olds.chainId !== news.chainId;
    return { changes: replaces.length > 0 || moved || !require(REGISTRATION).inStep(olds), replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: RegistrationState, news: RegistrationInputs) {
    return { outs: await require(REGISTRATION).registerWorkerpool(news) };
  },
};
