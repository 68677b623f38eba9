// Dynamic provider for a voted signer set (implementation in lib/validators/signerSet.ts). `read` reports the live
// set, so `pulumi refresh` sees an out-of-band vote; create/update vote until the live set is the desired one.
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import type { SignerSetInputs, SignerSetState } from "../../lib/validators/signerSet";

// Required by absolute path inside the methods: they run from a serialised copy in Pulumi's dynamic-provider host.
const IMPL = join(__dirname, "..", "..", "lib", "validators", "signerSet");
const PLAN = join(__dirname, "..", "..", "render", "validators", "plan");

// Progress goes to the provider's stderr (engine logs); failures carry the last status in their message.
const progress = (line: string) => console.error(`[signer votes] ${line}`);

export const signerVotesProvider: pulumi.dynamic.ResourceProvider<SignerSetInputs, SignerSetState> = {
  async create(inputs: SignerSetInputs) {
    const outs: SignerSetState = await require(IMPL).applySignerSet(inputs, progress);
    return { id: `${inputs.engine}-signers`, outs };
  },
  async read(id: string, props?: SignerSetState) {
    if (!props) return { id };
    const live: string[] | undefined = await require(IMPL).liveSigners(props.engine, props.nodes);
    return { id, props: { ...props, signers: live ?? [] } };
  },
  async diff(_id: string, olds: SignerSetState, news: SignerSetInputs) {
    const { sameSet } = require(PLAN);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const changed: string[] = (["engine", "nodes", "desired", "timeoutSeconds"] as const).filter((k) => !same(olds[k], news[k]));
    if (!sameSet(olds.signers, news.desired)) changed.push("signers");
    return { changes: changed.length > 0, replaces: [], stables: ["engine"] };
  },
  async update(_id: string, _olds: SignerSetState, news: SignerSetInputs) {
    return { outs: await require(IMPL).applySignerSet(news, progress) };
  },
  // Forgetting the resource votes nothing: the chain keeps the signers it has.
};
