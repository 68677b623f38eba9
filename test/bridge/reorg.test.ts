// Point 5, attacked: a reorg deeper than the confirmation setting replaces the foreign block of a deposit the
// validators already minted. geth --dev cannot be split and rejoined, so the reorg is what validator 0's node reports:
// a TEST DOUBLE proxy (test/support/rpcProxy.ts) gives every block from the deposit's on a new hash — exactly what a
// node that switched to a heavier fork would report. Validator 0 rewinds, raises an alert for the action it had
// already settled on a replaced block, meets the deposit again under its new block hash (a new action, not the
// done one) and finds it minted: no second mint, no transaction sent.
// Validator 0 starts only after the deposit was minted by the two others, so its first scanned range holds the
// deposit (the case a loaded CI machine produced, where the agent then found no checkpoint below the reorg and
// stopped): it must rewind to the block before its start block, which is its first checkpoint.
import { keccak256, Wallet } from "ethers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { RpcProxy, startRpcProxy } from "../support/rpcProxy";
import { BridgeWorld, fundDepositor, startBridgeWorld, waitFor } from "../../testkit/bridge/agentFleet";
import { deposit } from "../../testkit/bridge/transfers";

const RLC = 10n ** 9n;
let w: BridgeWorld;
let proxy: RpcProxy;
let user: SequencedWallet;

beforeAll(async () => {
  const userKey = Wallet.createRandom();
  w = await startBridgeWorld(3, {
    threshold: 2,
    whitelist: [userKey.address],
    endpoints: async ({ foreign }) => {
      proxy = await startRpcProxy(foreign.rpcUrl);
      return { foreign: { 0: proxy.url } };
    },
  });
  user = await fundDepositor(w, userKey.privateKey, 1_000n * RLC);
  w.fleet.start(1);
  w.fleet.start(2);
}, 240_000);

afterAll(async () => {
  await w?.dispose();
  await proxy?.stop();
});

interface Health {
  alertCount: number;
  alerts: { kind: string; detail: string }[];
  chains: Record<string, { cursor: number | null }>;
}
/** Validator 0's health URL; it exiting (e.g. a reorg it could not rewind) fails the test by name. */
const healthUrl = async (): Promise<string> => {
  const agent = w.fleet.get(0);
  if (!agent) throw new Error("validator 0 exited: its log (KEEP_AGENT_LOGS=1) says why");
  return agent.healthUrl;
};
const health = async (): Promise<Health> => (await fetch(`${await healthUrl()}/healthz`)).json() as never;

/** Every block from `from` on gets another hash, consistently in blocks (hash, parentHash) and logs (blockHash). */
function forkFrom(from: number) {
  const fork = (hash: string) => keccak256(hash);
  const at = (n: unknown) => typeof n === "string" && Number(n) >= from;
  return {
    rewrite(call: { method: string }, result: unknown) {
      if (!result || typeof result !== "object") return result;
      if (call.method === "eth_getBlockByNumber" || call.method === "eth_getBlockByHash") {
        const b = result as { number: string; hash: string; parentHash: string };
        if (!at(b.number)) return b;
        return { ...b, hash: fork(b.hash), parentHash: Number(b.number) > from ? fork(b.parentHash) : b.parentHash };
      }
      if (call.method === "eth_getLogs") return (result as { blockNumber: string; blockHash: string }[]).map((l) => (at(l.blockNumber) ? { ...l, blockHash: fork(l.blockHash) } : l));
      return result;
    },
  };
}

it("a reorg below a minted deposit raises an alert and never mints it twice", async () => {
  const gateway = w.bridge.home.gateway;
  const d = await deposit(w.bridge, user, 100n * RLC, user.address);
  await waitFor("deposit minted", async () => (await gateway.getFunction("depositMinted")(d.id)) as boolean, 60_000);
  const homeNonce = await w.home.provider().getTransactionCount(w.validators[0].address);
  // Validator 0 scans from its start block, meets the deposit minted already (its action settles without a
  // transaction), and goes well past it.
  w.fleet.start(0);
  await waitFor("validator 0 past the deposit", async () => ((await health()).chains.foreign.cursor ?? 0) >= d.block + 3, 60_000);
  const supply: bigint = await w.bridge.home.token.getFunction("totalSupply")();
  const head = await w.foreign.provider().getBlockNumber();
  expect(head - d.block).toBeGreaterThan(2); // deeper than the agents' 2 confirmations

  proxy.set(forkFrom(d.block));
  await waitFor("an alert on validator 0", async () => (await health()).alertCount >= 1, 60_000);
  const { alerts } = await health();
  expect(alerts[0].kind).toBe("reorgBelowDoneAction");
  expect(alerts[0].detail).toMatch(new RegExp(`^foreign reorg below block ${d.block} after action confirmDeposit:${d.id}:`));
  // The store holds the alert as soon as the scan meets it; the counter moves when that scan step returns.
  const counted = /bridge_agent_alerts_total\{kind="reorgBelowDoneAction"\} 1/;
  let metrics = "";
  await waitFor("the alert counted in the metrics", async () => counted.test((metrics = await (await fetch(`${await healthUrl()}/metrics`)).text())), 30_000);
  expect(metrics).toMatch(/bridge_agent_reorg_rewinds_total\{side="foreign"\} 1/);

  // It scans the replaced blocks again (the deposit under its new block hash) and finds it minted.
  await waitFor("validator 0 past the deposit again", async () => ((await health()).chains.foreign.cursor ?? 0) >= d.block + 3, 60_000);
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await gateway.queryFilter(gateway.filters.DepositMinted(d.id))).toHaveLength(1);
  expect(await w.bridge.home.token.getFunction("totalSupply")()).toBe(supply);
  expect(await w.home.provider().getTransactionCount(w.validators[0].address)).toBe(homeNonce);
}, 180_000);
