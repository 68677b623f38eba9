// Every dynamic provider is found by the text its resources carry (components/projectResource.ts), run as the
// dynamic-provider host runs it: a CommonJS module compiled from the text, whose handler() gives the provider — from
// the build (test/support/buildSetup.ts builds it first), with the methods of the source module.
import { mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectProvider, providerSource } from "../../components/projectResource";
import { isProjectProvider, providerModules } from "../../testkit/providerModules";

const ROOT = join(__dirname, "..", "..");

/**
 * What the dynamic-provider host does with each resource's `__provider`, in one Node process of its own started in
 * `cwd`: compiles the text as a module (require-from-string), calls handler(); gives each provider's method names.
 */
function hostLoads(sources: string[], cwd: string): string[][] {
  const script = `
    const Module = require("node:module");
    const load = (source) => {
      const m = new Module("", undefined);
      m.paths = Module._nodeModulePaths(process.cwd());
      m._compile(source, "");
      const provider = m.exports.handler();
      return Object.keys(provider).filter((k) => typeof provider[k] === "function").sort();
    };
    console.log(JSON.stringify(JSON.parse(require("node:fs").readFileSync(0, "utf8")).map(load)));`;
  const run = spawnSync(process.execPath, ["-e", script], { cwd, input: JSON.stringify(sources), encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("dynamic providers loaded by name from the project's build", () => {
  it("finds every provider its resources name, from the program's folder, with the source's methods", async () => {
    const declared = await Promise.all(
      providerModules(join(ROOT, "components"), ".ts").map(async (file) => {
        const source = (await import(file)) as Record<string, unknown>;
        return Object.entries(source).flatMap(([ref, value]) => (isProjectProvider(value) ? [{ file, ref, reference: value, source }] : []));
      }),
    );
    const refs = declared.flat();
    expect(refs.length).toBeGreaterThanOrEqual(14);
    // The engine starts the provider host in the folder of the program's main (dist/program).
    const loaded = hostLoads(refs.map(({ reference }) => providerSource(reference)), join(ROOT, "dist", "program"));
    refs.forEach(({ file, ref, reference, source }, i) => {
      expect(reference.module, ref).toBe(relative(ROOT, file).replace(/\.ts$/, ""));
      expect(loaded[i], ref).toEqual(Object.keys(source[reference.name] as object).sort());
      expect(loaded[i], ref).toEqual(expect.arrayContaining(["create", "diff", "read"]));
    });
  });

  it("names no path of the checkout, and fails clearly outside the project", () => {
    const source = providerSource({ module: "components/keys/keyProvider", name: "keyProvider" });
    expect(source).not.toContain(ROOT);
    const outside = mkdtempSync(join(tmpdir(), "provider-host-"));
    scratch.push(outside);
    expect(() => hostLoads([source], outside)).toThrow(/no consortium-deployer package at or above .*Run pulumi there/);
  });

  it("refuses a reference to no single provider, or to a file outside the project", () => {
    const provider = { create: async () => ({ id: "x" }) };
    expect(() => projectProvider(join(ROOT, "components", "x.ts"), { a: provider, b: provider })).toThrow(/name exactly one provider/);
    expect(() => projectProvider(join(tmpdir(), "x.ts"), { provider })).toThrow(/not a module of the project/);
    expect(projectProvider(join(ROOT, "dist", "components", "x.js"), { provider })).toEqual({ module: "components/x", name: "provider" });
  });
});
