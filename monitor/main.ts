// The operators' monitor: reads the chain's last blocks through an RPC node (it holds no key), and serves the status
// as JSON (/api/status), the operators' dashboard reading it (/dashboard/, built from web/dashboard) and Prometheus
// metrics (/metrics); /healthz answers 200 while its last read succeeded. With a bridge, it also watches the bridge
// and serves the bridge app for token holders (/app/, built from web/app) with its reads (/api/bridge, /api/account);
// with PoCo, it reads the hub's categories and worker pools.
// Usage: node dist/monitor/main.js --config monitor.json
import { isAddress, JsonRpcProvider } from "ethers";
import { BlockWindow } from "./blocks";
import { BridgeApp } from "./bridgeApp";
import { BridgeReader } from "./bridgeReader";
import { BridgeStatus, bridgeStatus } from "./bridgeStatus";
import { ChainStatus, chainStatus } from "./chainStatus";
import { loadMonitorConfig } from "./config";
import { createMonitorMetrics } from "./metrics";
import { PocoReader } from "./pocoReader";
import { PocoStatus, pocoStatus } from "./pocoStatus";
import { json, Routes, startServer } from "./server";
import { staticRoutes } from "./static";
import type { MonitorStatus } from "./status";

/**
 * An error as the status says it: its first clause, without URLs (a foreign endpoint's may carry an API key, and
 * the status is shown in a browser).
 */
const inWords = (e: unknown) => String((e as Error)?.message ?? e).split(" (")[0].replace(/\bhttps?:\/\/\S+/g, "<url>");

/** The bridge app's reads: its settings, and one account's view (`?address=0x…`). A bad address is a 400 in words. */
function appRoutes(app: BridgeApp): Routes {
  return {
    "/api/bridge": async () => json(200, await app.settings()),
    "/api/account": async (url) => {
      const address = url.searchParams.get("address") ?? "";
      if (!isAddress(address)) return json(400, { error: `address: ${JSON.stringify(address)} is not an Ethereum address` });
      return json(200, await app.account(address));
    },
  };
}

const BRIDGE_EVERY_MS = 5_000;
/** PoCo's categories and pools change by governance or registration, rarely: its ~30 reads every half minute. */
const POCO_EVERY_MS = 30_000;

/** A reading made at most every `everyMs`, keeping its last result or why it failed. */
function slowReading<T>(everyMs: number, read: () => Promise<T>) {
  let readAt = 0;
  const r = {
    value: undefined as T | undefined,
    error: undefined as string | undefined,
    /** Reads when due; true when it did. */
    async poll(): Promise<boolean> {
      if (Date.now() - readAt < everyMs) return false;
      readAt = Date.now();
      try {
        r.value = await read();
        r.error = undefined;
      } catch (e) {
        r.value = undefined;
        r.error = inWords(e);
      }
      return true;
    },
  };
  return r;
}

async function main() {
  const at = process.argv.indexOf("--config");
  const config = loadMonitorConfig(at > 0 ? process.argv[at + 1] : "monitor.json");
  const metrics = createMonitorMetrics();
  // Reads on demand only: no block polling by ethers, no network detection.
  const reader = (url: string) => new JsonRpcProvider(url, undefined, { staticNetwork: true, polling: false });
  const provider = reader(config.chain.rpcUrl);
  const window = new BlockWindow(provider, config.chain.seal, config.chain.windowBlocks);
  const nodes = config.nodes.map((n) => ({ ...n, provider: reader(n.rpcUrl) }));
  const foreign = config.bridge ? reader(config.bridge.foreign.rpcUrl) : undefined;
  const bridgeReader = config.bridge && foreign && new BridgeReader(config.bridge, provider, foreign);
  const bridgeApp = config.bridge && foreign && new BridgeApp(config.bridge, config.bridge.home.walletRpcUrl ?? config.chain.rpcUrl, provider, foreign);
  const pocoReader = config.poco && new PocoReader(config.poco.hub, provider);
  // The bridge moves at the pace of its transfers, not of blocks: its ~30 reads are made every few seconds only.
  const bridge = bridgeReader && slowReading<BridgeStatus>(BRIDGE_EVERY_MS, async () => bridgeStatus(await bridgeReader.read(), Date.now() / 1000));
  const poco = pocoReader && slowReading<PocoStatus>(POCO_EVERY_MS, async () => pocoStatus(await pocoReader.read()));
  let status: ChainStatus | undefined;
  let peers: Record<string, number | null> = {};
  let lastError: string | undefined;
  let updatedAt = 0;

  const poll = async () => {
    // The chain and the nodes' peers are read side by side and published together: a status never shows one
    // poll's chain with another's (or no) peers.
    const [update, counts] = await Promise.all([
      window
        .update()
        .then((blocks) => ({ chain: chainStatus(blocks, config.chain.signers, Date.now() / 1000) }))
        .catch((error: unknown) => ({ error })),
      Promise.all(nodes.map((n) => n.provider.send("net_peerCount", []).then((c: string) => Number(c), () => null))),
    ]);
    if ("chain" in update) {
      status = update.chain;
      metrics.chain(status);
      lastError = undefined;
      updatedAt = Date.now();
    } else lastError = inWords(update.error);
    peers = Object.fromEntries(nodes.map((n, i) => [n.name, counts[i]]));
    nodes.forEach((n, i) => metrics.node(n.name, counts[i]));
    metrics.rpc(lastError === undefined);
    if (bridge && (await bridge.poll())) metrics.bridge(bridge.value);
    await poco?.poll();
  };

  const fresh = () => lastError === undefined && Date.now() - updatedAt < 3 * config.chain.pollSeconds * 1000;
  const server = await startServer(config.listen.host, config.listen.port, {
    ...staticRoutes(bridgeApp ? "app" : "dashboard"),
    ...(bridgeApp ? appRoutes(bridgeApp) : {}),
    "/api/status": async () => {
      const reply: MonitorStatus = {
        ok: fresh(),
        updatedAt: new Date(updatedAt).toISOString(),
        ...(lastError ? { error: lastError } : {}),
        chain: status ?? null,
        peers,
        ...(bridge ? { bridge: bridge.value ?? null, ...(bridge.error ? { bridgeError: bridge.error } : {}) } : {}),
        ...(poco ? { poco: poco.value ?? null, ...(poco.error ? { pocoError: poco.error } : {}) } : {}),
      };
      return json(status ? 200 : 503, reply);
    },
    "/metrics": async () => ({ status: 200, type: metrics.registry.contentType, body: await metrics.registry.metrics() }),
    "/healthz": async () => json(fresh() ? 200 : 503, { ok: fresh(), ...(lastError ? { error: lastError } : {}) }),
  });
  console.log(`monitor: serving on http://${config.listen.host}:${server.port} (dashboard /dashboard/, status /api/status, metrics /metrics)`);

  let stopping = false;
  const loop = async () => {
    while (!stopping) {
      await poll();
      await new Promise((r) => setTimeout(r, config.chain.pollSeconds * 1000));
    }
  };
  const done = loop();
  const stop = async () => {
    stopping = true;
    await server.close();
    await done;
    foreign?.destroy();
    provider.destroy();
    for (const n of nodes) n.provider.destroy();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((e) => {
  console.error(`monitor: ${(e as Error).message}`);
  process.exit(2);
});
