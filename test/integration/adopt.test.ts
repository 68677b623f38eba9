// A stack of the per-folder layout (its own project `consortium-<consortium>` in stacks/<consortium>/) moves into the
// root project with everything it holds (lib/cli/legacy.ts adoptLegacyStack): the real Pulumi engine, real geth.
// Brought up in the old layout, adopted, then updated from the root project: no resource is created, replaced or
// deleted (keys, genesis, nodes and their processes stay; the port blocks only change their holder's name), the next
// preview has no changes, and the backend no longer holds the old project's stack.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adoptLegacyStack } from "../../lib/cli/legacy";
import { backendHasStack, legacyStacks } from "../../lib/cli/legacyStacks";
import { openStack, runPulumiCli } from "../../lib/cli/workspace";
import { jsonRpcCall } from "../../lib/ipc";
import { processesUnder } from "../../lib/localProcess";
import { ensureTools, Tools } from "../../lib/toolchain/resolve";
import { copyBuiltProject } from "../../testkit/scratchStack";

const STACK = "adopt";
const CHAIN_ID = 31432;
const OLD_PROJECT = "consortium-acme";

describe("a per-folder layout stack adopted by the root project (real engine, real geth)", () => {
  let tools: Tools;
  let root: string;
  let legacyDir: string;
  let nodes: string;
  let env: Record<string, string>;
  let before: Record<string, unknown>;
  let pids: number[];

  const open = (projectDir: string): Promise<ConsortiumStack> => openStack({ stack: STACK, projectDir, tools, env, warnLegacy: false });

  beforeAll(async () => {
    tools = await ensureTools({ build: false, log: () => {} });
    const tmp = await mkdtemp(join(tmpdir(), "adopt-"));
    root = join(tmp, "project");
    nodes = join(tmp, "nodes");
    await mkdir(join(tmp, "state"));
    env = { PULUMI_BACKEND_URL: `file://${join(tmp, "state")}`, PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex") };
    await copyBuiltProject(root, {});
    // The old layout: stacks/acme/ is a project of its own, with the stack's configuration beside its Pulumi.yaml.
    legacyDir = join(root, "stacks", "acme");
    await mkdir(legacyDir);
    await writeFile(join(legacyDir, "Pulumi.yaml"), stringify({ name: OLD_PROJECT, runtime: "nodejs", main: "../../dist/program/index.js" }));
    const config = {
      name: STACK,
      dev: true, // small keystores (scryptN) for the test's speed
      chainId: String(CHAIN_ID),
      blockPeriodSeconds: "1",
      scryptN: String(2 ** 12),
      authorities: [{ name: "alpha", member: "org-a" }],
      fleet: { target: "local", rpcNode: true, workDir: nodes },
    };
    await writeFile(join(legacyDir, `Pulumi.${STACK}.yaml`), stringify({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`consortium:${k}`, v])) }));
  });

  afterAll(async () => {
    for (const pid of processesUnder(nodes ?? "/nonexistent")) process.kill(pid, "SIGKILL");
    if (root) await rm(join(root, ".."), { recursive: true, force: true });
  });

  it("comes up in the old layout", async () => {
    const up = await (await open(legacyDir)).up();
    expect(up.summary.result).toBe("succeeded");
    before = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
    expect(Number(await jsonRpcCall(before.rpcUrl as string, "eth_chainId"))).toBe(CHAIN_ID);
    pids = processesUnder(nodes).sort();
    expect(pids.length).toBe(2); // the authority and the RPC node
    expect(legacyStacks(env.PULUMI_BACKEND_URL, "consortium")).toEqual([{ project: OLD_PROJECT, stack: STACK }]);
  });

  it("is adopted: the root project updates it without creating, replacing or deleting anything", async () => {
    const config = await adoptLegacyStack({ project: OLD_PROJECT, stack: STACK }, { root, env, tools });
    expect(config).toBe(join(root, "stacks", `Pulumi.${STACK}.yaml`));
    expect(await readFile(config, "utf8")).toBe(await readFile(join(legacyDir, `Pulumi.${STACK}.yaml`), "utf8")); // same secrets salt
    expect(legacyStacks(env.PULUMI_BACKEND_URL, "consortium")).toEqual([]);
    expect(backendHasStack(env.PULUMI_BACKEND_URL, "consortium", STACK)).toBe(true);

    const stack = await open(root);
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const changed = Object.keys(up.summary.resourceChanges ?? {}).filter((op) => op !== "same");
    expect(changed.filter((op) => op !== "update")).toEqual([]); // no create, replace or delete
    // The port blocks' holder name (the nodes' block and their metrics' block), if anything.
    expect(up.summary.resourceChanges?.update ?? 0).toBeLessThanOrEqual(2);
    const after = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
    for (const key of ["rpcUrl", "chainId", "signers", "enodes", "memberRpcUrls"]) expect(after[key]).toEqual(before[key]);
    expect(processesUnder(nodes).sort()).toEqual(pids); // nothing restarted
    expect(Number(await jsonRpcCall(after.rpcUrl as string, "eth_chainId"))).toBe(CHAIN_ID);

    const preview = await stack.preview({ expectNoChanges: true });
    expect(Object.keys(preview.changeSummary).filter((k) => k !== "same")).toEqual([]);

    await runPulumiCli(stack, ["state", "unprotect", "--all", "--yes"], { stdout: "ignore" });
    expect((await stack.destroy()).summary.result).toBe("succeeded");
    expect(processesUnder(nodes)).toEqual([]);
    await stack.workspace.removeStack(STACK);
  });
});
