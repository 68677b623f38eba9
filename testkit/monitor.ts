// The operators' monitor (monitor/main.ts) as a process of this machine, from the compiled project, for tests.
import { startProgram } from "./program";
import type { BridgeMonitorConfig, MonitorConfig } from "../monitor/config";
import { type BridgeWorld, FAST } from "./bridge/agentFleet";

export interface MonitorProcess {
  /** Where it serves /api/status, /metrics and /healthz. */
  url: string;
  /** `host:port`, as Prometheus scrape targets name it. */
  target: string;
  stop(): Promise<void>;
}

/** Starts the monitor on a free loopback port (the config's `listen` is set here) and waits until it serves. */
export async function startMonitor(config: Omit<MonitorConfig, "listen">): Promise<MonitorProcess> {
  const p = await startProgram({ name: "monitor", config: "monitor.json", files: { "monitor.json": JSON.stringify({ ...config, listen: { host: "127.0.0.1", port: 0 } }) } });
  return { url: p.url, target: p.url.replace("http://", ""), stop: p.stop };
}

/**
 * The monitor's view of a test bridge world (validators and agents named v0, v1, …), reading foreign through
 * `foreignRpcUrl` (the world's own node by default; a test may put a proxy in front of it). The agents must be running.
 */
export async function monitorBridgeConfig(w: BridgeWorld, foreignRpcUrl = w.foreign.rpcUrl): Promise<BridgeMonitorConfig> {
  const b = w.bridge;
  const chainId = async (c: BridgeWorld["home"]) => Number((await c.provider().getNetwork()).chainId);
  return {
    chainName: "Test consortium",
    foreign: {
      chainId: await chainId(w.foreign),
      rpcUrl: foreignRpcUrl,
      walletRpcUrl: w.foreign.rpcUrl,
      vault: await b.foreign.vault.getAddress(),
      token: await b.foreign.token.getAddress(),
      startBlock: 0,
      confirmations: FAST.confirmations,
    },
    home: { chainId: await chainId(w.home), gateway: await b.home.gateway.getAddress(), token: await b.home.token.getAddress(), startBlock: 0 },
    validators: w.validators.map((v, i) => ({ name: `v${i}`, address: v.address })),
    agents: await Promise.all(w.validators.map(async (_, i) => ({ name: `v${i}`, healthUrl: `${await w.fleet.get(i)!.healthUrl}/healthz` }))),
  };
}
