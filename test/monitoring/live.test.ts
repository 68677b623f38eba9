// Monitoring for real: a three-signer Clique chain (geth, its nodes rendered as a stack's, metrics on), the monitor
// reading it through its RPC node, Debian's Prometheus scraping the monitor and every node's own metrics with the
// rendered configuration and alert rules, and the operators' dashboard in Debian's headless Chromium. When a signer is
// stopped, the monitor's status and the dashboard show it missing and the fault margin gone, Prometheus fires
// "SignerMissing" for that signer and sees that node down. Screenshots: .artifacts/screenshots/.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPrometheusConfig } from "../../render/monitoring/prometheus";
import { renderAlertRules } from "../../render/monitoring/rules";
import { launchChromium, screenshot } from "../../testkit/browser";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";
import { MonitorProcess, startMonitor } from "../../testkit/monitor";
import { ensurePrometheus, PrometheusServer, startPrometheus } from "../../testkit/prometheus";

const PERIOD = 1;
let chain: TestChain;
let monitor: MonitorProcess;
let prometheus: PrometheusServer;
let browser: Browser;
let page: Page;

/** Polls `probe` until it returns a value, or fails after `seconds` with what it last saw. */
async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const status = async () => (await (await fetch(`${monitor.url}/api/status`)).json()) as any;

/** The chain's nodes as the stack's `nodes` output names them: their metrics URLs as the renderer made them. */
const nodeTargets = () => Object.entries(chain.metricsUrls).map(([name, metricsUrl]) => ({ name, metricsUrl }));

/** The `nodes` job's `up` per node, once Prometheus has scraped every node (empty map before). */
async function nodesUp(): Promise<Record<string, number>> {
  const r = await prometheus.query('up{job="nodes"}');
  return Object.fromEntries(r.map((x) => [x.metric.node, x.value]));
}

beforeAll(async () => {
  await ensurePrometheus();
  browser = await launchChromium();
  chain = await startHomeCliqueChain({ authorities: 3, periodSeconds: PERIOD });
  monitor = await startMonitor({
    chain: { rpcUrl: chain.rpcUrl, seal: "clique", signers: chain.signers, windowBlocks: 32, pollSeconds: PERIOD },
    nodes: [{ name: "rpc-test", rpcUrl: chain.rpcUrl }],
  });
  prometheus = await startPrometheus(
    {
      "prometheus.yml": renderPrometheusConfig({ scrapeSeconds: 1, rulesFile: "rules.yml", monitor: [monitor.target], agents: [], nodes: nodeTargets() }),
      "rules.yml": renderAlertRules({ blockPeriodSeconds: PERIOD, backlogBlocks: 20, minValidatorGasEther: "0.05" }),
    },
    "prometheus.yml",
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await prometheus?.stop();
  await monitor?.stop();
  await chain?.stop();
}, 120_000);

/** The dashboard's text for a data-testid, once it shows `state` (a signer row's data-state) or anything. */
async function shown(testid: string, state?: string, seconds = 30): Promise<string> {
  const selector = `[data-testid="${testid}"]${state ? `[data-state="${state}"]` : ""}`;
  return (await page.waitForSelector(selector, { timeout: seconds * 1000 })).innerText();
}

describe("monitoring a live consortium (geth, the monitor, Prometheus, the dashboard in Chromium)", () => {
  it("reports every signer sealing, the fault margin and the RPC node's peers; nothing fires", async () => {
    // Every signer has sealed in the window once the chain has run a few rounds.
    const s = await until("all three signers seen sealing", 60, async () => {
      const x = await status();
      return x.chain?.liveSigners === 3 && x.chain.head >= 9 ? x : undefined;
    });
    expect(s.ok).toBe(true);
    expect(s.chain).toMatchObject({ liveSigners: 3, neededSigners: 2, faultMargin: 1 });
    expect(s.chain.signers.map((x: any) => [x.name, x.address, x.missing])).toEqual(chain.signers.map((x) => [x.name, x.address, false]));
    // The pace of sealed blocks only (not since the genesis timestamp), and every block of the window sealed by one.
    expect(s.chain.blockTimeSeconds).toBeGreaterThanOrEqual(PERIOD);
    expect(s.chain.blockTimeSeconds).toBeLessThan(3 * PERIOD);
    expect(s.chain.window.from).toBeGreaterThanOrEqual(1);
    expect(s.chain.signers.reduce((sum: number, x: any) => sum + x.share, 0)).toBeCloseTo(1, 6);
    expect(s.chain.headAgeSeconds).toBeLessThan(10 * PERIOD);
    // The RPC node peers with the three sealers.
    expect(s.peers).toEqual({ "rpc-test": 3 });

    const live = await until("Prometheus scraped the monitor", 60, async () => {
      const r = await prometheus.query("consortium_signers_live");
      return r.length > 0 ? r : undefined;
    });
    expect(live[0]).toMatchObject({ metric: { job: "consortium-monitor", instance: monitor.target }, value: 3 });
    expect((await prometheus.alerts()).filter((a) => a.state === "firing")).toEqual([]);
  }, 120_000);

  it("Prometheus scrapes every node's own metrics, sealers too, each labelled with its node's name", async () => {
    const names = [...chain.signers.map((x) => x.name), "rpc-test"];
    expect(Object.keys(chain.metricsUrls).sort()).toEqual([...names].sort());
    // geth serves them at /debug/metrics/prometheus, on loopback (a local process), one port each.
    for (const url of Object.values(chain.metricsUrls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/debug\/metrics\/prometheus$/);
    const up = await until("every node scraped", 60, async () => {
      const u = await nodesUp();
      return Object.keys(u).length === names.length ? u : undefined;
    });
    expect(up).toEqual(Object.fromEntries(names.map((n) => [n, 1])));
    // geth's own series, from every node: each one's chain head, moving.
    const heads = await until("chain_head_block from every node", 30, async () => {
      const r = await prometheus.query('chain_head_block{job="nodes"}');
      return r.length === names.length && r.every((x) => x.value > 0) ? r : undefined;
    });
    expect(heads.map((x) => x.metric.node).sort()).toEqual([...names].sort());
    expect(Math.max(...heads.map((x) => x.value))).toBeLessThanOrEqual((await status()).chain.head + 2);
  }, 120_000);

  it("the dashboard, in Chromium, shows every signer sealing, the margin and the peers", async () => {
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    const response = await page.goto(`${monitor.url}/dashboard/`);
    // Same origin only: the page may load its own files and read this server, nothing else.
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
    expect(response?.headers()["access-control-allow-origin"]).toBeUndefined();
    for (const s of chain.signers) expect(await shown(`signer-${s.name}`, "sealing")).toContain(s.name);
    expect(await shown("live-signers")).toMatch(/3 of 3 \(need 2\)\s+can lose 1 more signer/);
    expect(await shown("freshness")).toMatch(/^Live/);
    expect(await shown("node-rpc-test")).toMatch(/rpc-test\s+3/);
    // The page reads the monitor every 2 s while the chain moves every second: it reaches the head the monitor has now.
    const monitorHead = (await status()).chain.head;
    await until(`the dashboard at the monitor's head #${monitorHead}`, 15, async () => (Number((await shown("head")).match(/#(\d+)/)?.[1]) >= monitorHead ? true : undefined));
    await screenshot(page, "dashboard");
    expect(errors).toEqual([]);
    // Only the built pages' own paths answer.
    expect((await fetch(`${monitor.url}/dashboard/%2e%2e/%2e%2e/package.json`)).status).toBe(404);
  }, 120_000);

  it("a stopped signer: the status shows it missing, and Prometheus fires SignerMissing for it", async () => {
    const stopped = chain.signers[2];
    await chain.stopNode(stopped.name);
    const alert = await until("SignerMissing firing", 90, async () =>
      (await prometheus.alerts()).find((a) => a.labels.alertname === "SignerMissing" && a.state === "firing"),
    );
    expect(alert.labels).toMatchObject({ signer: stopped.name, address: stopped.address, severity: "warning" });
    // Only the stopped one.
    const missing = (await prometheus.alerts()).filter((a) => a.labels.alertname === "SignerMissing");
    expect(missing.map((a) => a.labels.signer)).toEqual([stopped.name]);
    // Its own metrics are gone too, and Prometheus names the node down.
    const up = await until("the stopped node scraped down", 30, async () => ((await nodesUp())[stopped.name] === 0 ? nodesUp() : undefined));
    expect(up).toEqual({ ...Object.fromEntries(chain.signers.map((x) => [x.name, 1])), "rpc-test": 1, [stopped.name]: 0 });

    const s = await status();
    expect(s.chain.signers.find((x: any) => x.name === stopped.name)).toMatchObject({ missing: true });
    expect(s.chain).toMatchObject({ liveSigners: 2, faultMargin: 0 });
    // Its turns since the stop were sealed out of turn by the others: counted against it (the window started with
    // all three sealing, so it missed fewer turns than the window holds of its turns), and in the metrics.
    expect(s.chain.signers.find((x: any) => x.name === stopped.name).missedTurns).toBeGreaterThan(0);
    const missedTurns = await until("the stopped signer's missed turns scraped", 30, async () => {
      const r = await prometheus.query(`consortium_signer_missed_turns{signer="${stopped.name}"}`);
      return r.length > 0 && r[0].value > 0 ? r : undefined;
    });
    expect(missedTurns[0].metric.address).toBe(stopped.address);
    // Two signers still seal: the chain goes on, and with no signer to spare, the margin alert fires too.
    const head = s.chain.head;
    await until("a new block after the stop", 30, async () => ((await status()).chain.head > head ? true : undefined));
    await until("ChainOneSignerFromHalting firing", 30, async () =>
      (await prometheus.alerts()).find((a) => a.labels.alertname === "ChainOneSignerFromHalting" && a.state === "firing"),
    );

    // The open dashboard follows by itself (no reload): the stopped signer missing, no signer to spare.
    expect(await shown(`signer-${stopped.name}`, "missing")).toContain("missing");
    for (const s of chain.signers.filter((x) => x.name !== stopped.name)) await shown(`signer-${s.name}`, "sealing");
    expect(await shown("live-signers")).toMatch(/2 of 3 \(need 2\)\s+no signer to spare/);
    expect(Number(await shown(`missed-turns-${stopped.name}`))).toBeGreaterThan(0);
    await screenshot(page, "dashboard-signer-missing");
  }, 180_000);
});
