// The environment every Pulumi call of this project runs in: offline, file backend, pinned tools first on PATH.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { REPO_ROOT, Tools } from "../toolchain/resolve";
import { engineTempDir } from "./engineTemp";

/** Passphrase of dev stacks' secrets (`consortium:dev: true` in their own configuration); every other stack brings its own. */
export const DEV_PASSPHRASE = "consortium-dev-stack-only";
/**
 * How many resource operations `up` runs at once: contracts that do not depend on each other are created together
 * and mined in the same blocks, and the PoCo stack alone has 16 such (Pulumi's default is 8). Plain `pulumi up`
 * users get the same with `--parallel 32`.
 */
export const UP_PARALLEL = 32;

/** The embedded default stack (`npm start`), which the commands use when no `-s` is given. */
export const DEV_STACK = "dev";

/** The project's own file backend (gitignored), unless PULUMI_BACKEND_URL says otherwise. */
export function backendUrl(): string {
  return process.env.PULUMI_BACKEND_URL ?? `file://${join(REPO_ROOT, ".state")}`;
}

/** Where a file backend keeps the stack's checkpoint; undefined for other backends. */
export function fileBackendCheckpoint(stack: string, projectDir: string = PROJECT_DIR): string | undefined {
  const url = backendUrl();
  return url.startsWith("file://") ? join(fileURLToPath(url), ".pulumi", "stacks", projectName(projectDir), `${stack}.json`) : undefined;
}

/**
 * The Pulumi project: the repository root (Pulumi.yaml, `main: dist/program/index.js`). Each consortium, and each of
 * its environments, is a stack of it, configured in `stacks/Pulumi.<stack>.yaml` (`stackConfigDir: stacks`).
 */
export const PROJECT_DIR = REPO_ROOT;

/** The project's name in Pulumi.yaml: the backend names its stacks `<project>/<stack>`. */
export function projectName(projectDir: string = PROJECT_DIR): string {
  const name = (parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name === "") throw new Error(`${join(projectDir, "Pulumi.yaml")} has no project name`);
  return name;
}

/** The configuration file of `stack` in the project at `projectDir`: in Pulumi.yaml's `stackConfigDir`, else beside it. */
export function stackConfigFile(projectDir: string, stack: string): string {
  let dir = ".";
  try {
    const configured = (parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")) as { stackConfigDir?: unknown } | null)?.stackConfigDir;
    if (typeof configured === "string" && configured !== "") dir = configured;
  } catch {
    // no Pulumi.yaml (yet): the configuration sits beside where it would be
  }
  return join(projectDir, dir, `Pulumi.${stack}.yaml`);
}

/** The project folder of a configured stack (the repository root); refused, with the fix, without its configuration. */
export function projectDirFor(stack: string): string {
  if (existsSync(stackConfigFile(PROJECT_DIR, stack))) return PROJECT_DIR;
  const old = existsSync(join(REPO_ROOT, "stacks")) ? readdirSync(join(REPO_ROOT, "stacks")).filter((d) => existsSync(join(REPO_ROOT, "stacks", d, `Pulumi.${stack}.yaml`))) : [];
  const moved = old.length ? ` (stacks/${old[0]}/Pulumi.${stack}.yaml is from the per-folder layout: move it to stacks/Pulumi.${stack}.yaml, README "Stacks from the per-folder layout")` : "";
  throw new Error(`no stacks/Pulumi.${stack}.yaml${moved}: create the stack's configuration first (README, "Stack configuration").`);
}

/**
 * Whether `stack`'s own configuration file in `projectDir` declares it a dev stack. The name says nothing: a stack
 * called "dev" that is not declared so gets no dev passphrase, and its secrets need the operator's own.
 */
export function isDevStack(projectDir: string, stack: string): boolean {
  const value = stackConfig(projectDir, stack)["consortium:dev"];
  return value === true || value === "true";
}

/** The `config:` of `stack`'s own configuration file (empty when there is none). */
function stackConfig(projectDir: string, stack: string): Record<string, unknown> {
  const file = stackConfigFile(projectDir, stack);
  if (!existsSync(file)) return {};
  return (parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
}

/**
 * Whether `stack`'s configuration puts anything on Kubernetes (the fleet or a worker pool): its commands need the
 * Kubernetes provider plugin, which is built only for such stacks (lib/toolchain/kubernetes.ts).
 */
export function usesKubernetes(projectDir: string, stack: string): boolean {
  const config = stackConfig(projectDir, stack);
  const fleet = config["consortium:fleet"] as { target?: unknown } | undefined;
  const pools = config["consortium:workerPools"];
  return fleet?.target === "kubernetes" || (Array.isArray(pools) && pools.some((p) => (p as { target?: { kind?: unknown } })?.target?.kind === "kubernetes"));
}

export function pulumiEnv(tools: Tools, stack: string | undefined, projectDir: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...tools.path, process.env.PATH ?? ""].join(":"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: backendUrl(),
    CONSORTIUM_GETH: tools.geth,
    // Where the engine's plugins find the project folder, which stored relative paths are relative to (lib/project.ts).
    CONSORTIUM_PROJECT_DIR: projectDir,
    // Plugins' temporary files (the Kubernetes provider's copies of the kubeconfig) in a folder removed on exit.
    TMPDIR: engineTempDir(projectDir),
  };
  const hasPassphrase = process.env.PULUMI_CONFIG_PASSPHRASE !== undefined || process.env.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined;
  if (!hasPassphrase && stack !== undefined && isDevStack(projectDir, stack)) env.PULUMI_CONFIG_PASSPHRASE = DEV_PASSPHRASE;
  return env;
}

/** Fails early, with the fix, when a stack that is not a declared dev stack has no passphrase. */
export function requirePassphrase(stack: string, projectDir: string, env: Record<string, string | undefined> = process.env): void {
  if (env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined && !isDevStack(projectDir, stack)) {
    throw new Error(
      `stack ${stack} keeps its keys as Pulumi secrets: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE ` +
        "(the dev passphrase is only for stacks whose configuration says consortium:dev: true).",
    );
  }
}
