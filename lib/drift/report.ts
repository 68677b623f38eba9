// Drift between code, state and the world, from the engine's own events: a preview (code vs state) and a
// preview-only refresh (state vs world). Each changed resource becomes one finding: what, where, which fields.
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";

export type DriftPhase = "code-vs-state" | "state-vs-world";

export interface DriftFinding {
  phase: DriftPhase;
  /** Resource name (the last URN segment) and type. */
  resource: string;
  type: string;
  op: OpType;
  /** Properties that differ, when the engine names them. */
  fields: string[];
}

const QUIET: ReadonlySet<OpType> = new Set<OpType>(["same", "read", "refresh"]);
/**
 * Outputs that move on every read without the world having changed: a bridge vault's whitelist scan position (the
 * block up to which its whitelist was read from the chain's events); a Kubernetes object's status (what its
 * controller last saw of its pods: health, which the monitor watches, not configuration) and the API server's
 * bookkeeping of each write. A change of an object's spec or data still shows, under its own fields.
 */
function bookkeeping(type: string, field: string): boolean {
  if (field === "whitelistBlock") return true;
  return type.startsWith("kubernetes:") && (field === "status" || field.startsWith("status.") || KUBERNETES_WRITE_RECORDS.has(field));
}
const KUBERNETES_WRITE_RECORDS: ReadonlySet<string> = new Set(["metadata.managedFields", "metadata.resourceVersion", "metadata.generation"]);

/**
 * Collects findings from engine events; the stack resource itself only mirrors its children's changes. A refresh
 * names a change of the inputs only; outputs the world changed while the inputs stayed (an operator's pause, which
 * `up` never touches) are found by comparing the old and new outputs.
 */
export function findingsFrom(phase: DriftPhase, events: EngineEvent[]): DriftFinding[] {
  const out = new Map<string, DriftFinding>();
  for (const e of events) {
    const m = e.resOutputsEvent?.metadata ?? (phase === "code-vs-state" ? e.resourcePreEvent?.metadata : undefined);
    if (!m || m.type === "pulumi:pulumi:Stack") continue;
    const outputs = changedFields(m.old?.outputs, m.new?.outputs).filter((f) => !bookkeeping(m.type, f));
    if (QUIET.has(m.op) && !(phase === "state-vs-world" && outputs.length > 0)) continue;
    const fields = m.diffs?.length ? m.diffs : outputs;
    out.set(m.urn, { phase, resource: m.urn.split("::").pop()!, type: m.type, op: m.op, fields: [...fields].sort() });
  }
  return [...out.values()];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Output properties that differ between two states, down to the leaf that changed (`settings.limits.maxPerTx`). */
export function changedFields(before: unknown, after: unknown, prefix = ""): string[] {
  if (!isObject(before) || !isObject(after)) return [];
  const out: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === "__provider") continue;
    const [a, b] = [before[key], after[key]];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out.push(...(isObject(a) && isObject(b) ? changedFields(a, b, `${prefix}${key}.`) : [`${prefix}${key}`]));
  }
  return out;
}

export function formatReport(stack: string, findings: DriftFinding[]): string {
  if (findings.length === 0) return `drift check of stack ${stack}: no drift (code, state and the world agree).`;
  const lines = findings.map((f) => `  - [${f.phase}] ${f.resource} (${f.type}): ${f.op}${f.fields.length ? ` — differs in ${f.fields.join(", ")}` : ""}`);
  return [`drift check of stack ${stack}: ${findings.length} resource(s) drifted:`, ...lines].join("\n");
}
