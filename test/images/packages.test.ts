// The project's Node.js images as their own packages (agent/, monitor/ and gateway/: package.json and package-lock.json): each
// image installs only these, so it carries no Pulumi, no solc and no deployer. Checked on the compiled code: every
// module the program loads, from its entry on, is in what its Dockerfile copies, and every package it requires is one
// of its package's dependencies, at the version the deployer uses. Then the image's file set is laid out in a
// temporary folder (its dist/ folders and only its locked packages) and the program started there.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../../testkit/agentBuild";
import { imageCopies, imageLock, layOutApp, moduleClosure, nodeAppImage } from "../../testkit/nodeAppImage";

const rootPackage = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));

describe.each([
  { dockerfile: "templates/bridge-agent/Dockerfile", entry: "agent/main.js", copies: ["agent", "lib/bridge"], loads: "lib/bridge/signatures.js" },
  { dockerfile: "templates/monitor/Dockerfile", entry: "monitor/main.js", copies: ["monitor", "lib/bridge", "lib/eth", "lib/poco/abi.js", "web"], loads: "lib/poco/abi.js" },
  { dockerfile: "templates/gateway/Dockerfile", entry: "gateway/main.js", copies: ["gateway", "settings/permissions.js", "settings/fields.js"], loads: "settings/fields.js" },
])("the image of $dockerfile", ({ dockerfile, entry, copies, loads }) => {
  const image = nodeAppImage(dockerfile);
  const { files, packages } = moduleClosure(entry);
  const ownPackage = JSON.parse(readFileSync(join(REPO, image.packageDir, "package.json"), "utf8"));
  const lock = imageLock(image);

  it("loads only what its image copies, and starts it as the Dockerfile says", () => {
    expect(image.copies).toEqual(copies);
    for (const f of files) expect(imageCopies(image, f), f).toBe(true);
    expect(files).toContain(loads);
    expect(image.entrypoint).toEqual(["node", `/app/dist/${entry}`]);
  });

  it("declares exactly the packages its program requires, at the deployer's versions, and locks no Pulumi or solc", () => {
    expect(Object.keys(ownPackage.dependencies).sort()).toEqual([...packages].sort());
    for (const [name, version] of Object.entries(ownPackage.dependencies)) expect(rootPackage.dependencies[name], name).toBe(version);
    expect(lock.packages[""].dependencies).toEqual(ownPackage.dependencies);
    const locked = Object.keys(lock.packages).filter((p) => p !== "");
    expect(locked.filter((p) => /node_modules\/(@pulumi\/|solc$|typescript$|execa$|ssh2$|@iexec\/)/.test(p))).toEqual([]);
  });

  describe("laid out as in its image", () => {
    const app = mkdtempSync(join(tmpdir(), "image-app-"));
    afterAll(() => rmSync(app, { recursive: true, force: true }));

    it("starts with nothing but its own files and locked packages (a missing configuration is its first complaint)", () => {
      layOutApp(image, app);
      const r = spawnSync(process.execPath, [join(app, "dist", entry), "--config", join(app, "missing.json")], { cwd: app, encoding: "utf8", timeout: 30_000 });
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
