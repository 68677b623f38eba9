// Whether a process exists, with nothing else loaded: the commands' environment (lib/cli/engineTemp.ts) checks it on
// every Pulumi call, and lib/localProcess.ts (with its process-management imports) builds on it.

/** True if a process `pid` is alive (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
