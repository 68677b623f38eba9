// Dynamic provider for one local node process (implementation in lib/localProcess.ts).
import * as pulumi from "@pulumi/pulumi";
import { projectModule } from "../../../lib/project";
import type { LocalProcessInputs, LocalProcessState } from "../../../lib/localProcess";
import { projectProvider } from "../../projectResource";

// The implementation is loaded inside the methods, from the project being run (lib/project.ts): the provider host loads
// this module by name (components/projectResource.ts), and an implementation only when an operation calls into it.
const IMPL = "lib/localProcess";

// Inputs whose change restarts the process with the new settings; `dir`/`resetKey` changes replace it.
const RESTART_ON = ["command", "args", "env", "init", "rpcUrl", "ports"] as const;

export const localProcessProvider: pulumi.dynamic.ResourceProvider<LocalProcessInputs, LocalProcessState> = {
  async create(inputs: LocalProcessInputs) {
    const outs: LocalProcessState = await projectModule(IMPL).startNode(inputs);
    return { id: inputs.dir, outs };
  },
  async read(id: string, props?: LocalProcessState) {
    if (!props) return { id };
    const observed = await projectModule(IMPL).observeNode(props);
    return { id, props: { ...props, ...observed } };
  },
  async diff(_id: string, olds: LocalProcessState, news: LocalProcessInputs) {
    const { expectedDigests } = projectModule(IMPL);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    // The same directory written another way (absolute before, relative to the project folder now) is the same node.
    const { resolveStoredPath } = projectModule("lib/project");
    const replaces = [...(resolveStoredPath(olds.dir) !== resolveStoredPath(news.dir) ? ["dir"] : []), ...(olds.resetKey !== news.resetKey ? ["resetKey"] : [])];
    const changed: string[] = RESTART_ON.filter((k) => !same(olds[k], news[k]));
    if (!same(olds.digests, expectedDigests(news))) changed.push("files");
    if (!olds.running) changed.push("running");
    return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: true, stables: ["dir"] };
  },
  async update(_id: string, olds: LocalProcessState, news: LocalProcessInputs) {
    return { outs: await projectModule(IMPL).restartNode(olds, news) };
  },
  async delete(_id: string, props: LocalProcessState) {
    await projectModule(IMPL).removeNode(props);
  },
};

/** The provider above, as the dynamic-provider host loads it (components/projectResource.ts). */
export const localProcessProviderRef = projectProvider(__filename, { localProcessProvider });
