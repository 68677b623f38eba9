// Wallet and chain errors as the app shows them: never a raw JSON-RPC error.
import { isError } from "ethers";

/** The bridge contracts' custom errors, as a holder should read them (lib/bridge/abi.ts names them). */
const REVERTS: Record<string, string> = {
  AmountBelowMin: "The amount is below the bridge's minimum per transfer.",
  AmountAboveMax: "The amount is above the bridge's maximum per transfer.",
  DailyLimitExceeded: "Today's limit of the bridge is used up; try a smaller amount or tomorrow (UTC).",
  EnforcedPause: "The bridge is paused; the operators must resume it first.",
  NotRefundable: "This deposit cannot be refunded (already refunded, or it was bridged).",
  WithdrawalAlreadyProcessed: "This withdrawal was already released.",
  ERC20InsufficientBalance: "The account does not hold that many tokens.",
  ERC20InsufficientAllowance: "The vault may not take that many tokens yet: approve the amount first.",
};

export function inWords(e: unknown): string {
  const err = e as { code?: unknown; revert?: { name?: string }; shortMessage?: string; message?: string; info?: { error?: { code?: unknown } } };
  if (isError(e, "ACTION_REJECTED") || err?.code === 4001 || err?.info?.error?.code === 4001) return "You rejected the request in your wallet.";
  if (err?.code === 4902) return "Your wallet does not know this chain: add it first.";
  if (isError(e, "INSUFFICIENT_FUNDS")) return "The account has too little of the chain's native currency to pay for gas.";
  if (isError(e, "CALL_EXCEPTION")) {
    const name = err.revert?.name;
    return (name && REVERTS[name]) ?? `The contract refused the transaction${name ? ` (${name})` : ""}.`;
  }
  if (isError(e, "NETWORK_ERROR") || isError(e, "TIMEOUT")) return "The chain does not answer; try again in a moment.";
  const text = (err?.shortMessage ?? err?.message ?? String(e)).split(" (")[0];
  return `The wallet or the chain refused: ${text}.`;
}
