// The engine behaviour rolling changes rely on (components/fleet/docker/DockerFleet.ts): replacements of
// deleteBeforeReplace resources chained with dependsOn happen one at a time, in chain order — the first is deleted
// and recreated before the second is touched. Real Pulumi engine, a dynamic provider that logs its operations.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { openStack } from "../../lib/cli/workspace";
import { ensureTools, REPO_ROOT } from "../../lib/toolchain/resolve";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const LOG = ${JSON.stringify("__LOG__")};
const provider = {
  async create(i) { require("fs").appendFileSync(LOG, "create " + i.n + " v" + i.v + "\\n"); return { id: i.n, outs: i }; },
  async delete(_id, p) { require("fs").appendFileSync(LOG, "delete " + p.n + " v" + p.v + "\\n"); },
  async diff(_id, o, n) { const r = o.v !== n.v; return { changes: r, replaces: r ? ["v"] : [], deleteBeforeReplace: true }; },
};
const v = new pulumi.Config().require("v");
let previous;
for (const n of ["alpha", "beta", "gamma"]) {
  previous = new pulumi.dynamic.Resource(provider, n, { n, v }, { deleteBeforeReplace: true, ...(previous ? { dependsOn: [previous] } : {}) });
}
`;

describe("rolling replacement order (real engine)", () => {
  let dir: string;
  let stack: ConsortiumStack;
  const log = () => readFile(join(dir, "ops.log"), "utf8").then((s) => s.trim().split("\n"));

  beforeAll(async () => {
    await mkdir(join(REPO_ROOT, ".work"), { recursive: true });
    dir = await mkdtemp(join(REPO_ROOT, ".work", "rolling-"));
    await writeFile(join(dir, "Pulumi.yaml"), stringify({ name: "rolling", runtime: { name: "nodejs", options: { typescript: false } }, main: "index.js" }));
    await writeFile(join(dir, "index.js"), PROGRAM.replace("__LOG__", join(dir, "ops.log")));
    await mkdir(join(dir, "state"));
    stack = await openStack({
      stack: "rolling",
      projectDir: dir,
      tools: await ensureTools({ build: false, log: () => {} }),
      env: { PULUMI_BACKEND_URL: `file://${join(dir, "state")}`, PULUMI_CONFIG_PASSPHRASE: "rolling-test" },
    });
  });
  afterAll(async () => {
    await stack?.destroy().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces alpha, then beta, then gamma, never two at once", async () => {
    await stack.setConfig("v", { value: "1" });
    await stack.up();
    await rm(join(dir, "ops.log"));
    await stack.setConfig("v", { value: "2" });
    await stack.up();
    expect(await log()).toEqual(["delete alpha v1", "create alpha v2", "delete beta v1", "create beta v2", "delete gamma v1", "create gamma v2"]);
  });
});
