// The transaction sender on a real geth chain: a signed transaction is in the outbox before it is broadcast, so a
// broadcast lost to a crash is re-sent by the next run; a transaction priced below the base fee stays pending and is
// replaced (same nonce, ≥ 12.5% more) after txTimeoutMs, but never above the fee cap; nonces come from the chain's
// pending count and the outbox, one send at a time even when sends are started together.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../../agent/store";
import { Settled, TxSender, TxSenderOptions } from "../../agent/txSender";
import { startForeignDevChain, TestChain } from "../../testkit/chains";

let chain: TestChain;
const dir = mkdtempSync(join(tmpdir(), "agent-tx-"));
beforeAll(async () => {
  chain = await startForeignDevChain();
});
afterAll(async () => {
  await chain?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Test double for a connection that drops the broadcast (the process "crashes" right after persisting). */
class LosingBroadcasts extends JsonRpcProvider {
  override async broadcastTransaction(): Promise<never> {
    throw new Error("connection reset (test double)");
  }
}

function sender(store: Store, wallet: Wallet, provider: JsonRpcProvider, extra: Partial<TxSenderOptions> = {}): TxSender {
  return new TxSender({ side: "foreign", chainId: chain.chainId, provider, wallet, store, txTimeoutMs: 60_000, maxFeePerGas: 10n ** 12n, ...extra });
}

async function pollUntilSettled(s: TxSender, count: number, timeoutMs = 45_000): Promise<Settled[]> {
  const settled: Settled[] = [];
  for (const end = Date.now() + timeoutMs; settled.length < count; ) {
    if (Date.now() > end) throw new Error(`only ${settled.length} of ${count} transactions settled`);
    settled.push(...(await s.poll()));
    await new Promise((r) => setTimeout(r, 300));
  }
  return settled;
}

describe("TxSender on a real chain", () => {
  it("re-sends after a restart the signed transaction persisted before a lost broadcast", async () => {
    const wallet = await chain.fundedWallet(1n);
    const to = Wallet.createRandom().address;
    const file = join(dir, "resend.db");
    const first = new Store(file);
    const entry = await sender(first, wallet, new LosingBroadcasts(chain.rpcUrl, chain.chainId, { staticNetwork: true })).send("test:resend", { to, data: "0x" });
    first.close();
    expect(await chain.provider().getTransaction(entry.hashes[0])).toBeNull();

    const store = new Store(file);
    const s = sender(store, wallet, chain.provider());
    expect(store.pendingOutbox("foreign")).toEqual([entry]);
    await s.resendPending();
    const [settled] = await pollUntilSettled(s, 1);
    expect(settled).toMatchObject({ status: "mined", entry: { id: entry.id, hashes: entry.hashes } });
    const receipt = await chain.provider().getTransactionReceipt(entry.hashes[0]);
    expect(receipt?.status).toBe(1);
    expect(store.pendingOutbox()).toEqual([]);
    store.close();
  }, 90_000);

  it("replaces an underpriced pending transaction with the same nonce and ≥12.5% higher fees; the next nonce follows the outbox", async () => {
    const wallet = await chain.fundedWallet(1n);
    const provider = chain.provider();
    const store = new Store(join(dir, "bump.db"));
    const s = sender(store, wallet, provider, { txTimeoutMs: 2_000 });
    const to = Wallet.createRandom().address;
    // 1 wei per gas is far below the base fee: the node keeps it pending but no block can include it.
    const stuck = await s.send("test:stuck", { to, data: "0x" }, { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n });
    const next = await s.send("test:next", { to, data: "0x" });
    expect(next.nonce).toBe(stuck.nonce + 1);
    expect(await provider.getTransaction(stuck.hashes[0])).not.toBeNull();

    const settled = await pollUntilSettled(s, 2);
    expect(settled.map((x) => [x.entry.actionKey, x.status]).sort()).toEqual([["test:next", "mined"], ["test:stuck", "mined"]]);
    expect(store.pendingOutbox()).toEqual([]);
    const bumped = settled.find((x) => x.entry.actionKey === "test:stuck")!.entry;
    expect(bumped.hashes.length).toBeGreaterThanOrEqual(2);
    expect(await provider.getTransactionReceipt(stuck.hashes[0])).toBeNull();
    const minedHash = bumped.hashes[bumped.hashes.length - 1];
    const receipt = await provider.getTransactionReceipt(minedHash);
    expect(receipt?.status).toBe(1);
    const mined = (await provider.getTransaction(minedHash))!;
    expect(mined.nonce).toBe(stuck.nonce);
    // Replacements raise both fees by ≥ 12.5% (1 wei → at least 2) and up to the market: it paid the block's base fee.
    expect(mined.maxPriorityFeePerGas!).toBeGreaterThanOrEqual(2n);
    expect(mined.maxFeePerGas!).toBeGreaterThanOrEqual((await provider.getBlock(receipt!.blockNumber))!.baseFeePerGas!);
    store.close();
  }, 120_000);

  it("sends started at once take consecutive nonces, each persisted, and all are mined", async () => {
    const wallet = await chain.fundedWallet(1n);
    const store = new Store(join(dir, "concurrent.db"));
    const s = sender(store, wallet, chain.provider());
    const first = await chain.provider().getTransactionCount(wallet.address, "pending");
    const to = Wallet.createRandom().address;
    const entries = await Promise.all(Array.from({ length: 24 }, (_, i) => s.send(`test:burst-${i}`, { to, data: "0x" })));
    expect(entries.map((e) => e.nonce).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => first + i));
    expect(store.pendingOutbox("foreign").length).toBe(24);
    const settled = await pollUntilSettled(s, 24);
    expect(settled.every((x) => x.status === "mined")).toBe(true);
    expect(await chain.provider().getTransactionCount(wallet.address, "latest")).toBe(first + 24);
    store.close();
  }, 90_000);

  it("never offers more than the fee cap: a transaction the market prices above it waits, unbumped", async () => {
    const wallet = await chain.fundedWallet(1n);
    const provider = chain.provider();
    const store = new Store(join(dir, "cap.db"));
    const base = (await provider.getBlock("latest"))!.baseFeePerGas!;
    // A cap below the base fee: whatever the node suggests, the agent offers at most the cap, and bumps never cross it.
    const cap = base / 2n;
    const s = sender(store, wallet, provider, { txTimeoutMs: 500, maxFeePerGas: cap });
    const entry = await s.send("test:capped", { to: Wallet.createRandom().address, data: "0x" });
    expect(BigInt(entry.fields.maxFeePerGas)).toBe(cap);
    for (let i = 0; i < 6; i++) {
      expect(await s.poll()).toEqual([]);
      await new Promise((r) => setTimeout(r, 600));
    }
    const [waiting] = store.pendingOutbox("foreign");
    expect(waiting.hashes).toEqual(entry.hashes);
    expect(BigInt(waiting.fields.maxFeePerGas)).toBe(cap);
    store.close();
  }, 60_000);
});
