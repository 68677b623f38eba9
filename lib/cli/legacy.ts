// Stacks of the per-folder layout. Before the repository root became the Pulumi project, each `stacks/<consortium>/`
// folder was a Pulumi project of its own, named `consortium-<consortium>` (the dev stack was `consortium-dev/dev`). The
// backend names stacks `<project>/<stack>`, so the root project (`consortium`) does not see them: `pulumi stack ls`
// leaves them out while their nodes and agents may still run and hold their ports. The commands warn about them, and
// `npm run down -- -s <stack>` tears such a stack down too (README, "Stacks from the per-folder layout").
import { Stack } from "@pulumi/pulumi/automation";
import { existsSync, readdirSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT, Tools } from "../toolchain/resolve";
import { backendUrl, projectName } from "./env";
import { openStack } from "./workspace";

export interface LegacyStack {
  /** Its project: `consortium-<consortium>`. */
  project: string;
  stack: string;
}

/** The per-folder layout's stacks in a file backend (other backends are not searched). */
export function legacyStacks(url: string = backendUrl(), current: string = projectName()): LegacyStack[] {
  if (!url.startsWith("file://")) return [];
  const root = join(fileURLToPath(url), ".pulumi", "stacks");
  if (!existsSync(root)) return [];
  const found: LegacyStack[] = [];
  for (const project of readdirSync(root, { withFileTypes: true })) {
    if (!project.isDirectory() || project.name === current || !project.name.startsWith("consortium-")) continue;
    for (const file of readdirSync(join(root, project.name))) {
      const m = /^(.+)\.json(\.gz)?$/.exec(file);
      if (m) found.push({ project: project.name, stack: m[1] });
    }
  }
  return found.sort((a, b) => `${a.project}/${a.stack}`.localeCompare(`${b.project}/${b.stack}`));
}

/** What the commands print while such stacks exist. */
export function legacyNotice(stacks: LegacyStack[]): string {
  const names = stacks.map((l) => `${l.project}/${l.stack}`).join(", ");
  const downs = [...new Set(stacks.map((l) => l.stack))].map((s) => `npm run down -- -s ${s} --purge --yes`).join("; ");
  return (
    `warning: the state backend still holds ${names} from the per-folder layout (one Pulumi project per stacks/<consortium>/ ` +
    `folder, before the repository root became the project "${projectName()}"). Its nodes and agents may still run and hold their ports, ` +
    `and this project's stacks do not include it. Tear it down: ${downs} (README, "Stacks from the per-folder layout").`
  );
}

/**
 * Opens a per-folder layout stack, to tear it down: a throwaway project folder under `.work/` named as its project,
 * with the stack's configuration file (its old `stacks/<consortium>/Pulumi.<stack>.yaml`, else the moved
 * `stacks/Pulumi.<stack>.yaml`, which carries the same secrets salt). A destroy runs the providers stored in the state,
 * not the program.
 */
export async function openLegacyStack(legacy: LegacyStack, tools?: Tools): Promise<{ stack: Stack; dispose(): Promise<void> }> {
  const stacksDir = join(REPO_ROOT, "stacks");
  const file = `Pulumi.${legacy.stack}.yaml`;
  const oldFolder = legacy.project.slice("consortium-".length);
  const config = [join(stacksDir, oldFolder, file), ...(existsSync(stacksDir) ? readdirSync(stacksDir).map((d) => join(stacksDir, d, file)) : []), join(stacksDir, file)].find((f) =>
    existsSync(f),
  );
  if (!config) throw new Error(`no configuration for ${legacy.project}/${legacy.stack} (looked for stacks/${oldFolder}/${file} and stacks/${file}): it holds the stack's secrets salt`);
  await mkdir(join(REPO_ROOT, ".work"), { recursive: true });
  const projectDir = await mkdtemp(join(REPO_ROOT, ".work", `legacy-${legacy.project}-`));
  await writeFile(
    join(projectDir, "Pulumi.yaml"),
    stringify({ name: legacy.project, runtime: { name: "nodejs", options: { typescript: false } }, main: join(REPO_ROOT, "dist", "program", "index.js") }),
  );
  await copyFile(config, join(projectDir, file));
  const stack = await openStack({ stack: legacy.stack, projectDir, warnLegacy: false, ...(tools ? { tools } : {}) });
  return { stack, dispose: () => rm(projectDir, { recursive: true, force: true }) };
}
