// installPulumiPlugins (lib/toolchain/build.ts) runs at every command's and test's start, while other processes may be
// starting the very launchers it installs (the engine of a `pulumi up` beside it). A launcher is never seen empty or
// half-written: an unchanged one is not touched, a changed one is replaced whole (a handle on the old file keeps
// reading the old script), and reads racing a stream of reinstalls see one whole version or the other.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, closeSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installPulumiPlugins } from "../../lib/toolchain/build";

const PLUGINS = join(__dirname, "..", "..", "scripts", "pulumi-plugins");
const dir = mkdtempSync(join(tmpdir(), "launchers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the launchers' sources and an empty bin folder. */
function fixture(name: string): { src: string; bin: string } {
  const src = join(dir, name, "src");
  const bin = join(dir, name, "bin");
  cpSync(PLUGINS, src, { recursive: true });
  mkdirSync(bin);
  return { src, bin };
}

describe("installPulumiPlugins", () => {
  it("installs each launcher executable, then leaves unchanged ones untouched", async () => {
    const { src, bin } = fixture("unchanged");
    await installPulumiPlugins(bin, src);
    const names = readdirSync(bin).sort();
    expect(names).toEqual(expect.arrayContaining(["dynamic-provider-host.cjs", "language-host.cjs", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]));
    const before = names.map((f) => statSync(join(bin, f)));
    for (const [i, f] of names.entries()) {
      expect(readFileSync(join(bin, f), "utf8"), f).toBe(readFileSync(join(src, f), "utf8"));
      expect(before[i].mode & 0o777, f).toBe(0o755);
    }
    await installPulumiPlugins(bin, src);
    const after = names.map((f) => statSync(join(bin, f)));
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
    expect(readdirSync(bin).sort()).toEqual(names); // no temporary file left beside them
  });

  it("replaces a changed launcher whole: a handle on the old one still reads it all; a lost mode is restored", async () => {
    const { src, bin } = fixture("changed");
    await installPulumiPlugins(bin, src);
    const launcher = join(bin, "pulumi-resource-pulumi-nodejs");
    const old = readFileSync(launcher, "utf8");
    const fd = openSync(launcher, "r");
    try {
      writeFileSync(join(src, "pulumi-resource-pulumi-nodejs"), `${old}# a newer checkout\n`);
      chmodSync(join(bin, "language-host.cjs"), 0o644);
      await installPulumiPlugins(bin, src);
      expect(readFileSync(fd, "utf8")).toBe(old);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(launcher, "utf8")).toBe(`${old}# a newer checkout\n`);
    expect(statSync(launcher).mode & 0o777).toBe(0o755);
    expect(statSync(join(bin, "language-host.cjs")).mode & 0o777).toBe(0o755);
  });

  it("never shows a reader a partial launcher while two checkouts' versions are installed in turn", async () => {
    const a = fixture("race-a");
    const b = fixture("race-b");
    const longer = `${readFileSync(join(b.src, "pulumi-resource-pulumi-nodejs"), "utf8")}${"# padding\n".repeat(2000)}`;
    writeFileSync(join(b.src, "pulumi-resource-pulumi-nodejs"), longer);
    const versions = new Set([readFileSync(join(a.src, "pulumi-resource-pulumi-nodejs"), "utf8"), longer]);
    await installPulumiPlugins(a.bin, a.src);
    let installing = true;
    const installs = (async () => {
      for (let i = 0; i < 150; i++) await installPulumiPlugins(a.bin, i % 2 ? a.src : b.src);
      installing = false;
    })();
    const seen: string[] = [];
    while (installing) seen.push(await readFile(join(a.bin, "pulumi-resource-pulumi-nodejs"), "utf8"));
    await installs;
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.filter((text) => !versions.has(text)).map((text) => text.length)).toEqual([]);
  });
});
