// The environment every Pulumi call of this project runs in: offline, file backend, pinned tools first on PATH.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { REPO_ROOT, Tools } from "../toolchain/resolve";

/** Passphrase of the dev stack's secrets. Dev only: every other stack brings its own. */
export const DEV_PASSPHRASE = "consortium-dev-stack-only";
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

export function pulumiEnv(tools: Tools, stack: string | undefined): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...tools.path, process.env.PATH ?? ""].join(":"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: backendUrl(),
    CONSORTIUM_GETH: tools.geth,
  };
  const hasPassphrase = process.env.PULUMI_CONFIG_PASSPHRASE !== undefined || process.env.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined;
  if (!hasPassphrase && stack === DEV_STACK) env.PULUMI_CONFIG_PASSPHRASE = DEV_PASSPHRASE;
  return env;
}

/** Fails early, with the fix, when a non-dev stack has no passphrase. */
export function requirePassphrase(stack: string, env: Record<string, string | undefined> = process.env): void {
  if (stack === DEV_STACK) return;
  if (env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
    throw new Error(`stack ${stack} keeps its keys as Pulumi secrets: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (the dev passphrase is for the dev stack only).`);
  }
}
