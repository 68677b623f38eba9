// `npm run down [-- -s <stack>] [--purge [--yes]]`: tear a stack down. Processes, ports and chain data go;
// the protected keys (and the dev account) stay in the stack's state unless --purge, which also removes the stack.
// A stack of the same name left by the per-folder layout (`consortium-<consortium>/<stack>`, lib/cli/legacy.ts) is
// torn down the same way.
import type { ConsortiumStack } from "../lib/cli/workspace";
import { rm, rmdir } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { hasFlag, stackArg } from "../lib/cli/args";
import { backendUrl, DEV_STACK, PROJECT_DIR, projectDirFor, projectName } from "../lib/cli/env";
import { openLegacyStack } from "../lib/cli/legacy";
import { backendHasStack, legacyStacks } from "../lib/cli/legacyStacks";
import { outputsCacheFile } from "../lib/cli/outputsCache";
import { openStack, runPulumiCli } from "../lib/cli/workspace";

async function confirmPurge(stack: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`--purge deletes the keys of stack "${stack}" for good. Type the stack name to confirm: `);
  rl.close();
  return answer.trim() === stack;
}

/** Destroys `stack`; with `purge`, its keys and the stack itself too. `label` names it in messages. */
async function teardown(stack: ConsortiumStack, label: string, purge: boolean, projectDir: string): Promise<void> {
  // The work dir output is relative to the project folder unless configured absolute (per-folder stacks: absolute).
  const output = (await stack.outputs()).workDir?.value as string | undefined;
  const workDir = output === undefined ? undefined : isAbsolute(output) ? output : resolve(projectDir, output);
  const onOutput = (s: string) => process.stdout.write(s);
  // The outputs cached for read-only commands describe what is about to go (stale anyway once the checkpoint changes).
  await rm(outputsCacheFile(stack.name), { force: true });
  if (purge) {
    await runPulumiCli(stack, ["state", "unprotect", "--all", "--yes"]);
    await stack.destroy({ onOutput });
    await stack.workspace.removeStack(stack.name, { preserveConfig: true }); // the stack file is the operator's configuration
    if (workDir) await rm(workDir, { recursive: true, force: true });
    console.log(`[down] stack ${label} destroyed and removed, keys included.`);
  } else {
    await stack.destroy({ onOutput, excludeProtected: true });
    if (workDir) await rmdir(workDir).catch(() => undefined); // only if empty: nodes remove their own directories
    console.log(`[down] stack ${label} is down; its keys are kept (protected) for the next \`npm start\`. Use -- --purge to delete them.`);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const name = stackArg(argv) ?? DEV_STACK;
  const purge = hasFlag(argv, "--purge");
  if (purge && !hasFlag(argv, "--yes", "-y") && !(await confirmPurge(name))) {
    throw new Error("purge not confirmed: nothing was changed (pass --yes to confirm non-interactively).");
  }
  const legacy = legacyStacks().filter((l) => l.stack === name);
  // With a per-folder layout stack of that name, the current one is torn down only if it exists (not created empty).
  const current = legacy.length === 0 ? projectDirFor(name) : backendHasStack(backendUrl(), projectName(), name) ? tryProjectDir(name) : undefined;
  if (current) await teardown(await openStack({ stack: name, projectDir: current, warnLegacy: false }), name, purge, current);
  for (const l of legacy) {
    console.log(`[down] ${l.project}/${l.stack} is from the per-folder layout: tearing it down too.`);
    const opened = await openLegacyStack(l);
    try {
      await teardown(opened.stack, `${l.project}/${l.stack}`, purge, PROJECT_DIR);
      // Its old folder stacks/<consortium>/ (only a .work/ left in it once its configuration moved) goes if empty.
      const old = join(PROJECT_DIR, "stacks", l.project.slice("consortium-".length));
      for (const dir of [join(old, ".work"), old]) await rmdir(dir).catch(() => undefined);
      if (!purge) console.log(`[down] ${l.project}/${l.stack} cannot be brought up again from this layout: add -- --purge to remove it.`);
    } finally {
      await opened.dispose();
    }
  }
}

/** The stack's project folder, or none without its configuration (only the per-folder layout stack is torn down then). */
function tryProjectDir(name: string): string | undefined {
  try {
    return projectDirFor(name);
  } catch {
    return undefined;
  }
}

main().catch((err: Error) => {
  console.error(`[down] ${err.message}`);
  process.exit(1);
});
