import type { ConsortiumStack } from "../cli/workspace";
import type { CliStack } from "../cli/cliStack";
import { ReadOnlyRun, readOnlyRunEvents } from "../cli/eventLog";
import { runPulumiCli } from "../cli/stackCli";
import { DriftFinding, findingsFrom } from "./report";

/**
 * Runs both comparisons read-only (nothing is changed) and returns every finding: through the pinned CLI (the drift
 * command), or through an Automation API stack's workspace (tests' scratch stacks) — the engine's events from the
 * CLI's event log either way (lib/cli/eventLog.ts: why not the Automation API's stream).
 */
export async function checkDrift(stack: ConsortiumStack | CliStack): Promise<DriftFinding[]> {
  const events = (run: ReadOnlyRun) =>
    "events" in stack ? stack.events(run) : readOnlyRunEvents(run, (args, env) => runPulumiCli(stack, args, { stdout: "ignore", env }));
  const code = await events("preview");
  const world = await events("refresh-preview");
  return [...findingsFrom("code-vs-state", code), ...findingsFrom("state-vs-world", world)];
}
