// `npm run down [-- -s <stack>] [--purge [--yes]]`: tear a stack down. Processes, ports and chain data go;
// the protected keys (and the dev account) stay in the stack's state unless --purge, which also removes the stack.
import { rm, rmdir } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { hasFlag, stackArg } from "../lib/cli/args";
import { DEV_STACK, projectDirFor } from "../lib/cli/env";
import { openStack, runPulumiCli } from "../lib/cli/workspace";

async function confirmPurge(stack: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`--purge deletes the keys of stack "${stack}" for good. Type the stack name to confirm: `);
  rl.close();
  return answer.trim() === stack;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const name = stackArg(argv) ?? DEV_STACK;
  const purge = hasFlag(argv, "--purge");
  if (purge && !hasFlag(argv, "--yes", "-y") && !(await confirmPurge(name))) {
    throw new Error("purge not confirmed: nothing was changed (pass --yes to confirm non-interactively).");
  }
  const stack = await openStack({ stack: name, projectDir: projectDirFor(name) });
  const workDir = (await stack.outputs()).workDir?.value as string | undefined;
  const onOutput = (s: string) => process.stdout.write(s);
  if (purge) {
    await runPulumiCli(stack, ["state", "unprotect", "--all", "--yes"]);
    await stack.destroy({ onOutput });
    await stack.workspace.removeStack(name, { preserveConfig: true }); // the stack file is the operator's configuration
    if (workDir) await rm(workDir, { recursive: true, force: true });
    console.log(`[down] stack ${name} destroyed and removed, keys included.`);
  } else {
    await stack.destroy({ onOutput, excludeProtected: true });
    if (workDir) await rmdir(workDir).catch(() => undefined); // only if empty: nodes remove their own directories
    console.log(`[down] stack ${name} is down; its keys are kept (protected) for the next \`npm start\`. Use -- --purge to delete them.`);
  }
}

main().catch((err: Error) => {
  console.error(`[down] ${err.message}`);
  process.exit(1);
});
