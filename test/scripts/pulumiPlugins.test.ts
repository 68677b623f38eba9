// scripts/pulumi-plugins: the SDK's large unused packages are deferred in our language host and dynamic-provider host
// (lazy-sdk-deps.cjs), and what needs them still gets them; the provider host starts as the engine expects; the
// implementations the providers load leave the EVM out until a burst is simulated (lib/eth/burst.ts), and neither they
// nor the program load the project's execa (an ES module: lib/toolchain/installedGeth.ts says what it cost).
import { execa } from "execa";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const PLUGINS = join(__dirname, "..", "..", "scripts", "pulumi-plugins");
const ROOT = join(__dirname, "..", "..");

/** Runs `script` in a Node process of the project, the deferral loaded first (or not); its stdout parsed as JSON. */
async function inNode(script: string, deferred: boolean): Promise<Record<string, unknown>> {
  const preload = deferred ? ["--require", join(PLUGINS, "lazy-sdk-deps.cjs")] : [];
  const { stdout } = await execa("node", [...preload, "-e", script], { cwd: ROOT });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const LOADED = `
  const loaded = (name) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + name + "/"));
  const modules = () => Object.keys(require.cache).length;`;

describe("lazy-sdk-deps.cjs", () => {
  it("loads @pulumi/pulumi without arborist and typescript, less than half the modules", async () => {
    const script = `${LOADED} require("@pulumi/pulumi"); console.log(JSON.stringify({ arborist: loaded("@npmcli/arborist"), typescript: loaded("typescript"), modules: modules() }));`;
    const [plain, deferred] = [await inNode(script, false), await inNode(script, true)];
    expect(plain).toMatchObject({ arborist: true, typescript: true });
    expect(deferred).toMatchObject({ arborist: false, typescript: false });
    expect(deferred.modules as number).toBeLessThan((plain.modules as number) / 2);
  });

  it("serialises a function as without it, typescript loaded when first used", async () => {
    const script = `${LOADED}
      const pulumi = require("@pulumi/pulumi");
      const factor = 6;
      pulumi.runtime.serializeFunction(() => (x) => x * factor).then((f) => console.log(JSON.stringify({ text: f.text, typescript: loaded("typescript") })));`;
    const [plain, deferred] = [await inNode(script, false), await inNode(script, true)];
    expect(deferred).toEqual(plain);
    expect(deferred.typescript).toBe(true);
    expect(deferred.text).toContain("factor");
  });

  it("leaves the packages as they are for any module outside the SDK", async () => {
    const script = `const A = require("@npmcli/arborist"); console.log(JSON.stringify({ isClass: typeof A === "function" && typeof A.Arborist === "function", version: require("typescript").version }));`;
    expect(await inNode(script, true)).toEqual(await inNode(script, false));
  });
});

describe("dynamic-provider-host.cjs", () => {
  it("serves the SDK's provider host: prints the port it listens on", async () => {
    const host = execa("node", [join(PLUGINS, "dynamic-provider-host.cjs"), "127.0.0.1:1"], { cwd: ROOT });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        host.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
        host.once("exit", (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(port).toMatch(/^\d+$/);
    } finally {
      host.kill();
      await host.catch(() => undefined);
    }
  });

  it("says what to do where @pulumi/pulumi is not installed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "no-sdk-"));
    try {
      const r = await execa("node", [join(PLUGINS, "dynamic-provider-host.cjs"), "127.0.0.1:1"], { cwd: dir, reject: false });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toBe(`pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed for ${dir}; run npm ci`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("what a provider process loads to diff or read", () => {
  it("has no EVM: the contract deployments' implementations load @ethereumjs only to simulate a burst", async () => {
    // Every implementation a provider loads through projectModule (components/*/…Provider.ts, providers.ts).
    const impls = ["lib/poco/resources", "lib/bridge/deployment", "lib/bridge/onchain", "lib/funding", "lib/validators/signerSet", "lib/permissions/onChainPolicy"];
    const script = `${LOADED} for (const m of ${JSON.stringify(impls)}) require("./dist/" + m + ".js"); console.log(JSON.stringify({ evm: loaded("@ethereumjs/vm") || loaded("@ethereumjs/evm"), ethers: loaded("ethers") }));`;
    expect(await inNode(script, false)).toEqual({ evm: false, ethers: true });
  });
});

describe("what every engine run loads", () => {
  it("the program and the implementations the providers load leave out the project's execa, an ES module", async () => {
    // Every module a provider loads through projectModule (components/**: `const IMPL = "lib/…"` and the like).
    const sources = (readdirSync(join(ROOT, "components"), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
    const impls = [...new Set(sources.flatMap((f) => [...readFileSync(join(ROOT, "components", f), "utf8").matchAll(/ = "(lib\/[\w/]+)";/g)].map((m) => m[1])))];
    expect(impls.length).toBeGreaterThanOrEqual(10);
    const script = `
      const Module = require("node:module");
      const esmExeca = require.resolve("execa");
      const load = Module._load;
      let execaLoaded = false;
      Module._load = function (request, parent) {
        if (request === "execa" && Module._resolveFilename(request, parent) === esmExeca) execaLoaded = true;
        return load.apply(this, arguments);
      };
      for (const m of ["program/index", ...${JSON.stringify(impls)}]) require("./dist/" + m + ".js");
      console.log(JSON.stringify({ execaLoaded, sdkExeca: Object.keys(require.cache).some((f) => f.includes("/@pulumi/pulumi/node_modules/execa/")) }));`;
    // The SDK's own execa 5 (CommonJS, cheap) is there: the check would see a load of the project's.
    expect(await inNode(script, true)).toEqual({ execaLoaded: false, sdkExeca: true });
  });
});
