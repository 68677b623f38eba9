import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { ConsortiumStack } from "../cli/workspace";
import type { CliStack } from "../cli/cliStack";
import { DriftFinding, findingsFrom } from "./report";

/**
 * Runs both comparisons read-only (nothing is changed) and returns every finding: through the pinned CLI (the drift
 * command: no Automation API around the two engine runs), or through an Automation API stack (tests' scratch stacks).
 */
export async function checkDrift(stack: ConsortiumStack | CliStack): Promise<DriftFinding[]> {
  const [code, world] = "events" in stack ? [await stack.events("preview"), await stack.events("refresh-preview")] : await automationEvents(stack);
  return [...findingsFrom("code-vs-state", code), ...findingsFrom("state-vs-world", world)];
}

async function automationEvents(stack: ConsortiumStack): Promise<[EngineEvent[], EngineEvent[]]> {
  const code: EngineEvent[] = [];
  await stack.preview({ onEvent: (e) => code.push(e), diff: true });
  const world: EngineEvent[] = [];
  await stack.refresh({ previewOnly: true, onEvent: (e) => world.push(e) });
  return [code, world];
}
