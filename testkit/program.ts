// One of the project's servers (the monitor, the policy gateway) as a process of this machine, from the compiled
// project, for tests: its files written to a fresh directory (its working directory), started, and awaited until it
// says where it serves.
import { ChildProcess, spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/toolchain/resolve";

export interface ProgramProcess {
  /** Where it serves (the `serving on <url>` of its log). */
  url: string;
  /** Its working directory, holding its files. */
  dir: string;
  /** What it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface ProgramOptions {
  /** Its name: the folder under dist/ (`monitor`, `gateway`) whose main.js runs. */
  name: string;
  /** Its configuration file (passed as --config) among `files`. */
  config: string;
  /** Files of its directory, by name: 0600 when their name is in `secret`. */
  files: Record<string, string>;
  secret?: string[];
}

export async function startProgram(o: ProgramOptions): Promise<ProgramProcess> {
  const dir = await mkdtemp(join(tmpdir(), `${o.name}-`));
  for (const [file, content] of Object.entries(o.files)) {
    await writeFile(join(dir, file), content);
    if (o.secret?.includes(file)) await chmod(join(dir, file), 0o600);
  }
  const proc: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, "dist", o.name, "main.js"), "--config", o.config], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const seen = (d: Buffer) => {
        output += d.toString();
        const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]);
      };
      proc.stdout!.on("data", seen);
      proc.stderr!.on("data", seen);
      proc.once("exit", (code) => reject(new Error(`the ${o.name} exited (${code}):\n${output}`)));
      setTimeout(() => reject(new Error(`the ${o.name} did not start within 20 s:\n${output}`)), 20_000);
    });
    return { url, dir, output: () => output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
