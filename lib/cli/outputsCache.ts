// A stack's public outputs, kept in the project's `.work/<stack>/outputs.json` by every command that read them
// from the engine (and by `npm start` after its up), so that commands which only read chain state (`bridge balance`)
// start no Pulumi engine at all. A copy is used only while the stack's checkpoint in the project's file backend is
// the one it was taken from (size and modification time); any `up`, `refresh` or `destroy`, by us or by a plain
// `pulumi` command, makes it stale, and other backends always ask the engine. Secret outputs are never written: of
// the dev account, only its address is kept.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { defaultWorkDir } from "../project";
import { REPO_ROOT } from "../toolchain/resolve";
import { openCliStack } from "./cliStack";
import { fileBackendCheckpoint, projectDirFor } from "./env";

export type StackOutputs = Record<string, { value: unknown; secret?: boolean }>;

interface Cached {
  checkpoint: string;
  outputs: StackOutputs;
}

export const outputsCacheFile = (stack: string) => join(REPO_ROOT, defaultWorkDir(stack), "outputs.json");

/** What identifies the stack's current checkpoint in a file backend; undefined for other backends or no stack. */
async function checkpointId(stack: string): Promise<string | undefined> {
  const checkpoint = fileBackendCheckpoint(stack);
  if (!checkpoint) return undefined;
  try {
    const s = await stat(checkpoint);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** The cached public outputs, if they are the current checkpoint's. */
export async function cachedOutputs(stack: string): Promise<StackOutputs | undefined> {
  const current = await checkpointId(stack);
  if (!current) return undefined;
  try {
    const cached = JSON.parse(await readFile(outputsCacheFile(stack), "utf8")) as Cached;
    return cached.checkpoint === current ? cached.outputs : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the public part of `outputs` (as the engine just gave them) for the next command. */
export async function cacheOutputs(stack: string, outputs: StackOutputs): Promise<void> {
  const checkpoint = await checkpointId(stack);
  if (!checkpoint) return;
  const kept: StackOutputs = Object.fromEntries(Object.entries(outputs).filter(([, o]) => !o.secret));
  const dev = outputs.devAccount?.value as { address?: string } | undefined;
  if (dev?.address) kept.devAccount = { value: { address: dev.address } };
  const file = outputsCacheFile(stack);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ checkpoint, outputs: kept } satisfies Cached, null, 2) + "\n", { mode: 0o600 });
}

/**
 * The stack's outputs: the cached public ones when they serve (`secrets: false`), else the engine's (two CLI calls
 * side by side, lib/cli/cliStack.ts), which are then cached.
 */
export async function readStackOutputs(stack: string, opts: { secrets: boolean }): Promise<StackOutputs> {
  if (!opts.secrets) {
    const cached = await cachedOutputs(stack);
    if (cached) return cached;
  }
  const outputs = await (await openCliStack({ stack, projectDir: projectDirFor(stack) }, { create: false })).outputs();
  await cacheOutputs(stack, outputs);
  return outputs;
}
