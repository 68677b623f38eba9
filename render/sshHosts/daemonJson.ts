// Docker's daemon.json on a worker host: the operator's settings stay, the `kata` runtime is added and made the
// default, so every container iexec-worker starts through the Docker API runs under Kata.
import { isDeepStrictEqual } from "node:util";
import type { KataRuntime } from "../../settings/workerPool";

/** The runtime name task containers get by default; the worker itself asks for `runc` explicitly. */
export const KATA_RUNTIME = "kata";

export interface DaemonJsonMerge {
  /** The merged file: two-space JSON, trailing newline (stable, so a re-render is byte-identical). */
  text: string;
  /** False when the existing file already says the same (key order and formatting aside): no write, no restart. */
  changed: boolean;
}

/** Merges the Kata settings into an existing daemon.json (undefined or blank: no file yet). */
export function mergeDaemonJson(existing: string | undefined, runtime: KataRuntime): DaemonJsonMerge {
  let current: unknown = {};
  if (existing !== undefined && existing.trim() !== "") {
    try {
      current = JSON.parse(existing);
    } catch (e) {
      throw new Error(`daemon.json is not valid JSON (${(e as Error).message}); fix or remove it by hand, it is not overwritten`);
    }
  }
  if (typeof current !== "object" || current === null || Array.isArray(current)) throw new Error("daemon.json does not hold a JSON object; fix it by hand, it is not overwritten");
  const before = current as Record<string, unknown>;
  const runtimes = before.runtimes;
  if (runtimes !== undefined && (typeof runtimes !== "object" || runtimes === null || Array.isArray(runtimes))) {
    throw new Error('daemon.json "runtimes" is not an object; fix it by hand, it is not overwritten');
  }
  const merged = { ...before, runtimes: { ...(runtimes as object | undefined), [KATA_RUNTIME]: runtime }, "default-runtime": KATA_RUNTIME };
  return { text: JSON.stringify(merged, null, 2) + "\n", changed: !isDeepStrictEqual(before, merged) };
}
