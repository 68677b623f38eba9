// One raw Pulumi CLI call against an Automation API stack's workspace (its binary, folder and environment): for what
// the Automation API lacks (unprotect, cancel, rename), does in more calls than needed (the outputs with their
// secrets, lib/cli/eventResults.ts) or streams where a file is needed (the drift check's events, lib/cli/eventLog.ts).
import type { Stack } from "@pulumi/pulumi/automation";
import { execa } from "execa";

/** Its stdout shown (default), dropped, or returned ("pipe"); its stderr is shown. `env` is added to the workspace's. */
export async function runPulumiCli(
  stack: Pick<Stack, "workspace" | "name">,
  args: string[],
  opts: { stdout?: "inherit" | "ignore" | "pipe"; env?: Record<string, string> } = {},
): Promise<string> {
  const ws = stack.workspace;
  const stdout = opts.stdout ?? "inherit";
  const env = { ...ws.envVars, ...opts.env };
  const r = await execa(ws.pulumiCommand.command, [...args, "--stack", stack.name, "--non-interactive"], { cwd: ws.workDir, env, stdout, stderr: "inherit" });
  return stdout === "pipe" ? (r.stdout ?? "") : "";
}
