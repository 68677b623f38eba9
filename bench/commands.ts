// Command overhead: what a user waits for before a command does its work. Side by side in one run, on the same
// checkout with nothing to rebuild: the build's fast check (scripts/build.mjs) against the incremental `tsc -b` no-op
// it skips (`--full`), and `consortium tools` end to end against what `npm run tools` ran before the one entry point
// (`npm run --silent build` with a full check, then the command in a second process); and the dynamic-provider host
// every engine operation starts, ours (the SDK's large unused packages deferred: scripts/pulumi-plugins) against the
// SDK's own, each loading everything and leaving at once (no engine address given); and what a program's language host
// does for its dynamic providers, ours naming each (components/projectResource.ts) against the SDK's serialisation of
// each (bench/providerNaming.ts).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/toolchain/resolve";

const ROUNDS = Number(process.env.BENCH_COMMAND_ROUNDS ?? 5);

/** The provider hosts' exit status when no engine address is given (`process.exit(-1)`). */
const NO_ENGINE_ADDRESS = 255;

/** Median wall seconds of `ROUNDS` runs of `file args` (after one warm-up run); `exitCode` is the status expected. */
function median(file: string, args: string[], exitCode = 0): number {
  const run = () => {
    const r = spawnSync(file, args, { cwd: REPO_ROOT, stdio: "ignore" });
    if (r.status !== exitCode) throw new Error(`${file} ${args.join(" ")} exited with ${r.status ?? r.signal}, not ${exitCode}`);
  };
  run();
  const seconds = Array.from({ length: ROUNDS }, () => {
    const t0 = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  }).sort((a, b) => a - b);
  return seconds[Math.floor(seconds.length / 2)];
}

/** What our language host loads first (README "The Node.js language host"). */
const LAZY_SDK_DEPS = join(REPO_ROOT, "scripts", "pulumi-plugins", "lazy-sdk-deps.cjs");

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
  const rows: [string, [string, string[]], [string, string[]], number?][] = [
    ["build, nothing changed", [node, [build]], [node, [build, "--full"]]],
    [
      "`tools` command end to end",
      [node, [join(REPO_ROOT, "bin", "consortium.mjs"), "tools"]],
      ["sh", ["-c", `npm run --silent build -- --full && ${node} dist/scripts/tools.js`]],
    ],
    [
      "a program's dynamic providers given to the engine",
      [node, ["-r", LAZY_SDK_DEPS, join(REPO_ROOT, "dist", "bench", "providerNaming.js"), "named"]],
      [node, ["-r", LAZY_SDK_DEPS, join(REPO_ROOT, "dist", "bench", "providerNaming.js"), "serialised"]],
    ],
    [
      "dynamic-provider host start",
      [node, [join(REPO_ROOT, "scripts", "pulumi-plugins", "dynamic-provider-host.cjs")]],
      [node, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [REPO_ROOT] })]],
      NO_ENGINE_ADDRESS,
    ],
  ];
  return rows.map(([what, [f1, a1], [f2, a2], exitCode]) => {
    const ours = median(f1, a1, exitCode);
    const baseline = median(f2, a2, exitCode);
    return { what, ours, baseline, speedup: baseline / ours };
  });
}
