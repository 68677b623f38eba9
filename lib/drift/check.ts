import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { DriftFinding, findingsFrom } from "./report";

/** Runs both comparisons read-only (nothing is changed) and returns every finding. */
export async function checkDrift(stack: Stack): Promise<DriftFinding[]> {
  const codeEvents: EngineEvent[] = [];
  await stack.preview({ onEvent: (e) => codeEvents.push(e), diff: true });
  const worldEvents: EngineEvent[] = [];
  await stack.refresh({ previewOnly: true, onEvent: (e) => worldEvents.push(e) });
  return [...findingsFrom("code-vs-state", codeEvents), ...findingsFrom("state-vs-world", worldEvents)];
}
