// The bridge settings that keep its m-of-n promise, refused before anything exists with the field and the fix: the
// same chain id on both sides, limits that would strand a transfer, validators without an endpoint of their own
// (outside dev), fee caps; and the defaults (release limits, confirmations per engine, agents that only sign).
import { describe, expect, it } from "vitest";
import { SpecError } from "../../settings/errors";
import { parseConsortiumSpec } from "../../settings/parse";

const MEMBERS = ["org-a", "org-b", "org-c"];
const production = (bridge: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  name: "acme",
  chainId: 424242,
  authorities: ["alpha", "beta", "gamma"].map((name, i) => ({ name, member: MEMBERS[i] })),
  bridge: {
    foreign: { rpcUrl: "https://mainnet.example/key-SECRET", chainId: 1, token: "0x607F4C5BB672230e8672085532f7e901544a7375" },
    depositLimits: { minPerTx: "10", maxPerTx: "1000", dailyLimit: "10000" },
    roles: { owner: "0x00000000000000000000000000000000000000a1" },
    ...bridge,
  },
  ...extra,
});
const NONE = Symbol("no bridgeEndpoints");
const ENDPOINTS = Object.fromEntries(["alpha", "beta", "gamma"].map((v) => [v, { foreign: `https://eth.${v}.example/key-SECRET` }]));

function issues(raw: Record<string, unknown>, bridgeEndpoints: unknown = ENDPOINTS): SpecError["issues"] {
  try {
    parseConsortiumSpec(raw, bridgeEndpoints === NONE ? {} : { bridgeEndpoints });
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).issues;
  }
  return [];
}

describe("bridge settings", () => {
  it("accepts a production bridge whose validators each read Ethereum through their own endpoint; defaults", () => {
    expect(issues(production())).toEqual([]);
    const spec = parseConsortiumSpec(production(), { bridgeEndpoints: ENDPOINTS });
    const b = spec.bridge!;
    expect(b.releaseLimits).toEqual(b.withdrawLimits);
    expect(b.agent.relayForeign).toBe(false);
    expect([b.home.confirmations, b.foreign.confirmations]).toEqual([2, 12]); // 3 Clique signers: a majority deep
    expect(b.foreign.maxFeePerGasWei).toBe(500n * 10n ** 9n);
    expect(parseConsortiumSpec(production({}, { engine: "qbft", fleet: { target: "docker" } }), { bridgeEndpoints: ENDPOINTS }).bridge!.home.confirmations).toBe(1);
  });

  it("refuses a foreign chain id equal to the consortium's, naming bridge.foreign.chainId", () => {
    const found = issues(production({ foreign: { rpcUrl: "https://x.example", chainId: 424242, token: "0x607F4C5BB672230e8672085532f7e901544a7375" } }));
    expect(found).toEqual([
      {
        field: "bridge.foreign.chainId",
        problem: "is the consortium's own chain id (424242): a withdrawal signature would be valid on both sides",
        fix: "bridge to another chain, or give the consortium another chainId",
      },
    ]);
  });

  it("refuses a dev consortium on the dev foreign chain's id 1337", () => {
    const dev = { name: "dev", dev: true, chainId: 1337, authorities: [{ name: "alpha", member: "org-a" }], bridge: {} };
    expect(issues(dev, NONE).map((i) => i.field)).toEqual(["chainId"]);
  });

  it("refuses limits that would strand a transfer: deposits the home side cannot mint, withdrawals the vault cannot release", () => {
    const found = issues(
      production({
        executionLimits: { minPerTx: "10", maxPerTx: "500", dailyLimit: "10000" },
        releaseLimits: { minPerTx: "20", maxPerTx: "1000", dailyLimit: "10000" },
      }),
    );
    expect(found.map((i) => i.field)).toEqual(["bridge.executionLimits", "bridge.releaseLimits"]);
    expect(found[0].problem).toContain("a whitelisted deposit the home side cannot mint waits for the owner to cancel it");
    expect(found[1].fix).toBe("make releaseLimits.minPerTx ≤ withdrawLimits.minPerTx, releaseLimits.maxPerTx ≥ withdrawLimits.maxPerTx and releaseLimits.dailyLimit ≥ withdrawLimits.dailyLimit");
  });

  it("outside dev, requires each validator's own foreign endpoint (a secret), and never echoes one", () => {
    const found = issues(production(), { alpha: { foreign: "https://eth.alpha.example/key-SECRET" }, delta: {}, beta: { home: "not a url key-SECRET" } });
    expect(found.map((i) => i.field)).toEqual(["bridgeEndpoints.delta", "bridgeEndpoints.beta.home", "bridgeEndpoints.beta.foreign", "bridgeEndpoints.gamma.foreign"]);
    expect(found[2].problem).toContain("no single endpoint can feed all of them forged deposits");
    expect(found[2].fix).toContain("pulumi config set --secret --path 'consortium:bridgeEndpoints.beta.foreign'");
    expect(JSON.stringify(found)).not.toContain("SECRET");
    // A dev stack runs its own foreign chain: no endpoint is needed.
    expect(issues({ name: "dev", dev: true, chainId: 31415, authorities: [{ name: "alpha", member: "org-a" }], bridge: {} }, NONE)).toEqual([]);
  });

  it("checks fee caps and relayForeign", () => {
    const found = issues(production({ foreign: { ...production().bridge.foreign, maxFeePerGasGwei: 0 }, agent: { relayForeign: "yes" } }));
    expect(found.map((i) => i.field)).toEqual(["bridge.foreign.maxFeePerGasGwei", "bridge.agent.relayForeign"]);
    const spec = parseConsortiumSpec(production({ home: { maxFeePerGasGwei: 2 }, agent: { relayForeign: true } }), { bridgeEndpoints: ENDPOINTS });
    expect([spec.bridge!.home.maxFeePerGasWei, spec.bridge!.agent.relayForeign]).toEqual([2n * 10n ** 9n, true]);
  });
});
