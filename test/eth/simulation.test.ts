// lib/eth/simulation.ts and the burst it plans (lib/eth/burst.ts sendSimulated) against a real chain: a contract
// created and called in one burst (the call's gas known before the contract exists), each transaction's gas from the
// simulation exactly what the chain charged; a burst whose second transaction would fail is refused, naming it,
// with nothing sent.
import { Contract, getCreateAddress, Interface, Wallet } from "ethers";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendSimulated } from "../../lib/eth/burst";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { SimulatedFailure } from "../../lib/eth/simulation";
import { settledNonce } from "../../lib/eth/transactions";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import { DEV_RLC_ABI } from "../../testkit/poco/devToken";

const RLC = JSON.parse(readFileSync(require.resolve("rlc-faucet-contract/build/contracts/RLC.json"), "utf8"));
const rlc = new Interface(DEV_RLC_ABI);

describe("transactions simulated in order, then sent in one burst (real chain)", () => {
  let chain: TestChain;
  let sender: SequencedWallet;
  beforeAll(async () => {
    chain = await startOnDemandChain(31_337_107);
    const funded = await chain.fundedWallet(10n);
    sender = new SequencedWallet(funded.privateKey, funded.provider);
  });
  afterAll(async () => chain?.stop());

  it("creates a contract and calls it in one burst, each at the gas the simulation found", async () => {
    const recipient = Wallet.createRandom().address;
    const { txs, receipts } = await sendSimulated(sender, chain.rpcUrl, async (first) => [
      { what: "create RLC", data: RLC.bytecode },
      { what: "transfer 5", to: getCreateAddress({ from: sender.address, nonce: first }), data: rlc.encodeFunctionData("transfer", [recipient, 5]) },
    ]);
    expect(txs.map((t) => t.nonce)).toEqual([txs[0].nonce, txs[0].nonce + 1]);
    expect(receipts[0].contractAddress).toBe(txs[0].created);
    // Neither refunds gas: what the chain charged is what the simulation measured.
    expect(receipts.map((r) => r.gasUsed)).toEqual(txs.map((t) => t.gasNeeded));
    const token = new Contract(txs[0].created!, DEV_RLC_ABI, chain.provider());
    expect(await token.balanceOf(recipient)).toBe(5n);
  }, 60_000);

  it("refuses a burst whose second transaction would fail, naming it, with nothing sent", async () => {
    const before = await settledNonce(chain.provider(), sender.address);
    const spend = (first: number) => ({ what: "transfer more than the supply", to: getCreateAddress({ from: sender.address, nonce: first }), data: rlc.encodeFunctionData("transfer", [Wallet.createRandom().address, 10n ** 30n]) });
    const failing = sendSimulated(sender, chain.rpcUrl, async (first) => [{ what: "create RLC", data: RLC.bytecode }, spend(first)]);
    await expect(failing).rejects.toThrow(SimulatedFailure);
    await expect(failing).rejects.toThrow(/transfer more than the supply would fail .*nothing was sent/);
    expect(await settledNonce(chain.provider(), sender.address)).toBe(before);
  }, 60_000);
});
