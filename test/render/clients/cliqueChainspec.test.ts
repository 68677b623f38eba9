// render/genesis/cliqueChainspec.ts and the chain-file switch of render/chain.ts for the non-geth pairs.
import { describe, expect, it } from "vitest";
import { renderChainFile } from "../../../render/chain";
import { renderAuraChainspec } from "../../../render/genesis/aura";
import { cliqueExtraData } from "../../../render/genesis/clique";
import { renderCliqueChainspec } from "../../../render/genesis/cliqueChainspec";
import { qbftValidators } from "../../../render/genesis/qbft";
import { expectGolden } from "../golden";
import { clientSpec, signerAddressOf, validatorsOf } from "./fixtures";

// Top-level, engine and genesis fields of Nethermind's own Clique chainspec, src/Nethermind/Chains/goerli.json
// (NethermindEth/nethermind); `nodes` (bootnodes) is left out on purpose: peers come from static-nodes.json.
const GOERLI_TOP_LEVEL = ["accounts", "engine", "genesis", "name", "params"];
const GOERLI_GENESIS = ["author", "difficulty", "extraData", "gasLimit", "parentHash", "seal", "timestamp"];

describe("renderCliqueChainspec", () => {
  const spec = clientSpec("clique", "nethermind");
  const signers = validatorsOf(spec);
  const c = renderCliqueChainspec(spec, signers);

  it("matches the golden chainspec of a fixed 3-signer spec", () => {
    expectGolden("clients/clique-chainspec.json", c);
  });

  it("has the shape of Nethermind's Clique chainspecs", () => {
    expect(Object.keys(c).sort()).toEqual(GOERLI_TOP_LEVEL);
    expect(Object.keys(c.genesis).sort()).toEqual(GOERLI_GENESIS);
    expect(c.genesis.seal).toEqual({ ethereum: { nonce: "0x0000000000000000", mixHash: "0x" + "00".repeat(32) } });
    expect(c.engine).toEqual({ clique: { params: { period: 5, epoch: 30000 } } });
  });

  it("carries the signers in extraData exactly as geth's Clique genesis does (sorted, vanity, empty seal)", () => {
    expect(c.genesis.extraData).toBe(cliqueExtraData(signers));
    expect(renderCliqueChainspec(spec, [...signers].reverse()).genesis.extraData).toBe(c.genesis.extraData);
  });

  it("allows Clique's long extraData, and otherwise shares params, builtins and allocations with the AuRa chainspec", () => {
    expect(c.params.maximumExtraDataSize).toBe("0xffff");
    const aura = renderAuraChainspec({ ...spec, engine: "aura" }, signers);
    expect({ ...c.params, maximumExtraDataSize: aura.params.maximumExtraDataSize }).toEqual(aura.params);
    expect(c.accounts).toEqual(aura.accounts);
    expect(c.params.chainID).toBe("0x7ab7");
    expect(c.params.eip1559Transition).toBe("0x0");
  });

  it("refuses other engines and an empty signer set", () => {
    expect(() => renderCliqueChainspec(clientSpec("aura", "nethermind"), signers)).toThrow(/engine is aura/);
    expect(() => renderCliqueChainspec(spec, [])).toThrow(/no signers/);
  });
});

describe("renderChainFile for the non-geth pairs", () => {
  it.each([
    ["clique", "nethermind", "chainspec.json", "clique"],
    ["aura", "nethermind", "chainspec.json", "authorityRound"],
    ["aura", "openethereum", "chainspec.json", "authorityRound"],
  ] as const)("%s on %s: %s with the %s engine", (engine, client, path, engineKey) => {
    const spec = clientSpec(engine, client);
    const file = renderChainFile(spec, { validators: validatorsOf(spec) });
    expect(file.path).toBe(path);
    expect(Object.keys((JSON.parse(file.content) as { engine: object }).engine)).toEqual([engineKey]);
  });

  it("qbft on besu: genesis.json naming the validators", () => {
    const spec = clientSpec("qbft", "besu");
    const file = renderChainFile(spec, { validators: validatorsOf(spec), extraAlloc: { [signerAddressOf(5)]: 7n } });
    expect(file.path).toBe("genesis.json");
    const genesis = JSON.parse(file.content) as { extraData: string; config: { qbft: object }; alloc: Record<string, { balance: string }> };
    expect(genesis.config.qbft).toBeDefined();
    expect(qbftValidators(genesis.extraData)).toEqual(validatorsOf(spec));
    expect(genesis.alloc[signerAddressOf(5)]).toEqual({ balance: "0x7" });
  });
});
