// Dynamic provider for one bridge contract (implementation in lib/bridge/onchain.ts).
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { BridgeContractInputs, BridgeContractState } from "../../lib/bridge/onchain";

// Loaded inside the methods from the project being run (lib/project.ts): they run from a serialised copy in Pulumi's
// dynamic-provider host, and the state must not pin the clone that created the resource.
const IMPL = "lib/bridge/onchain";

// A different contract is a new deployment; settings and roles are re-applied in place.
const REPLACE_ON = ["kind", "chainId", "constructorArgs"] as const;

export const bridgeContractProvider: pulumi.dynamic.ResourceProvider<BridgeContractInputs, BridgeContractState> = {
  async create(inputs: BridgeContractInputs) {
    const outs: BridgeContractState = await projectModule(IMPL).createBridgeContract(inputs);
    return { id: `${inputs.chainId}:${outs.address}`, outs };
  },
  async read(id: string, props?: BridgeContractState) {
    if (!props) return { id };
    return { id, props: await projectModule(IMPL).observeBridgeContract(props) };
  },
  async diff(_id: string, olds: BridgeContractState, news: BridgeContractInputs) {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const replaces: string[] = REPLACE_ON.filter((k) => !same(olds[k], news[k]));
    // Refused in the preview already, before anything changes: a replacement that would strand funds or mint twice.
    if (replaces.length > 0) {
      const problem = await projectModule(IMPL).replacementProblem(olds, news);
      if (problem) throw new Error(problem);
    }
    // Code gone from the address (a reset chain, a self-destruct): only a new deployment brings it back.
    if (olds.codeHash === "missing") replaces.push("codeHash");
    const changes: string[] = (["settings", "roles", "rpcUrl"] as const).filter((k) => !same(olds[k], news[k]));
    return { changes: replaces.length + changes.length > 0, replaces, deleteBeforeReplace: false, stables: ["address", "deployBlock"] };
  },
  async update(_id: string, olds: BridgeContractState, news: BridgeContractInputs) {
    return { outs: await projectModule(IMPL).updateBridgeContract(olds, news) };
  },
  // delete: a contract cannot be removed from a chain; forgetting it is all a destroy can do.
};
