#!/usr/bin/env node
// `npm test`: the whole suite, in two lanes run side by side (test/support/suites.ts says which file runs where).
// The integration tests mostly wait — for blocks, for the engine, for containers to start — so one file at a time
// leaves the machine idle most of the run. The "stacks" lane holds the files that share what a machine has one of
// (the Docker engine, the sshd and dockerd hosts, the test cluster), which must run one after another, and one file
// there to balance the lanes; the "chains" lane every other file (geth chains, contracts, agents, renderers, the
// whole-stack tests on local processes, the federated member hosts), two at a time, longest first
// (test/support/sequencer.ts), beside it. A vitest run has one worker pool for all its projects, which cannot keep
// one group to one file at a time while another runs two; two vitest processes can.
// With arguments (`npm test -- test/bridge`), it is one plain `vitest run` with them: the lanes are for the whole suite.
// A lane, and `--unit` (`npm run test:unit`), may be several vitest modes one after the other (vitest.config.ts): the
// few files that change what the next file would share, each in a module cache of its own, then the others sharing one.
// Each line of a lane's output is prefixed with the lane's name; the exit code is non-zero if either lane failed.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const VITEST = join(ROOT, "node_modules", "vitest", "vitest.mjs");
/** Each lane's vitest modes, run one after the other. */
const LANES = { stacks: ["stacks"], chains: ["chains-isolated", "chains"] };
const UNIT_MODES = ["unit-isolated", "unit"];

// Golden files are compared, never written, in a test run (`npm run golden` writes them).
const env = { ...process.env };
delete env.UPDATE_GOLDEN;

function run(args, prefix) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VITEST, "run", ...args], { cwd: ROOT, env, stdio: prefix ? ["ignore", "pipe", "pipe"] : "inherit" });
    if (prefix) {
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on("line", (line) => (stream === child.stdout ? process.stdout : process.stderr).write(`[${prefix}] ${line}\n`));
      }
    }
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Runs the modes one after the other (every one, even after a failure); 0 if all passed. An empty "-isolated" mode passes. */
async function runModes(modes, extra, prefix) {
  let failed = 0;
  for (const mode of modes) {
    const code = await run(["--mode", mode, "--passWithNoTests", ...extra], prefix);
    if (code !== 0) failed = code;
  }
  return failed;
}

const args = process.argv.slice(2);
const started = Date.now();
if (args[0] === "--unit") process.exit(await runModes(UNIT_MODES, args.slice(1)));
if (args.length > 0) process.exit(await run(args));
const lanes = Object.keys(LANES);
const minutesSince = (t) => ((Date.now() - t) / 60000).toFixed(1);
// Each lane's own time, to balance them (test/support/suites.ts, BALANCING_FILES).
const results = await Promise.all(lanes.map(async (lane) => ({ lane, code: await runModes(LANES[lane], [], lane), minutes: minutesSince(started) })));
const said = results.map(({ lane, code, minutes }) => `${lane}: ${code === 0 ? "passed" : `FAILED (exit ${code})`} in ${minutes} min`);
console.log(`\n[test] ${said.join(", ")} — ${minutesSince(started)} min`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
