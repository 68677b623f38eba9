// What the bridge app says before a signature (web/app/checks.ts), how it words errors (web/app/words.ts), and the
// consortium chain it gives the wallet (web/app/chains.ts).
import { makeError } from "ethers";
import { describe, expect, it } from "vitest";
import type { BridgeAppSettings } from "../../monitor/bridgeApp";
import { depositProblems, notWhitelistedWarning, parseAmount, withdrawProblems } from "../../web/app/checks";
import { homeChain } from "../../web/app/chains";
import { inWords } from "../../web/app/words";

const limits = { min: "1.0", max: "500.0", daily: "1000.0", leftToday: "300.0" };
const s = {
  chainName: "Acme",
  symbol: "bRLC",
  foreignSymbol: "RLC",
  decimals: 9,
  threshold: 2,
  validators: ["v0", "v1", "v2"],
  home: { chainId: 1, rpcUrl: "http://x", keyRequired: false, gateway: "0x", token: "0x", paused: false, withdraw: limits },
  foreign: { chainId: 2, vault: "0x", token: "0x", paused: false, deposit: limits, feeBps: 150, confirmations: 2 },
} satisfies BridgeAppSettings;
const units = (n: string) => {
  const p = parseAmount(n, 9);
  if (!p.ok) throw new Error(p.problem);
  return p.units;
};

describe("before a signature", () => {
  it("reads amounts, refusing what is not one", () => {
    expect(parseAmount("2.5", 9)).toEqual({ ok: true, units: 2_500_000_000n });
    expect(parseAmount("ten", 9)).toEqual({ ok: false, problem: "Write an amount such as 10 or 2.5." });
    expect(parseAmount("0", 9)).toEqual({ ok: false, problem: "Write an amount above zero." });
    expect(parseAmount("1.0000000001", 9)).toEqual({ ok: false, problem: "Use at most 9 decimal places." });
  });

  it("names the limit an amount breaks, the balance it exceeds, and a pause", () => {
    expect(depositProblems(units("100"), s, "1000")).toEqual([]);
    expect(depositProblems(units("0.5"), s, "1000")).toEqual(["The smallest deposit is 1.0 RLC."]);
    expect(depositProblems(units("600"), s, "1000")).toEqual(["The largest deposit is 500.0 RLC."]);
    expect(depositProblems(units("400"), s, "1000")).toEqual(["Only 300.0 RLC can still be bridged this way today (daily limit 1000.0 RLC)."]);
    expect(depositProblems(units("100"), s, "50")).toEqual(["This account holds 50 RLC on the foreign chain."]);
    expect(withdrawProblems(units("10"), { ...s, home: { ...s.home, paused: true } }, "20")).toEqual(["The bridge is paused on Acme: withdrawals wait until the operators resume it."]);
  });

  it("warns a non-whitelisted depositor of the fee it will lose", () => {
    expect(notWhitelistedWarning(units("200"), s)).toMatch(/will not reach Acme\. It can only come back to you, minus a fee of 3\.0 RLC \(1\.5 %\)\.$/);
  });
});

describe("errors in words", () => {
  it("a rejected signature, a revert by name, an unknown chain; never the raw error", () => {
    expect(inWords(Object.assign(new Error("User rejected the request."), { code: 4001 }))).toBe("You rejected the request in your wallet.");
    expect(inWords(makeError("no", "CALL_EXCEPTION", { action: "call", data: null, reason: null, transaction: { to: null, data: "0x" }, invocation: null, revert: { signature: "DailyLimitExceeded(uint256,uint256,uint256)", name: "DailyLimitExceeded", args: [] } }))).toBe(
      "Today's limit of the bridge is used up; try a smaller amount or tomorrow (UTC).",
    );
    expect(inWords(Object.assign(new Error("Unrecognized chain ID"), { code: 4902 }))).toBe("Your wallet does not know this chain: add it first.");
    expect(inWords(new Error('could not coalesce error (error={ "code": -32000 }, payload=...)'))).toBe("The wallet or the chain refused: could not coalesce error.");
  });
});

describe("the consortium chain for the wallet", () => {
  it("is the RPC URL as it is where reads are open", () => {
    expect(homeChain(s, "ignored")).toEqual({ chainId: 1, chainName: "Acme", rpcUrl: "http://x" });
  });

  it("carries the holder's read key as the URL path where reads need one, and has no URL without it", () => {
    const keyed = { ...s, home: { ...s.home, rpcUrl: "http://gw.example:8545/", keyRequired: true } };
    expect(homeChain(keyed)).toEqual({ chainId: 1, chainName: "Acme" });
    expect(homeChain(keyed, "k3y/with+odd=chars").rpcUrl).toBe("http://gw.example:8545/k3y%2Fwith%2Bodd%3Dchars");
  });
});
