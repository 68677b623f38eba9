// Runs one node as a detached local process: writes its files, runs its init commands once, starts it with
// output to a log file, waits until its JSON-RPC answers (over HTTP, or over IPC for sealers, which serve no HTTP),
// and observes it later (alive? files as written?).
// Used by the dynamic provider in components/targets/local; it holds no Pulumi code so it can be tested alone.
// Paths in the inputs may be relative to the project folder, the provider's working directory (lib/project.ts): the
// state then names no clone; they are resolved here, when used.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { inTurn } from "./inTurn";
import { isHttp, jsonRpcCall } from "./ipc";
import { portFree } from "./ports";
import { processAlive } from "./processAlive";
import { writeFileAtomic } from "./writeFileAtomic";
import { expandPackagePath, resolveStoredPath } from "./project";
import type { LocalProcessSpec } from "../render/local/process";

/** A local workload as rendered (render/local/process.ts), with its secret files' contents and its reset key. */
export interface LocalProcessInputs extends Omit<LocalProcessSpec, "readiness"> {
  /** How readiness is probed: a JSON-RPC eth_chainId (nodes, the default) or any HTTP answer (agents' health servers). */
  readiness?: LocalProcessSpec["readiness"];
  /** Secret file contents (written 0600); never returned in outputs. */
  secretFiles: Record<string, string>;
  /** Changing it wipes the directory (e.g. the genesis hash: a new genesis means a new chain). */
  resetKey: string;
}

/** What the provider keeps in state: the inputs minus secret contents, plus what was observed. */
export interface LocalProcessState extends Omit<LocalProcessInputs, "secretFiles"> {
  pid: number;
  running: boolean;
  /** sha256 of every file (secret ones included) as it was written / as it is on disk now. */
  digests: Record<string, string>;
}

export const LOG_FILE = "node.log";
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const PORT_WAIT_MS = 5_000;
/** geth syncs a peer-starved node on a 10 s cycle: enough for it to catch up once. */
const CATCH_UP_TIMEOUT_MS = 30_000;
/** Bound on the wait for a new node's transaction index (txIndexReady). */
const TX_INDEX_WAIT_MS = 20_000;

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** The digests a correct node directory has, from the inputs. */
export function expectedDigests(inputs: Pick<LocalProcessInputs, "files" | "secretFiles">): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, c] of Object.entries({ ...inputs.files, ...inputs.secretFiles })) out[p] = sha256(c);
  return sortKeys(out);
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

async function writeAtomic(path: string, content: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, content, mode);
}

/** Ports must be free; a node that was just stopped may hold them for a moment longer, so wait a little. */
async function assertPortsFree(inputs: LocalProcessInputs): Promise<void> {
  const deadline = Date.now() + PORT_WAIT_MS;
  for (const port of inputs.ports) {
    while (!(await portFree(port))) {
      if (Date.now() > deadline) {
        throw new Error(`${inputs.name}: port ${port} on 127.0.0.1 is already in use by another process; stop it, or remove the stack's port reservation so a new block is chosen`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A command or argument as the process gets it: `packagePath(...)` resolved in the project being run. */
const expand = expandPackagePath;

/** The last `lines` lines of the process's log in `dir`. */
export function logTail(dir: string, lines = 25): string {
  try {
    return readFileSync(join(dir, LOG_FILE), "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** True if `pid` is alive and is the process started in `dir` (guards against pid reuse; relative: to the project folder). */
export function isOurProcess(pid: number, dir: string): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === resolveStoredPath(dir);
  } catch {
    return false;
  }
}

/** A JSON-RPC call to an http(s) URL or an IPC socket path (lib/ipc.ts). */
const rpcCall = (endpoint: string, method: string): Promise<unknown> => jsonRpcCall(endpoint, method, [], 2000);

async function answers(url: string, readiness: LocalProcessInputs["readiness"]): Promise<boolean> {
  if (readiness === "http") {
    // Any status counts: a health endpoint may say 503 while it catches up, but the process is up.
    return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      () => true,
      () => false,
    );
  }
  return typeof (await rpcCall(url, "eth_chainId").catch(() => undefined)) === "string";
}

/** The node's head block number, or undefined when it does not answer (or is not a JSON-RPC node). */
async function headOf(state: Pick<LocalProcessInputs, "rpcUrl" | "readiness">): Promise<number | undefined> {
  if (state.readiness === "http") return undefined;
  const head = await rpcCall(state.rpcUrl, "eth_blockNumber").catch(() => undefined);
  return typeof head === "string" ? Number(head) : undefined;
}

/**
 * Restarts a node with new settings and, for a chain node, waits (bounded) until it imports blocks sealed since
 * its restart (two past the head it had: no sealer signs twice in a row). The workloads of one work dir (a fleet's
 * nodes) restart one after the other — a node that is down or still syncing when the next one stops would leave
 * too few sealers — while their first start goes at once (components/targets/Target.ts, restartsInTurn).
 */
export function restartNode(olds: LocalProcessState, news: LocalProcessInputs): Promise<LocalProcessState> {
  return inTurn(`restart:${dirname(resolveStoredPath(news.dir))}`, async () => {
    const before = olds.running ? await headOf(olds) : undefined;
    await stopNode(olds.pid, olds.dir);
    const started = await startNode(news);
    if (before !== undefined) {
      const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
      while (((await headOf(news)) ?? -1) < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    }
    return started;
  });
}

/** Writes the node's files, runs init once per resetKey, starts the process and waits until its RPC answers. */
export async function startNode(inputs: LocalProcessInputs): Promise<LocalProcessState> {
  await assertPortsFree(inputs);
  const dir = resolveStoredPath(inputs.dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [p, c] of Object.entries(inputs.files)) await writeAtomic(join(dir, p), c, 0o644);
  for (const [p, c] of Object.entries(inputs.secretFiles)) await writeAtomic(join(dir, p), c, 0o600);

  const marker = join(dir, `.initialized-${sha256(inputs.resetKey).slice(0, 16)}`);
  if (!existsSync(marker)) {
    // Loaded here, not with the module: execa is an ES module whose graph costs the provider host ~0.3 s of CPU on
    // every engine run, and only a node's first start runs init steps.
    const { execa } = await import("execa");
    for (const step of inputs.init) {
      const r = await execa(expand(step.command), step.args.map(expand), { cwd: dir, env: inputs.env, all: true, reject: false });
      if (r.exitCode !== 0) throw new Error(`${inputs.name}: init step \`${[step.command, ...step.args].join(" ")}\` failed:\n${r.all}`);
    }
    await writeFile(marker, new Date().toISOString() + "\n");
  }

  const log = openSync(join(dir, LOG_FILE), "a", 0o600);
  const child = spawn(expand(inputs.command), inputs.args.map(expand), {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...inputs.env },
    detached: true, // its own process group: it outlives the provider process that started it
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const pid = child.pid;
  if (!pid) throw new Error(`${inputs.name}: could not start ${inputs.command}`);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  child.unref();

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answers(inputs.rpcUrl, inputs.readiness))) {
    if (exited !== undefined) throw new Error(`${inputs.name}: ${inputs.command} exited with code ${exited} during start-up. Last log lines:\n${logTail(dir)}`);
    if (Date.now() > deadline) {
      await stopNode(pid, dir);
      throw new Error(`${inputs.name}: ${inputs.rpcUrl} did not answer within ${READY_TIMEOUT_MS / 1000}s. Last log lines:\n${logTail(dir)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // Clients send and wait for receipts over HTTP; a node answering on its IPC socket only (a sealer) serves the
  // deployer's votes, which look up no receipt, and one sealing on demand would wait here for a block it never makes.
  if (inputs.readiness !== "http" && isHttp(inputs.rpcUrl)) await txIndexReady(inputs.rpcUrl);
  const { secretFiles: _secret, ...visible } = inputs;
  return { ...visible, pid, running: true, digests: expectedDigests(inputs) };
}

/** geth's answer to receipt lookups while its transaction indexer has not caught up (RPC nodes just synced). */
const TX_INDEXING = /transaction indexing is in progress/;

/**
 * Best effort, bounded: waits until the node answers receipt lookups instead of "transaction indexing is in progress",
 * which a freshly started non-mining node says while it syncs, so a client sending right after `up` can wait for its
 * receipts. A node that keeps indexing past the bound (a long chain) is left to finish on its own.
 */
async function txIndexReady(endpoint: string): Promise<void> {
  const deadline = Date.now() + TX_INDEX_WAIT_MS;
  while (Date.now() < deadline) {
    const err = await jsonRpcCall(endpoint, "eth_getTransactionReceipt", ["0x" + "00".repeat(32)], 2000).then(
      () => undefined,
      (e: Error) => e,
    );
    if (!err || !TX_INDEXING.test(err.message)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** True while `pid` exists and has not exited (a zombie has exited and released its ports). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after a grace period; returns once the process has exited. A gone process is fine. */
export async function stopNode(pid: number, dir: string): Promise<void> {
  if (!isOurProcess(pid, dir)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isOurProcess(pid, dir)) process.kill(pid, "SIGKILL"); // the cwd check guards against a reused pid
  const exitDeadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < exitDeadline) await new Promise((r) => setTimeout(r, 100));
}

/** What is on the machine now: is the process alive, and what do its files hash to. */
export async function observeNode(state: LocalProcessState): Promise<Pick<LocalProcessState, "running" | "digests">> {
  const digests: Record<string, string> = {};
  for (const p of Object.keys(state.digests)) {
    try {
      digests[p] = sha256(await readFile(join(resolveStoredPath(state.dir), p)));
    } catch {
      digests[p] = "missing";
    }
  }
  return { running: isOurProcess(state.pid, state.dir), digests: sortKeys(digests) };
}

/** Stops the process and removes its directory (chain data and the copies of its key files). */
export async function removeNode(state: LocalProcessState): Promise<void> {
  await stopNode(state.pid, state.dir);
  await rm(resolveStoredPath(state.dir), { recursive: true, force: true });
}

/** Pids of processes whose working directory is `dir` or below it (Linux /proc). */
export function processesUnder(where: string): number[] {
  const dir = resolveStoredPath(where);
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + "/")) out.push(Number(entry));
    } catch {
      // gone, or not ours to inspect
    }
  }
  return out;
}
