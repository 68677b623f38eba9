// Opens a consortium stack through the Automation API with the project's tools and environment.
import { execa } from "execa";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { OpenStackOptions, stackEnvironment } from "./stackEnvironment";

export type { OpenStackOptions } from "./stackEnvironment";

export async function openStack(opts: OpenStackOptions): Promise<Stack> {
  const { tools, envVars } = await stackEnvironment(opts);
  const pulumiCommand = await PulumiCommand.get({ root: tools.pulumiRoot, skipVersionCheck: true });
  return LocalWorkspace.createOrSelectStack(
    { stackName: opts.stack, workDir: opts.projectDir },
    { pulumiCommand, envVars },
  );
}

/** Runs a raw CLI command against the stack's workspace (for what the Automation API lacks, e.g. unprotect). */
export async function runPulumiCli(stack: Stack, args: string[], opts: { quiet?: boolean } = {}): Promise<void> {
  const ws = stack.workspace as LocalWorkspace;
  await execa(ws.pulumiCommand.command, [...args, "--stack", stack.name, "--non-interactive"], {
    cwd: ws.workDir,
    env: ws.envVars,
    stdout: opts.quiet ? "ignore" : "inherit",
    stderr: "inherit",
  });
}
