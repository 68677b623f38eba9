// The test cluster's long-running programs: each started in its own process group with its log in the cluster's
// directory, stopped in reverse order (SIGTERM, then SIGKILL after a grace period).
import { ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Daemon {
  name: string;
  log: string;
  /** The last lines of its log, for an error that says why. */
  tail(lines?: number): string;
  running(): boolean;
  stop(graceMs?: number): Promise<void>;
}

export function startDaemon(name: string, program: string, args: string[], logDir: string, env: Record<string, string> = {}): Daemon {
  const log = join(logDir, `${name}.log`);
  const out = openSync(log, "a");
  const proc: ChildProcess = spawn(program, args, { detached: true, stdio: ["ignore", out, out], env: { ...process.env, ...env } });
  closeSync(out);
  proc.unref();
  let failed: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    proc.once("exit", () => resolve());
    // A program that cannot start (not built, not executable) reports here, not by exiting.
    proc.once("error", (e) => {
      failed = e;
      resolve();
    });
  });
  const running = () => !failed && proc.exitCode === null && proc.signalCode === null;
  return {
    name,
    log,
    running,
    tail: (lines = 30) => [...readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines), ...(failed ? [`could not start ${program}: ${failed.message}`] : [])].join("\n"),
    async stop(graceMs = 15_000) {
      if (!proc.pid || !running()) return;
      const group = (signal: NodeJS.Signals) => {
        try {
          process.kill(-proc.pid!, signal);
        } catch {
          // already gone
        }
      };
      group("SIGTERM");
      const timer = setTimeout(() => group("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `check` until it holds; the error names what was awaited and the daemons' last log lines. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, daemons: Daemon[] = []): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    const dead = daemons.find((d) => !d.running());
    if (dead || Date.now() > deadline) {
      const why = dead ? `${dead.name} exited` : `not within ${timeoutMs / 1000} s`;
      const logs = (dead ? [dead] : daemons).map((d) => `--- ${d.name} (${d.log}):\n${d.tail(15)}`).join("\n");
      throw new Error(`test cluster: ${what}: ${why}\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
