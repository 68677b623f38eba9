// What a bridge user does, end to end: deposit on the foreign chain and wait until the validators minted it on home
// (or, when the sender is not whitelisted, take the refund back at once); withdraw on home, wait for the validators'
// signatures and execute the release on foreign — the user pays that gas, the validators only sign. Also the role
// holders' emergency switches (pause / unpause), which `pulumi up` never touches. Used by `npm run bridge`, the
// dev-stack test and the benchmark.
import { Contract, EventLog, JsonRpcProvider, Log } from "ethers";
import { SequencedWallet } from "../eth/sequencedWallet";
import { waitForReceipt } from "../eth/transactions";
import { ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI, VALIDATOR_SET_ABI } from "./abi";
import { executableSignatures } from "./signatures";

export interface BridgeEndpoints {
  foreign: { rpcUrl: string; chainId: number; vault: string; token: string; validatorSet: string };
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

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await check();
    if (done) return done;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000}s: are the bridge agents running? (see their health URLs in the stack outputs)`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Runs `fn` with both chains' providers, closed whatever happens. */
async function withChains<T>(ep: BridgeEndpoints, fn: (foreign: JsonRpcProvider, home: JsonRpcProvider) => Promise<T>): Promise<T> {
  const foreign = provider(ep.foreign.rpcUrl, ep.foreign.chainId);
  const home = provider(ep.home.rpcUrl, ep.home.chainId);
  try {
    return await fn(foreign, home);
  } finally {
    foreign.destroy();
    home.destroy();
  }
}

/**
 * Locks `amount` (base units) in the vault for `recipient` on home, then waits for the mint; a deposit by a sender the
 * whitelist does not hold is refundable only, and this sender takes it back at once (minus the fee).
 */
export function deposit(ep: BridgeEndpoints, privateKey: string, amount: bigint, recipient?: string, opts: TransferOptions = {}): Promise<DepositOutcome> {
  const log = opts.onProgress ?? (() => {});
  return withChains(ep, async (foreign, home) => {
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
    if (deposited) {
      const depositId: bigint = deposited.depositId;
      log(`deposit #${depositId} mined in foreign block ${receipt.blockNumber}; waiting for the validators to mint it on home`);
      const gateway = new Contract(ep.home.gateway, HOME_GATEWAY_ABI, home);
      const completedAt = await until(`minting deposit #${depositId}`, async () => (await gateway.depositMinted(depositId)) && Date.now(), opts.timeoutMs ?? 180_000);
      return { kind: "minted", depositId, depositBlock: receipt.blockNumber, depositMinedAt, completedAt };
    }
    const refundable = eventArgs(vault.interface, receipt.logs, "DepositRefundable");
    if (!refundable) throw new Error(`deposit ${tx.hash}: neither Deposited nor DepositRefundable was emitted`);
    const depositId: bigint = refundable.depositId;
    log(`deposit #${depositId}: the sender is not whitelisted, so it is not bridged; taking it back minus the fee`);
    const fee = await refundWith(vault, depositId, log);
    return { kind: "refunded", depositId, depositBlock: receipt.blockNumber, depositMinedAt, completedAt: Date.now(), fee };
  });
}

/** Refunds deposit `depositId` (anyone may; the tokens go to its sender); returns the fee kept, 0 if already refunded. */
async function refundWith(vault: Contract, depositId: bigint, log: (m: string) => void): Promise<bigint> {
  const [sender, amount] = (await vault.refundable(depositId)) as [string, bigint];
  if (amount === 0n) {
    log(`deposit #${depositId} is not refundable (already refunded, or bridged)`);
    return 0n;
  }
  const receipt = await waitForReceipt(vault.runner!.provider!, (await vault.refund(depositId)).hash, `refund of deposit #${depositId}`);
  const refunded = eventArgs(vault.interface, receipt.logs, "Refunded")!;
  log(`deposit #${depositId}: ${refunded.amount} back to ${sender}, fee ${refunded.fee}`);
  return refunded.fee as bigint;
}

/** `npm run bridge -- refund <depositId>`: refunds a non-whitelisted deposit, paid by `privateKey`. */
export function refund(ep: BridgeEndpoints, privateKey: string, depositId: bigint, opts: TransferOptions = {}): Promise<bigint> {
  return withChains(ep, (foreign) => refundWith(new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, new SequencedWallet(privateKey, foreign)), depositId, opts.onProgress ?? (() => {})));
}

/**
 * Burns `amount` of bridged tokens on home for `recipient` on foreign, waits for the validators' signatures and
 * executes the release from the same key on foreign (unless someone already did).
 */
export function withdraw(ep: BridgeEndpoints, privateKey: string, amount: bigint, recipient?: string, opts: TransferOptions = {}): Promise<WithdrawOutcome> {
  const log = opts.onProgress ?? (() => {});
  return withChains(ep, async (foreign, home) => {
    const wallet = new SequencedWallet(privateKey, home);
    const gateway = new Contract(ep.home.gateway, HOME_GATEWAY_ABI, wallet);
    const tx = await gateway.withdraw(amount, recipient ?? wallet.address);
    log(`withdrawal sent: ${tx.hash}`);
    const receipt = await waitForReceipt(home, tx.hash, "withdraw");
    const requestMinedAt = Date.now();
    const requested = eventArgs(gateway.interface, receipt.logs, "WithdrawalRequested");
    if (!requested) throw new Error(`withdraw ${tx.hash}: no WithdrawalRequested event`);
    const withdrawalId: bigint = requested.withdrawalId;
    log(`withdrawal #${withdrawalId} mined in home block ${receipt.blockNumber}; waiting for the validators' signatures`);
    await executeWith(ep, privateKey, foreign, home, withdrawalId, log, opts.timeoutMs ?? 180_000);
    return { withdrawalId, requestMinedAt, completedAt: Date.now() };
  });
}

/** `npm run bridge -- execute <withdrawalId>`: releases a signed withdrawal on foreign, paid by `privateKey`. */
export function execute(ep: BridgeEndpoints, privateKey: string, withdrawalId: bigint, opts: TransferOptions = {}): Promise<void> {
  return withChains(ep, (foreign, home) => executeWith(ep, privateKey, foreign, home, withdrawalId, opts.onProgress ?? (() => {}), opts.timeoutMs ?? 180_000));
}

async function executeWith(ep: BridgeEndpoints, privateKey: string, foreign: JsonRpcProvider, home: JsonRpcProvider, id: bigint, log: (m: string) => void, timeoutMs: number): Promise<void> {
  const gateway = new Contract(ep.home.gateway, HOME_GATEWAY_ABI, home);
  const vault = new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, new SequencedWallet(privateKey, foreign));
  const validatorSet = new Contract(ep.foreign.validatorSet, VALIDATOR_SET_ABI, foreign);
  const [recipient, amount] = (await gateway.withdrawal(id)) as [string, bigint];
  const signatures = await until(`signing withdrawal #${id}`, async () => ((await vault.withdrawalProcessed(id)) ? [] : executableSignatures(gateway, validatorSet, id)), timeoutMs);
  if (signatures.length === 0 || (await vault.withdrawalProcessed(id))) {
    log(`withdrawal #${id} was already released`);
    return;
  }
  log(`withdrawal #${id}: ${signatures.length} signatures; executing the release on foreign`);
  await waitForReceipt(foreign, (await vault.executeWithdrawal(id, recipient, amount, signatures)).hash, `release of withdrawal #${id}`);
}

export type BridgeContractName = "vault" | "gateway";

/**
 * `npm run bridge -- pause|unpause <vault|gateway>`: the pauser role's emergency switch. `pulumi up` never changes it;
 * a refresh reports it. Returns whether the contract is paused afterwards.
 */
export function setPaused(ep: BridgeEndpoints, privateKey: string, which: BridgeContractName, paused: boolean): Promise<boolean> {
  return withChains(ep, async (foreign, home) => {
    const [address, abi, provider] = which === "vault" ? [ep.foreign.vault, FOREIGN_VAULT_ABI, foreign] : [ep.home.gateway, HOME_GATEWAY_ABI, home];
    const c = new Contract(address, abi, new SequencedWallet(privateKey, provider));
    if ((await c.paused()) !== paused) await waitForReceipt(provider, (await (paused ? c.pause() : c.unpause())).hash, `${paused ? "pause" : "unpause"} ${which}`);
    return c.paused() as Promise<boolean>;
  });
}

/** Token balances of `address` on both sides, in base units. */
export function balances(ep: BridgeEndpoints, address: string): Promise<{ foreign: bigint; home: bigint; decimals: number }> {
  return withChains(ep, async (foreign, home) => {
    const f = new Contract(ep.foreign.token, ERC20_ABI, foreign);
    const h = new Contract(ep.home.token, ERC20_ABI, home);
    return { foreign: await f.balanceOf(address), home: await h.balanceOf(address), decimals: Number(await f.decimals()) };
  });
}
