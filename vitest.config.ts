import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./test/support/sequencer";
import { goldenTestFiles, isolatedChainLaneFiles, isolatedUnitFiles, sharedChainLaneFiles, sharedUnitFiles, stacksLaneFiles } from "./test/support/suites";

// Modes (`vitest run --mode <mode>`; test/support/suites.ts says which files each runs):
//   test    (the default: `npx vitest run <file>`) every test file;
//   stacks, chains-isolated + chains  (`npm test`: scripts/test.mjs runs the two lanes side by side) every test file;
//   unit-isolated + unit  (`npm run test:unit`: scripts/test.mjs --unit) the unit tests: no geth, chain, dockerd,
//           sshd, Pulumi engine or solc;
//   golden  (`npm run golden`) the golden-file tests, which rewrite test/golden instead of comparing with it.
// "chains" and "unit" run their files in one module cache per worker (the project is imported once per worker, not
// once per file: most of a unit run's time, ~6 s per file of the chains lane); their "-isolated" twins run the files
// that change what the next file would share (test/support/suites.ts), each in a cache of its own.
// Every mode first builds the project (test/support/buildSetup.ts): no test runs on a stale dist/ or a broken build.
export default defineConfig(({ mode }) => {
  const modes: Record<string, () => string[]> = {
    test: () => ["test/**/*.test.ts"],
    stacks: stacksLaneFiles,
    "chains-isolated": isolatedChainLaneFiles,
    chains: sharedChainLaneFiles,
    unit: sharedUnitFiles,
    "unit-isolated": isolatedUnitFiles,
    golden: goldenTestFiles,
  };
  const files = Object.hasOwn(modes, mode) ? modes[mode] : undefined;
  // Two files at a time: the unit tests (they start nothing), and the chains lane's (each starts its own chains,
  // stacks and agents on ports and in folders of its own, and mostly waits for blocks and the engine: two beside the
  // stacks lane's one kept both cores 85% busy over a CI run, against ~80% with one). The rest one file at a time.
  const twoAtATime = ["unit", "unit-isolated", "chains", "chains-isolated"].includes(mode);
  if (!files) throw new Error(`vitest.config.ts: unknown mode "${mode}" (${Object.keys(modes).join(", ")})`);
  return {
    test: {
      include: files(),
      fileParallelism: twoAtATime,
      maxWorkers: twoAtATime ? 2 : 1,
      isolate: mode !== "unit" && mode !== "chains",
      minWorkers: 1,
      sequence: { sequencer: LongestFirstSequencer },
      // Room for a `pulumi up` or a drift check on a slow, loaded 2-core machine (tests that need more say so).
      testTimeout: 180_000,
      hookTimeout: 300_000,
      reporters: ["default"],
      globalSetup: ["./test/support/buildSetup.ts", ...(mode === "golden" ? ["./test/support/goldenSetup.ts"] : [])],
      // Write mode of expectGolden (test/render/golden.ts): given in golden mode only, never by the environment.
      provide: { updateGolden: mode === "golden" },
      // A failed beforeAll fails its tests (not "skipped"); a rejection nobody awaited fails the test it happened in.
      runner: "./test/support/strictRunner.ts",
      setupFiles: ["./test/support/strictSetup.ts"],
    },
  };
});
