// Dynamic provider of the vault → gateway binding (implementation in lib/bridge/binding.ts). A new vault or gateway
// is a new binding; `read` reports the gateway the vault is bound to, so a refresh shows a vault bound elsewhere.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { VaultBindingInputs, VaultBindingState } from "../../lib/bridge/binding";

const IMPL = "lib/bridge/binding";

export const vaultBindingProvider: pulumi.dynamic.ResourceProvider<VaultBindingInputs, VaultBindingState> = {
  async create(inputs: VaultBindingInputs) {
    return { id: `${inputs.chainId}:${inputs.vault}`, outs: await projectModule(IMPL).bindVault(inputs) };
  },
  async read(id: string, props?: VaultBindingState) {
    return { id, props: props ? await projectModule(IMPL).observeBinding(props) : ({} as VaultBindingState) };
  },
  async diff(_id: string, olds: VaultBindingState, news: VaultBindingInputs) {
    const replaces = (["chainId", "vault"] as const).filter((k) => olds[k] !== news[k]);
    const changes = replaces.length > 0 || olds.gateway !== news.gateway || olds.boundGateway.toLowerCase() !== news.gateway.toLowerCase() || olds.rpcUrl !== news.rpcUrl;
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async update(_id: string, _olds: VaultBindingState, news: VaultBindingInputs) {
    return { outs: await projectModule(IMPL).bindVault(news) };
  },
  // delete: a binding cannot be undone; forgetting it is all a destroy can do.
};
