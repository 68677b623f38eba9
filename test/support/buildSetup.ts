// vitest's global setup (every config: vitest.config.ts and those extending it): before any test file loads, the run
// brings dist/ up to date with scripts/build.mjs, the same incremental build and prune as `npm run build`, and stops
// at the first compiler error. So every run, the whole suite or `npx vitest run <one file>`, starts from a build of
// the sources as they are: a test that spawns compiled code (the agent, the Pulumi program under the engine, the PoCo
// providers) never runs an older or partial dist/, and no test runs at all when the project does not compile.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** Set for the run's workers once the build passed; testkit/agentBuild.ts's ensureAgentBuilt then has nothing to do. */
export const BUILT_MARK = "CONSORTIUM_DIST_BUILT";

export default function setup(): void {
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(__dirname, "..", "..", "scripts", "build.mjs")], { encoding: "utf8" });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  if (r.status !== 0) {
    // Exits rather than throws: vitest would report a failed global setup after "No test files found", which misleads.
    process.stderr.write(`\n[build] the project does not build, so no test runs (\`npm run build\` shows the same):\n${output || r.error?.message || `exit ${r.status}, signal ${r.signal}`}\n\n`);
    process.exit(1);
  }
  if (output) console.log(output);
  console.log(`[build] dist/ is up to date with the sources (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.env[BUILT_MARK] = String(started);
}
