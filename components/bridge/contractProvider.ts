// Dynamic provider for one bridge contract (implementation in lib/bridge/onchain.ts). BridgeDeployment creates the
// contracts; this one takes each on at the address it reports, and keeps its settings and role holders as configured.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { BridgeContractInputs, BridgeContractState } from "../../lib/bridge/onchain";
import { projectProvider } from "../projectResource";

// The implementation is loaded inside the methods, from the project being run (lib/project.ts): the provider host loads
// this module by name (components/projectResource.ts), and an implementation only when an operation calls into it.
const IMPL = "lib/bridge/onchain";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const bridgeContractProvider: pulumi.dynamic.ResourceProvider<BridgeContractInputs, BridgeContractState> = {
  async create(inputs: BridgeContractInputs) {
    const outs: BridgeContractState = await projectModule(IMPL).adoptBridgeContract(inputs);
    return { id: `${inputs.chainId}:${outs.address}`, outs };
  },
  async read(id: string, props?: BridgeContractState) {
    if (!props) return { id };
    return { id, props: await projectModule(IMPL).observeBridgeContract(props) };
  },
  async diff(_id: string, olds: BridgeContractState, news: BridgeContractInputs) {
    // Another address is another contract (the deployment created it anew, having refused what must not be).
    const replaces: string[] = (["kind", "chainId"] as const).filter((k) => !same(olds[k], news[k]));
    if (olds.address.toLowerCase() !== news.address.toLowerCase()) replaces.push("address");
    const changes = (["settings", "roles", "rpcUrl"] as const).filter((k) => !same(olds[k], news[k]));
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: false, stables: replaces.length ? [] : ["address", "deployBlock"] };
  },
  async update(_id: string, olds: BridgeContractState, news: BridgeContractInputs) {
    return { outs: await projectModule(IMPL).updateBridgeContract(olds, news) };
  },
  // delete: a contract cannot be removed from a chain; forgetting it is all a destroy can do.
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const bridgeContractProviderRef = projectProvider(__filename, { bridgeContractProvider });
