// The drift check's events (lib/cli/eventLog.ts): read from the log file the CLI was told to write, and refused when
// the log ends before the engine's summary — no finding from a cut-off log would mean "no drift" when it does not.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { readOnlyRunEvents } from "../../lib/cli/eventLog";

const resource = { sequence: 1, timestamp: 0, resourcePreEvent: { metadata: { op: "update", urn: "urn:pulumi:s::p::t::r", type: "t", provider: "" } } };
const summary = { sequence: 2, timestamp: 0, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: {}, PolicyPacks: {} } };

/** A stand-in for the CLI (this is about reading its log): writes `lines` where --event-log says, and records the call. */
function fakeCli(lines: unknown[]) {
  const calls: { args: string[]; env: Record<string, string>; log: string }[] = [];
  const cli = async (args: string[], env: Record<string, string>) => {
    const log = args[args.indexOf("--event-log") + 1];
    calls.push({ args, env, log });
    await writeFile(log, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  };
  return { cli, calls };
}

describe("readOnlyRunEvents", () => {
  it("runs the preview with diffs, or the refresh as a preview, with the debug flag that enables --event-log, and returns every event", async () => {
    const { cli, calls } = fakeCli([resource, summary]);
    expect(await readOnlyRunEvents("preview", cli)).toEqual([resource, summary]);
    expect(await readOnlyRunEvents("refresh-preview", cli)).toHaveLength(2);
    expect(calls.map((c) => c.args.slice(0, 2))).toEqual([["preview", "--diff"], ["refresh", "--preview-only"]]);
    expect(calls.every((c) => c.env.PULUMI_DEBUG_COMMANDS === "true")).toBe(true);
    // Its private folder is gone once read.
    for (const c of calls) expect(existsSync(dirname(c.log))).toBe(false);
  });

  it("refuses a log that ends before the summary, naming the run", async () => {
    await expect(readOnlyRunEvents("refresh-preview", fakeCli([resource]).cli)).rejects.toThrow(/event log of the refresh-preview ends before its summary/);
    await expect(readOnlyRunEvents("preview", fakeCli([]).cli)).rejects.toThrow(/preview ends before its summary/);
  });

  it("passes the CLI's failure on, and still removes the folder", async () => {
    let log = "";
    const failing = async (args: string[]) => {
      log = args[args.indexOf("--event-log") + 1];
      throw new Error("pulumi preview failed (exit 255)");
    };
    await expect(readOnlyRunEvents("preview", failing)).rejects.toThrow("exit 255");
    expect(existsSync(dirname(log))).toBe(false);
  });
});
