// The checkout's root: a module of its own (no tool lookup, no child processes) for the code a Pulumi program and its
// providers load on every engine run.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The checkout's root, from compiled (dist/lib/toolchain) or source (lib/toolchain) location alike. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "package-lock.json")) && existsSync(join(dir, "stacks"))) return dir;
  }
  throw new Error(`cannot find the project root above ${from}`);
}
