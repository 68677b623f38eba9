// lib/cli/nodeLogs.ts: what `npm start` prints when its `up` fails — the last lines of every process log in the work dir.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nodeLogTails } from "../../lib/cli/nodeLogs";

describe("nodeLogTails", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const workDir = () => {
    const d = mkdtempSync(join(tmpdir(), "node-logs-"));
    dirs.push(d);
    return d;
  };

  it("names each process's log and shows its last lines only, skipping directories without a log", () => {
    const dir = workDir();
    mkdirSync(join(dir, "alpha"));
    writeFileSync(join(dir, "alpha", "node.log"), "one\ntwo\nthree\n");
    mkdirSync(join(dir, "creations")); // no log: not a process
    writeFileSync(join(dir, "outputs.json"), "{}");
    expect(nodeLogTails(dir, 2)).toBe(`== ${join(dir, "alpha", "node.log")}\ntwo\nthree`);
  });

  it("is empty when the work dir does not exist (nothing was started)", () => {
    expect(nodeLogTails(join(workDir(), "missing"), 5)).toBe("");
  });
});
