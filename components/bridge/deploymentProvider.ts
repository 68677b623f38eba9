// Dynamic provider of the bridge's deployment (implementation in lib/bridge/deployment.ts). It is updated in place,
// never replaced: an update creates again only the contracts that need it (their code gone, or their constructor given
// something else), and refuses in the preview already what would strand locked tokens or mint twice.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { BridgeDeploymentInputs, BridgeDeploymentState, LegacyBindingState } from "../../lib/bridge/deployment";
import { projectProvider } from "../projectResource";

const IMPL = "lib/bridge/deployment";

type State = BridgeDeploymentState | LegacyBindingState;

export const bridgeDeploymentProvider: pulumi.dynamic.ResourceProvider<BridgeDeploymentInputs, State> = {
  async create(inputs: BridgeDeploymentInputs) {
    const outs: BridgeDeploymentState = await projectModule(IMPL).deployBridgeContracts(inputs);
    return { id: `${inputs.foreignChainId}:${outs.contracts.vault}`, outs };
  },
  async read(id: string, props?: State) {
    if (!props) return { id };
    const impl = projectModule(IMPL);
    return { id, props: impl.isLegacy(props) ? props : await impl.observeDeployment(props) };
  },
  async diff(_id: string, state: State, news: BridgeDeploymentInputs) {
    const impl = projectModule(IMPL);
    // A stack made before: the update reads what is deployed and takes it over.
    if (impl.isLegacy(state)) return { changes: true, replaces: [], deleteBeforeReplace: false };
    const olds = state as BridgeDeploymentState;
    const create: Set<string> = impl.toCreate(olds, news);
    if (create.size > 0) {
      const problem = await impl.replacementProblem(olds, news, create);
      if (problem) throw new Error(problem);
    }
    const moved = olds.foreignRpcUrl !== news.foreignRpcUrl || olds.homeRpcUrl !== news.homeRpcUrl;
    const unbound = olds.boundGateway.toLowerCase() !== olds.contracts.gateway.toLowerCase();
    return { changes: create.size > 0 || moved || unbound, replaces: [], deleteBeforeReplace: false, stables: create.size === 0 ? ["contracts", "deployBlocks"] : [] };
  },
  async update(_id: string, olds: State, news: BridgeDeploymentInputs) {
    return { outs: await projectModule(IMPL).deployBridgeContracts(news, olds) };
  },
  // delete: contracts cannot be removed from a chain, nor a binding undone; forgetting them is all a destroy can do.
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const bridgeDeploymentProviderRef = projectProvider(__filename, { bridgeDeploymentProvider });
