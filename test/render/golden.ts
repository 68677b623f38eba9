// Golden files: `UPDATE_GOLDEN=1 npx vitest run test/render` (re)writes them; otherwise the rendering must equal them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";

export const GOLDEN_DIR = join(__dirname, "..", "golden");

/** Compares `actual` (plain JSON data) with test/golden/<name>, or rewrites that file when UPDATE_GOLDEN=1. */
export function expectGolden(name: string, actual: unknown): void {
  const file = join(GOLDEN_DIR, name);
  const text = JSON.stringify(actual, null, 2) + "\n";
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${file} is missing: generate it with UPDATE_GOLDEN=1 npx vitest run test/render, review it, and commit it`);
  }
  const expected: unknown = JSON.parse(readFileSync(file, "utf8"));
  expect(JSON.parse(text), `rendering differs from ${file} (UPDATE_GOLDEN=1 rewrites it after review)`).toEqual(expected);
}
