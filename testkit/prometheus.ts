// Debian's Prometheus for tests: promtool to check and unit-test rendered configuration and rules, and a server on
// loopback that scrapes what a test started, asked over its HTTP API which alerts fire.
import { execa } from "execa";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensurePrograms, Log } from "./debianPackages";
import { freePort } from "./freePort";

const defaultLog: Log = (m) => console.log(`[prometheus] ${m}`);

/** Debian's `prometheus` package (its server and promtool), installed when missing. */
export const ensurePrometheus = (log: Log = defaultLog) => ensurePrograms({ prometheus: "prometheus", promtool: "prometheus" }, log);

/** Runs promtool; resolves with its output, rejects with it on a non-zero exit. */
export async function promtool(args: string[], cwd: string): Promise<string> {
  const r = await execa("promtool", args, { cwd, reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`promtool ${args.join(" ")} failed (exit ${r.exitCode}):\n${r.all ?? ""}`);
  return r.all ?? "";
}

export interface FiringAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
}

export interface PrometheusServer {
  url: string;
  alerts(): Promise<FiringAlert[]>;
  /** The instant value of a PromQL expression (empty when it has none). */
  query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

/** A Prometheus server on loopback with the given configuration files (name → content) in a folder of its own. */
export async function startPrometheus(files: Record<string, string>, configFile: string): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), "prometheus-"));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn(
    "prometheus",
    [`--config.file=${join(dir, configFile)}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  proc.stderr!.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    }
    await rm(dir, { recursive: true, force: true });
  };
  const api = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: any; error?: string };
    if (body.status !== "success") throw new Error(`prometheus ${path}: ${body.error}`);
    return body.data;
  };
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited (${proc.exitCode}):\n${log}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (i > 100) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    alerts: async () => (await api("/api/v1/alerts")).alerts,
    query: async (expr) => (await api(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result.map((r: any) => ({ metric: r.metric, value: Number(r.value[1]) })),
    stop,
  };
}
