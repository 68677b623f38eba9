// The environment every Pulumi call of this project runs in: offline, file backend, pinned tools first on PATH.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { REPO_ROOT, Tools } from "../toolchain/resolve";

/** Passphrase of dev stacks' secrets (`consortium:dev: true` in their own configuration); every other stack brings its own. */
export const DEV_PASSPHRASE = "consortium-dev-stack-only";
/** The embedded default stack (`npm start`), which the commands use when no `-s` is given. */
export const DEV_STACK = "dev";

/** The project's own file backend (gitignored), unless PULUMI_BACKEND_URL says otherwise. */
export function backendUrl(): string {
  return process.env.PULUMI_BACKEND_URL ?? `file://${join(REPO_ROOT, ".state")}`;
}

/** A file backend's directory must exist before Pulumi opens it. */
export function ensureBackendDir(url: string): void {
  if (url.startsWith("file://")) mkdirSync(fileURLToPath(url), { recursive: true });
}

/** The consortium folder holding `Pulumi.<stack>.yaml`. */
export function projectDirFor(stack: string): string {
  const root = join(REPO_ROOT, "stacks");
  const dirs = readdirSync(root).filter((d) => existsSync(join(root, d, `Pulumi.${stack}.yaml`)));
  if (dirs.length === 1) return join(root, dirs[0]);
  if (dirs.length === 0) throw new Error(`no stacks/*/Pulumi.${stack}.yaml: create the stack's configuration first (README, "Stack configuration").`);
  throw new Error(`stack ${stack} is configured in several folders (${dirs.join(", ")}): pass --cwd stacks/<consortium>.`);
}

/**
 * Whether `stack`'s own configuration file in `projectDir` declares it a dev stack. The name says nothing: a stack
 * called "dev" that is not declared so gets no dev passphrase, and its secrets need the operator's own.
 */
export function isDevStack(projectDir: string, stack: string): boolean {
  const file = join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return false;
  const value = (parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config?.["consortium:dev"];
  return value === true || value === "true";
}

export function pulumiEnv(tools: Tools, stack: string | undefined, projectDir: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...tools.path, process.env.PATH ?? ""].join(":"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: backendUrl(),
    CONSORTIUM_GETH: tools.geth,
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
