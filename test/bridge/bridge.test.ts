// The bridge end to end: two real geth chains, the real contracts, and three agents (2-of-3) as real child processes.
// Deposit → minted on home; withdraw → signed by the validators on home and executed on foreign by the recipient (the
// validators never pay foreign gas); a non-whitelisted deposit → refundable minus the fee, refunded by its sender,
// never minted; a deposit above the limit reverts; health and metrics answer on loopback, logs hold no secret and no
// RPC URL; SIGTERM stops cleanly; an agent pointed at the wrong chain id refuses to run. A whitelisted deposit the
// home side cannot mint (the day's execution limit is spent) is given back by the owner: the validators check it
// against the vault's record, sign it like a withdrawal, and its sender executes the release.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Contract, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeWorld, fundDepositor, startBridgeWorld, waitFor } from "../../testkit/bridge/agentFleet";
import { deposit, executeWhenSigned, withdraw } from "../../testkit/bridge/transfers";

const RLC = 10n ** 9n;
const FEE_BPS = 100n;
const MAX_PER_TX = 10_000n * RLC;
/** What home mints a day: enough for the tests' deposits (500 + 10,000), not for one more of 6,000. */
const EXECUTION_DAILY = 15_000n * RLC;

let w: BridgeWorld;
let user: Wallet; // whitelisted on foreign
let stranger: Wallet; // not whitelisted
let homeUser: Wallet;

beforeAll(async () => {
  const limits = { minPerTx: 1n, maxPerTx: MAX_PER_TX, dailyLimit: 1_000_000n * RLC };
  // Whitelisting needs the user's address before deployment; the world's foreign chain funds it afterwards.
  const userKey = Wallet.createRandom();
  const execution = { minPerTx: 1n, maxPerTx: MAX_PER_TX, dailyLimit: EXECUTION_DAILY };
  w = await startBridgeWorld(3, { threshold: 2, feeBps: Number(FEE_BPS), whitelist: [userKey.address], limits: { deposit: limits, execution } });
  user = await fundDepositor(w, userKey.privateKey, 100_000n * RLC);
  stranger = await fundDepositor(w, Wallet.createRandom().privateKey, 1_000n * RLC);
  homeUser = await w.home.fundedWallet(10n);
  w.fleet.startAll();
}, 240_000);

afterAll(async () => {
  await w?.dispose();
});

const gateway = () => w.bridge.home.gateway;
const vault = () => w.bridge.foreign.vault;
const homeBalance = async (a: string): Promise<bigint> => w.bridge.home.token.getFunction("balanceOf")(a);
const foreignBalance = async (a: string): Promise<bigint> => w.bridge.foreign.token.getFunction("balanceOf")(a);

describe("bridge with three agents (2-of-3)", () => {
  it("mints a whitelisted deposit on home, once", async () => {
    const d = await deposit(w.bridge, user, 500n * RLC, homeUser.address);
    await waitFor("deposit minted", async () => (await gateway().getFunction("depositMinted")(d.id)) as boolean, 60_000);
    expect(await homeBalance(homeUser.address)).toBe(500n * RLC);
    const mints = await gateway().queryFilter(gateway().filters.DepositMinted(d.id));
    expect(mints).toHaveLength(1);
  }, 90_000);

  it("releases a withdrawal on foreign with two signatures, executed by the recipient, once", async () => {
    const recipient = Wallet.createRandom().address;
    const r = await withdraw(w.bridge, homeUser.connect(w.home.provider()) as Wallet, 200n * RLC, recipient);
    await executeWhenSigned(w.bridge, user, r.id, recipient, 200n * RLC);
    expect(await vault().getFunction("withdrawalProcessed")(r.id)).toBe(true);
    expect(await foreignBalance(recipient)).toBe(200n * RLC);
    expect(await homeBalance(homeUser.address)).toBe(300n * RLC);
    const [signers] = (await gateway().getFunction("withdrawalSignatures")(r.id)) as [string[], string[]];
    expect(signers.length).toBeGreaterThanOrEqual(2);
    expect(await vault().queryFilter(vault().filters.WithdrawalExecuted(r.id))).toHaveLength(1);
  }, 90_000);

  it("refunds a non-whitelisted deposit minus the fee and never mints it", async () => {
    const amount = 100n * RLC;
    const before = await foreignBalance(stranger.address);
    const d = await deposit(w.bridge, stranger, amount, homeUser.address);
    expect(await foreignBalance(stranger.address)).toBe(before - amount);
    const fee = (amount * FEE_BPS) / 10_000n;
    // The agents never send it (no relayForeign): the sender asks for its refund itself.
    await (await (vault().connect(stranger) as Contract).getFunction("refund")(d.id)).wait();
    expect(await foreignBalance(stranger.address)).toBe(before - fee);
    expect(await foreignBalance(w.bridge.foreign.feeRecipient)).toBe(fee);
    const [sender] = (await vault().getFunction("refundable")(d.id)) as [string, bigint];
    expect(sender).toBe("0x0000000000000000000000000000000000000000");
    expect(await vault().queryFilter(vault().filters.Refunded(d.id))).toHaveLength(1);
    expect(await gateway().getFunction("depositMinted")(d.id)).toBe(false);
    expect(await gateway().queryFilter(gateway().filters.DepositConfirmed(d.id))).toHaveLength(0);
  }, 90_000);

  it("enforces the per-transaction limit: a deposit above it reverts and nothing is relayed", async () => {
    const nonceBefore: bigint = await vault().getFunction("depositNonce")();
    const v = vault().connect(user) as Contract;
    const err = await v.getFunction("deposit")(MAX_PER_TX + 1n, homeUser.address).then(() => undefined, (e: { data?: string }) => e);
    expect(vault().interface.parseError(err?.data ?? "0x")?.name).toBe("AmountAboveMax");
    expect(await vault().getFunction("depositNonce")()).toBe(nonceBefore);
    // The maximum itself passes and is minted.
    const d = await deposit(w.bridge, user, MAX_PER_TX, homeUser.address);
    await waitFor("max deposit minted", async () => (await gateway().getFunction("depositMinted")(d.id)) as boolean, 60_000);
  }, 90_000);

  it("gives back a whitelisted deposit home cannot mint: the owner cancels it, the validators sign, the sender executes", async () => {
    // Crossing midnight UTC would reset the day's counter and mint it instead: not a case for this test.
    const amount = 6_000n * RLC;
    const before = await foreignBalance(user.address);
    const d = await deposit(w.bridge, user, amount, homeUser.address);
    // The validators try; the mint would exceed the day's execution limit, so nothing is minted.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await gateway().getFunction("depositMinted")(d.id)).toBe(false);
    const owner = gateway().connect(w.bridge.home.deployer) as Contract;
    const receipt = await (await owner.getFunction("cancelDeposit")(d.id, user.address, homeUser.address, amount)).wait();
    const withdrawalId = gateway().interface.parseLog(receipt.logs.find((l: { topics: string[] }) => l.topics[0] === gateway().interface.getEvent("DepositCancelled")!.topicHash))!.args.withdrawalId as bigint;
    await executeWhenSigned(w.bridge, user, withdrawalId, user.address, amount);
    expect(await foreignBalance(user.address)).toBe(before);
    expect(await gateway().getFunction("depositMinted")(d.id)).toBe(false);
    expect(await gateway().getFunction("depositCancelled")(d.id)).toBe(true);
  }, 120_000);

  it("serves health and Prometheus metrics on loopback", async () => {
    const url = await w.fleet.get(0)!.healthUrl;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/healthz`);
    const body = (await health.json()) as { ok: boolean; chains: Record<string, { reachable: boolean; cursor: number }> };
    expect(health.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.chains.home.reachable && body.chains.foreign.reachable).toBe(true);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/bridge_agent_cursor_block\{side="foreign"\} \d+/);
    expect(metrics).toMatch(/bridge_agent_lag_blocks\{side="home"\} \d+/);
    expect(metrics).toMatch(/bridge_agent_actions_total\{kind="confirmDeposit",result="done"\} \d+/);
    expect(metrics).toContain("bridge_agent_outbox_pending");
    // Nothing secret in the logs.
    const password = (await readFile(join(dirname(w.fleet.configFiles[0]), "password"), "utf8")).trim();
    const log = await readFile(`${w.fleet.dir}/agent-0.log`, "utf8");
    expect(log).not.toContain(password);
    expect(log).not.toContain(w.validators[0].privateKey.slice(2));
    for (const chain of [w.home, w.foreign]) expect(log).not.toContain(new URL(chain.rpcUrl).host);
    // Validators only signed: none sent a transaction on foreign.
    for (const v of w.validators) expect(await w.foreign.provider().getTransactionCount(v.address)).toBe(0);
  }, 30_000);

  it("refuses to run when a node reports another chain id than configured (exit 3)", async () => {
    const cfg = JSON.parse(await readFile(w.fleet.configFiles[0], "utf8"));
    const file = join(dirname(w.fleet.configFiles[0]), "wrong-chain.json");
    await writeFile(file, JSON.stringify({ ...cfg, dbFile: "wrong.db", foreign: { ...cfg.foreign, chainId: 1 } }));
    const r = w.fleet.start(3, file);
    const { code } = await r.exited;
    expect(code).toBe(3);
    expect(await readFile(`${w.fleet.dir}/agent-3.log`, "utf8")).toContain("reports chain id 1337, the bridge was set up for 1");
  }, 30_000);

  it("refuses to run when the configured vault is not a bridge contract (exit 3), instead of retrying as if the node were down", async () => {
    const cfg = JSON.parse(await readFile(w.fleet.configFiles[0], "utf8"));
    const file = join(dirname(w.fleet.configFiles[0]), "wrong-vault.json");
    // An address without code: the node answers the calls, with nothing.
    await writeFile(file, JSON.stringify({ ...cfg, dbFile: "wrong-vault.db", foreign: { ...cfg.foreign, vault: w.validators[1].address } }));
    const r = w.fleet.start(3, file);
    const { code } = await r.exited;
    expect(code).toBe(3);
    expect(await readFile(`${w.fleet.dir}/agent-3.log`, "utf8")).toContain(`vault ${w.validators[1].address} is not a bridge contract`);
  }, 30_000);

  it("stops cleanly on SIGTERM (exit 0)", async () => {
    expect(await w.fleet.stopAll()).toEqual([0, 0, 0]);
  }, 30_000);
});
