// Async work one at a time per key, within this process: Pulumi calls a provider's methods for many resources at
// once, and some of what they do must not overlap (two sends from one key, two nodes of one fleet restarting).

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` once every earlier call with the same key has finished, whether it succeeded or not. */
export function inTurn<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  queues.set(key, run.catch(() => undefined));
  return run;
}
