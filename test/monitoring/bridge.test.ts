// The monitor watching a live bridge: two real chains (geth --dev foreign, Clique home), the bridge contracts, three
// real validator agents, the monitor, and its dashboard in Debian's headless Chromium. After a deposit it reports the
// bridge backed (minted = locked), today's use, every validator's gas and every agent following. Attacked: the
// foreign endpoint it reads (a TEST DOUBLE proxy, test/support/rpcProxy.ts) reports the vault one unit short — what the
// monitor would see if tokens were minted that nothing backs — and the invariant is reported broken, in the status,
// the metric its alert reads, and the page; an agent killed shows as not answering. A deposit from a sender the
// whitelist does not hold, refunded, is counted with the fee the bridge kept; a deposit made while only one of the
// three agents runs is the oldest unrelayed transfer, naming the validators that have not confirmed it, until a second
// agent is back and it is minted.
import { Contract, toBeHex, Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { launchChromium, screenshot } from "../../testkit/browser";
import { BridgeWorld, fundDepositor, startBridgeWorld, waitFor } from "../../testkit/bridge/agentFleet";
import { deposit } from "../../testkit/bridge/transfers";
import { monitorBridgeConfig, MonitorProcess, startMonitor } from "../../testkit/monitor";
import { RpcProxy, startRpcProxy } from "../support/rpcProxy";

const RLC = 10n ** 9n;
const BALANCE_OF = "0x70a08231";
let w: BridgeWorld;
let proxy: RpcProxy;
let monitor: MonitorProcess;
let user: SequencedWallet;
let stranger: SequencedWallet;
let browser: Browser;
let page: Page;

const status = async () => (await (await fetch(`${monitor.url}/api/status`)).json()) as any;
const metrics = async () => (await fetch(`${monitor.url}/metrics`)).text();
const OLDEST = /^consortium_bridge_oldest_unrelayed_seconds (\d+(?:\.\d+)?)$/m;
const name = (i: number) => `v${i}`;

beforeAll(async () => {
  const userKey = Wallet.createRandom();
  // A 1 % refund fee: what the bridge keeps of a non-whitelisted deposit.
  w = await startBridgeWorld(3, { threshold: 2, whitelist: [userKey.address], feeBps: 100 });
  user = await fundDepositor(w, userKey.privateKey, 1_000n * RLC);
  stranger = await fundDepositor(w, Wallet.createRandom().privateKey, 100n * RLC);
  w.fleet.startAll();
  proxy = await startRpcProxy(w.foreign.rpcUrl);
  monitor = await startMonitor({
    chain: { rpcUrl: w.home.rpcUrl, seal: "clique", signers: w.home.signers, windowBlocks: 32, pollSeconds: 1 },
    nodes: [],
    bridge: await monitorBridgeConfig(w, proxy.url),
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await monitor?.stop();
  await proxy?.stop();
  await w?.dispose();
}, 120_000);

/** Polls the status until `ok` says it is as wanted; fails with the last bridge status seen. */
async function statusUntil(what: string, ok: (s: any) => boolean, seconds = 60): Promise<any> {
  let last: any;
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    last = await status().catch(() => undefined);
    if (last && ok(last)) return last;
  }
  throw new Error(`${what}: not within ${seconds} s (last bridge status: ${JSON.stringify(last?.bridge ?? last?.bridgeError)})`);
}

describe("the monitor watching a live bridge (two chains, three agents, Chromium)", () => {
  it("after a deposit: backed, today's use, every validator's gas, every agent following", async () => {
    const d = await deposit(w.bridge, user, 100n * RLC, user.address);
    await waitFor("deposit minted", async () => (await w.bridge.home.gateway.getFunction("depositMinted")(d.id)) as boolean, 60_000);
    const s = await statusUntil("the mint seen and every agent following", (x) => x.bridge?.minted === "100.0" && x.bridge.agents.every((a: any) => a.up));
    expect(s.bridge).toMatchObject({ minted: "100.0", locked: "100.0", unminted: "0.0", invariantHolds: true });
    expect(s.bridge.deposits).toMatchObject({ today: "100.0" });
    expect(s.bridge.validators.map((v: any) => [v.name, v.address])).toEqual(w.validators.map((v, i) => [name(i), v.address]));
    for (const v of s.bridge.validators) {
      expect(Number(v.homeBalance)).toBeGreaterThan(90); // funded with 100, minus the gas of their confirmations
      expect(Number(v.foreignBalance)).toBeGreaterThan(0);
    }
    for (const a of s.bridge.agents) expect(a).toMatchObject({ up: true, problem: null, lag: { home: expect.any(Number), foreign: expect.any(Number) } });
    expect(s.bridge.unrelayed).toEqual({ deposits: 0, withdrawals: 0, oldest: null });
    const m = await metrics();
    expect(m).toMatch(/^consortium_bridge_invariant_holds 1$/m);
    expect(m).toMatch(/^consortium_bridge_minted_tokens 100$/m);
    expect(m).toMatch(new RegExp(`^consortium_bridge_validator_balance_ether\\{validator="v0",address="${w.validators[0].address}",side="home"\\} 9\\d\\.`, "m"));
    expect(OLDEST.exec(m)?.[1]).toBe("0");

    await page.goto(`${monitor.url}/dashboard/`);
    expect(await (await page.waitForSelector('[data-testid="invariant"]')).innerText()).toMatch(/every minted token backed\s+100\.0 minted on home, 100\.0 locked on foreign/);
    for (let i = 0; i < 3; i++) await page.waitForSelector(`[data-testid="validator-${name(i)}"][data-state="up"]`, { timeout: 30_000 });
    expect(await (await page.waitForSelector('[data-testid="oldest-unrelayed"].good')).innerText()).toMatch(/none\s+every transfer relayed/);
    await screenshot(page, "dashboard-bridge");
  }, 180_000);

  it("a vault one unit short: the invariant reported broken; a killed agent reported not answering", async () => {
    const token = (await w.bridge.foreign.token.getAddress()).toLowerCase();
    proxy.set({
      rewrite(call, result) {
        const [tx] = call.params as { to?: string; data?: string; input?: string }[];
        const data = tx?.data ?? tx?.input ?? "";
        if (call.method !== "eth_call" || tx?.to?.toLowerCase() !== token || !data.startsWith(BALANCE_OF)) return result;
        return toBeHex(BigInt(result as string) - 1n, 32);
      },
    });
    const s = await statusUntil("the invariant broken", (x) => x.bridge?.invariantHolds === false);
    expect(s.bridge).toMatchObject({ minted: "100.0", locked: "99.999999999", unminted: "0.0" });
    expect(await (await fetch(`${monitor.url}/metrics`)).text()).toMatch(/^consortium_bridge_invariant_holds 0$/m);
    expect(await (await page.waitForSelector('[data-testid="invariant"].bad', { timeout: 30_000 })).innerText()).toMatch(/BROKEN: minted exceeds locked/);

    await w.fleet.kill(2);
    const down = await statusUntil("agent v2 not answering", (x) => x.bridge?.agents.find((a: any) => a.name === "v2")?.up === false);
    expect(down.bridge.agents.find((a: any) => a.name === "v2")).toMatchObject({ problem: "does not answer", actionsPending: null });
    expect(await (await page.waitForSelector('[data-testid="validator-v2"][data-state="down"]', { timeout: 30_000 })).innerText()).toContain("does not answer");
    expect(await (await fetch(`${monitor.url}/metrics`)).text()).toMatch(/^consortium_bridge_agent_healthy\{validator="v2"\} 0$/m);
    await screenshot(page, "dashboard-bridge-broken");
  }, 120_000);

  it("a non-whitelisted deposit: pending, then refunded, counted with the fee the bridge kept and where it went", async () => {
    const d = await deposit(w.bridge, stranger, 50n * RLC, stranger.address);
    const pending = await statusUntil("the refundable deposit seen", (x) => x.bridge?.refunds.pending === 1);
    expect(pending.bridge.refunds).toMatchObject({ count: 0, pendingAmount: "50.0", fees: "0.0" });
    // Not the validators' to relay: no transfer is owed for it.
    expect(pending.bridge.unrelayed).toMatchObject({ deposits: 0, oldest: null });
    await (await (w.bridge.foreign.vault.connect(stranger) as Contract).getFunction("refund")(d.id)).wait();
    const s = await statusUntil("the refund seen", (x) => x.bridge?.refunds.count === 1);
    expect(s.bridge.refunds).toEqual({ count: 1, total: "50.0", returned: "49.5", fees: "0.5", pending: 0, pendingAmount: "0.0", feeBps: 100, feeRecipient: w.bridge.foreign.feeRecipient });
    expect(await (await page.waitForSelector('[data-testid="refunds"]:has-text("1 deposit refunded")', { timeout: 30_000 })).innerText()).toMatch(/1 deposit refunded, 50\.0\s+49\.5 back to senders · 0 deposits \(0\.0\) waiting for a refund/);
    expect(await (await page.waitForSelector('[data-testid="fees"]')).innerText()).toMatch(/Fees kept\s+0\.5\s+to 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4} · fee now 1 % of a refunded deposit/);
  }, 120_000);

  it("a deposit only one agent confirms: the oldest unrelayed, naming who has not confirmed, until it is minted", async () => {
    await w.fleet.kill(1); // v2 is down since the last test: v0 alone cannot reach the threshold of 2
    const d = await deposit(w.bridge, user, 10n * RLC, user.address);
    const waiting = (x: any) => x.bridge?.unrelayed.oldest?.id === d.id.toString() && x.bridge.unrelayed.oldest.waitingFor.join() === "v1,v2";
    const first = await statusUntil("the deposit owed, confirmed by v0 only", waiting);
    const block = (await w.foreign.provider().getBlock(d.block))!;
    expect(first.bridge.unrelayed).toMatchObject({
      deposits: 1,
      withdrawals: 0,
      oldest: { direction: "deposit", block: d.block, amount: "10.0", stage: "validating", waitingFor: ["v1", "v2"] },
    });
    expect(block.transactions).toContain(first.bridge.unrelayed.oldest.txHash);
    const later = await statusUntil("its age growing", (x) => waiting(x) && x.bridge.unrelayed.oldest.ageSeconds >= first.bridge.unrelayed.oldest.ageSeconds + 5, 30);
    expect(later.bridge.unrelayed.oldest.ageSeconds).toBeGreaterThanOrEqual(5);
    expect(Number(OLDEST.exec(await metrics())?.[1])).toBeGreaterThanOrEqual(5);
    const card = await page.waitForSelector(`[data-testid="oldest-unrelayed"]:has-text("deposit #${d.id}")`, { timeout: 30_000 });
    expect(await card.innerText()).toMatch(new RegExp(`deposit #${d.id}, \\d+ s old\\s+10\\.0 · block #${d.block} · tx 0x[0-9a-f]{8}… · waiting for v1, v2 to confirm · 1 deposit and 0 withdrawals in flight`));
    await screenshot(page, "dashboard-bridge-unrelayed");

    w.fleet.start(1);
    await waitFor("deposit minted", async () => (await w.bridge.home.gateway.getFunction("depositMinted")(d.id)) as boolean, 60_000);
    const done = await statusUntil("nothing owed once minted", (x) => x.bridge?.unrelayed.oldest === null);
    expect(done.bridge.unrelayed).toEqual({ deposits: 0, withdrawals: 0, oldest: null });
    expect(OLDEST.exec(await metrics())?.[1]).toBe("0");
  }, 180_000);
});
