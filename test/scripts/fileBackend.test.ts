// A killed `pulumi up` must not lock the operator out of their stack. Pulumi's file backend writes a `.attrs` sidecar
// in place beside each checkpoint; a kill between its create and its write leaves it empty, and from then on every
// command on the stack (cancel and destroy included) fails with "failed to load checkpoint: EOF" (seen for real in CI:
// test/integration/pocoResume.test.ts kills the engine mid-up). Real Pulumi CLI, throwaway file backends.
import { execa } from "execa";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenSidecars, crashSafeBackendUrl, prepareBackend } from "../../lib/cli/fileBackend";
import { ensureTools } from "../../lib/toolchain/resolve";

const root = mkdtempSync(join(tmpdir(), "file-backend-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let pulumi: string;
beforeAll(async () => {
  pulumi = join((await ensureTools({ build: false, log: () => {} })).pulumiRoot, "bin", "pulumi");
  writeFileSync(join(root, "Pulumi.yaml"), "name: sidecars\nruntime: nodejs\n");
}, 120_000);

const cli = (url: string, args: string[]) =>
  execa(pulumi, [...args, "--non-interactive"], {
    cwd: root,
    reject: false,
    env: { PULUMI_BACKEND_URL: url, PULUMI_CONFIG_PASSPHRASE: "test-only", PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
const sidecars = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".attrs"));

describe("the project's file backend (lib/cli/fileBackend.ts)", () => {
  it("turns sidecar writing off for file backends only, and leaves an explicit choice alone", () => {
    expect(crashSafeBackendUrl("file:///srv/state")).toBe("file:///srv/state?metadata=skip");
    expect(crashSafeBackendUrl("file:///srv/state?no_tmp_dir=true")).toBe("file:///srv/state?no_tmp_dir=true&metadata=skip");
    expect(crashSafeBackendUrl("file:///srv/state?metadata=write")).toBe("file:///srv/state?metadata=write");
    expect(crashSafeBackendUrl("s3://bucket/state")).toBe("s3://bucket/state");
    expect(prepareBackend("s3://bucket/state")).toBe("s3://bucket/state");
  });

  it("recovers a stack whose sidecar a killed write left empty, and writes none afterwards", async () => {
    const dir = join(root, "state");
    const plain = `file://${dir}`;
    const lines: string[] = [];
    const url = prepareBackend(plain, (l) => lines.push(l)); // makes the folder
    expect(existsSync(dir)).toBe(true);
    expect(lines).toEqual([]);

    // What Pulumi does on its own: a sidecar beside every checkpoint. Then the kill's leftover.
    expect((await cli(plain, ["stack", "init", "victim"])).exitCode).toBe(0);
    const sidecar = join(dir, ".pulumi", "stacks", "sidecars", "victim.json.attrs");
    expect(existsSync(sidecar)).toBe(true);
    writeFileSync(sidecar, "");
    const locked = await cli(plain, ["cancel", "--yes", "--stack", "victim"]);
    expect(locked.exitCode).not.toBe(0);
    expect(locked.stderr).toContain("failed to load checkpoint: EOF");
    expect(brokenSidecars(dir)).toEqual([sidecar]);

    expect(prepareBackend(plain, (l) => lines.push(l))).toBe(url);
    expect(lines).toEqual([expect.stringContaining(`removed ${sidecar}: a killed write left it unreadable`)]);
    expect(brokenSidecars(dir)).toEqual([]);
    const exported = await cli(url, ["stack", "export", "--stack", "victim"]);
    expect(exported.exitCode).toBe(0);
    expect(JSON.parse(exported.stdout).version).toBe(3);

    // Through the prepared URL, new checkpoints come without sidecars: there is nothing left for a kill to truncate.
    const before = sidecars(dir);
    expect((await cli(url, ["stack", "init", "second"])).exitCode).toBe(0);
    expect((await cli(url, ["stack", "export", "--stack", "second"])).exitCode).toBe(0);
    expect(sidecars(dir)).toEqual(before);
    expect(existsSync(join(dir, ".pulumi", "stacks", "sidecars", "second.json"))).toBe(true);
  });
});
