// The engine's temporary folder (lib/cli/engineTemp.ts): private, per process, gone when the process exits, and a
// killed process's folder removed by the next one. The Kubernetes provider's kubeconfig copies land there.
import { execaNode } from "execa";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { pulumiEnv } from "../../lib/cli/env";
import { engineTempDir, engineTempRoot, removeEngineTempDirs } from "../../lib/cli/engineTemp";
import type { Tools } from "../../lib/toolchain/resolve";

const REPO = join(__dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "engine-tmp-test-"));
afterAll(() => {
  removeEngineTempDirs();
  rmSync(project, { recursive: true, force: true });
});
const tools: Tools = { pulumiRoot: "/nowhere", path: [], geth: "/nowhere/geth" };

it("gives the engine a folder of this process's own under the project, readable by its user only", () => {
  const dir = pulumiEnv(tools, undefined, project).TMPDIR;
  expect(dir).toBe(join(engineTempRoot(project), String(process.pid)));
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(statSync(engineTempRoot(project)).mode & 0o777).toBe(0o700);
  expect(engineTempDir(project)).toBe(dir);
});

it("removes a killed process's folder, keeps a live one's, and its own on exit", async () => {
  const root = engineTempRoot(project);
  // A process that has exited: its pid names the folder a kill would have left, a kubeconfig copy inside.
  const gone = execaNode("-e", ["0"]);
  await gone;
  const stale = join(root, String(gone.pid));
  mkdirSync(stale, { recursive: true });
  writeFileSync(join(stale, "kubeconfig123"), "client-key-data: secret\n");
  const live = join(root, String(process.ppid));
  mkdirSync(live, { recursive: true });

  // Another command in this project, writing a file where its plugins would, then exiting.
  const child = execaNode(
    "-e",
    [
      `const { engineTempDir } = require(${JSON.stringify(join(REPO, "dist", "lib", "cli", "engineTemp.js"))});
       const dir = engineTempDir(${JSON.stringify(project)});
       require("node:fs").writeFileSync(require("node:path").join(dir, "kubeconfig456"), "client-key-data: secret\\n");
       console.log(dir);`,
    ],
  );
  const { stdout } = await child;
  expect(existsSync(stale)).toBe(false);
  expect(existsSync(live)).toBe(true);
  expect(stdout).toBe(join(root, String(child.pid)));
  expect(existsSync(stdout)).toBe(false);
  expect(readdirSync(root).sort()).toEqual([String(process.pid), String(process.ppid)].sort());
});
