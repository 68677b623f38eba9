// render/genesis/aura.ts: the Parity-style AuRa chainspec (OpenEthereum 3.3.5 / Nethermind). No AuRa client runs here,
// so the rendering is pinned by a golden file and compared with parity-deploy's output (same shape, none of its flaws).
import { getAddress } from "ethers";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parityTransitions } from "../../render/forks";
import { renderAuraChainspec } from "../../render/genesis/aura";
import { ConsortiumSpec, FORKS, ForkLevel } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";
import { expectGolden } from "./golden";

/** parity-deploy's AuRa chainspec, kept in the repository (test/fixtures/parity-deploy/README.md). */
const REFERENCE = join(__dirname, "..", "fixtures", "parity-deploy", "aura-spec.json");
const PARITY_DEPLOY_ACCOUNT = "0x00Ea169ce7e0992960D3BdE6F5D539C955316432";

// The three (illustrative) validators of the parity-deploy reference, so the lists can be compared one to one.
const VALIDATORS = ["0x69c8efb94daa86e1d945c2f0c24a493d39586d57", "0xdd01202d5f85b209dcbb2e12c6b330a4791a8e24", "0x0ad75f7c1f13933baa0245ea39a71294245beccb"];
const OWN_ACCOUNT = "0x1000000000000000000000000000000000000001";

/** An AuRa spec. The parser refuses AuRa on the local (geth) target, so the engine is set after parsing. */
function auraSpec(overrides: Record<string, unknown> = {}): ConsortiumSpec {
  const spec = parseConsortiumSpec({
    name: "mychain",
    chainId: 8995,
    blockPeriodSeconds: 5,
    gasLimit: "30000000",
    forkLevel: "london",
    authorities: [
      { name: "alpha", member: "org-a" },
      { name: "beta", member: "org-b" },
      { name: "gamma", member: "org-c" },
    ],
    prefunded: [{ address: OWN_ACCOUNT, balanceWei: "1000000000000000000000000" }],
    ...overrides,
  });
  return { ...spec, engine: "aura" };
}

interface Chainspec {
  name: string;
  engine: { authorityRound: { params: { stepDuration: unknown; validators: { list: string[] } } & Record<string, unknown> } };
  params: Record<string, string>;
  genesis: { seal: { authorityRound: { step: string; signature: string } }; gasLimit: string } & Record<string, unknown>;
  accounts: Record<string, { balance?: string; builtin?: { name: string; pricing: Record<string, unknown> } }>;
}

function render(overrides: Record<string, unknown> = {}): Chainspec {
  return renderAuraChainspec(auraSpec(overrides), VALIDATORS) as unknown as Chainspec;
}

function loadReference(): Chainspec {
  if (!existsSync(REFERENCE)) {
    throw new Error(
      `the parity-deploy reference chainspec is missing at ${REFERENCE}: restore test/fixtures/parity-deploy/aura-spec.json from git (the AuRa renderer is checked against it)`,
    );
  }
  return JSON.parse(readFileSync(REFERENCE, "utf8")) as Chainspec;
}

/** Account entry by address, whatever the spelling of the key. */
function account(spec: Chainspec, address: string) {
  const key = Object.keys(spec.accounts).find((k) => k.toLowerCase() === address.toLowerCase());
  return key === undefined ? undefined : spec.accounts[key];
}
const builtinAt = (n: number) => "0x" + n.toString(16).padStart(40, "0");

const LONDON_TRANSITIONS = ["eip1559Transition", "eip3198Transition", "eip3529Transition", "eip3541Transition"];
const BERLIN_TRANSITIONS = ["eip2929Transition", "eip2930Transition"];
const PARITY_ONLY = ["wasmActivationTransition", "kip4Transition", "kip6Transition"];

describe("renderAuraChainspec", () => {
  it("matches the golden chainspec of a fixed 3-validator spec", () => {
    expectGolden("aura-chainspec.json", render());
  });

  it("is deterministic and independent of how the validators are spelt", () => {
    const a = JSON.stringify(render());
    const b = JSON.stringify(renderAuraChainspec(auraSpec(), VALIDATORS.map((v) => getAddress(v))));
    expect(b).toBe(a);
  });

  it("takes step duration, gas limit, chain and network id from the spec", () => {
    const c = render({ blockPeriodSeconds: 7, gasLimit: "0x2625a00", chainId: 123456, networkId: 99 });
    expect(c.engine.authorityRound.params.stepDuration).toBe(7);
    expect(c.genesis.gasLimit).toBe("0x2625a00");
    expect(c.params.chainID).toBe("0x1e240");
    expect(c.params.networkID).toBe("0x63");
  });

  it("lists the validators checksummed, in the given order", () => {
    expect(render().engine.authorityRound.params.validators.list).toEqual(VALIDATORS.map((v) => getAddress(v)));
  });

  it("refuses a non-AuRa spec, no validators and a mis-checksummed validator", () => {
    expect(() => renderAuraChainspec({ ...auraSpec(), engine: "clique" }, VALIDATORS)).toThrow(/engine is clique/);
    expect(() => renderAuraChainspec(auraSpec(), [])).toThrow(/no validators/);
    const bad = getAddress(VALIDATORS[0]!).replace(/[a-f]/, (c) => c.toUpperCase());
    expect(() => renderAuraChainspec(auraSpec(), [bad])).toThrow();
  });

  it("merges extra allocations and refuses double funding", () => {
    const c = renderAuraChainspec(auraSpec(), VALIDATORS, { "0x2000000000000000000000000000000000000002": 5n }) as unknown as Chainspec;
    expect(account(c, "0x2000000000000000000000000000000000000002")).toEqual({ balance: "0x5" });
    expect(account(c, OWN_ACCOUNT)).toEqual({ balance: "0xd3c21bcecceda1000000" });
    expect(() => renderAuraChainspec(auraSpec(), VALIDATORS, { [OWN_ACCOUNT]: 1n })).toThrow(/funded twice/);
  });
});

describe("compared with parity-deploy's chainspec", () => {
  const ours = render();
  const spec = auraSpec();

  it("has the same top-level shape", () => {
    const ref = loadReference();
    expect(Object.keys(ours).sort()).toEqual(Object.keys(ref).sort());
    expect(ours.name).toBe(spec.name);
    expect(Object.keys(ours.engine)).toEqual(Object.keys(ref.engine));
    expect(ours.engine.authorityRound.params.validators.list.map((v) => v.toLowerCase())).toEqual(ref.engine.authorityRound.params.validators.list);
    expect(Object.keys(ours.genesis.seal)).toEqual(Object.keys(ref.genesis.seal));
    expect(Object.keys(ours.genesis.seal.authorityRound).sort()).toEqual(Object.keys(ref.genesis.seal.authorityRound).sort());
    expect(ours.genesis.seal.authorityRound.signature).toHaveLength(ref.genesis.seal.authorityRound.signature.length);
    expect(BigInt(ours.genesis.seal.authorityRound.step)).toBe(0n);
    for (const key of Object.keys(ref.genesis)) expect(ours.genesis).toHaveProperty(key);
  });

  it("keeps every reference parameter except the Parity-only ones", () => {
    const ref = loadReference();
    const expected = Object.keys(ref.params).filter((k) => !PARITY_ONLY.includes(k));
    expect(expected.length).toBeGreaterThan(10);
    for (const key of expected) expect(ours.params, key).toHaveProperty(key);
    for (const key of PARITY_ONLY) expect(ours.params).not.toHaveProperty(key);
  });

  it("has the builtins 0x01..0x08 of the reference, under the same names, plus blake2_f at 0x09", () => {
    const ref = loadReference();
    for (let n = 1; n <= 8; n++) {
      const theirs = account(ref, builtinAt(n));
      expect(theirs?.builtin?.name, `reference builtin ${n}`).toBeDefined();
      expect(account(ours, builtinAt(n))?.builtin?.name, `builtin ${n}`).toBe(theirs!.builtin!.name);
    }
    expect(account(ours, builtinAt(9))?.builtin?.name).toBe("blake2_f");
  });

  it("fixes the reference's flaws", () => {
    const ref = loadReference();
    // chainID: absent in the reference, ours equals the spec's.
    expect(ref.params).not.toHaveProperty("chainID");
    expect(ours.params.chainID).toBe("0x" + spec.chainId.toString(16));
    expect(BigInt(ours.params.chainID!)).toBe(8995n);
    expect(ours.params.networkID).toBe("0x" + spec.networkId.toString(16));
    // Step duration and gas limit come from the spec, not hard-coded ("2", 0x2625A00).
    expect(ours.engine.authorityRound.params.stepDuration).toBe(spec.blockPeriodSeconds);
    expect(BigInt(ours.genesis.gasLimit)).toBe(spec.gasLimit);
    expect(BigInt(ours.genesis.gasLimit)).not.toBe(BigInt(ref.genesis.gasLimit));
    // London (and Berlin) transitions for forkLevel london.
    for (const key of [...LONDON_TRANSITIONS, ...BERLIN_TRANSITIONS]) expect(ours.params[key], key).toBe("0x0");
    // EIP-1283 only as part of Istanbul (with EIP-1706), never Constantinople-only as in the reference.
    expect(ref.params).toHaveProperty("eip1283Transition");
    expect(ref.params).not.toHaveProperty("eip1706Transition");
    expect(ours.params.eip1283Transition).toBe("0x0");
    expect(ours.params.eip1706Transition).toBe(ours.params.eip1283Transition);
    // No publicly known prefunded account.
    expect(account(ref, PARITY_DEPLOY_ACCOUNT)).toBeDefined();
    expect(account(ours, PARITY_DEPLOY_ACCOUNT)).toBeUndefined();
    expect(Object.keys(ours.accounts).filter((a) => !ours.accounts[a]!.builtin)).toEqual([getAddress(OWN_ACCOUNT)]);
  });
});

describe("fork schedule per level", () => {
  const levels: ForkLevel[] = ["istanbul", "berlin", "london"];

  it.each(levels)("%s: EIP-1283 appears only with EIP-1706, at the same block", (level) => {
    const p = render({ forkLevel: level }).params;
    expect(p.eip1283Transition).toBe("0x0");
    expect(p.eip1706Transition).toBe(p.eip1283Transition);
    for (const key of PARITY_ONLY) expect(p).not.toHaveProperty(key);
  });

  it("no level activates EIP-1283 without EIP-1706 (Constantinople/Petersburg have neither)", () => {
    for (const level of FORKS) {
      const t = parityTransitions(level);
      expect("eip1283Transition" in t, level).toBe("eip1706Transition" in t);
    }
    expect(parityTransitions("constantinople")).not.toHaveProperty("eip1283Transition");
    expect(parityTransitions("petersburg")).not.toHaveProperty("eip1283Transition");
    expect(parityTransitions("constantinople")).toHaveProperty("eip145Transition", "0x0");
  });

  it("istanbul: no Berlin/London transitions, Istanbul builtin prices, no EIP-1559 parameters", () => {
    const c = render({ forkLevel: "istanbul" });
    for (const key of [...LONDON_TRANSITIONS, ...BERLIN_TRANSITIONS]) expect(c.params).not.toHaveProperty(key);
    expect(c.params).not.toHaveProperty("eip1559BaseFeeInitialValue");
    for (const key of ["eip1344Transition", "eip1884Transition", "eip2028Transition"]) expect(c.params[key], key).toBe("0x0");
    expect(account(c, builtinAt(5))!.builtin!.pricing).toEqual({ "0x0": { price: { modexp: { divisor: 20 } } } });
    expect(account(c, builtinAt(6))!.builtin!.pricing).toEqual({ "0x0": { price: { alt_bn128_const_operations: { price: 150 } } } });
    expect(account(c, builtinAt(8))!.builtin!.pricing).toEqual({ "0x0": { price: { alt_bn128_pairing: { base: 45000, pair: 34000 } } } });
    expect(account(c, builtinAt(9))!.builtin!.name).toBe("blake2_f");
  });

  it("berlin: Berlin transitions and EIP-2565 modexp pricing, no London", () => {
    const c = render({ forkLevel: "berlin" });
    for (const key of BERLIN_TRANSITIONS) expect(c.params[key], key).toBe("0x0");
    for (const key of LONDON_TRANSITIONS) expect(c.params).not.toHaveProperty(key);
    expect(account(c, builtinAt(5))!.builtin!.pricing).toEqual({ "0x0": { price: { modexp2565: {} } } });
  });

  it("london: EIP-1559 parameters (1 gwei initial base fee)", () => {
    const p = render().params;
    expect(p.eip1559BaseFeeInitialValue).toBe("0x3b9aca00");
    expect(p.eip1559ElasticityMultiplier).toBe("0x2");
    expect(p.eip1559BaseFeeMaxChangeDenominator).toBe("0x8");
  });
});
