// `npm test` runs two vitest processes side by side (scripts/test.mjs), each on its lane's files
// (test/support/suites.ts): together they must run every test file once, and the files that share the machine's
// one Docker engine and its network namespaces must all be in the lane that runs one file at a time.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { chainLaneFiles, stacksLaneFiles } from "../support/suites";

const ROOT = join(__dirname, "..", "..");
const everyTestFile = () =>
  (readdirSync(join(ROOT, "test"), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => relative(ROOT, join(ROOT, "test", f)).split(sep).join("/"))
    .sort();

describe("npm test's lanes", () => {
  it("run every test file exactly once between them", () => {
    const stacks = stacksLaneFiles();
    const chains = chainLaneFiles();
    expect(stacks.filter((f) => chains.includes(f))).toEqual([]);
    expect([...stacks, ...chains].sort()).toEqual(everyTestFile());
    expect(stacks.length).toBeGreaterThan(0);
    expect(chains.length).toBeGreaterThan(0);
  });

  it("keep the Docker engine's and the sshd hosts' tests, and the engine's whole-stack tests, in the one-at-a-time lane", () => {
    const stacks = stacksLaneFiles();
    for (const f of ["test/docker/gethFleet.test.ts", "test/docker/composeExport.test.ts", "test/integration/docker.test.ts", "test/workerPool/sshHosts.test.ts", "test/workerPool/engine.test.ts", "test/integration/bridgeStack.test.ts"]) {
      expect(stacks, f).toContain(f);
    }
    // Chain-only tests stay beside them.
    expect(chainLaneFiles()).toContain("test/bridge/chaos.test.ts");
  });
});
