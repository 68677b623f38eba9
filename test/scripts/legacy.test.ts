// The root is the Pulumi project: stacks live in stacks/Pulumi.<stack>.yaml, and a stack left in the backend by the
// per-folder layout (project consortium-<consortium>) is found and named, with the command that tears it down,
// rather than orphaned silently.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_DIR, projectDirFor, projectName, stackConfigFile } from "../../lib/cli/env";
import { adoptLegacyStack } from "../../lib/cli/legacy";
import { legacyNotice, legacyStacks } from "../../lib/cli/legacyStacks";

const backend = mkdtempSync(join(tmpdir(), "legacy-backend-"));
afterAll(() => rmSync(backend, { recursive: true, force: true }));
const stackFile = (project: string, file: string) => {
  mkdirSync(join(backend, ".pulumi", "stacks", project), { recursive: true });
  writeFileSync(join(backend, ".pulumi", "stacks", project, file), "{}");
};

describe("the root Pulumi project", () => {
  it("is the repository root, named consortium, with its stacks' files in stacks/", () => {
    expect(projectName()).toBe("consortium");
    expect(stackConfigFile(PROJECT_DIR, "dev")).toBe(join(PROJECT_DIR, "stacks", "Pulumi.dev.yaml"));
    expect(existsSync(stackConfigFile(PROJECT_DIR, "dev"))).toBe(true);
    expect(projectDirFor("dev")).toBe(PROJECT_DIR);
    expect(() => projectDirFor("no-such-stack")).toThrow(/no stacks\/Pulumi\.no-such-stack\.yaml: create the stack's configuration first/);
  });

  it("finds the per-folder layout's stacks in a file backend, and says how to tear them down", () => {
    stackFile("consortium", "dev.json"); // the root project's own
    stackFile("consortium-dev", "dev.json");
    stackFile("consortium-dev", "dev.json.bak");
    stackFile("consortium-dev", "dev.json.attrs");
    stackFile("consortium-acme", "prod.json.gz");
    stackFile("someone-else", "x.json"); // not this project's
    const url = `file://${backend}`;
    const found = legacyStacks(url, "consortium");
    expect(found).toEqual([
      { project: "consortium-acme", stack: "prod" },
      { project: "consortium-dev", stack: "dev" },
    ]);
    const notice = legacyNotice(found);
    expect(notice).toContain("consortium-dev/dev");
    expect(notice).toContain("npm run down -- -s dev --purge --yes");
    expect(notice).toContain("npm run down -- -s prod --purge --yes");
    expect(notice).toContain("npm run adopt -- -s prod");
    expect(legacyStacks("s3://bucket", "consortium")).toEqual([]);
    expect(legacyStacks(`file://${join(backend, "missing")}`, "consortium")).toEqual([]);
  });

  it("refuses to adopt a stack whose name the root project already uses, before anything changes", async () => {
    const root = mkdtempSync(join(tmpdir(), "legacy-root-"));
    try {
      writeFileSync(join(root, "Pulumi.yaml"), "name: consortium\nruntime: nodejs\nstackConfigDir: stacks\n");
      stackFile("consortium", "prod.json"); // consortium/prod exists
      stackFile("consortium-acme", "prod.json");
      const env = { PULUMI_BACKEND_URL: `file://${backend}` };
      await expect(adoptLegacyStack({ project: "consortium-acme", stack: "prod" }, { root, env })).rejects.toThrow(
        /the root project already has a stack consortium\/prod: adopting consortium-acme\/prod would replace it\. Fix: tear that one down first/,
      );
      expect(existsSync(join(backend, ".pulumi", "stacks", "consortium-acme", "prod.json"))).toBe(true);
      expect(existsSync(join(root, ".work"))).toBe(false); // no throwaway project was even made
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
