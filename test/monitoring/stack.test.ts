// The monitor as `pulumi up` deploys it (real engine, real geth): asked for with `monitoring: {}` in a local stack, it
// runs beside the fleet, its status lists the stack's signers sealing, and the Prometheus files rendered from the
// stack's outputs pass promtool and, loaded into Debian's Prometheus, scrape it. Destroy leaves no process behind.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processesUnder } from "../../lib/localProcess";
import { ensureTools } from "../../lib/toolchain/resolve";
import { MonitoringOutput, renderPrometheusFiles } from "../../render/monitoring/prometheus";
import { ensurePrometheus, promtool, startPrometheus } from "../../testkit/prometheus";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";

describe("the monitor in a consortium stack (real engine, geth, Prometheus)", () => {
  let scratch: ScratchStack | undefined;
  let stack: ConsortiumStack;
  let monitoring: MonitoringOutput;
  let signers: string[];

  beforeAll(async () => {
    await ensurePrometheus();
    scratch = await createScratchStack({
      name: "monstack",
      tools: await ensureTools({ build: false, log: () => {} }),
      config: {
        name: "monstack",
        dev: true,
        chainId: 31437,
        blockPeriodSeconds: 1,
        scryptN: 2 ** 12,
        authorities: [
          { name: "alpha", member: "org-0" },
          { name: "beta", member: "org-1" },
        ],
        fleet: { target: "local", rpcNode: true },
        monitoring: {},
      },
    });
    stack = scratch.stack;
    const outputs = (await stack.up()).outputs;
    monitoring = outputs.monitoring.value;
    signers = outputs.signers.value;
  }, 600_000);

  afterAll(async () => {
    await scratch?.dispose();
  }, 300_000);

  it("reports the stack's signers sealing, through the first member's RPC node", async () => {
    let status: any;
    for (let i = 0; i < 60; i++) {
      status = await (await fetch(monitoring.statusUrl)).json();
      if (status.chain?.liveSigners === 2) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(status.ok).toBe(true);
    expect(status.chain.signers.map((s: { name: string; address: string }) => [s.name, s.address])).toEqual([["alpha", signers[0]], ["beta", signers[1]]]);
    expect(status.chain).toMatchObject({ liveSigners: 2, neededSigners: 2, faultMargin: 0 });
    // Each member's RPC node peers with the other nodes.
    expect(Object.keys(status.peers).sort()).toEqual(["rpc-org-0", "rpc-org-1"]);
    expect(Object.values(status.peers).every((n) => (n as number) >= 2)).toBe(true);
    expect(await (await fetch(monitoring.metricsUrl)).text()).toMatch(/^consortium_signers_live 2$/m);
    // The dashboard page is served beside it (its browser test: test/monitoring/live.test.ts).
    const page = await fetch(monitoring.dashboardUrl);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("<title>Consortium dashboard</title>");
  }, 120_000);

  it("its Prometheus files, rendered from the outputs, pass promtool and scrape it", async () => {
    // Scraped every second here (the default is every 5 s).
    const files = renderPrometheusFiles(monitoring, [], 1);
    const dir = await mkdtemp(join(tmpdir(), "monstack-prom-"));
    try {
      for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
      expect(await promtool(["check", "config", "prometheus.yml"], dir)).toMatch(/SUCCESS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const prometheus = await startPrometheus(files, "prometheus.yml");
    try {
      let live: { value: number }[] = [];
      for (let i = 0; i < 30 && live.length === 0; i++) {
        live = await prometheus.query("consortium_signers_live");
        if (live.length === 0) await new Promise((r) => setTimeout(r, 1000));
      }
      expect(live.map((x) => x.value)).toEqual([2]);
    } finally {
      await prometheus.stop();
    }
  }, 120_000);

  it("destroy stops it with the fleet", async () => {
    await stack.destroy({ excludeProtected: true });
    expect(processesUnder(scratch!.projectDir)).toEqual([]);
    expect(await fetch(monitoring.statusUrl).then(() => "answers", () => "gone")).toBe("gone");
  }, 300_000);
});
