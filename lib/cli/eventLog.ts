// The engine's events of a read-only run (the drift check's two), from the event log file the CLI writes, read once
// the CLI has exited. Not the Automation API's stream: since CLI 3.206 it is a gRPC server on the caller's loopback,
// which a CLI run elsewhere (another network namespace: a member's host) cannot reach — it then drops every event
// without failing — and whose last events can be lost when the CLI exits on a loaded machine. A file is complete.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type ReadOnlyRun = "preview" | "refresh-preview";

const RUN_ARGS: Record<ReadOnlyRun, string[]> = { preview: ["preview", "--diff"], "refresh-preview": ["refresh", "--preview-only"] };

/** Runs one Pulumi CLI command of the stack: `args` (no `--stack`), with `env` added to the stack's environment. */
export type StackCli = (args: string[], env: Record<string, string>) => Promise<unknown>;

export async function readOnlyRunEvents(run: ReadOnlyRun, cli: StackCli): Promise<EngineEvent[]> {
  // A private folder: the events hold the state's outputs (secrets masked, but nothing for other users to read).
  const dir = await mkdtemp(join(tmpdir(), "consortium-events-"));
  try {
    const log = join(dir, "events.jsonl");
    // --event-log is one of the CLI's debug flags, shown only with PULUMI_DEBUG_COMMANDS (set by the Automation API too).
    await cli([...RUN_ARGS[run], "--event-log", log], { PULUMI_DEBUG_COMMANDS: "true" });
    const events = (await readFile(log, "utf8"))
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as EngineEvent);
    // The summary comes after every resource's events: without it, no finding would mean nothing.
    if (!events.some((e) => e.summaryEvent)) throw new Error(`the engine's event log of the ${run} ends before its summary: run the drift check again`);
    return events;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
