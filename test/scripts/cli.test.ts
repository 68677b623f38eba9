// bin/consortium.mjs, the one entry point of the commands (`consortium <command>`, `npm run <command>`): help for all
// and for each, a clear refusal of an unknown command, and a command's own arguments reaching its module.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../lib/cli/commands";

const BIN = join(__dirname, "..", "..", "bin", "consortium.mjs");
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

describe("consortium (bin/consortium.mjs)", () => {
  it("lists every command with its summary, with no argument or --help", () => {
    // Names in a column as wide as the longest.
    const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
    for (const args of [[], ["--help"], ["-h"]]) {
      const r = run(...args);
      expect(r.status).toBe(0);
      for (const [name, c] of Object.entries(COMMANDS)) expect(r.stdout).toContain(`  ${name.padEnd(width)}  ${c.summary}`);
    }
  });

  it("shows a command's usage with --help, and ours for a passthrough command with help <command>", () => {
    const r = run("bridge", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("consortium bridge [-s <stack>] [--key-env <VAR>] <command>");
    expect(r.stdout).toContain("pause|unpause <vault|gateway>");
    const p = run("help", "pulumi");
    expect(p.status).toBe(0);
    expect(p.stdout).toContain("consortium pulumi <pulumi arguments>");
  });

  it("refuses an unknown command, naming it, with the list", () => {
    const r = run("deploy");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('consortium: unknown command "deploy"');
    expect(r.stderr).toContain("usage: consortium <command>");
    expect(run("help", "deploy").status).toBe(2);
  });

  it("hands the command its own arguments: the ceremony refuses a bad one with its usage", () => {
    const r = run("ceremony", "init", "--bogus", "x");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("[ceremony] unknown argument --bogus");
    expect(r.stderr).toContain("consortium ceremony init --config <consortium.yaml> --out ceremony.json");
  });
});
