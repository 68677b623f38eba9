// Throwaway consortium stacks for tests and benchmarks: own project folder (under .work/, so the project's
// node_modules resolve), own file backend, own passphrase, own work dir; removed entirely by `dispose`.
import type { ConsortiumStack } from "../lib/cli/workspace";
import { randomBytes } from "node:crypto";
import { copyFile, cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { processesUnder } from "../lib/localProcess";
import { REPO_ROOT, Tools } from "../lib/toolchain/resolve";
import { openStack, runPulumiCli } from "../lib/cli/workspace";

export interface ScratchStack {
  stack: ConsortiumStack;
  projectDir: string;
  /**
   * Unprotects and destroys the stack, then deletes its folder (backend and work dir included: the stack goes with it).
   * `destroy: false` deletes the folder alone: for a stack whose resources all go with what they ran on (a test
   * cluster about to be stopped, which a destroy would only make wait for each pod's graceful end).
   */
  dispose(options?: { destroy?: boolean }): Promise<void>;
}

export interface ScratchStackOptions {
  name: string;
  /** `consortium:` settings, without the prefix. */
  config: Record<string, unknown>;
  tools?: Tools;
  /**
   * A local fleet without `fleet.workDir` gets the absolute `<projectDir>/.work/<name>` (where the project default puts
   * it), so that node directories and IPC sockets in outputs and state are paths the test process can use as they are.
   * `true`: leave it to the program's default, stored relative to the project folder (resolve against `projectDir`).
   */
  projectDefaultWorkDir?: boolean;
}

export async function createScratchStack(opts: ScratchStackOptions): Promise<ScratchStack> {
  await mkdir(join(REPO_ROOT, ".work"), { recursive: true });
  const projectDir = await mkdtemp(join(REPO_ROOT, ".work", `${opts.name}-`));
  const program = join(REPO_ROOT, "dist", "program", "index.js");
  await writeFile(
    join(projectDir, "Pulumi.yaml"),
    stringify({ name: `consortium-${opts.name}`, runtime: { name: "nodejs", options: { typescript: false } }, main: program }),
  );
  const fleet = (opts.config.fleet ?? {}) as { target?: string; workDir?: string };
  const settings = opts.projectDefaultWorkDir || (fleet.target ?? "local") !== "local" || fleet.workDir !== undefined
    ? opts.config
    : { ...opts.config, fleet: { ...fleet, workDir: join(projectDir, ".work", opts.name) } };
  const config = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`consortium:${k}`, v]));
  await writeFile(join(projectDir, `Pulumi.${opts.name}.yaml`), stringify({ config }));
  const stateDir = join(projectDir, "state");
  await mkdir(stateDir);
  const stack = await openStack({
    stack: opts.name,
    projectDir,
    ...(opts.tools ? { tools: opts.tools } : {}),
    env: { PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex") },
  }, { fresh: true });
  return {
    stack,
    projectDir,
    async dispose({ destroy = true } = {}) {
      try {
        if (destroy) {
          await runPulumiCli(stack, ["state", "unprotect", "--all", "--yes"], { stdout: "ignore" }).catch(() => undefined);
          await stack.destroy();
        }
      } finally {
        // Whatever went wrong above, no process of this stack outlives it.
        for (const pid of processesUnder(projectDir)) process.kill(pid, "SIGKILL");
        await rm(projectDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A copy of the built project at `dir`, laid out as another checkout of it would be: package.json, package-lock.json,
 * Pulumi.yaml, copies of dist/ and contracts/build/, `stacks/<file>` for each of `stackFiles`, and node_modules as a
 * symlink to this checkout's (installed packages are not the project's code). Open its stacks with
 * `openStack({ projectDir: dir })`.
 */
export async function copyBuiltProject(dir: string, stackFiles: Record<string, string>): Promise<void> {
  await mkdir(join(dir, "stacks"), { recursive: true });
  for (const file of ["package.json", "package-lock.json", "Pulumi.yaml"]) await copyFile(join(REPO_ROOT, file), join(dir, file));
  await cp(join(REPO_ROOT, "dist"), join(dir, "dist"), { recursive: true });
  await cp(join(REPO_ROOT, "contracts", "build"), join(dir, "contracts", "build"), { recursive: true }); // the bridge's committed build
  await symlink(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  for (const [file, text] of Object.entries(stackFiles)) await writeFile(join(dir, "stacks", file), text);
}

/** The settings of the smallest dev consortium: one geth authority and an RPC node, local processes. */
export function oneAuthorityDevChain(name: string, chainId: number, blockPeriodSeconds: number): Record<string, unknown> {
  return {
    name,
    dev: true,
    chainId,
    blockPeriodSeconds,
    scryptN: 2 ** 12,
    authorities: [{ name: "a0", member: "m0" }],
    fleet: { target: "local", rpcNode: true },
  };
}
