// One raw Pulumi CLI call against an Automation API stack's workspace (its binary, folder and environment): for what
// the Automation API lacks (unprotect, cancel, rename) or does in more calls than needed (the outputs with their
// secrets, lib/cli/eventResults.ts).
import type { Stack } from "@pulumi/pulumi/automation";
import { execa } from "execa";

/** Its stdout shown (default), dropped, or returned ("pipe"); its stderr is shown. */
export async function runPulumiCli(
  stack: Pick<Stack, "workspace" | "name">,
  args: string[],
  opts: { stdout?: "inherit" | "ignore" | "pipe" } = {},
): Promise<string> {
  const ws = stack.workspace;
  const stdout = opts.stdout ?? "inherit";
  const r = await execa(ws.pulumiCommand.command, [...args, "--stack", stack.name, "--non-interactive"], { cwd: ws.workDir, env: ws.envVars, stdout, stderr: "inherit" });
  return stdout === "pipe" ? (r.stdout ?? "") : "";
}
