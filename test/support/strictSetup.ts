// A rejection nobody awaited during a test fails that test (vitest alone reports it after the run, unattributed).
import { afterEach } from "vitest";

const stray: unknown[] = [];
process.on("unhandledRejection", (reason) => stray.push(reason));

afterEach(() => {
  if (!stray.length) return;
  const reasons = stray.splice(0).map((r) => (r instanceof Error ? r.stack ?? r.message : String(r)));
  throw new Error(`unhandled rejection(s) during this test:\n${reasons.join("\n")}`);
});
