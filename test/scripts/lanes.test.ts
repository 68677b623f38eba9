// `npm test` runs two vitest processes side by side (scripts/test.mjs), each on its lane's files
// (test/support/suites.ts): together they must run every test file once, and the files that share the machine's
// one Docker engine, its sshd hosts and its test cluster must all be in the lane that runs one file at a time. The
// chains lane runs two at a time, the longest first. The chains lane and the unit run share a module cache among
// files, except the files that change what the next would share.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { BALANCING_FILES, chainLaneFiles, expectedLength, isolatedChainLaneFiles, isolatedUnitFiles, sharedChainLaneFiles, sharedUnitFiles, stacksLaneFiles, unitTestFiles } from "../support/suites";

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

  it("keep the Docker engine's, the sshd hosts' and the cluster's tests, and the balancing test, in the one-at-a-time lane", () => {
    const stacks = stacksLaneFiles();
    for (const f of ["test/docker/gethFleet.test.ts", "test/docker/composeExport.test.ts", "test/integration/docker.test.ts", "test/workerPool/sshHosts.test.ts", "test/workerPool/engine.test.ts", "test/kubernetes/cluster.test.ts", "test/kubernetes/bridgeCluster.test.ts", ...BALANCING_FILES]) {
      expect(stacks, f).toContain(f);
    }
    // Chain-only tests, the whole-stack tests on local processes and the federated member hosts (one file, a lock
    // of their own) run beside them.
    expect(chainLaneFiles()).toEqual(expect.arrayContaining(["test/bridge/chaos.test.ts", "test/integration/drift.test.ts", "test/integration/bridgeStack.test.ts", "test/federation/memberHosts.test.ts"]));
  });

  it("start the chains lane's whole-stack tests first, then the other real-chain tests, then the rest", () => {
    expect(expectedLength("test/integration/bridgeStack.test.ts")).toBe(2);
    expect(expectedLength("test/federation/memberHosts.test.ts")).toBe(2);
    expect(expectedLength("test/bridge/gasless.test.ts")).toBe(1);
    expect(expectedLength("test/render/aura.test.ts")).toBe(0);
    expect(chainLaneFiles().filter((f) => expectedLength(f) === 2).length).toBeGreaterThan(5);
  });

  it("split the chains lane and the unit tests into files that share a module cache and files that must not", () => {
    for (const [all, isolated, shared] of [
      [chainLaneFiles(), isolatedChainLaneFiles(), sharedChainLaneFiles()],
      [unitTestFiles(), isolatedUnitFiles(), sharedUnitFiles()],
    ]) {
      expect([...isolated, ...shared].sort()).toEqual(all);
      expect(shared.length).toBeGreaterThan(isolated.length);
    }
    // vi.mock replaces a module, process.chdir the working directory, for the rest of the worker's life.
    expect(isolatedChainLaneFiles()).toContain("test/keys/keystore.test.ts");
    expect(isolatedUnitFiles()).toEqual(expect.arrayContaining(["test/keys/keygen.test.ts", "test/lib/project.test.ts"]));
    // What vi.stubEnv changes is put back after each file (test/support/strictSetup.ts): shareable.
    expect(sharedUnitFiles()).toContain("test/scripts/outputsCache.test.ts");
  });
});
