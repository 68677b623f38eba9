// The monitor reading a live PoCo stack: PoCo deployed from the npm artifacts onto a real Clique chain (geth 1.13.15,
// testkit/poco/deploy.ts, as the PoCo tests deploy it), the monitor started on that chain with the hub's address, and
// its dashboard in Debian's headless Chromium. Its status is checked field by field against what was deployed — the
// hub, its owner and token, the five categories, the worker pool registry — and a worker pool registered while it
// runs shows up at its next read (PoCo is read every 30 s), with its address, owner and description.
import { Contract, getAddress, Wallet } from "ethers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPocoSettings } from "../../render/poco/defaults";
import { launchChromium, screenshot } from "../../testkit/browser";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";
import { MonitorProcess, startMonitor } from "../../testkit/monitor";
import { deployPoco, PocoDeploymentRun } from "../../testkit/poco/deploy";
import { deployDevRlc } from "../../testkit/poco/devToken";

const REGISTRY_ABI = [
  "function createWorkerpool(address owner, string description) returns (address)",
  "function predictWorkerpool(address owner, string description) view returns (address)",
];

let chain: TestChain;
let deployment: PocoDeploymentRun;
let token: string;
let monitor: MonitorProcess;
let browser: Browser;
let page: Page;
const admin = Wallet.createRandom().address;

const status = async () => (await (await fetch(`${monitor.url}/api/status`)).json()) as any;

/** Polls the status until `ok` says it is as wanted; fails with the last PoCo status seen. */
async function pocoUntil(what: string, ok: (s: any) => boolean, seconds: number): Promise<any> {
  let last: any;
  for (const end = Date.now() + seconds * 1000; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    last = await status().catch(() => undefined);
    if (last?.poco && ok(last.poco)) return last.poco;
  }
  throw new Error(`${what}: not within ${seconds} s (last PoCo status: ${JSON.stringify(last?.poco ?? last?.pocoError)})`);
}

beforeAll(async () => {
  chain = await startHomeCliqueChain({ chainId: 31_337_102 });
  token = await (await deployDevRlc(await chain.fundedWallet())).getAddress();
  deployment = await deployPoco(await chain.fundedWallet(100n), defaultPocoSettings(chain.chainId, token, admin));
  monitor = await startMonitor({
    chain: { rpcUrl: chain.rpcUrl, seal: "clique", signers: chain.signers, windowBlocks: 32, pollSeconds: 1 },
    nodes: [],
    poco: { hub: deployment.contracts.Diamond },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await monitor?.stop();
  await chain?.stop();
}, 120_000);

describe("the monitor reading a live PoCo stack (real chain, Chromium)", () => {
  it("reports the hub, its owner and token, the categories and the registry as deployed; then a pool registered", async () => {
    const c = deployment.contracts;
    const first = await pocoUntil("the first PoCo read", () => true, 30);
    expect(first).toEqual({
      hub: getAddress(c.Diamond),
      owner: admin,
      token: getAddress(token),
      configured: true,
      categories: defaultPocoSettings(chain.chainId, token, admin).categories.map((cat, id) => ({ id, ...cat })),
      workerpoolRegistry: getAddress(c.WorkerpoolRegistry),
      workerpools: { count: 0, listed: [] },
      problems: ["no worker pool registered"],
    });
    await page.goto(`${monitor.url}/dashboard/`);
    expect(await (await page.waitForSelector('[data-testid="poco-hub"].bad')).innerText()).toContain("no worker pool registered");
    expect(await (await page.waitForSelector('[data-testid="poco-categories"]')).innerText()).toMatch(/5\s+XS, S, M, L, XL/);

    const poolOwner = Wallet.createRandom().address;
    const description = "monitor test pool";
    const registry = new Contract(c.WorkerpoolRegistry, REGISTRY_ABI, await chain.fundedWallet());
    const pool = getAddress((await registry.predictWorkerpool(poolOwner, description)) as string);
    await (await registry.createWorkerpool(poolOwner, description)).wait();
    const after = await pocoUntil("the pool seen", (p) => p.workerpools.count === 1, 45);
    expect(after.workerpools).toEqual({ count: 1, listed: [{ address: pool, owner: poolOwner, description }] });
    expect(after.problems).toEqual([]);

    expect(await (await page.waitForSelector('[data-testid="poco-hub"].good', { timeout: 30_000 })).innerText()).toMatch(/ready · owner 0x/);
    expect(await (await page.waitForSelector('[data-testid="poco-workerpools"]')).innerText()).toMatch(/Worker pools\s+1/);
    expect(await (await page.waitForSelector(`[data-testid="workerpool-${pool}"]`)).innerText()).toContain(description);
    await screenshot(page, "dashboard-poco");
  }, 180_000);
});
