// The one nonce assigner, on a real Clique chain: sends fired together from one key all land with consecutive nonces;
// a nonce taken meanwhile by another sender of the same key (another process) is skipped, not reported; a send that
// fails before it reaches the chain (a revert found by gas estimation) does not leave a gap.
import { Wallet } from "ethers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";

let chain: TestChain;
let wallet: SequencedWallet;

beforeAll(async () => {
  chain = await startHomeCliqueChain();
  wallet = await chain.fundedWallet(10n);
}, 120_000);

afterAll(async () => {
  await chain?.stop();
});

const to = () => Wallet.createRandom().address;

it("numbers 20 sends fired at once from one key, and all are mined", async () => {
  const first = await wallet.getNonce("latest");
  const sent = await Promise.all(Array.from({ length: 20 }, () => wallet.sendTransaction({ to: to(), value: 1n })));
  expect(sent.map((t) => t.nonce)).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
  const receipts = await Promise.all(sent.map((t) => t.wait()));
  expect(receipts.every((r) => r?.status === 1)).toBe(true);
  expect(await wallet.getNonce("latest")).toBe(first + 20);
}, 60_000);

it("skips a nonce another sender of the same key took meanwhile", async () => {
  const a = await wallet.sendTransaction({ to: to(), value: 1n });
  // Another process with the same key sends the nonce this process would use next.
  const other = new Wallet(wallet.privateKey, chain.provider());
  const theirs = await other.sendTransaction({ to: to(), value: 1n, nonce: a.nonce + 1 });
  const b = await wallet.sendTransaction({ to: to(), value: 1n });
  expect(b.nonce).toBe(a.nonce + 2);
  for (const t of [a, theirs, b]) expect((await t.wait())?.status).toBe(1);
}, 60_000);

it("a send refused before it reaches the chain leaves no gap", async () => {
  // More than the balance: refused by gas estimation, before anything is broadcast.
  const before = await wallet.getNonce("latest");
  await expect(wallet.sendTransaction({ to: to(), value: 10n ** 30n })).rejects.toThrow(/insufficient funds/);
  const next = await wallet.sendTransaction({ to: to(), value: 1n });
  expect(next.nonce).toBe(before);
  expect((await next.wait())?.status).toBe(1);
}, 60_000);
