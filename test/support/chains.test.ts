// The shared test chains start, answer with their chain ids, and fund wallets (in parallel, without nonce clashes).
import { afterAll, expect, it } from "vitest";
import { startForeignDevChain, startHomeCliqueChain, TestChain } from "../../testkit/chains";
const chains: TestChain[] = [];
afterAll(async () => { for (const c of chains) await c.stop(); });
it("starts both chains and funds wallets", async () => {
  const f = await startForeignDevChain(); chains.push(f);
  const h = await startHomeCliqueChain(); chains.push(h);
  const [a, b] = await Promise.all([f.fundedWallet(5n), f.fundedWallet(6n)]);
  const c = await h.fundedWallet(7n);
  expect(await f.provider().getBalance(a.address)).toBe(5n * 10n ** 18n);
  expect(await f.provider().getBalance(b.address)).toBe(6n * 10n ** 18n);
  expect(await h.provider().getBalance(c.address)).toBe(7n * 10n ** 18n);
  expect(Number((await h.provider().getNetwork()).chainId)).toBe(h.chainId);
}, 120_000);
