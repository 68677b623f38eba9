// Crash safety end to end: 50 transfers (25 deposits, 25 withdrawals, sent concurrently on both chains) while agents
// are SIGKILLed at random points and restarted. Afterwards every transfer has completed exactly once: each deposit id
// minted once, each withdrawal id executed once, and balances, supply and vault holdings match the sums sent.
// The kill schedule (which agent, when, for how long) comes from a seeded generator: CHAOS_SEED=<n> replays it; the
// seed is printed with the output and in a failure's message.
import { Contract, Wallet } from "ethers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BridgeWorld, fundDepositor, startBridgeWorld, waitFor } from "../../testkit/bridge/agentFleet";
import { deposit, Sent, withdraw } from "../../testkit/bridge/transfers";
import { seededRandom } from "../support/seededRandom";

const RLC = 10n ** 9n;
const TRANSFERS = 50;
const MAX_KILLS = 20;
const SEED_AMOUNT = 10_000n * RLC;

let w: BridgeWorld;
let depositor: Wallet;
let homeUser: Wallet;

beforeAll(async () => {
  const depositorKey = Wallet.createRandom();
  w = await startBridgeWorld(3, {
    threshold: 2,
    whitelist: [depositorKey.address],
    // The agents also execute withdrawals here: their foreign path is what the kills interrupt.
    tuning: { confirmations: 1, pollIntervalMs: 300, txTimeoutMs: 10_000, fallbackDelayMs: 2_000, relayForeign: true },
  });
  depositor = await fundDepositor(w, depositorKey.privateKey, 1_000_000n * RLC);
  homeUser = await w.home.fundedWallet(10n);
}, 240_000);

afterAll(async () => {
  await w?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const random = seededRandom("CHAOS_SEED", "test/bridge/chaos.test.ts");
const rand = random.int;

/** Kills a random running agent every 0.5–2.5 s and restarts it 0.2–1.5 s later, until `done()` or MAX_KILLS. */
async function chaos(done: () => boolean): Promise<number> {
  let kills = 0;
  while (!done() && kills < MAX_KILLS) {
    await sleep(rand(500, 2500));
    const running = w.validators.map((_, i) => i).filter((i) => w.fleet.isRunning(i));
    if (!running.length) continue;
    const i = running[rand(0, running.length)];
    await w.fleet.kill(i);
    kills++;
    await sleep(rand(200, 1500));
    w.fleet.start(i);
  }
  return kills;
}

it("completes every transfer exactly once while agents are killed at random points", () => random.reported(async () => {
  w.fleet.startAll();
  const gateway = w.bridge.home.gateway;
  const vault = w.bridge.foreign.vault;
  const homeRecipient = Wallet.createRandom().address;
  const foreignRecipient = Wallet.createRandom().address;

  // Seed the home user's balance for the withdrawals.
  const seed = await deposit(w.bridge, depositor, SEED_AMOUNT, homeUser.address);
  await waitFor("seed minted", async () => (await gateway.getFunction("depositMinted")(seed.id)) as boolean, 60_000);

  const amounts = Array.from({ length: TRANSFERS / 2 }, (_, k) => BigInt(k + 1) * RLC);
  let sending = true;
  const started = Date.now();
  const kills = chaos(() => !sending);
  const deposits: Sent[] = [];
  const withdrawals: Sent[] = [];
  await Promise.all([
    (async () => {
      for (const a of amounts) deposits.push(await deposit(w.bridge, depositor, a, homeRecipient));
    })(),
    (async () => {
      for (const a of amounts) withdrawals.push(await withdraw(w.bridge, homeUser, a, foreignRecipient));
    })(),
  ]);
  sending = false;
  const killCount = await kills;
  w.validators.forEach((_, i) => w.fleet.isRunning(i) || w.fleet.start(i));

  await waitFor(
    "every transfer to complete",
    async () => {
      const minted = await Promise.all(deposits.map((d) => gateway.getFunction("depositMinted")(d.id) as Promise<boolean>));
      const released = await Promise.all(withdrawals.map((r) => vault.getFunction("withdrawalProcessed")(r.id) as Promise<boolean>));
      return minted.every(Boolean) && released.every(Boolean);
    },
    150_000,
    1_000,
  );
  console.log(`chaos (seed ${random.seed}): ${TRANSFERS} transfers, ${killCount} SIGKILLs, all done ${((Date.now() - started) / 1000).toFixed(1)} s after the first was sent`);
  expect(killCount).toBeGreaterThan(0);

  // Exactly once, by events: one mint per deposit id, one execution per withdrawal id, no unknown ids.
  const countBy = async (c: Contract, filter: ReturnType<Contract["filters"][string]>, arg: string) => {
    const counts = new Map<bigint, number>();
    for (const e of await c.queryFilter(filter, 0)) {
      const id = (e as unknown as { args: Record<string, bigint> }).args[arg];
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };
  const mints = await countBy(gateway, gateway.filters.DepositMinted(), "depositId");
  const executions = await countBy(vault, vault.filters.WithdrawalExecuted(), "withdrawalId");
  expect([...mints.keys()].sort()).toEqual([seed.id, ...deposits.map((d) => d.id)].sort());
  expect([...mints.values()].every((n) => n === 1)).toBe(true);
  expect([...executions.keys()].sort()).toEqual(withdrawals.map((r) => r.id).sort());
  expect([...executions.values()].every((n) => n === 1)).toBe(true);

  // Totals: what was sent is exactly what arrived, and the vault holds exactly what is bridged.
  const sum = amounts.reduce((a, b) => a + b, 0n);
  expect(await w.bridge.home.token.getFunction("balanceOf")(homeRecipient)).toBe(sum);
  expect(await w.bridge.home.token.getFunction("balanceOf")(homeUser.address)).toBe(SEED_AMOUNT - sum);
  expect(await w.bridge.foreign.token.getFunction("balanceOf")(foreignRecipient)).toBe(sum);
  expect(await w.bridge.home.token.getFunction("totalSupply")()).toBe(SEED_AMOUNT);
  expect(await w.bridge.foreign.token.getFunction("balanceOf")(w.bridge.addresses.vault)).toBe(SEED_AMOUNT);

  expect(await w.fleet.stopAll()).toEqual([0, 0, 0]);
}), 300_000);
