// A stack driven by the pinned Pulumi CLI itself, for the command users wait on most (`npm start`). The Automation
// API (lib/cli/workspace.ts) wraps each operation in CLI calls of its own — `pulumi version`, `stack select`, the
// outputs read twice one after the other, the update history — which cost a no-op start seconds over the engine's
// own time; here an `up` is one CLI call, and its outputs one more pair of calls run side by side.
import { execa } from "execa";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { backendUrl, projectName } from "./env";
import type { StackOutputs } from "./outputsCache";
import { OpenStackOptions, stackEnvironment } from "./stackEnvironment";

export interface CliStack {
  /** `pulumi up` with its output streamed to `onOutput`; rejects with the engine's message when it fails. */
  up(opts: { refresh: boolean; parallel: number; onOutput: (text: string) => void }): Promise<void>;
  /** The outputs, each marked secret or not (as the Automation API's `outputs()` gives them). */
  outputs(): Promise<StackOutputs>;
}

/** True when a file backend already holds the stack (no CLI call needed to know it); undefined for other backends. */
function inFileBackend(projectDir: string, stack: string): boolean | undefined {
  const url = backendUrl();
  if (!url.startsWith("file://")) return undefined;
  return existsSync(join(fileURLToPath(url), ".pulumi", "stacks", projectName(projectDir), `${stack}.json`));
}

export async function openCliStack(opts: OpenStackOptions): Promise<CliStack> {
  const { tools, envVars: env } = await stackEnvironment(opts);
  const pulumi = join(tools.pulumiRoot, "bin", "pulumi");
  const cli = async (args: string[]) => {
    const r = await execa(pulumi, [...args, "--non-interactive"], { cwd: opts.projectDir, env, all: true, reject: false });
    if (r.exitCode !== 0) throw new Error(`pulumi ${args.slice(0, 2).join(" ")} failed (exit ${r.exitCode}):\n${r.all}`);
    return r.stdout;
  };
  // First use (or a backend we cannot look into): select the stack, creating it when missing.
  if (inFileBackend(opts.projectDir, opts.stack) !== true) await cli(["stack", "select", "--create", opts.stack]);
  return {
    async up({ refresh, parallel, onOutput }) {
      const child = execa(pulumi, ["up", "--yes", "--skip-preview", ...(refresh ? ["--refresh"] : []), "--parallel", String(parallel), "--stack", opts.stack, "--non-interactive"], {
        cwd: opts.projectDir,
        env,
        all: true,
        reject: false,
      });
      child.all?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
      const r = await child;
      // The engine's own diagnostics were streamed above; the error names the command to re-run by hand.
      if (r.exitCode !== 0) throw new Error(`pulumi up failed (exit ${r.exitCode}): the engine's messages are above; \`npm run pulumi -- up -s ${opts.stack}\` shows the same`);
    },
    async outputs() {
      // Secret values come only with --show-secrets, which does not say which were secret: the masked read does.
      const read = (...flags: string[]) => cli(["stack", "output", "--json", ...flags, "--stack", opts.stack]);
      const [masked, shown] = await Promise.all([read(), read("--show-secrets")]);
      const secretMarks = JSON.parse(masked) as Record<string, unknown>;
      const values = JSON.parse(shown) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, secret: secretMarks[k] === "[secret]" }]));
    },
  };
}
