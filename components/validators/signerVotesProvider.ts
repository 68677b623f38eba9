// Dynamic provider for a voted signer set (implementation in lib/validators/signerSet.ts). `read` reports the live
// set, so `pulumi refresh` sees an out-of-band vote; create/update vote until the live set is the desired one.
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../lib/project";
import type { SignerSetInputs, SignerSetState } from "../../lib/validators/signerSet";
import { projectProvider } from "../projectResource";

// The implementation is loaded inside the methods, from the project being run (lib/project.ts): the provider host loads
// this module by name (components/projectResource.ts), and an implementation only when an operation calls into it.
const IMPL = "lib/validators/signerSet";
const PLAN = "render/validators/plan";

// Progress goes to the provider's stderr (engine logs); failures carry the last status in their message.
const progress = (line: string) => console.error(`[signer votes] ${line}`);

export const signerVotesProvider: pulumi.dynamic.ResourceProvider<SignerSetInputs, SignerSetState> = {
  async create(inputs: SignerSetInputs) {
    const outs: SignerSetState = await projectModule(IMPL).applySignerSet(inputs, progress);
    return { id: `${inputs.engine}-signers`, outs };
  },
  async read(id: string, props?: SignerSetState) {
    if (!props) return { id };
    const live: string[] | undefined = await projectModule(IMPL).liveSigners(props.engine, props.nodes);
    return { id, props: { ...props, signers: live ?? [] } };
  },
  async diff(_id: string, olds: SignerSetState, news: SignerSetInputs) {
    const { sameSet } = projectModule(PLAN);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const changed: string[] = (["engine", "nodes", "desired", "timeoutSeconds"] as const).filter((k) => !same(olds[k], news[k]));
    if (!sameSet(olds.signers, news.desired)) changed.push("signers");
    return { changes: changed.length > 0, replaces: [], stables: ["engine"] };
  },
  async update(_id: string, _olds: SignerSetState, news: SignerSetInputs) {
    return { outs: await projectModule(IMPL).applySignerSet(news, progress) };
  },
  // Forgetting the resource votes nothing: the chain keeps the signers it has.
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const signerVotesProviderRef = projectProvider(__filename, { signerVotesProvider });
