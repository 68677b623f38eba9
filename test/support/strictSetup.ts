// Setup of every test file (vitest.config.ts's setupFiles), run again for each file a worker runs.
// - A rejection nobody awaited during a test fails that test (vitest alone reports it after the run, unattributed).
// - What a file leaves in a worker shared with the next file (the lanes that share a module cache) is cleared after
//   it: the environment variables and globals it stubbed (vi.stubEnv, vi.stubGlobal), and this process's nonce
//   counters (lib/eth/sequencedWallet.ts), keyed by chain id and address, which the next file's fresh chains (the
//   same ids, the same dev keys) would contradict.
import { afterAll, afterEach, vi } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";

// One listener per process, however many files the worker runs.
const STRAY = Symbol.for("consortium.test.strayRejections");
const registry = globalThis as { [STRAY]?: unknown[] };
if (!registry[STRAY]) {
  const reasons: unknown[] = [];
  registry[STRAY] = reasons;
  process.on("unhandledRejection", (reason) => reasons.push(reason));
}
const stray = registry[STRAY];

afterEach(() => {
  if (!stray.length) return;
  const reasons = stray.splice(0).map((r) => (r instanceof Error ? r.stack ?? r.message : String(r)));
  throw new Error(`unhandled rejection(s) during this test:\n${reasons.join("\n")}`);
});

afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  SequencedWallet.resetAll();
});
