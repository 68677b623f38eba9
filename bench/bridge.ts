// Bridge relay benchmark on two real geth chains with three agents (2-of-3) as child processes:
// (a) latency deposit-mined → minted on home and withdraw-mined → released on foreign (the validators sign, the
//     recipient executes, as in production), one transfer at a time, against the floor every relay must wait
//     (confirmations × block period), reported as ratios;
// (b) sustained throughput: a burst of transfers (half deposits, half withdrawals, sent concurrently on both chains)
//     until the last one completes, in transfers per minute. Bounded by BENCH_BRIDGE_TRANSFERS (default 20).
import { Wallet } from "ethers";
import { startBridgeWorld, waitFor } from "../testkit/bridge/agentFleet";
import { approveVault, deposit, executeWhenSigned, Sent, withdraw } from "../testkit/bridge/transfers";
import { SequencedWallet } from "../lib/eth/sequencedWallet";

const RLC = 10n ** 9n;
const BLOCK_PERIOD_SECONDS = 1;
const CONFIRMATIONS = 2;
const LATENCY_SAMPLES = Number(process.env.BENCH_BRIDGE_SAMPLES ?? 5);
const BURST = Number(process.env.BENCH_BRIDGE_TRANSFERS ?? 20);

function stats(seconds: number[], floorSeconds: number) {
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { samples: sorted.length, medianSeconds: median, maxSeconds: sorted[sorted.length - 1], floorSeconds, ratioToFloor: median / floorSeconds };
}

/** Seconds from `sent.minedAt` until `done()` holds, polled every 100 ms. */
async function timeUntil(what: string, sent: Sent, done: () => Promise<boolean>): Promise<number> {
  await waitFor(what, done, 120_000, 100);
  return (Date.now() - sent.minedAt) / 1000;
}

export async function benchBridge(log: (m: string) => void) {
  log("bridge: starting two chains, deploying the contracts, starting 3 agents ...");
  const depositorKey = Wallet.createRandom();
  const w = await startBridgeWorld(3, {
    threshold: 2,
    whitelist: [depositorKey.address],
    periodSeconds: BLOCK_PERIOD_SECONDS,
    tuning: { confirmations: CONFIRMATIONS, pollIntervalMs: 250, txTimeoutMs: 20_000, fallbackDelayMs: 3_000 },
  });
  try {
    const depositor = new SequencedWallet(depositorKey.privateKey, w.foreign.provider());
    const funder = await w.foreign.fundedWallet(20n);
    await (await funder.sendTransaction({ to: depositor.address, value: 10n ** 19n })).wait();
    const homeUser = await w.home.fundedWallet(10n);
    await w.bridge.giveForeignTokens(depositor.address, 1_000_000n * RLC);
    await approveVault(w.bridge, depositor, 1_000_000n * RLC);
    const minted = (id: bigint) => () => w.bridge.home.gateway.getFunction("depositMinted")(id) as Promise<boolean>;
    const released = (id: bigint) => () => w.bridge.foreign.vault.getFunction("withdrawalProcessed")(id) as Promise<boolean>;
    // The recipient's side: executes each withdrawal once the validators signed it.
    const executor = await w.foreign.fundedWallet(10n);
    const release = (r: Sent, to: string) => executeWhenSigned(w.bridge, executor, r.id, to, 1n * RLC, 120_000);
    w.fleet.startAll();

    log(`bridge: latency, ${LATENCY_SAMPLES} deposits and ${LATENCY_SAMPLES} withdrawals one at a time ...`);
    const depositSeconds: number[] = [];
    const withdrawSeconds: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const d = await deposit(w.bridge, depositor, 1_000n * RLC, homeUser.address);
      depositSeconds.push(await timeUntil("deposit minted", d, minted(d.id)));
    }
    const foreignRecipient = Wallet.createRandom().address;
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const r = await withdraw(w.bridge, homeUser, 1n * RLC, foreignRecipient);
      await release(r, foreignRecipient);
      withdrawSeconds.push(await timeUntil("withdrawal released", r, released(r.id)));
    }

    log(`bridge: throughput, a burst of ${BURST} transfers ...`);
    // Sent back to back (the SequencedWallets number them, no wait in between), so the users are not the bottleneck.
    const t0 = Date.now();
    const sent = await Promise.all([
      ...Array.from({ length: Math.ceil(BURST / 2) }, async () => minted((await deposit(w.bridge, depositor, 1n * RLC, homeUser.address)).id)),
      ...Array.from({ length: Math.floor(BURST / 2) }, async () => {
        const r = await withdraw(w.bridge, homeUser, 1n * RLC, foreignRecipient);
        await release(r, foreignRecipient);
        return released(r.id);
      }),
    ]);
    await waitFor("the burst to complete", async () => (await Promise.all(sent.map((done) => done()))).every(Boolean), 300_000, 250);
    const burstSeconds = (Date.now() - t0) / 1000;
    await w.fleet.stopAll();

    const floor = CONFIRMATIONS * BLOCK_PERIOD_SECONDS;
    return {
      validators: 3,
      threshold: 2,
      confirmations: CONFIRMATIONS,
      blockPeriodSeconds: BLOCK_PERIOD_SECONDS,
      depositLatency: stats(depositSeconds, floor),
      withdrawalLatency: stats(withdrawSeconds, floor),
      throughput: { transfers: BURST, seconds: burstSeconds, transfersPerMinute: (BURST * 60) / burstSeconds },
    };
  } finally {
    await w.dispose();
  }
}
