// `npm run drift` (lib/drift) against a real stack: the real engine and real geth processes. Untouched: no
// findings. Then each kind of out-of-band change is reported with the resource and the field that differs.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { execa } from "execa";
import { existsSync, readlinkSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliStack } from "../../lib/cli/cliStack";
import { checkDrift } from "../../lib/drift/check";
import { formatReport } from "../../lib/drift/report";
import { isOurProcess } from "../../lib/localProcess";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { ensureTools, REPO_ROOT, Tools } from "../../lib/toolchain/resolve";

interface NodeState {
  name: string;
  pid: number;
  dir: string;
}

describe("drift check (real engine, real geth)", () => {
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let tools: Tools;
  /** The same stack through the pinned CLI, as `npm run drift` opens it (its events from the CLI's event log). */
  const viaCli = () => openCliStack({ stack: stack.name, projectDir: scratch.projectDir, env: (stack.workspace as LocalWorkspace).envVars, tools }, { create: false });
  const node = async (name: string) => {
    const n = ((await stack.exportStack()).deployment.resources ?? [])
      .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/fleet:LocalNodeProcess")
      .map((r: { outputs: NodeState }) => r.outputs)
      .find((x: NodeState) => x.name === name) as NodeState;
    // The project default work dir is stored relative to the project folder.
    return { ...n, dir: isAbsolute(n.dir) ? n.dir : join(scratch.projectDir, n.dir) };
  };

  beforeAll(async () => {
    tools = await ensureTools({ build: false, log: () => {} });
    scratch = await createScratchStack({
      name: "drift",
      tools,
      projectDefaultWorkDir: true,
      config: {
        name: "drift",
        dev: true,
        chainId: 31423,
        blockPeriodSeconds: 1,
        scryptN: 2 ** 12,
        authorities: ["alpha", "beta"].map((name, i) => ({ name, member: `org-${i}` })),
        fleet: { target: "local", rpcNode: false },
      },
    });
    stack = scratch.stack;
    await stack.up();
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it("runs each node in the project's default work dir, whatever directory the engine starts its plugins in", async () => {
    // The engine starts the dynamic-provider host in the directory of `main` (dist/program/): a relative work dir
    // resolved there put chain data inside the build output, which the next build pruned (lib/project.ts).
    const alpha = await node("alpha");
    expect(alpha.dir).toBe(join(scratch.projectDir, ".work", "drift", "alpha"));
    expect(readlinkSync(`/proc/${alpha.pid}/cwd`)).toBe(alpha.dir);
    expect(existsSync(join(REPO_ROOT, "dist", "program", ".work"))).toBe(false);
  });

  it("finds nothing on an untouched stack", async () => {
    const findings = await checkDrift(stack);
    expect(findings).toEqual([]);
    expect(formatReport("drift", findings)).toContain("no drift");
  });

  it("reads engine events that hold no secret of the state (the CLI's event log, written to a private temporary folder)", async () => {
    const ws = stack.workspace as LocalWorkspace;
    const exported = await execa(join(tools.pulumiRoot, "bin", "pulumi"), ["stack", "export", "--show-secrets", "--stack", stack.name, "--non-interactive"], { cwd: scratch.projectDir, env: ws.envVars });
    // Shown secrets are either the value or, in a secret envelope, its JSON text.
    const shown = (v: unknown) => (typeof v === "string" ? v : typeof v === "object" && v !== null && "plaintext" in v ? (JSON.parse((v as { plaintext: string }).plaintext) as unknown) : undefined);
    const passwords = (JSON.parse(exported.stdout).deployment.resources as { outputs?: { password?: unknown } }[])
      .map((r) => shown(r.outputs?.password))
      .filter((p): p is string => typeof p === "string" && p.length > 0);
    expect(passwords.length).toBeGreaterThan(0);
    const cli = await viaCli();
    const events = JSON.stringify([await cli.events("preview"), await cli.events("refresh-preview")]);
    for (const p of passwords) expect(events.includes(p)).toBe(false);
  });

  it("reports a stopped node, and a genesis and a config edited on disk, each with the field that differs", async () => {
    const alpha = await node("alpha");
    process.kill(alpha.pid, "SIGKILL");
    while (isOurProcess(alpha.pid, alpha.dir)) await new Promise((r) => setTimeout(r, 100));
    const beta = await node("beta");
    await appendFile(join(beta.dir, "genesis.json"), "\n");
    await appendFile(join(beta.dir, "config.toml"), "# edited by hand\n");

    const findings = await checkDrift(stack);
    // A node's process is the fleet's resource fleet-<node> (components/fleet/Fleet.ts).
    const of = (name: string) => findings.find((f) => f.resource === `fleet-${name}` && f.phase === "state-vs-world");
    expect(of("alpha")?.fields).toContain("running");
    expect(of("beta")?.fields).toEqual(expect.arrayContaining(["digests.genesis.json", "digests.config.toml"]));
    const report = formatReport("drift", findings);
    expect(report).toMatch(/fleet-alpha .*running/);
    expect(report).toMatch(/fleet-beta .*digests\.config\.toml/);
  });

  it("reports configuration that no longer matches the state (code vs state)", async () => {
    await stack.setConfig("consortium:fleet", { value: JSON.stringify({ target: "local", rpcNode: false, verbosity: 4 }) });
    const findings = await checkDrift(stack);
    expect(findings.some((f) => f.phase === "code-vs-state" && f.resource === "fleet-alpha" && f.fields.includes("args"))).toBe(true);
  });
});
