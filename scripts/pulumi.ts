// `npm run pulumi -- <args>`: the pinned Pulumi CLI with the project's environment (offline, file backend, the dev
// passphrase for stacks that declare `consortium:dev: true`), run at the repository root, which is the Pulumi project
// (stacks configured in stacks/Pulumi.<stack>.yaml). Without -s, the stack is the one selected there, and its
// passphrase is checked the same way.
import { execa } from "execa";
import { join } from "node:path";
import { ensureTools, Tools } from "../lib/toolchain/resolve";
import { stackArg } from "../lib/cli/args";
import { PROJECT_DIR, pulumiEnv, requirePassphrase } from "../lib/cli/env";
import { prepareBackend } from "../lib/cli/fileBackend";
import { legacyNotice, legacyStacks } from "../lib/cli/legacyStacks";

/** The stack selected in `cwd` (what pulumi uses without -s), if any. */
async function selectedStack(pulumi: string, cwd: string, env: Record<string, string>): Promise<string | undefined> {
  const r = await execa(pulumi, ["stack", "--show-name", "--non-interactive"], { cwd, env, reject: false });
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const tools: Tools = await ensureTools({ log: () => {} });
  const pulumi = join(tools.pulumiRoot, "bin", "pulumi");
  const cwd = argv.includes("--cwd") || argv.includes("-C") ? process.cwd() : PROJECT_DIR;
  const backend = prepareBackend(pulumiEnv(tools, undefined, cwd).PULUMI_BACKEND_URL);
  const base = { ...pulumiEnv(tools, undefined, cwd), PULUMI_BACKEND_URL: backend };
  const legacy = cwd === PROJECT_DIR ? legacyStacks(base.PULUMI_BACKEND_URL) : [];
  if (legacy.length) console.error(legacyNotice(legacy));
  const stack = stackArg(argv) ?? (await selectedStack(pulumi, cwd, base));
  const env = { ...pulumiEnv(tools, stack, cwd), PULUMI_BACKEND_URL: backend };
  if (stack) requirePassphrase(stack, cwd, { ...process.env, ...env });
  const r = await execa(pulumi, argv, { cwd, env, stdio: "inherit", reject: false });
  return r.exitCode ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[pulumi] ${err.message}`);
    process.exit(1);
  },
);
