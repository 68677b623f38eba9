// render/genesis/qbft.ts: the Besu QBFT genesis, checked against a published Besu example, by decoding its RLP
// extraData, per fork level, and against a golden file.
import { decodeRlp, getAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { QBFT_MIX_HASH, qbftExtraData, qbftRequestTimeout, qbftValidators, renderQbftGenesis } from "../../../render/genesis/qbft";
import { expectGolden } from "../golden";
import { clientSpec, nodeAddressOf, validatorsOf } from "./fixtures";

// The four validators and extraData of the block-header-selection genesis example in besu-docs,
// docs/private-networks/how-to/configure/consensus/qbft.md. Note the validators are not sorted.
const BESU_DOCS_VALIDATORS = [
  "0x64a702e6263b7297a96638cac6ae65e6541f4169",
  "0x3923390ad55e90c237593b3b0e401f3b08a03185",
  "0xaefdb9a738c9f433e5b6b212a6d62f6370c2f692",
  "0xc7eeb9a4e00ce683cf93039b212648e01c6c6b78",
];
const BESU_DOCS_EXTRA_DATA =
  "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f85494" +
  BESU_DOCS_VALIDATORS.map((v) => v.slice(2)).join("94") +
  "c080c0";

const LONDON_FIELDS = ["homesteadBlock", "eip150Block", "eip158Block", "byzantiumBlock", "constantinopleBlock", "petersburgBlock", "istanbulBlock", "berlinBlock", "londonBlock"];

describe("qbftExtraData", () => {
  it("reproduces the besu-docs example byte for byte", () => {
    expect(qbftExtraData(BESU_DOCS_VALIDATORS)).toBe(BESU_DOCS_EXTRA_DATA);
  });

  it("is RLP([32 zero bytes, validators in the given order, no vote, round 0, no seals])", () => {
    const validators = [nodeAddressOf(2), nodeAddressOf(0), nodeAddressOf(1)];
    const decoded = decodeRlp(qbftExtraData(validators)) as [string, string[], unknown[], string, unknown[]];
    expect(decoded).toHaveLength(5);
    expect(decoded[0]).toBe("0x" + "00".repeat(32));
    expect(decoded[1].map((v) => getAddress(v))).toEqual(validators);
    expect(decoded[2]).toEqual([]);
    expect(decoded[3]).toBe("0x");
    expect(decoded[4]).toEqual([]);
    expect(qbftValidators(qbftExtraData(validators))).toEqual(validators);
  });

  it("accepts any spelling, refuses duplicates and malformed addresses", () => {
    const a = nodeAddressOf(0);
    expect(qbftExtraData([a.toLowerCase()])).toBe(qbftExtraData([a]));
    expect(() => qbftExtraData([a, a.toLowerCase()])).toThrow(/duplicate validator/);
    expect(() => qbftExtraData(["0x1234"])).toThrow();
  });

  it("refuses to read something that is not a QBFT extraData", () => {
    expect(() => qbftValidators("0x" + "00".repeat(32))).toThrow();
    expect(() => qbftValidators("0xc3010203")).toThrow(/not a QBFT extraData/);
  });
});

describe("renderQbftGenesis", () => {
  const spec = clientSpec("qbft", "besu");

  it("matches the golden genesis of a fixed 3-validator spec", () => {
    expectGolden("clients/qbft-genesis.json", renderQbftGenesis(spec, validatorsOf(spec)));
  });

  it("has the fields of the besu-docs example, the BFT mixHash, and the spec's QBFT timing", () => {
    const g = renderQbftGenesis(spec, validatorsOf(spec));
    expect(Object.keys(g).sort()).toEqual(["alloc", "coinbase", "config", "difficulty", "extraData", "gasLimit", "gasUsed", "mixHash", "nonce", "number", "parentHash", "timestamp"]);
    expect(g.mixHash).toBe(QBFT_MIX_HASH);
    expect(Buffer.from(QBFT_MIX_HASH.slice(2), "hex").toString()).toBe("ctical byzantine fault tolerance");
    expect(g.difficulty).toBe("0x1");
    expect(g.config.qbft).toEqual({ blockperiodseconds: 5, epochlength: 30000, requesttimeoutseconds: 10 });
    expect(g.config.chainId).toBe(31415);
    expect(BigInt(g.gasLimit)).toBe(spec.gasLimit);
    expect(qbftValidators(g.extraData)).toEqual(validatorsOf(spec));
  });

  it("names the node-key addresses as validators (QBFT has no separate signer key)", () => {
    expect(qbftValidators(renderQbftGenesis(spec, validatorsOf(spec)).extraData)).toEqual([0, 1, 2].map(nodeAddressOf));
  });

  it("activates forks up to London with Besu's field names, nothing later, and no eip155Block (Besu does not read it)", () => {
    const config = renderQbftGenesis(spec, validatorsOf(spec)).config;
    expect(Object.keys(config).filter((k) => k.endsWith("Block")).sort()).toEqual([...LONDON_FIELDS].sort());
    for (const k of LONDON_FIELDS) expect(config[k], k).toBe(0);
    expect(Object.keys(config).filter((k) => /time$/i.test(k))).toEqual([]);
  });

  it.each([
    ["istanbul", ["berlinBlock", "londonBlock"]],
    ["berlin", ["londonBlock"]],
  ] as const)("%s: no later fork fields", (forkLevel, absent) => {
    const config = renderQbftGenesis(clientSpec("qbft", "besu", { forkLevel }), validatorsOf(spec)).config;
    for (const k of absent) expect(config).not.toHaveProperty(k);
    expect(config.istanbulBlock).toBe(0);
  });

  it("lets a round last at least 10 s and at least two block periods", () => {
    expect([1, 5, 7, 60].map(qbftRequestTimeout)).toEqual([10, 10, 14, 120]);
  });

  it("refuses other engines and an empty validator set", () => {
    expect(() => renderQbftGenesis(clientSpec("aura", "nethermind"), validatorsOf(spec))).toThrow(/engine is aura/);
    expect(() => renderQbftGenesis(spec, [])).toThrow(/no validators/);
  });
});
