// lib/eth/transactions.ts waitForReceipt against a real chain whose only sealer is stopped: the timeout names what
// the node sees (its head and how old it is, its peers, whether it holds the transaction), so a stalled chain is told
// apart from a node cut off from it; and against a node whose head lags its receipts, which it waits out.
import { JsonRpcProvider, toQuantity } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { waitForReceipt } from "../../lib/eth/transactions";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";
import { RpcProxy, startRpcProxy } from "../support/rpcProxy";

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

describe("waitForReceipt from a node whose head lags its receipts (real chain behind a test double)", () => {
  let chain: TestChain;
  let proxy: RpcProxy;
  /** The head the proxy answers while set. */
  let heldHead: number | undefined;
  beforeAll(async () => {
    chain = await startHomeCliqueChain({ chainId: 31_337_112 });
    // TEST DOUBLE (test/support/rpcProxy.ts): geth makes a block's receipts findable a moment before its head moves
    // to that block; the proxy holds that moment open by answering a head from before the transaction (held there,
    // not one block back: a block sealed meanwhile would bring one-back to the receipt's block).
    proxy = await startRpcProxy(chain.rpcUrl, { rewrite: (call, result) => (call.method === "eth_blockNumber" && heldHead !== undefined ? toQuantity(heldHead) : result) });
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
    await chain?.stop();
  });

  it("returns the receipt only once the node's head is its block: what reads next sees the transaction's state", async () => {
    const sender = await chain.fundedWallet(1n);
    heldHead = await chain.provider().getBlockNumber();
    const { hash } = await sender.sendTransaction({ to: sender.address, value: 0 });
    const provider = new JsonRpcProvider(proxy.url, undefined, { staticNetwork: true });
    let returned = false;
    const waited = waitForReceipt(provider, hash, "a transfer", 30_000).then((r) => ((returned = true), r));
    while (!(await chain.provider().getTransactionReceipt(hash))) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(returned).toBe(false);
    heldHead = undefined;
    expect((await waited).hash).toBe(hash);
    provider.destroy();
  });

  it("says when the head never reaches the receipt's block, instead of calling the transaction not mined", async () => {
    const sender = await chain.fundedWallet(1n);
    const { hash } = await sender.sendTransaction({ to: sender.address, value: 0 });
    const block = (await (await chain.provider().getTransaction(hash))!.wait())!.blockNumber;
    // From now on the proxy's head stays below that block.
    proxy.set({ rewrite: (call, result) => (call.method === "eth_blockNumber" ? toQuantity(block - 1) : result) });
    const provider = new JsonRpcProvider(proxy.url, undefined, { staticNetwork: true });
    await expect(waitForReceipt(provider, hash, "a transfer", 1_000)).rejects.toThrow(
      `a transfer: transaction ${hash} was mined in block ${block}, but the node's head did not reach that block within 1s`,
    );
    provider.destroy();
  });
});
