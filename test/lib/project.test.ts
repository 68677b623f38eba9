// lib/project.ts: the code and the paths a dynamic provider uses come from the project enclosing its working directory
// (the Pulumi project folder), not from where the provider was serialised. A moved project folder keeps working: a
// process started with project-relative paths is still recognised, observed and stopped from the new place (a tiny
// node server stands in for geth, which runs under the real engine in test/integration/relocation.test.ts).
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOurProcess, LocalProcessState, observeNode, removeNode, startNode } from "../../lib/localProcess";
import { registryDir, releasePortBlock, reservePortBlock } from "../../lib/ports";
import { expandPackagePath, packagePath, PACKAGE_PATH_PREFIX, projectModule, projectRoot, pulumiProjectDir, resolveStoredPath, storedPath } from "../../lib/project";

const SERVER = `
require("node:http").createServer((req, res) => { res.setHeader("content-type", "application/json"); res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x1" })); })
  .listen(Number(process.argv[2]), "127.0.0.1");
`;

describe("the project being run (lib/project.ts)", () => {
  let tmp: string;
  const cwd = process.cwd();

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), "project-"));
  });
  afterEach(async () => {
    process.chdir(cwd);
    await rm(tmp, { recursive: true, force: true });
  });

  /** A built project at `dir`: package.json named consortium-deployer and a compiled module. */
  async function fakeProject(dir: string, marker: string): Promise<void> {
    await mkdir(join(dir, "dist", "lib"), { recursive: true });
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consortium-deployer" }));
    await writeFile(join(dir, "dist", "lib", "marker.js"), `exports.marker = ${JSON.stringify(marker)};\n`);
    await writeFile(join(dir, "dist", "server.js"), SERVER);
  }

  it("finds the consortium-deployer package at or above a folder, past other packages", async () => {
    await fakeProject(join(tmp, "a"), "a");
    await mkdir(join(tmp, "a", ".work", "scratch", "deeper"), { recursive: true });
    await writeFile(join(tmp, "a", ".work", "scratch", "package.json"), JSON.stringify({ name: "something-else" }));
    expect(projectRoot(join(tmp, "a", ".work", "scratch", "deeper"))).toBe(join(tmp, "a"));
    expect(projectRoot(join(tmp, "a"))).toBe(join(tmp, "a"));
    expect(() => projectRoot(tmp)).toThrow(/no consortium-deployer package at or above/);
    // This checkout, from its own working directory (the tests run at the repository root).
    expect(JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")).name).toBe("consortium-deployer");
  });

  it("loads compiled modules and package paths from the project enclosing the working directory", async () => {
    await fakeProject(join(tmp, "a"), "from a");
    await fakeProject(join(tmp, "b"), "from b");
    process.chdir(join(tmp, "b"));
    expect(projectModule<{ marker: string }>("lib/marker").marker).toBe("from b");
    expect(packagePath("dist/agent/main.js")).toBe(`${PACKAGE_PATH_PREFIX}dist/agent/main.js`);
    expect(expandPackagePath(packagePath("dist/agent/main.js"))).toBe(join(tmp, "b", "dist", "agent", "main.js"));
    expect(expandPackagePath("--config")).toBe("--config");
    expect(expandPackagePath("data/geth.ipc")).toBe("data/geth.ipc");
  });

  it("stores relative paths relative and absolute ones as given", () => {
    expect(storedPath(".work/dev")).toBe(".work/dev");
    expect(storedPath("./.work//dev/")).toBe(".work/dev");
    expect(storedPath("/var/lib/acme/")).toBe("/var/lib/acme");
    expect(storedPath("../nodes")).toBe("../nodes");
  });

  it("resolves stored relative paths in the Pulumi project folder, not where the engine starts the provider host", async () => {
    const a = join(tmp, "a");
    await fakeProject(a, "a");
    await writeFile(join(a, "Pulumi.yaml"), "name: consortium\n");
    // The engine starts plugins in the directory of `main` (dist/program/), the program runs beside Pulumi.yaml.
    const pluginDir = join(a, "dist", "program");
    await mkdir(pluginDir, { recursive: true });
    expect(pulumiProjectDir(pluginDir, {})).toBe(a);
    expect(pulumiProjectDir(pluginDir, { CONSORTIUM_PROJECT_DIR: join(tmp, "elsewhere") })).toBe(join(tmp, "elsewhere"));
    expect(pulumiProjectDir(tmp, {})).toBe(tmp);
    process.chdir(pluginDir);
    expect(resolveStoredPath(".work/dev/alpha")).toBe(join(a, ".work", "dev", "alpha"));
    expect(resolveStoredPath("/var/lib/acme/alpha")).toBe("/var/lib/acme/alpha");
  });

  it("keeps a process started with project-relative paths its own after the project folder moves", async () => {
    const a = join(tmp, "a");
    const b = join(tmp, "b");
    await fakeProject(a, "a");
    const registry = join(tmp, "registry");
    process.chdir(a);
    const port = await reservePortBlock(registry, "t/reloc@.work/reloc", ".work/reloc");
    // The registry (a per-user cache, not the state) records where the holder is on this machine.
    const claim = JSON.parse(await readFile(join(registryDir(registry), String(port)), "utf8")) as { holderDir: string };
    expect(claim.holderDir).toBe(join(a, ".work", "reloc"));
    let state: LocalProcessState | undefined;
    try {
      state = await startNode({
        name: "n1",
        dir: ".work/reloc/n1",
        command: process.execPath,
        args: [packagePath("dist/server.js"), String(port)],
        env: {},
        files: { "conf.toml": "a = 1\n" },
        secretFiles: { password: "pw" },
        init: [],
        rpcUrl: `http://127.0.0.1:${port}`,
        ports: [port],
        resetKey: "k",
      });
      expect(state.dir).toBe(".work/reloc/n1");
      expect(state.args[0]).toBe(`${PACKAGE_PATH_PREFIX}dist/server.js`);
      expect(isOurProcess(state.pid, join(a, ".work", "reloc", "n1"))).toBe(true);

      // The folder moves (same file system: the running process's working directory moves with it).
      process.chdir(tmp);
      await rename(a, b);
      process.chdir(b);
      expect(await observeNode(state)).toEqual({ running: true, digests: state.digests });
      await removeNode(state);
      state = undefined;
    } finally {
      if (state) process.kill(state.pid, "SIGKILL");
      await releasePortBlock(registry, port, "t/reloc@.work/reloc");
    }
  });
});
