// The watcher on a real geth chain, scanning the dev RLC's Transfer events: nothing newer than head − confirmations
// is recorded, ranges respect maxBlockRange, each checkpoint's hash is the chain's, and a checkpoint that is no
// longer canonical (its stored hash replaced, as a reorg would leave it) is rewound and re-scanned without twins.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, Interface, JsonRpcProvider, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Store } from "../../agent/store";
import { Watcher, WatchSpec } from "../../agent/watcher";
import { ERC20_ABI } from "../../lib/bridge/abi";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { startForeignDevChain, TestChain } from "../../testkit/chains";

let chain: TestChain;
let token: Contract;
let startBlock: number;
const dir = mkdtempSync(join(tmpdir(), "agent-watch-"));

beforeAll(async () => {
  chain = await startForeignDevChain();
  const owner = await chain.fundedWallet(10n);
  startBlock = await chain.provider().getBlockNumber();
  token = await deployDevRlc(owner);
  let last = 0;
  for (let i = 1; i <= 4; i++) last = (await (await token.getFunction("transfer")(Wallet.createRandom().address, i)).wait()).blockNumber;
  // The dev chain seals empty blocks too: wait until the last transfer is 2 confirmations deep.
  while ((await chain.provider().getBlockNumber()) < last + 2) await new Promise((r) => setTimeout(r, 250));
}, 120_000);
afterAll(async () => {
  await chain?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function spec(confirmations: number): WatchSpec {
  return {
    side: "foreign",
    confirmations,
    startBlock,
    maxBlockRange: 2,
    addresses: [token.target as string],
    iface: new Interface(ERC20_ABI.filter((f) => f.startsWith("event Transfer("))),
    actionsFor: (e) => [{ key: `seen:${e.block}:${e.logIndex}`, kind: "refund", sourceBlock: e.block, payload: {} }],
  };
}

async function scanToSafeHead(w: Watcher) {
  for (;;) {
    const r = await w.step();
    if (r.cursor >= r.safeHead) return r;
  }
}

describe("Watcher on a real chain", () => {
  it("records nothing beyond head − confirmations", async () => {
    const store = new Store(join(dir, "deep.db"));
    const r = await new Watcher(spec(10_000), chain.provider(), store).step();
    expect(r.cursor).toBe(startBlock - 1);
    expect(store.events("foreign")).toEqual([]);
    store.close();
  });

  it("scans in bounded ranges, with canonical checkpoints, and recovers from a non-canonical one without twins", async () => {
    const provider = chain.provider();
    const store = new Store(join(dir, "scan.db"));
    const watcher = new Watcher(spec(2), provider, store);
    const r = await scanToSafeHead(watcher);
    expect(r.cursor).toBeLessThanOrEqual(r.head - 2);

    const logs = await provider.getLogs({ address: token.target as string, fromBlock: startBlock, toBlock: r.cursor });
    const expected = logs.map((l) => ({ block: l.blockNumber, logIndex: l.index, txHash: l.transactionHash }));
    expect(store.events("foreign").map(({ block, logIndex, txHash }) => ({ block, logIndex, txHash }))).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const cps = store.checkpoints("foreign");
    for (const [newer, older] of cps.slice(0, -1).map((cp, i) => [cp, cps[i + 1]])) expect(newer.block - older.block).toBeLessThanOrEqual(2);
    for (const cp of cps) expect(cp.hash).toBe((await provider.getBlock(cp.block))!.hash);

    // As a reorg would leave it: the newest checkpoint's hash is no longer the chain's.
    const [newest, previous] = cps;
    store.commitRange("foreign", { block: newest.block, hash: "0x" + "00".repeat(32) }, [], []);
    const after = await watcher.step();
    expect(after.rewoundTo).toBe(previous.block);
    await scanToSafeHead(watcher);
    expect(store.events("foreign").filter((e) => e.block <= r.cursor).map(({ block, logIndex, txHash }) => ({ block, logIndex, txHash }))).toEqual(expected);
    expect(store.cursor("foreign")!.hash).toBe((await provider.getBlock(store.cursor("foreign")!.block))!.hash);
    store.close();
  }, 60_000);

  it("asks an unchanged head one thing per step, and checks the stored cursor again once it changed", async () => {
    const calls: string[] = [];
    class CountingProvider extends JsonRpcProvider {
      override send(method: string, params: unknown[]) {
        calls.push(method);
        return super.send(method, params);
      }
    }
    const provider = new CountingProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true });
    const store = new Store(join(dir, "poll.db"));
    const watcher = new Watcher(spec(2), provider, store);
    await scanToSafeHead(watcher);
    // Steps take milliseconds and the chain seals a block a second: most of these see the head the previous one saw.
    const steps: { head: number; cursor: number; requests: string[] }[] = [];
    for (let i = 0; i < 30; i++) {
      const before = calls.length;
      const r = await watcher.step();
      steps.push({ head: r.head, cursor: r.cursor, requests: calls.slice(before) });
    }
    // After a step that found nothing to scan, the same head again is one request: the head itself.
    const settled = steps.slice(2).filter((s, i) => s.head === steps[i + 1].head && steps[i + 1].head === steps[i].head && steps[i].cursor === s.cursor);
    expect(settled.length).toBeGreaterThan(5);
    for (const s of settled) expect(s.requests).toEqual(["eth_getBlockByNumber"]);
    // A stored cursor that no longer matches the chain (as a reorg leaves it) is noticed by the next step, head unchanged or not.
    const newest = store.cursor("foreign")!;
    store.commitRange("foreign", { block: newest.block, hash: "0x" + "00".repeat(32) }, [], []);
    expect((await watcher.step()).rewoundTo).toBeLessThan(newest.block);
    provider.destroy();
    store.close();
  }, 60_000);
});
