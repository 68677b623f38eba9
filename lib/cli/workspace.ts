// Opens a consortium stack through the Automation API with the project's tools and environment.
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { type ConsortiumStack, withResultsFromEvents } from "./eventResults";
import { OpenStackOptions, stackEnvironment } from "./stackEnvironment";

export type { OpenStackOptions } from "./stackEnvironment";
export { runPulumiCli } from "./stackCli";
export type { ConsortiumStack, OperationResult, UpResult } from "./eventResults";

/**
 * Selects the stack, creating it when missing; `{ fresh: true }` creates it without looking for it first (a stack
 * in a backend made for it: one CLI call, not two).
 */
export async function openStack(opts: OpenStackOptions, { fresh = false } = {}): Promise<ConsortiumStack> {
  const { tools, envVars } = await stackEnvironment(opts);
  const pulumiCommand = await PulumiCommand.get({ root: tools.pulumiRoot, skipVersionCheck: true });
  const args = { stackName: opts.stack, workDir: opts.projectDir };
  const stack = fresh ? await LocalWorkspace.createStack(args, { pulumiCommand, envVars }) : await LocalWorkspace.createOrSelectStack(args, { pulumiCommand, envVars });
  return withResultsFromEvents(stack);
}
