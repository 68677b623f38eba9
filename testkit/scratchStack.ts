// Throwaway consortium stacks for tests and benchmarks: own project folder (under .work/, so the project's
// node_modules resolve), own file backend, own passphrase, own work dir; removed entirely by `dispose`.
import { Stack } from "@pulumi/pulumi/automation";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { processesUnder } from "../lib/localProcess";
import { REPO_ROOT, Tools } from "../lib/toolchain/resolve";
import { openStack, runPulumiCli } from "../lib/cli/workspace";

export interface ScratchStack {
  stack: Stack;
  projectDir: string;
  /** Unprotects, destroys and removes the stack, then deletes its folder (backend and work dir included). */
  dispose(): Promise<void>;
}

export async function createScratchStack(opts: { name: string; config: Record<string, unknown>; tools?: Tools }): Promise<ScratchStack> {
  await mkdir(join(REPO_ROOT, ".work"), { recursive: true });
  const projectDir = await mkdtemp(join(REPO_ROOT, ".work", `${opts.name}-`));
  const program = join(REPO_ROOT, "dist", "program", "index.js");
  await writeFile(
    join(projectDir, "Pulumi.yaml"),
    stringify({ name: `consortium-${opts.name}`, runtime: { name: "nodejs", options: { typescript: false } }, main: program }),
  );
  const config = Object.fromEntries(Object.entries(opts.config).map(([k, v]) => [`consortium:${k}`, v]));
  await writeFile(join(projectDir, `Pulumi.${opts.name}.yaml`), stringify({ config }));
  const stateDir = join(projectDir, "state");
  await mkdir(stateDir);
  const stack = await openStack({
    stack: opts.name,
    projectDir,
    ...(opts.tools ? { tools: opts.tools } : {}),
    env: { PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex") },
  });
  return {
    stack,
    projectDir,
    async dispose() {
      try {
        await runPulumiCli(stack, ["state", "unprotect", "--all", "--yes"], { quiet: true }).catch(() => undefined);
        await stack.destroy();
        await stack.workspace.removeStack(opts.name);
      } finally {
        // Whatever went wrong above, no process of this stack outlives it.
        for (const pid of processesUnder(projectDir)) process.kill(pid, "SIGKILL");
        await rm(projectDir, { recursive: true, force: true });
      }
    },
  };
}
