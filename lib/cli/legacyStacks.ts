// Finding the stacks of the per-folder layout in a file backend. Before the repository root became the Pulumi project,
// each `stacks/<consortium>/` folder was a Pulumi project of its own, named `consortium-<consortium>` (the dev stack was
// `consortium-dev/dev`). The backend names stacks `<project>/<stack>`, so the root project (`consortium`) does not see
// them: `pulumi stack ls` leaves them out while their nodes and agents may still run and hold their ports. The commands
// warn about them (lib/cli/workspace.ts); lib/cli/legacy.ts opens, adopts or tears them down.
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { backendUrl, projectName } from "./env";

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
  const stackNames = [...new Set(stacks.map((l) => l.stack))];
  const adopts = stackNames.map((s) => `npm run adopt -- -s ${s}`).join("; ");
  const downs = stackNames.map((s) => `npm run down -- -s ${s} --purge --yes`).join("; ");
  return (
    `warning: the state backend still holds ${names} from the per-folder layout (one Pulumi project per stacks/<consortium>/ ` +
    `folder, before the repository root became the project "${projectName()}"). Its nodes and agents may still run and hold their ports, ` +
    `and this project's stacks do not include it. Keep it, with its keys and contracts, in the root project: ${adopts}; or tear it down: ${downs} ` +
    `(README, "Stacks from the per-folder layout").`
  );
}

/** Whether a file backend holds `project/stack` (other backends: assumed). */
export function backendHasStack(url: string, project: string, stack: string): boolean {
  if (!url.startsWith("file://")) return true;
  const dir = join(fileURLToPath(url), ".pulumi", "stacks", project);
  return existsSync(join(dir, `${stack}.json`)) || existsSync(join(dir, `${stack}.json.gz`));
}
