// lib/eth/transactions.ts waitForReceipt against a real chain whose only sealer is stopped: the timeout names what
// the node sees (its head and how old it is, its peers, whether it holds the transaction), so a stalled chain is told
// apart from a node cut off from it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { waitForReceipt } from "../../lib/eth/transactions";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";

describe("waitForReceipt on a chain that stopped sealing (real chain)", () => {
  let chain: TestChain;
  let sender: SequencedWallet;
  beforeAll(async () => {
    chain = await startHomeCliqueChain({ chainId: 31_337_111 });
    sender = await chain.fundedWallet(1n);
    await chain.stopNode("solo");
  }, 120_000);
  afterAll(async () => chain?.stop());

  it("says the head stopped and the transaction waits in the node's pool", async () => {
    const { hash } = await sender.sendTransaction({ to: sender.address, value: 0 });
    const waited = waitForReceipt(chain.provider(), hash, "a transfer", 1_500);
    await expect(waited).rejects.toThrow(
      /^a transfer: transaction 0x[0-9a-f]{64} not mined within 1\.5s\. The node says: its head is block \d+, sealed \d+ s ago; it has 0 peer\(s\); the transaction waits in its pool\. Fix: check that the chain's sealers are running and peered/,
    );
  });

  it("says when the node does not know the transaction at all", async () => {
    const unknown = "0x" + "ab".repeat(32);
    await expect(waitForReceipt(chain.provider(), unknown, "a lost transfer", 500)).rejects.toThrow("it does not know the transaction");
  });
});
