// Shared by the agent's tests and the bridge tests: the compiled agent (child processes run dist/, like production)
// and validator key files as the agent reads them.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { randomPassword } from "../lib/keygen";
import { encryptKeystore } from "../render/keys/keystore";
import { REPO_ROOT } from "../lib/toolchain/resolve";

export const REPO = REPO_ROOT;
export const AGENT_MAIN = join(REPO, "dist", "agent", "main.js");
const SOURCES = join(REPO, "agent");

/** Compiles the project (tsc) when dist/agent is missing or older than a source file of the agent. */
export function ensureAgentBuilt(): void {
  const built = (f: string) => join(REPO, "dist", "agent", f.replace(/\.ts$/, ".js"));
  const stale = readdirSync(SOURCES)
    .filter((f) => f.endsWith(".ts"))
    .some((f) => !existsSync(built(f)) || statSync(built(f)).mtimeMs < statSync(join(SOURCES, f)).mtimeMs);
  if (stale) {
    try {
      execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: REPO, stdio: "pipe" });
    } catch (e) {
      // Other parts of the tree may be mid-edit; the agent's own output is what matters.
      if (!existsSync(AGENT_MAIN)) throw e;
    }
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
