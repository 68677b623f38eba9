#!/usr/bin/env node
// `npm test`: the whole suite, in two lanes run side by side (test/support/suites.ts says which file runs where).
// The integration tests mostly wait — for blocks, for the engine, for containers to start — so one file at a time
// leaves the machine idle most of the run. The "stacks" lane holds the files that share what a machine has one of
// (the Docker engine, network namespaces with their sshd hosts), which must run one after another, and the Pulumi
// engine's whole-stack tests; the "chains" lane every other file (geth chains, contracts, agents, renderers), also one
// at a time, beside it. A vitest run has one worker pool for all its projects, which cannot keep one group exclusive
// while another runs beside it; two vitest processes can.
// With arguments (`npm test -- test/bridge`), it is one plain `vitest run` with them: the lanes are for the whole suite.
// `--unit` (`npm run test:unit`) runs the unit tests' two modes one after the other (vitest.config.ts): the few that
// replace modules or globals in caches of their own, then the others sharing one.
// Each line of a lane's output is prefixed with the lane's name; the exit code is non-zero if either lane failed.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const VITEST = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const LANES = ["stacks", "chains"];
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

const args = process.argv.slice(2);
const started = Date.now();
if (args[0] === "--unit") {
  const codes = [];
  for (const mode of UNIT_MODES) codes.push(await run(["--mode", mode, ...args.slice(1)]));
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
}
const codes = args.length > 0 ? [await run(args)] : await Promise.all(LANES.map((lane) => run(["--mode", lane], lane)));
if (args.length === 0) {
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  console.log(`\n[test] ${LANES.map((lane, i) => `${lane}: ${codes[i] === 0 ? "passed" : `FAILED (exit ${codes[i]})`}`).join(", ")} — ${minutes} min`);
}
process.exit(codes.every((c) => c === 0) ? 0 : 1);
