// Global setup of `npm run golden` (vitest.config.ts, mode "golden"): after the golden-file tests rewrote their files,
// names every file in test/golden that no test wrote in this run (a golden file nothing compares with any more, or a
// test that failed before writing): review it, delete it if it is stale.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** test/golden (as GOLDEN_DIR of test/render/golden.ts, which this setup cannot import: it imports vitest's test API). */
const GOLDEN_DIR = join(__dirname, "..", "golden");

export default function setup(): () => void {
  const started = Date.now();
  return () => {
    const untouched = (readdirSync(GOLDEN_DIR, { recursive: true }) as string[])
      .filter((f) => statSync(join(GOLDEN_DIR, f)).isFile() && statSync(join(GOLDEN_DIR, f)).mtimeMs < started)
      .sort();
    if (untouched.length) console.warn(`[golden] not rewritten by any test in this run (stale, or its test failed or was filtered out):\n${untouched.map((f) => `  test/golden/${f}`).join("\n")}`);
    else console.log("[golden] every file in test/golden was rewritten: review the diff (git diff test/golden) and commit it");
  };
}
