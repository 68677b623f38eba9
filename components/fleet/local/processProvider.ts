// Dynamic provider for one local node process (implementation in lib/localProcess.ts).
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import type { LocalProcessInputs, LocalProcessState } from "../../../lib/localProcess";

// Required by absolute path inside the methods: they run from a serialised copy in Pulumi's dynamic-provider host.
const IMPL = join(__dirname, "..", "..", "..", "lib", "localProcess");

// Inputs whose change restarts the process with the new settings; `dir`/`resetKey` changes replace it.
const RESTART_ON = ["command", "args", "env", "init", "rpcUrl", "ports"] as const;

export const localProcessProvider: pulumi.dynamic.ResourceProvider<LocalProcessInputs, LocalProcessState> = {
  async create(inputs: LocalProcessInputs) {
    const outs: LocalProcessState = await require(IMPL).startNode(inputs);
    return { id: inputs.dir, outs };
  },
  async read(id: string, props?: LocalProcessState) {
    if (!props) return { id };
    const observed = await require(IMPL).observeNode(props);
    return { id, props: { ...props, ...observed } };
  },
  async diff(_id: string, olds: LocalProcessState, news: LocalProcessInputs) {
    const { expectedDigests } = require(IMPL);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const replaces = (["dir", "resetKey"] as const).filter((k) => olds[k] !== news[k]);
    const changed: string[] = RESTART_ON.filter((k) => !same(olds[k], news[k]));
    if (!same(olds.digests, expectedDigests(news))) changed.push("files");
    if (!olds.running) changed.push("running");
    return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: true, stables: ["dir"] };
  },
  async update(_id: string, olds: LocalProcessState, news: LocalProcessInputs) {
    return { outs: await require(IMPL).restartNode(olds, news) };
  },
  async delete(_id: string, props: LocalProcessState) {
    await require(IMPL).removeNode(props);
  },
};
