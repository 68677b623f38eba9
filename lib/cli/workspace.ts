// Opens a consortium stack through the Automation API with the project's tools and environment.
import { execa } from "execa";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { ensureTools, Tools } from "../toolchain/resolve";
import { ensureBackendDir, PROJECT_DIR, pulumiEnv, requirePassphrase } from "./env";
import { legacyNotice, legacyStacks } from "./legacyStacks";

export interface OpenStackOptions {
  stack: string;
  /** Folder with Pulumi.yaml: the repository root (projectDirFor), or a scratch project's folder. */
  projectDir: string;
  /** Extra environment (tests point the backend and work dir elsewhere). */
  env?: Record<string, string>;
  tools?: Tools;
  /** Warn about stacks of the per-folder layout in the project's backend (lib/cli/legacy.ts); default true. */
  warnLegacy?: boolean;
}

let warned = false;

export async function openStack(opts: OpenStackOptions): Promise<Stack> {
  const tools = opts.tools ?? (await ensureTools());
  const envVars = { ...pulumiEnv(tools, opts.stack, opts.projectDir), ...opts.env };
  requirePassphrase(opts.stack, opts.projectDir, { ...process.env, ...envVars });
  ensureBackendDir(envVars.PULUMI_BACKEND_URL);
  if (opts.warnLegacy !== false && opts.projectDir === PROJECT_DIR && !warned) {
    const legacy = legacyStacks(envVars.PULUMI_BACKEND_URL);
    if (legacy.length) console.error(legacyNotice(legacy));
    warned = true;
  }
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
