// A stack driven by the pinned Pulumi CLI itself, for the commands users wait on most (`npm start`, the commands that
// read its outputs). The Automation API (lib/cli/workspace.ts) wraps each operation in CLI calls of its own —
// `pulumi version`, `stack select`, the outputs read twice one after the other, the update history — which cost a
// no-op start seconds over the engine's own time; here an `up` is one CLI call, and its outputs one more pair of
// calls run side by side.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { execa } from "execa";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileBackendCheckpoint } from "./env";
import { ReadOnlyRun, readOnlyRunEvents } from "./eventLog";
import type { StackOutputs } from "./outputsCache";
import { OpenStackOptions, stackEnvironment } from "./stackEnvironment";

export interface CliStack {
  /** `pulumi up` with its output streamed to `onOutput`; rejects with the engine's message when it fails. */
  up(opts: { refresh: boolean; parallel: number; onOutput: (text: string) => void }): Promise<void>;
  /** The outputs, each marked secret or not (as the Automation API's `outputs()` gives them). */
  outputs(): Promise<StackOutputs>;
  /** The engine's events of a read-only run: a preview with diffs (code vs state), or a preview-only refresh (state vs world). */
  events(run: ReadOnlyRun): Promise<EngineEvent[]>;
}

/**
 * `create`: select the stack, creating it, when the file backend does not hold it yet (an `up`); a command that only
 * reads passes false, and a missing stack is then the CLI's own "no stack named …" error.
 */
export async function openCliStack(opts: OpenStackOptions, { create = true } = {}): Promise<CliStack> {
  const { tools, envVars: env } = await stackEnvironment(opts);
  const pulumi = join(tools.pulumiRoot, "bin", "pulumi");
  /** One CLI call; its output is streamed to `onOutput` when given. */
  const cli = async (args: string[], onOutput?: (text: string) => void, extraEnv: Record<string, string> = {}) => {
    const child = execa(pulumi, [...args, "--non-interactive"], { cwd: opts.projectDir, env: { ...env, ...extraEnv }, all: true, reject: false });
    if (onOutput) child.all?.on("data", (chunk: Buffer) => onOutput(chunk.toString()));
    const r = await child;
    // Streamed output was seen already: the error then names the command to re-run by hand.
    if (r.exitCode !== 0) throw new Error(`pulumi ${args.slice(0, 2).join(" ")} failed (exit ${r.exitCode})${onOutput ? `: the engine's messages are above; \`npm run pulumi -- ${args[0]} -s ${opts.stack}\` shows the same` : `:\n${r.all}`}`);
    return r.stdout;
  };
  // First use (or a backend we cannot look into): select the stack, creating it when missing.
  const checkpoint = fileBackendCheckpoint(opts.stack, opts.projectDir);
  if (create && (!checkpoint || !existsSync(checkpoint))) await cli(["stack", "select", "--create", opts.stack]);
  return {
    async up({ refresh, parallel, onOutput }) {
      await cli(["up", "--yes", "--skip-preview", ...(refresh ? ["--refresh"] : []), "--parallel", String(parallel), "--stack", opts.stack], onOutput);
    },
    async outputs() {
      // Secret values come only with --show-secrets, which does not say which were secret: the masked read does.
      const read = (...flags: string[]) => cli(["stack", "output", "--json", ...flags, "--stack", opts.stack]);
      const [masked, shown] = await Promise.all([read(), read("--show-secrets")]);
      const secretMarks = JSON.parse(masked) as Record<string, unknown>;
      const values = JSON.parse(shown) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, secret: secretMarks[k] === "[secret]" }]));
    },
    events: (run) => readOnlyRunEvents(run, (args, extraEnv) => cli([...args, "--stack", opts.stack], undefined, extraEnv)),
  };
}
