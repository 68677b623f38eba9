// scripts/build.mjs, the one build every command and test run starts with, on a tiny project of its own: it compiles,
// fails on a compiler error (and builds again next time), prunes the output of a deleted source, and when nothing
// changed since the last build began it returns without loading TypeScript at all (shown by taking TypeScript away);
// the web faces (web/, Vite) are built into dist/web and rebuilt only when web/ changed.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const REPO = join(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "build-mjs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = () => spawnSync(process.execPath, [join(dir, "scripts", "build.mjs")], { cwd: dir, encoding: "utf8" });
const write = (file: string, text: string) => {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), text);
};

describe("scripts/build.mjs", () => {
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(REPO, "scripts", "build.mjs"), join(dir, "scripts", "build.mjs"));
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  write("package.json", "{}\n");
  write(
    "tsconfig.json",
    JSON.stringify({ compilerOptions: { outDir: "dist", rootDir: ".", strict: true, incremental: true, tsBuildInfoFile: "dist/tsconfig.tsbuildinfo", types: [] }, include: ["src"] }),
  );
  write("src/a.ts", "export const a: number = 1;\n");
  write("src/b.ts", "export const b = 2;\n");

  it("compiles, then returns without TypeScript while nothing changed", () => {
    expect(build().status).toBe(0);
    expect(readFileSync(join(dir, "dist", "src", "a.js"), "utf8")).toContain("exports.a = 1");
    unlinkSync(join(dir, "node_modules")); // a build that needed TypeScript would fail now
    try {
      const r = build();
      expect(r.stderr + r.stdout).toBe("");
      expect(r.status).toBe(0);
    } finally {
      symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
    }
  });

  it("fails on a compiler error, naming the file, and builds again next time", () => {
    write("src/a.ts", 'export const a: number = "one";\n');
    const r = build();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/src\/a\.ts.*Type 'string' is not assignable to type 'number'/s);
    expect(existsSync(join(dir, "dist", ".build-stamp"))).toBe(false);
    write("src/a.ts", "export const a: number = 3;\n");
    expect(build().status).toBe(0);
    expect(readFileSync(join(dir, "dist", "src", "a.js"), "utf8")).toContain("exports.a = 3");
  });

  it("removes the output of a deleted source", () => {
    unlinkSync(join(dir, "src", "b.ts"));
    const r = build();
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("dist/src/b.js");
    expect(existsSync(join(dir, "dist", "src", "b.js"))).toBe(false);
    expect(existsSync(join(dir, "dist", "src", "a.js"))).toBe(true);
  });

  it("builds the web faces with Vite into dist/web (kept by the prune), again only when web/ changed", () => {
    write("web/vite.config.ts", 'export default { root: __dirname, base: "./", logLevel: "warn", build: { outDir: __dirname + "/../dist/web", emptyOutDir: true } };\n');
    write("web/index.html", '<!doctype html><title>page</title><script type="module" src="./main.ts"></script>\n');
    write("web/main.ts", 'document.title = "one";\n');
    expect(build().status).toBe(0);
    const bundle = () => readdirSync(join(dir, "dist", "web", "assets")).map((f) => readFileSync(join(dir, "dist", "web", "assets", f), "utf8")).join("");
    expect(readFileSync(join(dir, "dist", "web", "index.html"), "utf8")).toContain("<title>page</title>");
    expect(bundle()).toContain('"one"');
    // A TypeScript change rebuilds the program and prunes, and leaves the pages alone.
    const page = () => statSync(join(dir, "dist", "web", "index.html")).mtimeMs;
    const built = page();
    write("src/a.ts", "export const a: number = 4;\n");
    expect(build().status).toBe(0);
    expect(readFileSync(join(dir, "dist", "src", "a.js"), "utf8")).toContain("exports.a = 4");
    expect(page()).toBe(built);
    write("web/main.ts", 'document.title = "two";\n');
    expect(build().status).toBe(0);
    expect(bundle()).toContain('"two"');
  });
});
