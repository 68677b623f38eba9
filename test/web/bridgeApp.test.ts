// The bridge app for token holders, in Debian's headless Chromium, against a live bridge: two real chains (geth
// --dev foreign, Clique home), the contracts, three real validator agents and the monitor serving the page. The wallet
// is a TEST DOUBLE of MetaMask (testkit/browserWallet.ts: an injected EIP-1193 provider backed by a test key).
// A whitelisted holder connects, adds the chain and the token, is refused an over-limit amount before any
// transaction, deposits and sees the status reach "minted" (across a reload), withdraws and releases on foreign,
// and sees a rejected signature in words; a holder the whitelist does not hold is warned, and after accepting sees
// the deposit refundable, then refunded minus the fee. Where reads need a key (`permissions.read: keys`, a real policy
// gateway in front of home), the holder gives theirs, the wallet gets it as its RPC URL's path, and a withdrawal goes
// through the gateway; the key never reaches the server or the page's storage. Screenshots: .artifacts/screenshots/app-*.png.
import { Wallet } from "ethers";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot } from "../../testkit/browser";
import { injectTestWallet, TestWallet } from "../../testkit/browserWallet";
import { GatewayProcess, startGatewayProcess } from "../../testkit/gateway";
import { BridgeWorld, fundDepositor, startBridgeWorld } from "../../testkit/bridge/agentFleet";
import { monitorBridgeConfig, MonitorProcess, startMonitor } from "../../testkit/monitor";

const RLC = 10n ** 9n;
const FEE_BPS = 100;
let w: BridgeWorld;
let monitor: MonitorProcess;
let browser: Browser;
const holderKey = Wallet.createRandom().privateKey;
const outsiderKey = Wallet.createRandom().privateKey;
let foreignId: number;
let homeId: number;

beforeAll(async () => {
  const holder = new Wallet(holderKey);
  w = await startBridgeWorld(3, {
    threshold: 2,
    whitelist: [holder.address],
    feeBps: FEE_BPS,
    limits: { deposit: { minPerTx: 1n * RLC, maxPerTx: 500n * RLC, dailyLimit: 10_000n * RLC } },
  });
  w.fleet.startAll();
  await fundDepositor(w, holderKey, 1_000n * RLC);
  await fundDepositor(w, outsiderKey, 100n * RLC);
  // Gas on home, to withdraw.
  const funder = await w.home.fundedWallet(2n);
  await (await funder.sendTransaction({ to: holder.address, value: 10n ** 18n })).wait();
  foreignId = Number((await w.foreign.provider().getNetwork()).chainId);
  homeId = Number((await w.home.provider().getNetwork()).chainId);
  monitor = await startMonitor({
    chain: { rpcUrl: w.home.rpcUrl, seal: "clique", signers: w.home.signers, windowBlocks: 32, pollSeconds: 1 },
    nodes: [],
    bridge: await monitorBridgeConfig(w),
  });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await monitor?.stop();
  await w?.dispose();
}, 120_000);

/** A page of the app (served by `server`) with its own test wallet (on the foreign chain, which it knows; home it must be given). */
async function openApp(key: string, server: MonitorProcess = monitor): Promise<{ page: Page; wallet: TestWallet; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const page = await context.newPage();
  const wallet = await injectTestWallet(page, { key, chainId: foreignId, chains: { [foreignId]: w.foreign.rpcUrl, [homeId]: w.home.rpcUrl } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  return { page, wallet, context, errors };
}

const text = async (page: Page, selector: string, timeout = 30_000) => (await page.waitForSelector(selector, { timeout })).innerText();
/** Waits for the balances to read `expected`: the app refreshes them after a transfer settles, not at once. */
async function expectBalances(page: Page, expected: RegExp): Promise<void> {
  const balances = page.locator('[data-testid="balances"]');
  await balances.filter({ hasText: expected }).waitFor({ timeout: 30_000 }).catch(async () => {
    throw new Error(`the balances read ${JSON.stringify(await balances.innerText())}, not ${expected}`);
  });
}
const txs = (wallet: TestWallet) => wallet.requests.filter((r) => r.method === "eth_sendTransaction").length;

describe("the bridge app in Chromium, with a test-double wallet, on a live bridge", () => {
  let page: Page;
  let wallet: TestWallet;
  let errors: string[];

  it("connects; adds the chain and the token; shows balances and the whitelist", async () => {
    ({ page, wallet, errors } = await openApp(holderKey));
    await page.click('[data-testid="connect"]');
    expect(await text(page, '[data-testid="account"]')).toBe(wallet.address);
    await expectBalances(page, /1000\.0 RLC on foreign · 0\.0 bRLC on Test consortium/);
    expect(await text(page, '[data-testid="whitelist"]')).toMatch(/^Whitelisted/);
    await page.click('[data-testid="add-chain"]');
    await text(page, '[data-testid="message"].good');
    expect(wallet.added).toEqual([{ chainId: homeId, chainName: "Test consortium", rpcUrls: [w.home.rpcUrl] }]);
    await page.click('[data-testid="add-token"]');
    await page.waitForSelector('[data-testid="message"]:has-text("bRLC is in your wallet")');
    expect(wallet.watched).toEqual([{ type: "ERC20", options: { address: await w.bridge.home.token.getAddress(), symbol: "bRLC", decimals: 9 } }]);
    await screenshot(page, "app-connected");
  }, 120_000);

  it("refuses an over-limit amount in words before any transaction", async () => {
    await page.fill('[data-testid="deposit-amount"]', "600");
    expect(await text(page, '[data-testid="deposit-problem"]')).toBe("The largest deposit is 500.0 RLC.");
    expect(await page.isDisabled('[data-testid="deposit-submit"]')).toBe(true);
    await page.fill('[data-testid="deposit-amount"]', "abc");
    expect(await text(page, '[data-testid="deposit-problem"]')).toBe("Write an amount such as 10 or 2.5.");
    expect(txs(wallet)).toBe(0);
  });

  it("deposits; the status reaches minted, across a reload", async () => {
    await page.fill('[data-testid="deposit-amount"]', "100");
    await page.click('[data-testid="deposit-submit"]');
    await text(page, '[data-testid="deposit-1"]', 60_000);
    // Reload mid-way: the wallet stays connected, the status comes from the chains again.
    await page.reload();
    expect(await text(page, '[data-testid="deposit-1"][data-stage="minted"]', 90_000)).toMatch(/Deposit #1\s+100\.0 RLC\s+minted/);
    await expectBalances(page, /900\.0 RLC on foreign · 100\.0 bRLC on Test consortium/);
    await screenshot(page, "app-minted");
  }, 180_000);

  it("withdraws and releases on foreign; a rejected signature is said in words", async () => {
    wallet.rejectNext();
    await page.fill('[data-testid="withdraw-amount"]', "40");
    await page.click('[data-testid="withdraw-submit"]');
    expect(await text(page, '[data-testid="message"].bad')).toBe("You rejected the request in your wallet.");
    expect(wallet.chainId()).toBe(homeId); // switched to home to sign there
    await page.click('[data-testid="withdraw-submit"]');
    await text(page, '[data-testid="withdrawal-1"][data-stage="signed"], [data-testid="withdrawal-1"][data-stage="released"]', 90_000);
    if ((await page.getAttribute('[data-testid="withdrawal-1"]', "data-stage")) === "signed") await page.click('[data-testid="withdrawal-1"] button');
    expect(await text(page, '[data-testid="withdrawal-1"][data-stage="released"]', 60_000)).toMatch(/Withdrawal #1\s+40\.0 bRLC\s+released/);
    expect(errors).toEqual([]);
    await expectBalances(page, /940\.0 RLC on foreign · 60\.0 bRLC on Test consortium/);
  }, 240_000);

  it("warns a holder the whitelist does not hold; the deposit comes back minus the fee", async () => {
    const outsider = await openApp(outsiderKey);
    await outsider.page.click('[data-testid="connect"]');
    expect(await text(outsider.page, '[data-testid="whitelist"]')).toMatch(/^Not whitelisted/);
    await outsider.page.fill('[data-testid="deposit-amount"]', "50");
    expect(await text(outsider.page, '[data-testid="deposit-warning"]')).toMatch(/will not reach Test consortium\. It can only come back to you, minus a fee of 0\.5 RLC \(1 %\)/);
    expect(await outsider.page.isDisabled('[data-testid="deposit-submit"]')).toBe(true);
    await outsider.page.check('[data-testid="deposit-accept"]');
    await outsider.page.click('[data-testid="deposit-submit"]');
    await text(outsider.page, '[data-testid="deposit-2"][data-stage="refundable"]', 60_000);
    await screenshot(outsider.page, "app-refundable");
    await outsider.page.click('[data-testid="deposit-2"] button');
    expect(await text(outsider.page, '[data-testid="deposit-2"][data-stage="refunded"]', 60_000)).toMatch(/refunded \(fee 0\.5\)/);
    await expectBalances(outsider.page, /99\.5 RLC on foreign/);
    expect(outsider.errors).toEqual([]);
    await outsider.context.close();
    outsider.wallet.close();
  }, 180_000);
});

describe("where reads need a key (permissions.read: keys), through a real policy gateway", () => {
  const READ_KEY = Wallet.createRandom().privateKey.slice(2);
  let gateway: GatewayProcess;
  let keyedMonitor: MonitorProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess(w.home.rpcUrl, { read: "keys", transact: "open", deploy: "open" }, { holder: READ_KEY });
    const bridge = await monitorBridgeConfig(w);
    keyedMonitor = await startMonitor({
      chain: { rpcUrl: w.home.rpcUrl, seal: "clique", signers: w.home.signers, windowBlocks: 32, pollSeconds: 1 },
      nodes: [],
      bridge: { ...bridge, home: { ...bridge.home, walletRpcUrl: gateway.url, walletKeyRequired: true } },
    });
  }, 120_000);

  afterAll(async () => {
    await keyedMonitor?.stop();
    await gateway?.stop();
  });

  it("asks for the holder's key, gives it to the wallet as the URL path, and withdraws through the gateway; the key stays out of the server and the page's storage", async () => {
    const unkeyed = await fetch(gateway.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" }) });
    expect(unkeyed.status).toBe(401);

    const app = await openApp(holderKey, keyedMonitor);
    const toServer: string[] = [];
    app.page.on("request", (r) => r.url().startsWith(keyedMonitor.url) && toServer.push(`${r.url()} ${r.postData() ?? ""}`));
    await app.page.click('[data-testid="connect"]');
    await expectBalances(app.page, /60\.0 bRLC on Test consortium/);
    expect(await app.page.isDisabled('[data-testid="add-chain"]')).toBe(true);
    await app.page.fill('[data-testid="read-key"]', READ_KEY);
    await app.page.click('[data-testid="add-chain"]');
    await text(app.page, '[data-testid="message"].good');
    expect(app.wallet.added).toEqual([{ chainId: homeId, chainName: "Test consortium", rpcUrls: [`${gateway.url}/${READ_KEY}`] }]);
    await screenshot(app.page, "app-read-key");

    await app.page.fill('[data-testid="withdraw-amount"]', "5");
    await app.page.click('[data-testid="withdraw-submit"]');
    await text(app.page, '[data-testid="withdrawal-2"][data-stage="signed"], [data-testid="withdrawal-2"][data-stage="released"]', 90_000);
    if ((await app.page.getAttribute('[data-testid="withdrawal-2"]', "data-stage")) === "signed") await app.page.click('[data-testid="withdrawal-2"] button');
    expect(await text(app.page, '[data-testid="withdrawal-2"][data-stage="released"]', 60_000)).toMatch(/Withdrawal #2\s+5\.0 bRLC\s+released/);
    await expectBalances(app.page, /55\.0 bRLC on Test consortium/);

    expect(app.errors).toEqual([]);
    expect(toServer.length).toBeGreaterThan(0);
    expect(toServer.filter((r) => r.includes(READ_KEY))).toEqual([]);
    const stored = await app.page.evaluate(() => {
      // Runs in the page (its `globalThis` is the window).
      const { localStorage, sessionStorage } = globalThis as unknown as Record<"localStorage" | "sessionStorage", Record<string, string>>;
      return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]);
    });
    expect(stored).not.toContain(READ_KEY);
    await app.context.close();
    app.wallet.close();
  }, 240_000);
});
