// The state must not depend on where the checkout lives (lib/project.ts). A small local stack is brought up from one
// copy of the built project (clone A), A is deleted, and another copy at another path (clone B), with the same
// backend and passphrase, refreshes it, previews it expecting no changes, runs the drift check and destroys it: the
// real Pulumi engine built from source, real geth processes, the backend's files read from disk.
//
// The nodes live in `fleet.workDir` outside both clones: with the default (`.work/<stack>` inside the project folder)
// deleting clone A would delete the nodes' directories (chain data, key files) under their running processes — a
// real change of the world, which refresh must report, not what a new clone of the code should be judged by. The
// default work dir's relative paths are checked under mocks (test/components/relocatable.mock.test.ts).
//
// In between, the state is made as earlier versions wrote it — each provider's functions serialised by the SDK
// instead of named (components/projectResource.ts) — and taken over by this one.
import * as pulumi from "@pulumi/pulumi";
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDrift } from "../../lib/drift/check";
import { jsonRpcCall } from "../../lib/ipc";
import { processesUnder } from "../../lib/localProcess";
import { portFree } from "../../lib/ports";
import { ensureTools, Tools } from "../../lib/toolchain/resolve";
import { openStack, runPulumiCli } from "../../lib/cli/workspace";
import { copyBuiltProject } from "../../testkit/scratchStack";

const STACK = "reloc";
const CHAIN_ID = 31431;

/** Every file of the file backend (stacks, backups, history), as stored: encrypted secrets stay encrypted. */
async function backendFiles(dir: string): Promise<string> {
  const files = (await readdir(join(dir, ".pulumi"), { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  expect(files.length).toBeGreaterThan(0);
  return (await Promise.all(files.map((f) => readFile(join(f.parentPath, f.name), "utf8")))).join("\n");
}

describe("a stack outlives the checkout that brought it up (real engine, real geth)", () => {
  let tools: Tools;
  let root: string;
  let cloneA: string;
  let cloneB: string;
  let backend: string;
  let nodes: string;
  const passphrase = randomBytes(16).toString("hex");
  let stackFile: string;
  let ports: number[] = [];

  const open = (projectDir: string): Promise<ConsortiumStack> =>
    openStack({ stack: STACK, projectDir, tools, env: { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: passphrase } });

  beforeAll(async () => {
    tools = await ensureTools({ build: false, log: () => {} });
    root = await mkdtemp(join(tmpdir(), "reloc-"));
    cloneA = join(root, "clone-a");
    cloneB = join(root, "clone-b");
    backend = join(root, "state");
    nodes = join(root, "nodes");
    const config = {
      name: STACK,
      dev: true,
      chainId: String(CHAIN_ID),
      blockPeriodSeconds: "1",
      scryptN: String(2 ** 12),
      authorities: [{ name: "alpha", member: "org-a" }],
      fleet: { target: "local", rpcNode: true, workDir: nodes },
    };
    stackFile = stringify({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`consortium:${k}`, v])) });
    await copyBuiltProject(cloneA, { [`Pulumi.${STACK}.yaml`]: stackFile });
    await mkdir(backend);
  });

  afterAll(async () => {
    // Whatever failed, no process of this test outlives it.
    for (const pid of processesUnder(nodes ?? "/nonexistent")) process.kill(pid, "SIGKILL");
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("up from clone A stores no path of clone A", async () => {
    const stack = await open(cloneA);
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const rpcUrl = up.outputs.rpcUrl.value as string;
    expect(Number(await jsonRpcCall(rpcUrl, "eth_chainId"))).toBe(CHAIN_ID);
    expect(up.outputs.workDir.value).toBe(nodes); // the operator's absolute work dir, as configured
    ports = [Number(new URL(rpcUrl).port)];
    // The stack's configuration as the clones share it (through git, in real life): with the secrets salt Pulumi added.
    stackFile = await readFile(join(cloneA, "stacks", `Pulumi.${STACK}.yaml`), "utf8");
    expect(await backendFiles(backend)).not.toContain(cloneA);
  });

  it("takes over a state whose providers the SDK serialised (earlier versions): refresh and preview change nothing, the next up names them", async () => {
    const stack = await open(cloneA);
    const exported = await stack.exportStack();
    const resources = (exported.deployment.resources ?? []) as { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[];
    const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBeGreaterThan(3);
    // What `pulumi.dynamic.Resource` stored: the provider's functions, serialised from the build.
    for (const r of dynamic) {
      const loader = r.inputs!.__provider as string;
      const [, module, name] = /"dist\/([\w/]+)\.js"\)\)\["(\w+)"\]/.exec(loader)!;
      const provider = (require(join(cloneA, "dist", `${module}.js`)) as Record<string, unknown>)[name];
      const serialised = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
      expect(serialised).toContain("projectModule");
      r.inputs!.__provider = serialised;
      r.outputs!.__provider = serialised;
    }
    await stack.importStack(exported);

    const refresh = await stack.refresh();
    expect(Object.keys(refresh.summary.resourceChanges ?? {}).filter((k) => k !== "same")).toEqual([]);
    const preview = await stack.preview({ expectNoChanges: true });
    expect(Object.keys(preview.changeSummary).filter((k) => k !== "same")).toEqual([]);
    const up = await stack.up();
    expect(Object.keys(up.summary.resourceChanges ?? {}).filter((k) => k !== "same")).toEqual([]);
    const after = ((await stack.exportStack()).deployment.resources ?? []) as { type: string; inputs?: { __provider?: string } }[];
    for (const r of after.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/"))) expect(r.inputs!.__provider).toContain("exports.handler = () => require(");
  });

  it("from clone B, once clone A is gone: refresh, preview --expect-no-changes, the drift check and destroy all succeed", async () => {
    await rm(cloneA, { recursive: true, force: true });
    expect(existsSync(cloneA)).toBe(false);
    await copyBuiltProject(cloneB, { [`Pulumi.${STACK}.yaml`]: stackFile });
    const stack = await open(cloneB);

    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    expect(Object.keys(refresh.summary.resourceChanges ?? {}).filter((k) => k !== "same")).toEqual([]);

    const preview = await stack.preview({ expectNoChanges: true });
    expect(Object.keys(preview.changeSummary).filter((k) => k !== "same")).toEqual([]);

    expect(await checkDrift(stack)).toEqual([]);

    await runPulumiCli(stack, ["state", "unprotect", "--all", "--yes"], { stdout: "ignore" });
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(processesUnder(nodes)).toEqual([]);
    for (const port of ports) expect(await portFree(port)).toBe(true);

    // What the backend stores, after every operation of both clones, names neither (the configured work dir aside).
    const stored = await backendFiles(backend);
    expect(stored).not.toContain(cloneA);
    expect(stored).not.toContain(cloneB);
    await stack.workspace.removeStack(STACK);
  });
});
