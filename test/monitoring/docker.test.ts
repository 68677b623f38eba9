// REAL: the monitor on the Docker target, on a real dockerd: a Clique fleet of 3 signers and each member's RPC node
// as containers (test/docker/fleetHarness.ts), and the monitor's container as the Docker target describes it
// (render/monitoring/monitor.ts → render/docker sites and container, applied by testkit/docker/runner.ts). Its image is
// a stand-in for templates/monitor/Dockerfile's build (no base image can be pulled here): this machine's Node.js with
// /app laid out as the Dockerfile lays it out (testkit/nodeAppImage.ts, a test double for `docker build`). It reads the
// chain by container name on the fleet's network, answers the deployer on its published loopback port, turns healthy
// by its own check, and its dashboard opens in Chromium. Screenshot: .artifacts/screenshots/dashboard-docker.png.
import type { Browser } from "playwright-core";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTAINER_RPC_PORT } from "../../render/fleet";
import { containerName, dockerFleetSpec, renderContainer } from "../../render/docker/container";
import { dockerSites } from "../../render/docker/sites";
import { IMAGE_MONITOR_PROGRAM, MONITOR_GROUP, MONITOR_NAME, monitorWorkload } from "../../render/monitoring/monitor";
import { rpcMembers, rpcNodeName } from "../../settings/consortium";
import { MONITORING_DEFAULTS } from "../../settings/monitoring";
import { launchChromium, screenshot } from "../../testkit/browser";
import { FIRST_BLOCK_TIMEOUT_MS, waitForBlock } from "../../testkit/clique";
import { docker } from "../../testkit/docker/engine";
import { importHelperImage } from "../../testkit/docker/helperImage";
import { healthBy, removeFleet, runNode } from "../../testkit/docker/runner";
import { DockerEngine, ensureDocker, importBinaryImage } from "../../testkit/dockerd";
import { importNodeAppImage, nodeAppImage } from "../../testkit/nodeAppImage";
import { ensureTools } from "../../lib/toolchain/resolve";
import { createFleetFixture, FleetFixture, freePort } from "../docker/fleetHarness";

const AUTHORITIES = ["alpha", "beta", "gamma"];

describe("the monitor's container on a real dockerd", () => {
  const id = randomBytes(3).toString("hex");
  const name = `dmon-${id}`;
  const gethImage = `consortium-test/geth:${id}`;
  const helperImage = `consortium-test/helper:${id}`;
  const monitorImage = `consortium-test/monitor:${id}`;
  let engine: DockerEngine | undefined;
  let fx: FleetFixture;
  let monitorUrl: string;
  let browser: Browser | undefined;

  /** The monitor's /api/status once `ready` holds, or the last status after `seconds`. */
  async function statusWhen(ready: (s: any) => boolean, seconds: number): Promise<any> {
    const deadline = Date.now() + seconds * 1000;
    let last: any;
    for (;;) {
      last = await fetch(`${monitorUrl}/api/status`).then((r) => r.json(), () => undefined);
      if ((last && ready(last)) || Date.now() > deadline) return last;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** The monitor container's last log lines: what a failed expectation shows. */
  const monitorLogs = async () => {
    const r = await docker(["logs", "--tail", "20", containerName(name, MONITOR_NAME)], { reject: false });
    return `${r.stdout}\n${r.stderr}`.trim();
  };

  beforeAll(async () => {
    engine = await ensureDocker(() => {});
    const { geth } = await ensureTools({ build: false, log: () => {} });
    await importBinaryImage(geth, gethImage, () => {});
    await importHelperImage(helperImage);
    await importNodeAppImage(nodeAppImage("templates/monitor/Dockerfile"), monitorImage, () => {});
    fx = await createFleetFixture({ name, gethImage, helperImage, authorities: AUTHORITIES });
    for (const c of fx.plan.containers) await runNode(c, fx.secrets[c.node]);
    await waitForBlock(fx.plan.rpcUrl!, 1, FIRST_BLOCK_TIMEOUT_MS);

    // The monitor as the Docker target places it: its site (published on loopback), its workload, its container.
    const member = fx.spec.authorities[0].member;
    const hostPort = await freePort();
    const { sites } = dockerSites({
      consortium: name,
      fleet: dockerFleetSpec(fx.spec),
      requests: [{ name: MONITOR_NAME, member, serves: ["http"] }],
      options: { peers: false, portsEach: 1, publish: { firstHostPorts: { http: hostPort }, on: "loopback" } },
    });
    const stackRpc = (m: string) => `http://${containerName(name, rpcNodeName(m))}:${CONTAINER_RPC_PORT}`;
    const workload = monitorWorkload({
      settings: { ...MONITORING_DEFAULTS, windowBlocks: 16 },
      engine: "clique",
      blockPeriodSeconds: fx.spec.blockPeriodSeconds,
      member,
      rpcUrl: stackRpc(member),
      signers: AUTHORITIES.map((a, i) => ({ name: a, address: fx.signers[i] })),
      nodes: rpcMembers(fx.spec).map((m) => ({ name: rpcNodeName(m), rpcUrl: stackRpc(m) })),
      site: sites[0],
      program: IMAGE_MONITOR_PROGRAM,
      image: monitorImage,
    });
    expect(workload.group).toBe(MONITOR_GROUP);
    const monitor = renderContainer({ consortium: name, workload, placement: sites[0].placement, published: sites[0].published, helperImage });
    // It holds no key: no secret file to fill.
    await runNode(monitor, { nodeKey: "" });
    monitorUrl = `http://127.0.0.1:${hostPort}`;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await removeFleet(name).catch(() => {});
    await docker(["rmi", "-f", gethImage, helperImage, monitorImage], { reject: false });
    await engine?.stop();
  }, 120_000);

  it("reads the chain and every RPC node by name on the fleet's network, and answers on loopback only", async () => {
    const status = await statusWhen((s) => s.chain?.liveSigners === 3, 60);
    expect(status?.ok, `${JSON.stringify(status)}\n${await monitorLogs()}`).toBe(true);
    expect(status.chain.liveSigners).toBe(3);
    expect(status.chain.signers.map((s: { name: string; missing: boolean }) => [s.name, s.missing])).toEqual(AUTHORITIES.map((a) => [a, false]));
    // Each member's RPC node peers with the others (a number, not null: reached by its container name).
    for (const m of rpcMembers(fx.spec)) expect(status.peers[rpcNodeName(m)], m).toBeGreaterThan(0);
    const [inspect] = JSON.parse((await docker(["inspect", containerName(name, MONITOR_NAME)])).stdout);
    expect(inspect.Config.User).toBe("10001:10001");
    expect(Object.values(inspect.HostConfig.PortBindings).flat()).toEqual([{ HostIp: "127.0.0.1", HostPort: monitorUrl.split(":").pop() }]);
  }, 90_000);

  it("turns healthy by its own check inside the image (Node.js, no curl)", async () => {
    expect(await healthBy(containerName(name, MONITOR_NAME), Date.now() + 60_000)).toBe("healthy");
  }, 70_000);

  it("serves the dashboard from the image's built pages: Chromium shows the three signers sealing", async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${monitorUrl}/dashboard/`);
    await page.getByTestId("live-signers").getByText("3 of 3").waitFor({ timeout: 30_000 });
    for (const a of AUTHORITIES) expect(await page.getByTestId(`signer-${a}`).getAttribute("data-state")).toBe("sealing");
    await screenshot(page, "dashboard-docker");
  }, 90_000);
});
