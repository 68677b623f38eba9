// What a bridge user does, end to end: deposit on the foreign chain and wait until the agents minted it on home (or
// refunded it, when the sender is not whitelisted); withdraw on home and wait until it is released on foreign.
// Used by `npm run bridge`, the dev-stack test and the benchmark.
import { Contract, EventLog, JsonRpcProvider, Log } from "ethers";
import { waitForReceipt } from "../eth/transactions";
import { ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "./abi";
import { SequencedWallet } from "../eth/sequencedWallet";

export interface BridgeEndpoints {
  foreign: { rpcUrl: string; chainId: number; vault: string; token: string };
  home: { rpcUrl: string; chainId: number; gateway: string; token: string };
}

export interface TransferOptions {
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

export type DepositOutcome =
  | { kind: "minted"; depositId: bigint; depositBlock: number; depositMinedAt: number; completedAt: number }
  | { kind: "refunded"; depositId: bigint; depositBlock: number; depositMinedAt: number; completedAt: number; fee: bigint };

export interface WithdrawOutcome {
  withdrawalId: bigint;
  requestMinedAt: number;
  completedAt: number;
}

const provider = (rpcUrl: string, chainId: number) => new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, pollingInterval: 250 });
const POLL_MS = 250;

function eventArgs(iface: Contract["interface"], logs: readonly (Log | EventLog)[], name: string) {
  for (const log of logs) {
    const parsed = iface.parseLog(log);
    if (parsed?.name === name) return parsed.args;
  }
  return undefined;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000}s: are the bridge agents running? (see their health URLs in the stack outputs)`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return Date.now();
}

/** Locks `amount` (base units) in the vault for `recipient` on home, then waits for the mint or the refund. */
export async function deposit(ep: BridgeEndpoints, privateKey: string, amount: bigint, recipient?: string, opts: TransferOptions = {}): Promise<DepositOutcome> {
  const log = opts.onProgress ?? (() => {});
  const foreign = provider(ep.foreign.rpcUrl, ep.foreign.chainId);
  const home = provider(ep.home.rpcUrl, ep.home.chainId);
  try {
    const wallet = new SequencedWallet(privateKey, foreign);
    const token = new Contract(ep.foreign.token, ERC20_ABI, wallet);
    const vault = new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, wallet);
    if ((await token.allowance(wallet.address, ep.foreign.vault)) < amount) {
      log(`approving the vault for ${amount}`);
      await waitForReceipt(foreign, (await token.approve(ep.foreign.vault, amount)).hash, "approve");
    }
    const tx = await vault.deposit(amount, recipient ?? wallet.address);
    log(`deposit sent: ${tx.hash}`);
    const receipt = await waitForReceipt(foreign, tx.hash, "deposit");
    const depositMinedAt = Date.now();
    const deposited = eventArgs(vault.interface, receipt.logs, "Deposited");
    const timeoutMs = opts.timeoutMs ?? 180_000;
    if (deposited) {
      const depositId: bigint = deposited.depositId;
      log(`deposit #${depositId} mined in foreign block ${receipt.blockNumber}; waiting for the validators to mint it on home`);
      const gateway = new Contract(ep.home.gateway, HOME_GATEWAY_ABI, home);
      const completedAt = await until(`minting deposit #${depositId}`, () => gateway.depositMinted(depositId), timeoutMs);
      return { kind: "minted", depositId, depositBlock: receipt.blockNumber, depositMinedAt, completedAt };
    }
    const refundable = eventArgs(vault.interface, receipt.logs, "DepositRefundable");
    if (!refundable) throw new Error(`deposit ${tx.hash}: neither Deposited nor DepositRefundable was emitted`);
    const depositId: bigint = refundable.depositId;
    log(`deposit #${depositId}: the sender is not whitelisted, so it will be refunded minus the fee`);
    const completedAt = await until(`refunding deposit #${depositId}`, async () => (await vault.refundable(depositId)).amount === 0n, timeoutMs);
    const fee = (amount * (await vault.feeBps())) / 10_000n;
    return { kind: "refunded", depositId, depositBlock: receipt.blockNumber, depositMinedAt, completedAt, fee };
  } finally {
    foreign.destroy();
    home.destroy();
  }
}

/** Burns `amount` of bridged tokens on home for `recipient` on foreign, then waits until the vault released it. */
export async function withdraw(ep: BridgeEndpoints, privateKey: string, amount: bigint, recipient?: string, opts: TransferOptions = {}): Promise<WithdrawOutcome> {
  const log = opts.onProgress ?? (() => {});
  const foreign = provider(ep.foreign.rpcUrl, ep.foreign.chainId);
  const home = provider(ep.home.rpcUrl, ep.home.chainId);
  try {
    const wallet = new SequencedWallet(privateKey, home);
    const gateway = new Contract(ep.home.gateway, HOME_GATEWAY_ABI, wallet);
    const tx = await gateway.withdraw(amount, recipient ?? wallet.address);
    log(`withdrawal sent: ${tx.hash}`);
    const receipt = await waitForReceipt(home, tx.hash, "withdraw");
    const requestMinedAt = Date.now();
    const requested = eventArgs(gateway.interface, receipt.logs, "WithdrawalRequested");
    if (!requested) throw new Error(`withdraw ${tx.hash}: no WithdrawalRequested event`);
    const withdrawalId: bigint = requested.withdrawalId;
    log(`withdrawal #${withdrawalId} mined in home block ${receipt.blockNumber}; waiting for signatures and the release on foreign`);
    const vault = new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, foreign);
    const completedAt = await until(`releasing withdrawal #${withdrawalId}`, () => vault.withdrawalProcessed(withdrawalId), opts.timeoutMs ?? 180_000);
    return { withdrawalId, requestMinedAt, completedAt };
  } finally {
    foreign.destroy();
    home.destroy();
  }
}

/** Token balances of `address` on both sides, in base units. */
export async function balances(ep: BridgeEndpoints, address: string): Promise<{ foreign: bigint; home: bigint; decimals: number }> {
  const foreign = provider(ep.foreign.rpcUrl, ep.foreign.chainId);
  const home = provider(ep.home.rpcUrl, ep.home.chainId);
  try {
    const f = new Contract(ep.foreign.token, ERC20_ABI, foreign);
    const h = new Contract(ep.home.token, ERC20_ABI, home);
    return { foreign: await f.balanceOf(address), home: await h.balanceOf(address), decimals: Number(await f.decimals()) };
  } finally {
    foreign.destroy();
    home.destroy();
  }
}
