// Command overhead: what a user waits for before a command does its work. Side by side in one run, on the same
// checkout with nothing to rebuild: the build's fast check (scripts/build.mjs) against the incremental `tsc -b` no-op
// it skips (`--full`), and `consortium tools` end to end against what `npm run tools` ran before the one entry point
// (`npm run --silent build` with a full check, then the command in a second process).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/toolchain/resolve";

const ROUNDS = Number(process.env.BENCH_COMMAND_ROUNDS ?? 5);

/** Median wall seconds of `ROUNDS` runs of `file args` (after one warm-up run). */
function median(file: string, args: string[]): number {
  const run = () => execFileSync(file, args, { cwd: REPO_ROOT, stdio: "ignore" });
  run();
  const seconds = Array.from({ length: ROUNDS }, () => {
    const t0 = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  }).sort((a, b) => a - b);
  return seconds[Math.floor(seconds.length / 2)];
}

export interface CommandOverhead {
  what: string;
  ours: number;
  baseline: number;
  /** baseline / ours: how many times faster. */
  speedup: number;
}

export function benchCommands(log: (m: string) => void): CommandOverhead[] {
  log(`commands: ${ROUNDS} runs each, nothing to rebuild ...`);
  const node = process.execPath;
  const build = join(REPO_ROOT, "scripts", "build.mjs");
  const rows: [string, [string, string[]], [string, string[]]][] = [
    ["build, nothing changed", [node, [build]], [node, [build, "--full"]]],
    [
      "`tools` command end to end",
      [node, [join(REPO_ROOT, "bin", "consortium.mjs"), "tools"]],
      ["sh", ["-c", `npm run --silent build -- --full && ${node} dist/scripts/tools.js`]],
    ],
  ];
  return rows.map(([what, [f1, a1], [f2, a2]]) => {
    const ours = median(f1, a1);
    const baseline = median(f2, a2);
    return { what, ours, baseline, speedup: baseline / ours };
  });
}
