// Point 1 of the bridge's trust model, attacked: one validator's RPC endpoints lie (a test double of a compromised
// node: test/support/rpcProxy.ts in front of validator 0's home and foreign nodes), and one validator key is stolen.
// - Forged logs only (a fake `Deposited`, a fake `WithdrawalRequested`): validator 0 checks them against contract
//   storage through its own nodes, refuses both and raises an alert; nothing reaches the chain.
// - Forged logs and forged contract reads: validator 0 is fooled and lends its key (a confirmation on home, a
//   withdrawal signature the attacker captures), but the other validators read honest nodes: nothing is minted,
//   nothing released — one signature is not the threshold.
// - A stolen validator key alone cannot release anything from the vault.
import { AbiCoder, Contract, Interface, TypedDataEncoder, Wallet } from "ethers";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../../lib/bridge/abi";
import { depositRecordHash, withdrawalTypedData } from "../../lib/bridge/messages";
import { sortAddresses } from "../../lib/bridge/signatures";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { expectRevert } from "../contracts/helpers";
import { Interceptor, RpcCall, RpcProxy, startRpcProxy } from "../support/rpcProxy";
import { BridgeWorld, fundDepositor, startBridgeWorld, waitFor } from "../../testkit/bridge/agentFleet";
import { deposit } from "../../testkit/bridge/transfers";

const RLC = 10n ** 9n;
const vaultIface = new Interface(FOREIGN_VAULT_ABI);
const gatewayIface = new Interface(HOME_GATEWAY_ABI);
const abi = AbiCoder.defaultAbiCoder();

let w: BridgeWorld;
let proxies: { home: RpcProxy; foreign: RpcProxy };
let user: SequencedWallet;
const attacker = Wallet.createRandom();

beforeAll(async () => {
  const userKey = Wallet.createRandom();
  w = await startBridgeWorld(3, {
    threshold: 2,
    whitelist: [userKey.address],
    endpoints: async ({ home, foreign }) => {
      proxies = { home: await startRpcProxy(home.rpcUrl), foreign: await startRpcProxy(foreign.rpcUrl) };
      return { home: { 0: proxies.home.url }, foreign: { 0: proxies.foreign.url } };
    },
  });
  user = await fundDepositor(w, userKey.privateKey, 10_000n * RLC);
  w.fleet.startAll();
}, 240_000);

afterAll(async () => {
  await w?.dispose();
  await proxies?.home.stop();
  await proxies?.foreign.stop();
});

const gateway = () => w.bridge.home.gateway;
const vault = () => w.bridge.foreign.vault;
const v0 = () => w.validators[0];
const supply = async (): Promise<bigint> => w.bridge.home.token.getFunction("totalSupply")();

interface Forgery {
  depositId: bigint;
  withdrawalId: bigint;
  amount: bigint;
  /** Also answer the contract reads an agent checks logs against. */
  reads: boolean;
}

/** Adds one forged log to the first eth_getLogs answer of `address` (at the range's first block, with its real hash). */
function injectOnce(address: string, topics: string[], data: string): Interceptor["rewrite"] {
  let done = false;
  return async (call, result, node) => {
    const filter = call.params[0] as { address?: string | string[]; fromBlock?: string };
    const addresses = [filter?.address ?? []].flat().map((a) => a.toLowerCase());
    if (done || call.method !== "eth_getLogs" || !addresses.includes(address.toLowerCase())) return result;
    done = true;
    const block = (await node("eth_getBlockByNumber", [filter.fromBlock, false])) as { hash: string };
    const fake = { address, topics, data, blockNumber: filter.fromBlock, blockHash: block.hash, transactionHash: "0x" + "fa".repeat(32), transactionIndex: "0x0", logIndex: "0x3f", removed: false };
    return [...(result as unknown[]), fake];
  };
}

/** What validator 0's nodes tell it: fake logs, and with `reads` fake storage that matches them. */
async function forge(f: Forgery): Promise<void> {
  const [gatewayAddress, vaultAddress] = [w.bridge.addresses.gateway, w.bridge.addresses.vault];
  const dep = vaultIface.encodeEventLog("Deposited", [f.depositId, attacker.address, attacker.address, f.amount]);
  const wd = gatewayIface.encodeEventLog("WithdrawalRequested", [f.withdrawalId, attacker.address, attacker.address, f.amount]);
  const { domain, types, value } = withdrawalTypedData(w.foreign.chainId, vaultAddress, {
    homeChainId: w.home.chainId,
    homeGateway: gatewayAddress,
    withdrawalId: f.withdrawalId,
    recipient: attacker.address,
    amount: f.amount,
  });
  const key = (to: string, data: string) => `${to.toLowerCase()}:${data}`;
  const reads = new Map<string, string>(
    f.reads
      ? [
          [key(vaultAddress, vaultIface.encodeFunctionData("depositRecord", [f.depositId])), depositRecordHash(attacker.address, attacker.address, f.amount)],
          [key(gatewayAddress, gatewayIface.encodeFunctionData("withdrawal", [f.withdrawalId])), abi.encode(["address", "uint256", "uint256"], [attacker.address, f.amount, 0n])],
          [key(gatewayAddress, gatewayIface.encodeFunctionData("withdrawalDigest", [f.withdrawalId])), TypedDataEncoder.hash(domain, types, value)],
        ]
      : [],
  );
  const answer = (call: RpcCall) => {
    if (call.method !== "eth_call") return undefined;
    const { to, data } = call.params[0] as { to: string; data: string };
    return reads.get(key(to, data));
  };
  proxies.foreign.set({ answer, rewrite: injectOnce(vaultAddress, dep.topics, dep.data) });
  proxies.home.set({ answer, rewrite: injectOnce(gatewayAddress, wd.topics, wd.data) });
}

async function health(): Promise<{ alertCount: number; alerts: { kind: string; detail: string }[] }> {
  return (await fetch(`${await w.fleet.get(0)!.healthUrl}/healthz`)).json() as never;
}

/** The withdrawal signatures validator 0 tried to post (read from what it sent through the lying node). */
function capturedSignatures(withdrawalId: bigint): string[] {
  const sigs: string[] = [];
  for (const call of proxies.home.calls) {
    if (call.method !== "eth_estimateGas" && call.method !== "eth_call") continue;
    const data = (call.params[0] as { data?: string }).data ?? "";
    const parsed = data.startsWith(gatewayIface.getFunction("submitWithdrawalSignature")!.selector) ? gatewayIface.parseTransaction({ data }) : null;
    if (parsed && parsed.args[0] === withdrawalId) sigs.push(parsed.args[1] as string);
  }
  return sigs;
}

describe("a lying RPC endpoint and a stolen key cannot mint or release (2-of-3)", () => {
  it("bridges a genuine deposit with all three validators", async () => {
    const d = await deposit(w.bridge, user, 100n * RLC, user.address);
    await waitFor("genuine deposit minted", async () => (await gateway().getFunction("depositMinted")(d.id)) as boolean, 60_000);
  }, 90_000);

  it("forged logs alone: validator 0 refuses both events with an alert, and sends nothing", async () => {
    const f: Forgery = { depositId: 999_001n, withdrawalId: 888_001n, amount: 5_000n * RLC, reads: false };
    const before = await supply();
    await forge(f);
    await waitFor("two alerts on validator 0", async () => (await health()).alertCount >= 2, 60_000);
    const { alerts } = await health();
    expect(alerts.map((a) => a.kind)).toEqual(["unverifiedEvent", "unverifiedEvent"]);
    expect(alerts.map((a) => a.detail).join("\n")).toMatch(/confirmDeposit:999001:.*vault record of deposit 999001/);
    expect(alerts.map((a) => a.detail).join("\n")).toMatch(/signWithdrawal:888001:.*records withdrawal 888001 as \(0x0{40}, 0\)/);
    expect(await gateway().getFunction("depositConfirmedBy")(f.depositId, attacker.address, f.amount, v0().address)).toBe(false);
    expect(await gateway().getFunction("withdrawalSignedBy")(f.withdrawalId, v0().address)).toBe(false);
    expect(capturedSignatures(f.withdrawalId)).toEqual([]);
    expect(await supply()).toBe(before);
  }, 90_000);

  it("forged logs and reads: validator 0 is fooled, the honest two are not, nothing is minted or released", async () => {
    const f: Forgery = { depositId: 999_002n, withdrawalId: 888_002n, amount: 5_000n * RLC, reads: true };
    const before = { supply: await supply(), vault: (await w.bridge.foreign.token.getFunction("balanceOf")(w.bridge.addresses.vault)) as bigint };
    await forge(f);
    // The lie works on its victim: it confirms the fake deposit on home and signs the fake withdrawal.
    await waitFor("validator 0 confirms the fake deposit", async () => (await gateway().getFunction("depositConfirmedBy")(f.depositId, attacker.address, f.amount, v0().address)) as boolean, 60_000);
    await waitFor("validator 0 signs the fake withdrawal", async () => capturedSignatures(f.withdrawalId).length > 0, 60_000);
    // Several blocks later the honest validators still have not confirmed: one of three is not the threshold.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await gateway().getFunction("depositMinted")(f.depositId)).toBe(false);
    for (const v of w.validators.slice(1)) expect(await gateway().getFunction("depositConfirmedBy")(f.depositId, attacker.address, f.amount, v.address)).toBe(false);
    expect(await supply()).toBe(before.supply);
    // The gateway never accepted the signature (no such withdrawal): the attacker has it only from its own node.
    expect(await gateway().getFunction("withdrawalSignedBy")(f.withdrawalId, v0().address)).toBe(false);
    const thief = new SequencedWallet(attacker.privateKey, w.foreign.provider());
    await (await (await w.foreign.fundedWallet(1n)).sendTransaction({ to: thief.address, value: 10n ** 17n })).wait();
    const robbery = vault().connect(thief) as Contract;
    await expectRevert(robbery.getFunction("executeWithdrawal")(f.withdrawalId, attacker.address, f.amount, [capturedSignatures(f.withdrawalId)[0]]), "NotEnoughSignatures", [1n, 2n]);
    expect(await w.bridge.foreign.token.getFunction("balanceOf")(w.bridge.addresses.vault)).toBe(before.vault);
  }, 120_000);

  it("a stolen validator key alone releases nothing: one signature, a duplicate, or an outsider's second", async () => {
    const stolen = new Wallet(v0().privateKey);
    const outsider = Wallet.createRandom();
    const id = 777_001n;
    const message = withdrawalTypedData(w.foreign.chainId, w.bridge.addresses.vault, { homeChainId: w.home.chainId, homeGateway: w.bridge.addresses.gateway, withdrawalId: id, recipient: attacker.address, amount: 1_000n * RLC });
    const sign = (k: Pick<Wallet, "signTypedData">) => k.signTypedData(message.domain, message.types, message.value);
    const [sig0, sigOut] = [await sign(stolen), await sign(outsider)];
    const bySigner = new Map([[stolen.address, sig0], [outsider.address, sigOut]]);
    const robbery = vault().connect(await w.foreign.fundedWallet(1n)) as Contract;
    const exec = (sigs: string[]) => robbery.getFunction("executeWithdrawal")(id, attacker.address, 1_000n * RLC, sigs);
    await expectRevert(exec([sig0]), "NotEnoughSignatures", [1n, 2n]);
    await expectRevert(exec([sig0, sig0]), "SignersNotAscending");
    await expectRevert(exec(sortAddresses([stolen.address, outsider.address]).map((a) => bySigner.get(a)!)), "SignerNotValidator", [outsider.address]);
    expect(await w.bridge.foreign.token.getFunction("balanceOf")(attacker.address)).toBe(0n);
  }, 60_000);

  it("the bridge keeps working for honest users throughout", async () => {
    proxies.home.set({});
    proxies.foreign.set({});
    const d = await deposit(w.bridge, user, 42n * RLC, user.address);
    await waitFor("deposit minted", async () => (await gateway().getFunction("depositMinted")(d.id)) as boolean, 60_000);
  }, 90_000);

  it("an agent whose node fails its first start-up reads (502s from a loaded or restarting node) waits, retries and runs", async () => {
    await w.fleet.kill(0);
    let failed = 0;
    // The contract reads of the start-up check (eth_call) fail three times, then the node answers again.
    proxies.home.set({
      answer(call) {
        if (call.method !== "eth_call" || failed >= 3) return undefined;
        failed++;
        throw new Error("node restarting");
      },
    });
    const agent = w.fleet.start(0);
    await waitFor("three failed reads", async () => failed >= 3, 60_000);
    await waitFor("agent 0 healthy", async () => (await fetch(`${await agent.healthUrl}/healthz`).catch(() => undefined))?.ok === true, 60_000);
    expect(w.fleet.get(0)).toBe(agent);
    expect(await readFile(`${w.fleet.dir}/agent-0.log`, "utf8")).toMatch(/"what":"bridge contracts".*chain unreachable at start; retrying/);
    proxies.home.set({});
  }, 120_000);
});
