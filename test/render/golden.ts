// Golden files: a rendering must equal test/golden/<name>. Only `npm run golden` rewrites them (then review the diff
// and commit it); `npm test`, `npm run test:unit` and any `npx vitest run` only compare.
// Design: write mode is not an environment variable but a value that only the golden mode of vitest.config.ts
// (`vitest run --mode golden`, the script `golden`) provides to the tests (`provide: { updateGolden: true }`, read
// here with `inject`), so no variable left set in a shell can turn a test run into a rewrite that always passes.
// UPDATE_GOLDEN, the former switch, is refused outside that mode (the test scripts unset it) rather than ignored, so
// nobody believes files were rewritten when they were not.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by vitest.config.ts in mode "golden" only (`npm run golden`). */
    updateGolden: boolean;
  }
}

export const GOLDEN_DIR = join(__dirname, "..", "golden");

/** Compares `actual` (plain JSON data) with test/golden/<name>, or rewrites that file under `npm run golden`. */
export function expectGolden(name: string, actual: unknown): void {
  const file = join(GOLDEN_DIR, name);
  const text = JSON.stringify(actual, null, 2) + "\n";
  if (inject("updateGolden") === true) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (process.env.UPDATE_GOLDEN) {
    throw new Error(`UPDATE_GOLDEN is set, but golden files are rewritten only by \`npm run golden\` (this run compares): unset it, or run npm run golden`);
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${file} is missing: generate it with \`npm run golden\`, review it, and commit it`);
  }
  const expected: unknown = JSON.parse(readFileSync(file, "utf8"));
  expect(JSON.parse(text), `rendering differs from ${file} (\`npm run golden\` rewrites it, after review)`).toEqual(expected);
}
