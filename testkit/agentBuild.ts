// Shared by the agent's tests and the bridge tests: the compiled agent (child processes run dist/, like production)
// and validator key files as the agent reads them.
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomPassword } from "../lib/keygen";
import { encryptKeystore } from "../lib/keygen";
import { REPO_ROOT } from "../lib/toolchain/resolve";

export const REPO = REPO_ROOT;
export const AGENT_MAIN = join(REPO, "dist", "agent", "main.js");

/**
 * Makes sure dist/ (so dist/agent/main.js) is a build of the sources as they are, or throws the compiler's errors.
 * In a vitest run the global setup (test/support/buildSetup.ts) has already built the project and failed the run on
 * any error: it marks the run with CONSORTIUM_DIST_BUILT and there is nothing left to do. Elsewhere (the benchmarks)
 * this runs the same build, scripts/build.mjs (incremental: about a second when nothing changed).
 */
export function ensureAgentBuilt(): void {
  if (process.env.CONSORTIUM_DIST_BUILT) return;
  const r = spawnSync(process.execPath, [join(REPO, "scripts", "build.mjs")], { cwd: REPO, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`the project does not build (scripts/build.mjs):\n${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim() || r.error?.message}`);
  }
}

/** Writes a v3 keystore (cheap scrypt: tests only) and its password file, both 0600. */
export async function writeKeyFiles(dir: string, privateKey: string): Promise<{ keystoreFile: string; passwordFile: string }> {
  await mkdir(dir, { recursive: true });
  const password = randomPassword();
  const keystore = await encryptKeystore(privateKey, password, { scrypt: { n: 2 ** 12, r: 8, p: 1 } });
  const keystoreFile = join(dir, "keystore.json");
  const passwordFile = join(dir, "password");
  await writeFile(keystoreFile, JSON.stringify(keystore), { mode: 0o600 });
  await writeFile(passwordFile, password + "\n", { mode: 0o600 });
  return { keystoreFile, passwordFile };
}
