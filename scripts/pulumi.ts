// `npm run pulumi -- <args>`: the pinned Pulumi CLI with the project's environment (offline, file backend,
// dev passphrase for the dev stack), run in the folder of the stack named by -s (default: the dev stack).
import { execa } from "execa";
import { join } from "node:path";
import { ensureTools } from "./toolchain/resolve";
import { stackArg } from "./lib/args";
import { DEV_STACK, ensureBackendDir, projectDirFor, pulumiEnv } from "./lib/env";

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const tools = await ensureTools({ log: () => {} });
  const stack = stackArg(argv);
  const env = pulumiEnv(tools, stack ?? DEV_STACK);
  ensureBackendDir(env.PULUMI_BACKEND_URL);
  const cwd = argv.includes("--cwd") || argv.includes("-C") ? process.cwd() : projectDirFor(stack ?? DEV_STACK);
  const r = await execa(join(tools.pulumiRoot, "bin", "pulumi"), argv, { cwd, env, stdio: "inherit", reject: false });
  return r.exitCode ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[pulumi] ${err.message}`);
    process.exit(1);
  },
);
