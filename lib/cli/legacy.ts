// Stacks of the per-folder layout (found by lib/cli/legacyStacks.ts): `npm run adopt -- -s <stack>` moves such a stack
// into the root project with all it holds, and `npm run down -- -s <stack>` tears it down instead (README, "Stacks from
// the per-folder layout").
import type { ConsortiumStack } from "./workspace";
import { existsSync, readdirSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT, Tools } from "../toolchain/resolve";
import { backendUrl, projectName, stackConfigFile } from "./env";
import { backendHasStack, LegacyStack } from "./legacyStacks";
import { openStack, runPulumiCli } from "./workspace";

export interface LegacyOptions {
  /** The root project's folder (default: this repository). */
  root?: string;
  /** Extra environment (tests point the backend and passphrase elsewhere). */
  env?: Record<string, string>;
  tools?: Tools;
}

/** The stack's configuration file of the per-folder layout, else the moved one: it holds the stack's secrets salt. */
function legacyConfigFile(legacy: LegacyStack, root: string): string {
  const stacksDir = join(root, "stacks");
  const file = `Pulumi.${legacy.stack}.yaml`;
  const oldFolder = legacy.project.slice("consortium-".length);
  const config = [join(stacksDir, oldFolder, file), ...(existsSync(stacksDir) ? readdirSync(stacksDir).map((d) => join(stacksDir, d, file)) : []), join(stacksDir, file)].find((f) =>
    existsSync(f),
  );
  if (!config) throw new Error(`no configuration for ${legacy.project}/${legacy.stack} (looked for stacks/${oldFolder}/${file} and stacks/${file}): it holds the stack's secrets salt`);
  return config;
}

/**
 * Opens a per-folder layout stack: a throwaway project folder under `.work/` named as its project, with the stack's
 * configuration file. A destroy runs the providers stored in the state, not the program.
 */
export async function openLegacyStack(legacy: LegacyStack, opts: LegacyOptions = {}): Promise<{ stack: ConsortiumStack; dispose(): Promise<void> }> {
  const root = opts.root ?? REPO_ROOT;
  const config = legacyConfigFile(legacy, root);
  await mkdir(join(root, ".work"), { recursive: true });
  const projectDir = await mkdtemp(join(root, ".work", `legacy-${legacy.project}-`));
  await writeFile(
    join(projectDir, "Pulumi.yaml"),
    stringify({ name: legacy.project, runtime: { name: "nodejs", options: { typescript: false } }, main: join(root, "dist", "program", "index.js") }),
  );
  await copyFile(config, join(projectDir, `Pulumi.${legacy.stack}.yaml`));
  const stack = await openStack({ stack: legacy.stack, projectDir, warnLegacy: false, ...(opts.tools ? { tools: opts.tools } : {}), ...(opts.env ? { env: opts.env } : {}) });
  return { stack, dispose: () => rm(projectDir, { recursive: true, force: true }) };
}

/**
 * Moves a per-folder layout stack into the root project with everything it holds (keys, contracts, nodes): the
 * backend renames its project (`pulumi stack rename organization/<project>/<stack>`, which rewrites every URN), and
 * its configuration file is copied to `stacks/Pulumi.<stack>.yaml` (same secrets salt, so the same passphrase opens
 * it). The components' old type names are aliases of the new ones, so the next `up` finds every resource where it
 * was. Refused, before anything changes, when the root project already has a stack of that name or a different
 * configuration file for it. Returns the configuration file's path.
 */
export async function adoptLegacyStack(legacy: LegacyStack, opts: LegacyOptions = {}): Promise<string> {
  const root = opts.root ?? REPO_ROOT;
  const project = projectName(root);
  const url = opts.env?.PULUMI_BACKEND_URL ?? backendUrl();
  if (backendHasStack(url, project, legacy.stack)) {
    throw new Error(
      `the root project already has a stack ${project}/${legacy.stack}: adopting ${legacy.project}/${legacy.stack} would replace it. ` +
        `Fix: tear that one down first (npm run down -- -s ${legacy.stack} --purge), or keep the old one and rename it in its own folder.`,
    );
  }
  const from = legacyConfigFile(legacy, root);
  const to = stackConfigFile(root, legacy.stack);
  if (from !== to && existsSync(to) && (await readFile(to, "utf8")) !== (await readFile(from, "utf8"))) {
    throw new Error(`${to} exists and differs from ${from}: keep the one that belongs to ${legacy.project}/${legacy.stack} (it holds its secrets salt) and remove the other`);
  }
  const opened = await openLegacyStack(legacy, opts);
  try {
    await runPulumiCli(opened.stack, ["stack", "rename", `organization/${project}/${legacy.stack}`], { stdout: "ignore" });
  } finally {
    await opened.dispose();
  }
  if (from !== to) {
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }
  return to;
}
