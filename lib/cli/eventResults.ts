// A stack whose up, refresh and destroy give their results from the engine's own events. Once the engine is done,
// the Automation API reads the results back with CLI calls of its own: after an up the outputs twice (masked, then
// with secrets) and the update history, after a refresh or destroy the history — each a Pulumi CLI process loading
// the stack's state again (three after an up: ~1.9 CPU-s on the dev stack, a third of a whole no-op preview). The
// engine has already streamed what they return: its summary event holds the resource changes, the stack resource's
// outputs event the outputs, each secret a signed value with its ciphertext masked. Here each operation runs as the
// Automation API runs it (its options, its arguments), with those reads answered from its events; an up whose
// outputs hold a secret reads their plaintext once more, in one call. What the events lack is read back as the
// Automation API reads it.
import type { DestroyOptions, EngineEvent, OpMap, OutputMap, RefreshOptions, Stack, UpOptions } from "@pulumi/pulumi/automation";
import { Stack as AutomationStack } from "@pulumi/pulumi/automation";
import { runPulumiCli } from "./stackCli";

/** What an operation's events say of it: it succeeded (a failed one rejects) with these resource changes. */
export interface OperationSummary {
  result: "succeeded";
  resourceChanges: OpMap;
}

export interface OperationResult {
  stdout: string;
  stderr: string;
  summary: OperationSummary;
}

export interface UpResult extends OperationResult {
  outputs: OutputMap;
}

/** The Automation API's Stack, with up, refresh and destroy answered from the engine's events. */
export interface ConsortiumStack extends Omit<Stack, "up" | "refresh" | "destroy"> {
  up(opts?: UpOptions): Promise<UpResult>;
  refresh(opts?: RefreshOptions): Promise<OperationResult>;
  destroy(opts?: DestroyOptions): Promise<OperationResult>;
}

/** The property that marks a secret value in the engine's JSON, and its value (Pulumi's `sig.Secret`). */
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The summary event's resource changes. The events come over a stream the Automation API closes once the CLI has
 * exited, which can be before the last of them was read (a loaded machine): without it, the update history says.
 */
async function summaryOf(stack: Stack, events: EngineEvent[]): Promise<OperationSummary> {
  const summary = events.find((e) => e.summaryEvent)?.summaryEvent;
  const resourceChanges = summary ? summary.resourceChanges : (await stack.info())?.resourceChanges;
  return { result: "succeeded", resourceChanges: resourceChanges ?? {} };
}

/** The stack's outputs as the up's events show them; the plaintext of secret ones from one more CLI call. */
async function outputsOf(stack: Stack, events: EngineEvent[]): Promise<OutputMap> {
  const stackOutputs = events.map((e) => e.resOutputsEvent?.metadata).find((m) => m?.type === STACK_TYPE);
  // The stack resource's outputs event not read (see summaryOf): ask the CLI, as the Automation API does.
  if (!stackOutputs) return stack.outputs();
  const shown = (stackOutputs.new?.outputs ?? {}) as Record<string, unknown>;
  return outputMap(shown, holdsSecret(shown) ? await secretOutputs(stack) : shown);
}

/**
 * The outputs as the Automation API gives them: each output's value from `plaintext` (the CLI's, with secrets), marked
 * secret as it marks them — when the whole output is (a secret inside an object leaves the output plain).
 */
export function outputMap(shown: Record<string, unknown>, plaintext: Record<string, unknown>): OutputMap {
  return Object.fromEntries(Object.keys(shown).map((key) => [key, { value: plaintext[key], secret: isSecret(shown[key]) }]));
}

/** A secret as the events show it: Pulumi's secret signature, its ciphertext masked. */
function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_KEY] === SECRET_SIG;
}

/** Whether a secret is anywhere in `value` (as the events show it). */
export function holdsSecret(value: unknown): boolean {
  return isSecret(value) || (typeof value === "object" && value !== null && Object.values(value).some(holdsSecret));
}

async function secretOutputs(stack: Stack): Promise<Record<string, unknown>> {
  return JSON.parse(await runPulumiCli(stack, ["stack", "output", "--json", "--show-secrets"], { stdout: "pipe" })) as Record<string, unknown>;
}

export function withResultsFromEvents(stack: Stack): ConsortiumStack {
  /** Runs the Automation API's `op` on a view of the stack whose result reads answer from the operation's events. */
  const run = async <O extends { onEvent?: (e: EngineEvent) => void }>(op: "up" | "refresh" | "destroy", opts: O | undefined) => {
    const events: EngineEvent[] = [];
    const onEvent = (e: EngineEvent) => {
      events.push(e);
      opts?.onEvent?.(e);
    };
    const view = Object.create(stack, {
      outputs: { value: () => outputsOf(stack, events) },
      info: { value: () => summaryOf(stack, events) },
    }) as Stack;
    return (AutomationStack.prototype[op] as (this: Stack, o: O) => Promise<unknown>).call(view, { ...opts, onEvent } as O);
  };
  return Object.assign(Object.create(stack) as Stack, {
    up: (opts?: UpOptions) => run("up", opts) as Promise<UpResult>,
    refresh: (opts?: RefreshOptions) => run("refresh", opts) as Promise<OperationResult>,
    destroy: (opts?: DestroyOptions) => run("destroy", opts) as Promise<OperationResult>,
  }) as ConsortiumStack;
}
