// What a bridge deployment creates anew, and the new gateway it refuses for a bound vault (lib/bridge/deployment.ts),
// without a chain: a reset chain, a moved chain, a renamed token.
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { BridgeDeploymentInputs, BridgeDeploymentState, DeployedKey, replacementProblem, toCreate } from "../../lib/bridge/deployment";

const LIMITS = { minPerTx: "1", maxPerTx: "10", dailyLimit: "100" };
const address = () => Wallet.createRandom().address;
const INPUTS: BridgeDeploymentInputs = {
  foreignRpcUrl: "http://127.0.0.1:1",
  foreignChainId: 1,
  homeRpcUrl: "http://127.0.0.1:2",
  homeChainId: 2,
  deployerKey: Wallet.createRandom().privateKey,
  validators: { validators: [address()], threshold: 1 },
  vault: { depositLimits: LIMITS, releaseLimits: LIMITS, feeBps: 0, feeRecipient: address(), whitelist: [] },
  gateway: { executionLimits: LIMITS, withdrawLimits: LIMITS },
  token: { name: "RLC (consortium)", symbol: "RLC", decimals: 9 },
};

function deployed(missing: DeployedKey[] = []): BridgeDeploymentState {
  const { deployerKey: _key, ...rest } = INPUTS;
  const contracts = { foreignToken: address(), foreignSet: address(), vault: address(), homeSet: address(), gateway: address(), homeToken: address() };
  return { ...rest, contracts, deployBlocks: {}, boundGateway: contracts.gateway, missing };
}
const created = (olds: BridgeDeploymentState | undefined, news = INPUTS) => [...toCreate(olds, news)];

describe("what a bridge deployment creates anew (no chain)", () => {
  it("creates everything the first time, the dev token only without a given one, and nothing once deployed", () => {
    expect(created(undefined)).toEqual(["foreignToken", "foreignSet", "vault", "homeSet", "gateway"]);
    expect(created(undefined, { ...INPUTS, foreignToken: address() })).toEqual(["foreignSet", "vault", "homeSet", "gateway"]);
    expect(created(deployed())).toEqual([]);
    // Validators, limits and the whitelist are each contract's settings (BridgeContract), not a new deployment.
    expect(created(deployed(), { ...INPUTS, validators: { validators: [address(), address()], threshold: 2 }, vault: { ...INPUTS.vault, feeBps: 10 } })).toEqual([]);
  });

  it("creates again what a reset chain lost, and every contract naming it", () => {
    expect(created(deployed(["foreignToken", "foreignSet", "vault"]))).toEqual(["foreignToken", "foreignSet", "vault", "gateway"]);
    expect(created(deployed(["foreignSet"]))).toEqual(["foreignSet", "vault", "gateway"]);
    expect(created(deployed(["homeSet", "gateway"]))).toEqual(["homeSet", "gateway"]);
  });

  it("creates everything on a chain that moved, with what names it on the other", () => {
    expect(created(deployed(), { ...INPUTS, homeChainId: 3 })).toEqual(["vault", "homeSet", "gateway"]);
    expect(created(deployed(), { ...INPUTS, foreignChainId: 4 })).toEqual(["foreignToken", "foreignSet", "vault", "gateway"]);
  });

  it("refuses a new gateway for a bound vault, naming the field and the fix, or the lost contracts", async () => {
    const olds = deployed();
    const news = { ...INPUTS, token: { ...INPUTS.token, decimals: 18 } };
    expect(await replacementProblem(olds, news, toCreate(olds, news))).toMatch(
      new RegExp(`^home gateway ${olds.contracts.gateway}: changing the foreign token's decimals \\(9 → 18\\) would deploy a new gateway, but the foreign vault ${olds.contracts.vault} is bound to this one for good.*Fix: set the foreign token's decimals back to the deployed value; to move to new contracts, follow contracts/README.md, "Migration".$`),
    );
    const lost = deployed(["gateway"]);
    expect(await replacementProblem(lost, INPUTS, toCreate(lost, INPUTS))).toMatch(/creating again what the home chain lost \(gateway\) would deploy a new gateway.*Fix: restore the home chain/);
    // Never bound (a run cut off before the binding): a new gateway may still be the vault's.
    const unbound = { ...deployed(["gateway"]), boundGateway: "" };
    expect(await replacementProblem(unbound, INPUTS, toCreate(unbound, INPUTS))).toBeUndefined();
  });
});
