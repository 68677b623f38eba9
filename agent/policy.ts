// Who executes a permissionless foreign action (executeWithdrawal, refund): the validator at index `id mod n` of the
// sorted validator set acts at once; the others wait `fallbackDelayMs` from when the action became executable, so a
// dead designated validator delays the action instead of blocking it, and live ones do not all pay gas for it.
import { sortAddresses } from "../lib/bridge/signatures";

export function designatedExecutor(id: bigint, validators: readonly string[]): string | undefined {
  const sorted = sortAddresses(validators);
  return sorted.length ? sorted[Number(id % BigInt(sorted.length))] : undefined;
}

/** The earliest time (ms) `me` may act on an action that became executable at `readyAt`. */
export function mayActAt(id: bigint, validators: readonly string[], me: string, readyAt: number, fallbackDelayMs: number): number {
  return designatedExecutor(id, validators)?.toLowerCase() === me.toLowerCase() ? readyAt : readyAt + fallbackDelayMs;
}
