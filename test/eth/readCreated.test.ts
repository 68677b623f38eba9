// lib/eth/transactions.ts readCreated against a real chain: a read of a contract the node does not have (yet, or again
// after a short fork) waits for it; any other failure, and a contract that never comes, fail with the read named.
import { Contract, getCreateAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { readCreated } from "../../lib/eth/transactions";
import { startForeignDevChain, TestChain } from "../../testkit/chains";

// Creation code whose runtime code answers any call with the word 42: PUSH1 10, DUP1, PUSH1 11, PUSH1 0, CODECOPY,
// PUSH1 0, RETURN, then the runtime PUSH1 42, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
const ANSWERS_42 = "0x600a80600b6000396000f3602a60005260206000f3";
const ABI = ["function answer() view returns (uint256)"];

describe("readCreated (real chain)", () => {
  let chain: TestChain;
  let deployer: SequencedWallet;
  beforeAll(async () => {
    chain = await startForeignDevChain();
    deployer = await chain.fundedWallet(1n);
  }, 120_000);
  afterAll(async () => chain?.stop());

  it("waits for a contract that is not at the head yet, and answers once it is mined", async () => {
    const address = getCreateAddress({ from: deployer.address, nonce: await deployer.getNonce() });
    const contract = new Contract(address, ABI, chain.provider());
    let reads = 0;
    const answer = readCreated("the answer", () => (reads++, contract.answer()));
    await new Promise((r) => setTimeout(r, 600));
    await (await deployer.sendTransaction({ data: ANSWERS_42 })).wait();
    expect(await answer).toBe(42n);
    expect(reads).toBeGreaterThan(1);
  });

  it("throws any other failure at once", async () => {
    let reads = 0;
    const failing = readCreated("a read", async () => {
      reads++;
      throw new Error("execution reverted");
    });
    await expect(failing).rejects.toThrow("execution reverted");
    expect(reads).toBe(1);
  });

  it("gives up on a contract that never comes, naming the read", async () => {
    const nowhere = new Contract(getCreateAddress({ from: deployer.address, nonce: 1_000 }), ABI, chain.provider());
    await expect(readCreated("the answer of nowhere", () => nowhere.answer(), 1_000)).rejects.toThrow(/the answer of nowhere: no contract answered there within 1 s/);
  });
});
