// Proves that the real geth (1.13.15) reads a keystore: it starts a throw-away, network-less node with
// `--unlock <address> --password <file>` and waits for "Unlocked account" (or geth's fatal error).
// Every process started here is tracked so that `stopAllGeth` (afterEach) always kills it.
import { execa, type ResultPromise } from "execa";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTools } from "../../lib/toolchain/resolve";

const UNLOCK_TIMEOUT_MS = 30_000;

let gethPath: Promise<string> | undefined;
/** The pinned geth from the user cache (never builds: run `npm run tools` first). */
export function geth(): Promise<string> {
  gethPath ??= ensureTools({ build: false, log: () => {} }).then((t) => t.geth);
  return gethPath;
}

const running = new Set<ResultPromise>();
const tempDirs = new Set<string>();

export interface UnlockResult {
  /** geth logged "Unlocked account" for the expected address. */
  unlocked: boolean;
  /** The address geth logged as unlocked, lower case with 0x (undefined when it did not unlock). */
  unlockedAddress?: string;
  /** geth's exit code when it exited on its own (undefined when we stopped it after the unlock). */
  exitCode?: number;
  /** Combined stdout + stderr. */
  output: string;
}

/**
 * Puts `keystore` (JSON text) into a fresh `<tmp>/keystore/<fileName>`, the password into a 0600 file, and runs
 * geth with `--unlock <address>`. Resolves once geth has unlocked the account (then stops it) or has exited.
 */
export async function gethUnlock(keystore: string, fileName: string, address: string, password: string): Promise<UnlockResult> {
  const bin = await geth();
  const dir = mkdtempSync(join(tmpdir(), "keys-geth-"));
  tempDirs.add(dir);
  const keystoreDir = join(dir, "keystore");
  mkdirSync(keystoreDir);
  writeFileSync(join(keystoreDir, fileName), keystore, { mode: 0o600 });
  const passwordFile = join(dir, "password");
  writeFileSync(passwordFile, password, { mode: 0o600 });
  chmodSync(passwordFile, 0o600);
  const want = (address.startsWith("0x") ? address : "0x" + address).toLowerCase();

  const proc = execa(
    bin,
    [
      "--datadir", join(dir, "data"),
      "--keystore", keystoreDir,
      "--unlock", want,
      "--password", passwordFile,
      "--nodiscover", "--maxpeers", "0", "--port", "0", "--authrpc.port", "0",
      "--ipcdisable", "--networkid", "999999", "--verbosity", "3",
    ],
    { all: true, reject: false, stdin: "ignore", timeout: UNLOCK_TIMEOUT_MS + 5_000, forceKillAfterDelay: 3_000 },
  );
  running.add(proc);

  let output = "";
  let unlockedAddress: string | undefined;
  const unlockedOrExited = new Promise<void>((resolve) => {
    proc.all.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const m = /Unlocked account\s+address=(0x[0-9a-fA-F]{40})/.exec(output);
      if (m && !unlockedAddress) {
        unlockedAddress = m[1]!.toLowerCase();
        resolve();
      }
    });
    void proc.then(() => resolve());
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), UNLOCK_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([unlockedOrExited.then(() => "done" as const), timedOut]);
    if (outcome === "timeout") throw new Error(`geth neither unlocked ${want} nor exited within ${UNLOCK_TIMEOUT_MS / 1000} s:\n${output}`);
    if (unlockedAddress) {
      proc.kill("SIGTERM");
      await proc;
      return { unlocked: unlockedAddress === want, unlockedAddress, output };
    }
    const result = await proc;
    return { unlocked: false, ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), output };
  } finally {
    clearTimeout(timer);
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGKILL");
      await proc;
    }
    running.delete(proc);
  }
}

/** afterEach: kills any geth still running and removes the temp dirs. */
export async function stopAllGeth(): Promise<void> {
  for (const proc of running) {
    proc.kill("SIGKILL");
    await proc;
  }
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
