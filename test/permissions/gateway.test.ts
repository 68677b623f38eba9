// REAL: the policy gateway (dist/gateway/main.js, as a stack runs it) in front of a geth Clique chain's RPC node, driven
// with ethers wallets as users would: a listed account's call and a listed deployer's creation go through and are mined;
// an unlisted account's call and an unlisted creation are refused with a JSON-RPC error naming the sender and the
// level, and never reach the node (its nonce does not move); reads without a key are refused (HTTP 401) and answered
// with one (header or URL path); methods that administer, sign or vote are refused; a policy file rewritten while it
// runs takes effect without a restart, and a bad one is refused with the previous one kept.
import { JsonRpcProvider, Wallet } from "ethers";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PermissionsSpec } from "../../settings/permissions";
import { startHomeCliqueChain, TestChain } from "../../testkit/chains";
import { GatewayProcess, startGatewayProcess } from "../../testkit/gateway";

/** Init code of a contract whose runtime returns 42. */
const CREATE_42 = "0x600a600c600039600a6000f3602a60005260206000f3";
const KEY = randomBytes(24).toString("hex");

let chain: TestChain;
let gateway: GatewayProcess;
let alice: Wallet;
let bob: Wallet;
let carol: Wallet;
let policy: PermissionsSpec;
const providers: JsonRpcProvider[] = [];

/** A provider through the gateway, its key as the URL path (as a wallet is configured). */
const throughGateway = () => {
  const p = new JsonRpcProvider(`${gateway.url}/${KEY}`, chain.chainId, { staticNetwork: true, pollingInterval: 250 });
  providers.push(p);
  return p;
};

/** A raw JSON-RPC call to the gateway: status and body. */
async function call(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(gateway.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
const withKey = { authorization: `Bearer ${KEY}` };

/** The JSON-RPC error a wallet's send through the gateway meets, or "sent" with its receipt's status. */
async function sendThroughGateway(w: Wallet, tx: { to?: string; data?: string; value?: bigint }): Promise<{ error?: { code: number; message: string }; status?: number; created?: string }> {
  try {
    const sent = await w.connect(throughGateway()).sendTransaction(tx);
    const receipt = (await sent.wait(1, 30_000))!;
    return { status: receipt.status!, ...(receipt.contractAddress ? { created: receipt.contractAddress } : {}) };
  } catch (e) {
    const err = (e as { error?: { code: number; message: string } }).error;
    if (!err) throw e;
    return { error: err };
  }
}

beforeAll(async () => {
  chain = await startHomeCliqueChain();
  [alice, bob, carol] = await Promise.all([0, 1, 2].map(async () => new Wallet((await chain.fundedWallet(1n)).privateKey)));
  policy = { read: "keys", transact: [alice.address, bob.address], deploy: [alice.address] };
  gateway = await startGatewayProcess(chain.rpcUrl, policy, { ops: KEY });
}, 120_000);

afterAll(async () => {
  for (const p of providers) p.destroy();
  await gateway?.stop();
  await chain?.stop();
});

describe("the policy gateway in front of a geth RPC node", () => {
  it("refuses reads without a key (HTTP 401, in words) and answers them with one, in the header or the URL path", async () => {
    const none = await call({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: -32001, message: expect.stringMatching(/needs an API key/) });
    const wrong = await call({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" }, { authorization: "Bearer not-the-key" });
    expect(wrong.status).toBe(401);
    const header = await call({ jsonrpc: "2.0", id: 7, method: "eth_blockNumber" }, withKey);
    expect(header.status).toBe(200);
    expect(header.body).toMatchObject({ id: 7, result: expect.stringMatching(/^0x/) });
    expect(await throughGateway().getBlockNumber()).toBeGreaterThan(0);
  });

  it("lets a listed account call and a listed deployer create; both are mined", async () => {
    expect(await sendThroughGateway(bob, { to: carol.address, value: 1n })).toEqual({ status: 1 });
    const { status, created } = await sendThroughGateway(alice, { data: CREATE_42 });
    expect(status).toBe(1);
    expect(await chain.provider().call({ to: created! })).toBe("0x" + (42).toString(16).padStart(64, "0"));
  });

  it("refuses an unlisted account's call and an unlisted creation by name and level; neither reaches the node", async () => {
    const [carolNonce, bobNonce] = await Promise.all([chain.provider().getTransactionCount(carol.address), chain.provider().getTransactionCount(bob.address)]);
    expect(await sendThroughGateway(carol, { to: bob.address, value: 1n })).toEqual({ error: { code: -32003, message: `${carol.address} may not send transactions on this consortium (permissions.transact)` } });
    expect(await sendThroughGateway(bob, { data: CREATE_42 })).toEqual({ error: { code: -32003, message: `${bob.address} may not create contracts on this consortium (permissions.deploy)` } });
    // Nothing was sent to the node: pending counts too.
    expect(await chain.provider().getTransactionCount(carol.address, "pending")).toBe(carolNonce);
    expect(await chain.provider().getTransactionCount(bob.address, "pending")).toBe(bobNonce);
    expect(gateway.output()).toContain(`refused eth_sendRawTransaction (-32003) for ops: ${carol.address} may not send transactions`);
    expect(gateway.output()).not.toContain(KEY);
  });

  it("refuses what signs with the node's accounts, administers it or votes, even with a key; a batch keeps its ids and order", async () => {
    for (const method of ["eth_sendTransaction", "personal_listAccounts", "admin_peers", "clique_propose", "debug_traceBlockByNumber", "txpool_content"]) {
      const r = await call({ jsonrpc: "2.0", id: method, method, params: [] }, withKey);
      expect(r.body, method).toMatchObject({ id: method, error: { code: -32601, message: expect.stringContaining(method) } });
    }
    const batch = await call([{ jsonrpc: "2.0", id: "a", method: "eth_chainId" }, { jsonrpc: "2.0", id: "b", method: "admin_nodeInfo" }, { jsonrpc: "2.0", id: "c", method: "net_version" }], withKey);
    expect(batch.body.map((r: { id: string }) => r.id)).toEqual(["a", "b", "c"]);
    expect(batch.body[0].result).toBe("0x" + chain.chainId.toString(16));
    expect(batch.body[1].error.code).toBe(-32601);
    expect(batch.body[2].result).toBe(String(chain.chainId));
  });

  it("applies a policy rewritten while it runs, and keeps the last good one when the new one is bad", async () => {
    await gateway.setPolicy({ ...policy, transact: [...policy.transact as string[], carol.address] });
    expect(await sendThroughGateway(carol, { to: bob.address, value: 1n })).toEqual({ status: 1 });
    // Deploy listed, transact not: refused, the previous policy (carol may transact) stays.
    await gateway.setPolicy({ read: "keys", transact: [bob.address], deploy: [alice.address] });
    expect(await sendThroughGateway(carol, { to: bob.address, value: 1n })).toEqual({ status: 1 });
    expect(gateway.output()).toMatch(/policy\.json: the new version is refused, the previous one stays in force: policy: permissions\.deploy\[0\]: .* may deploy but not transact/);
    // Open reads: no key needed any more.
    await gateway.setPolicy({ ...policy, read: "open" });
    expect((await call({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" })).status).toBe(200);
  }, 90_000);
});
