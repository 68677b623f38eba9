// The agent as its own package (agent/package.json, agent/package-lock.json): its image installs only these, so it
// carries no Pulumi, no solc and no deployer. Checked on the compiled code: every module the agent loads, from
// dist/agent/main.js on, is in what templates/bridge-agent/Dockerfile copies, and every package it requires is one
// of the agent package's dependencies, at the version the deployer uses. Then the image's file set is laid out in a
// temporary folder (dist/agent, dist/lib/bridge, and only the locked packages) and the agent started there.
import { execFileSync, spawnSync } from "node:child_process";
import { builtinModules } from "node:module";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../../testkit/agentBuild";

const DIST = join(REPO, "dist");
const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const agentPackage = json(join(REPO, "agent", "package.json"));
const agentLock = json(join(REPO, "agent", "package-lock.json"));
const rootPackage = json(join(REPO, "package.json"));

/** The compiled modules reached from `entry` by relative requires, and the packages they require. */
function closure(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        visit(existsSync(`${target}.js`) ? `${target}.js` : join(target, "index.js"));
      } else if (!spec.startsWith("node:") && !builtinModules.includes(spec)) {
        packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
      }
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(DIST, f)).sort(), packages };
}

describe("the bridge agent's package", () => {
  const { files, packages } = closure(join(DIST, "agent", "main.js"));

  it("loads only what its image copies: dist/agent and the bridge messages of dist/lib/bridge", () => {
    const dockerfile = readFileSync(join(REPO, "templates", "bridge-agent", "Dockerfile"), "utf8");
    const copied = [...dockerfile.matchAll(/^COPY (dist\/[^ ]+)\/ /gm)].map((m) => m[1].slice("dist/".length));
    expect(copied).toEqual(["agent", "lib/bridge"]);
    for (const f of files) expect(copied.some((dir) => f.startsWith(`${dir}/`)), f).toBe(true);
    expect(files).toContain("lib/bridge/signatures.js");
  });

  it("declares exactly the packages the agent requires, at the deployer's versions, and locks no Pulumi or solc", () => {
    expect(Object.keys(agentPackage.dependencies).sort()).toEqual([...packages].sort());
    for (const [name, version] of Object.entries(agentPackage.dependencies)) expect(rootPackage.dependencies[name], name).toBe(version);
    expect(agentLock.packages[""].dependencies).toEqual(agentPackage.dependencies);
    const locked = Object.keys(agentLock.packages).filter((p) => p !== "");
    expect(locked.filter((p) => /node_modules\/(@pulumi\/|solc$|typescript$|execa$|ssh2$|@iexec\/)/.test(p))).toEqual([]);
  });

  describe("laid out as in its image", () => {
    const app = mkdtempSync(join(tmpdir(), "agent-image-"));
    afterAll(() => rmSync(app, { recursive: true, force: true }));

    it("starts with nothing but its own files and locked packages (a bad configuration is its first complaint)", () => {
      for (const dir of ["agent", "lib/bridge"]) cpSync(join(DIST, dir), join(app, "dist", dir), { recursive: true });
      // The packages of its lock, as installed for the deployer (same names; the image's `npm ci` installs the locked versions).
      for (const p of Object.keys(agentLock.packages).filter((x) => x.startsWith("node_modules/"))) {
        if (existsSync(join(REPO, p))) cpSync(join(REPO, p), join(app, p), { recursive: true, dereference: true });
      }
      const r = spawnSync(process.execPath, [join(app, "dist", "agent", "main.js"), "--config", join(app, "missing.json")], { cwd: app, encoding: "utf8", timeout: 30_000 });
      const out = `${r.stdout}${r.stderr}`;
      expect(out).not.toMatch(/Cannot find module/);
      expect(r.status, out).toBe(2);
      expect(out).toMatch(/missing\.json/);
      // Nothing of the deployer there to find by accident.
      expect(existsSync(join(app, "node_modules", "@pulumi"))).toBe(false);
      expect(execFileSync("ls", [join(app, "node_modules")], { encoding: "utf8" })).not.toMatch(/^solc$/m);
    });
  });
});
