// What the app tells a token holder before any signature (pure): an amount that the contracts would refuse is refused
// here, in words, with the limit it breaks; a deposit from an account the whitelist does not hold is bridged back,
// which the holder must accept knowingly.
import { formatUnits, parseUnits } from "ethers";
import type { BridgeAppSettings, LimitsView } from "../../monitor/bridgeApp";

export type Parsed = { ok: true; units: bigint } | { ok: false; problem: string };

export function parseAmount(text: string, decimals: number): Parsed {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return { ok: false, problem: "Write an amount such as 10 or 2.5." };
  try {
    const units = parseUnits(t, decimals);
    return units > 0n ? { ok: true, units } : { ok: false, problem: "Write an amount above zero." };
  } catch {
    return { ok: false, problem: `Use at most ${decimals} decimal places.` };
  }
}

function limitProblems(units: bigint, l: LimitsView, decimals: number, symbol: string, what: string): string[] {
  const u = (v: string) => parseUnits(v, decimals);
  const problems: string[] = [];
  if (units < u(l.min)) problems.push(`The smallest ${what} is ${l.min} ${symbol}.`);
  if (units > u(l.max)) problems.push(`The largest ${what} is ${l.max} ${symbol}.`);
  else if (units > u(l.leftToday)) problems.push(`Only ${l.leftToday} ${symbol} can still be bridged this way today (daily limit ${l.daily} ${symbol}).`);
  return problems;
}

/** Why this deposit would fail, in words (none: it may be signed). */
export function depositProblems(units: bigint, s: BridgeAppSettings, foreignBalance: string): string[] {
  const problems = limitProblems(units, s.foreign.deposit, s.decimals, s.foreignSymbol, "deposit");
  if (units > parseUnits(foreignBalance, s.decimals)) problems.push(`This account holds ${foreignBalance} ${s.foreignSymbol} on the foreign chain.`);
  if (s.foreign.paused) problems.push("The bridge is paused on the foreign chain: deposits wait until the operators resume it.");
  return problems;
}

/** Why this withdrawal would fail, in words. */
export function withdrawProblems(units: bigint, s: BridgeAppSettings, homeBalance: string): string[] {
  const problems = limitProblems(units, s.home.withdraw, s.decimals, s.symbol, "withdrawal");
  if (units > parseUnits(homeBalance, s.decimals)) problems.push(`This account holds ${homeBalance} ${s.symbol} on ${s.chainName}.`);
  if (s.home.paused) problems.push(`The bridge is paused on ${s.chainName}: withdrawals wait until the operators resume it.`);
  return problems;
}

/** The warning a non-whitelisted account must accept before it deposits. */
export function notWhitelistedWarning(units: bigint, s: BridgeAppSettings): string {
  const fee = (units * BigInt(s.foreign.feeBps)) / 10_000n;
  return (
    `This account is not on the consortium's whitelist: the deposit will not reach ${s.chainName}. ` +
    `It can only come back to you, minus a fee of ${formatUnits(fee, s.decimals)} ${s.foreignSymbol} (${s.foreign.feeBps / 100} %).`
  );
}
