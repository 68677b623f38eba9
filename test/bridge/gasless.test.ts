// Point 7, attacked: a user who makes 1000 tiny withdrawals must not drain the validators' Ethereum gas. The
// validators only sign (on home, where the consortium's gas is theirs to set); the recipient executes the release on
// foreign and pays for it. Bounded: 1000 withdrawals of one base unit each, all signed within a few minutes.
import { Wallet } from "ethers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { BridgeWorld, fundDepositor, startBridgeWorld, waitFor } from "../../testkit/bridge/agentFleet";
import { deposit, executeWhenSigned, withdrawMany } from "../../testkit/bridge/transfers";

const WITHDRAWALS = 1000;
let w: BridgeWorld;
let depositor: SequencedWallet;

beforeAll(async () => {
  const key = Wallet.createRandom();
  w = await startBridgeWorld(3, { threshold: 2, whitelist: [key.address] });
  depositor = await fundDepositor(w, key.privateKey, 10_000n);
  w.fleet.startAll();
}, 240_000);

afterAll(async () => {
  await w?.dispose();
});

it(`${WITHDRAWALS} tiny withdrawals are signed by the validators and cost them no foreign gas`, async () => {
  const gateway = w.bridge.home.gateway;
  const homeUser = await w.home.fundedWallet(100n);
  const d = await deposit(w.bridge, depositor, BigInt(WITHDRAWALS), homeUser.address);
  await waitFor("deposit minted", async () => (await gateway.getFunction("depositMinted")(d.id)) as boolean, 60_000);
  const foreignBefore = await Promise.all(w.validators.map((v) => w.foreign.provider().getBalance(v.address)));
  const firstBlock = await w.home.provider().getBlockNumber();

  const recipient = Wallet.createRandom().address;
  const started = Date.now();
  const sent = await withdrawMany(w.bridge, homeUser, WITHDRAWALS, 1n, recipient);
  const ids = new Set(sent.map((s) => s.id));
  expect(ids.size).toBe(WITHDRAWALS);

  // Every withdrawal reaches the threshold of signatures on home (read from the WithdrawalSigned events).
  const signedBy = new Map<bigint, Set<string>>();
  await waitFor(
    `${WITHDRAWALS} withdrawals signed by 2 of 3`,
    async () => {
      for (const e of await gateway.queryFilter(gateway.filters.WithdrawalSigned(), firstBlock)) {
        const [id, validator] = (e as unknown as { args: [bigint, string] }).args;
        if (!signedBy.has(id)) signedBy.set(id, new Set());
        signedBy.get(id)!.add(validator);
      }
      return [...ids].every((id) => (signedBy.get(id)?.size ?? 0) >= 2);
    },
    420_000,
    2_000,
  );
  console.log(`gasless: ${WITHDRAWALS} withdrawals signed by 2 of 3 within ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // The validators sent nothing on foreign: no transaction, not a wei of gas.
  for (const [i, v] of w.validators.entries()) {
    expect(await w.foreign.provider().getTransactionCount(v.address)).toBe(0);
    expect(await w.foreign.provider().getBalance(v.address)).toBe(foreignBefore[i]);
  }
  // The recipient's side executes them, paying its own gas (three of them here).
  const executor = await w.foreign.fundedWallet(1n);
  for (const s of sent.slice(0, 3)) await executeWhenSigned(w.bridge, executor, s.id, recipient, 1n);
  expect(await w.bridge.foreign.token.getFunction("balanceOf")(recipient)).toBe(3n);
}, 600_000);
