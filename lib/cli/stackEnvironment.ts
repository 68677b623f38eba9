// The environment of a stack's Pulumi CLI calls, whether made through the Automation API (lib/cli/workspace.ts)
// or directly (lib/cli/cliStack.ts). Loads nothing of the Automation API: commands that call the CLI directly start
// faster without it.
import { ensureTools, Tools } from "../toolchain/resolve";
import { PROJECT_DIR, pulumiEnv, requirePassphrase, usesKubernetes } from "./env";
import { prepareBackend } from "./fileBackend";
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

/**
 * The environment of the stack's CLI calls, checked before any: its passphrase (refused with the fix when missing),
 * the backend (lib/cli/fileBackend.ts: a file backend's folder, safe against a killed run), and once per process a
 * notice about stacks of the per-folder layout.
 */
export async function stackEnvironment(opts: OpenStackOptions): Promise<{ tools: Tools; envVars: Record<string, string> }> {
  const tools = opts.tools ?? (await ensureTools(usesKubernetes(opts.projectDir, opts.stack) ? { kubernetes: "provider" } : {}));
  const envVars = { ...pulumiEnv(tools, opts.stack, opts.projectDir), ...opts.env };
  requirePassphrase(opts.stack, opts.projectDir, { ...process.env, ...envVars });
  envVars.PULUMI_BACKEND_URL = prepareBackend(envVars.PULUMI_BACKEND_URL);
  if (opts.warnLegacy !== false && opts.projectDir === PROJECT_DIR && !warned) {
    const legacy = legacyStacks(envVars.PULUMI_BACKEND_URL);
    if (legacy.length) console.error(legacyNotice(legacy));
    warned = true;
  }
  return { tools, envVars };
}
