// A holder's transfers as the app shows them (monitor/transfers.ts): each stage from the chains' facts alone.
import { describe, expect, it } from "vitest";
import { Context, depositView, withdrawalView } from "../../monitor/transfers";

const T = 10n ** 9n;
const ctx: Context = { decimals: 9, threshold: 2, validators: ["v0", "v1", "v2"], confirmationsNeeded: 3, foreignHead: 100 };
const deposit = { id: 7n, txHash: "0xabc", amount: 25n * T, whitelisted: true, minted: false, confirmedBy: [] as string[] };

describe("deposit stages", () => {
  it("mined, then confirmations up to the agents' depth, then validators, then minted", () => {
    expect(depositView({ ...deposit, block: 99 }, ctx)).toMatchObject({ id: "7", amount: "25.0", stage: "confirming", depth: 2, waitingFor: [] });
    expect(depositView({ ...deposit, block: 98, confirmedBy: ["v1"] }, ctx)).toMatchObject({ stage: "validating", depth: 3, confirmations: 1, waitingFor: ["v0", "v2"] });
    expect(depositView({ ...deposit, block: 90, minted: true, confirmedBy: ["v0", "v1", "v2"] }, ctx)).toMatchObject({ stage: "minted", waitingFor: [] });
  });

  it("a sender the whitelist does not hold: refundable, then refunded with the fee", () => {
    expect(depositView({ ...deposit, block: 90, whitelisted: false, refundable: true }, ctx)).toMatchObject({ stage: "refundable" });
    expect(depositView({ ...deposit, block: 90, whitelisted: false, refundable: false, fee: T / 4n }, ctx)).toMatchObject({ stage: "refunded", fee: "0.25" });
  });
});

describe("withdrawal stages", () => {
  const w = { id: 3n, block: 50, txHash: "0xdef", amount: 4n * T, recipient: "0x" + "11".repeat(20), signedBy: ["v2"], executable: [] as string[], released: false };
  it("signing (naming who has not signed), signed with what the release takes, released", () => {
    expect(withdrawalView(w, ctx)).toMatchObject({ stage: "signing", signatures: 1, waitingFor: ["v0", "v1"], amountUnits: "4000000000" });
    expect(withdrawalView(w, ctx).signatureList).toBeUndefined();
    const signed = withdrawalView({ ...w, signedBy: ["v2", "v0"], executable: ["0x01", "0x02"] }, ctx);
    expect(signed).toMatchObject({ stage: "signed", signatures: 2, waitingFor: [], signatureList: ["0x01", "0x02"] });
    expect(withdrawalView({ ...w, signedBy: ["v2", "v0"], released: true }, ctx)).toMatchObject({ stage: "released" });
  });
});
