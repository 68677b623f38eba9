// What the agent does about each event, idempotently: every handler reads the on-chain state right before acting and
// treats "already done (by anyone)" as done, so a crash, a restart or a replayed block range never relays twice.
import { BaseWallet, Contract, getAddress, TypedDataEncoder, ZeroAddress } from "ethers";
import { WITHDRAWAL_EIP712 } from "../lib/bridge/abi";
import { errField, Logger } from "./log";
import { Metrics } from "./metrics";
import { mayActAt, sortAddresses } from "./policy";
import { Action, ActionKind, NewAction, Side, StoredEvent, Store } from "./store";
import { TxSender } from "./txSender";

/** The chain each kind of action sends its transaction to. */
export const ACTION_SIDE: Record<ActionKind, Side> = {
  confirmDeposit: "home",
  signWithdrawal: "home",
  refund: "foreign",
  executeWithdrawal: "foreign",
};

/** Events → actions. Keys are built from contract nonces (deposit / withdrawal ids), never from transaction hashes. */
export function actionsFor(e: StoredEvent): NewAction[] {
  const a = e.args;
  switch (e.name) {
    case "Deposited":
      return [{ key: `confirmDeposit:${a.depositId}`, kind: "confirmDeposit", sourceBlock: e.block, payload: { depositId: a.depositId, recipient: a.homeRecipient, amount: a.amount } }];
    case "DepositRefundable":
      return [{ key: `refund:${a.depositId}`, kind: "refund", sourceBlock: e.block, payload: { depositId: a.depositId } }];
    case "WithdrawalRequested": {
      const payload = { withdrawalId: a.withdrawalId, recipient: a.foreignRecipient, amount: a.amount };
      return [
        { key: `signWithdrawal:${a.withdrawalId}`, kind: "signWithdrawal", sourceBlock: e.block, payload },
        { key: `executeWithdrawal:${a.withdrawalId}`, kind: "executeWithdrawal", sourceBlock: e.block, payload },
      ];
    }
    default:
      return [];
  }
}

export interface ActionContext {
  store: Store;
  wallet: BaseWallet;
  senders: Record<Side, TxSender>;
  /** Read-only contracts, connected to their chain's provider. */
  gateway: Contract;
  vault: Contract;
  foreignValidatorSet: Contract;
  foreignChainId: number;
  pollIntervalMs: number;
  fallbackDelayMs: number;
  log: Logger;
  metrics: Metrics;
}

/** Done, or run again at `at` (ms since epoch), remembering when the action became executable. */
type Outcome = { done: true } | { at: number; readyAt?: number };

const MAX_BACKOFF_MS = 60_000;

export class ActionRunner {
  private readonly handlers: Record<ActionKind, (a: Action, now: number) => Promise<Outcome>> = {
    confirmDeposit: (a, now) => this.confirmDeposit(a, now),
    refund: (a, now) => this.refund(a, now),
    signWithdrawal: (a, now) => this.signWithdrawal(a, now),
    executeWithdrawal: (a, now) => this.executeWithdrawal(a, now),
  };

  constructor(private readonly c: ActionContext) {}

  private get me(): string {
    return this.c.wallet.address;
  }

  /** Runs every due action once; `stopping` is checked between actions so SIGTERM ends after the current one. */
  async runDue(now: number, stopping: () => boolean): Promise<void> {
    const { store, senders, log, metrics, pollIntervalMs } = this.c;
    for (const a of store.dueActions(now)) {
      if (stopping()) return;
      if (senders[ACTION_SIDE[a.kind]].hasPending(a.key)) {
        store.postpone(a.key, now + pollIntervalMs, a.readyAt);
        continue;
      }
      try {
        const out = await this.handlers[a.kind](a, now);
        if ("done" in out) {
          store.markDone(a.key, Date.now());
          metrics.actions.inc({ kind: a.kind, result: "done" });
          log.info({ action: a.key }, "action done");
        } else {
          store.postpone(a.key, out.at, out.readyAt ?? a.readyAt);
        }
      } catch (err) {
        const attempts = a.attempts + 1;
        store.postpone(a.key, now + Math.min(pollIntervalMs * 2 ** attempts, MAX_BACKOFF_MS), a.readyAt, attempts);
        metrics.actions.inc({ kind: a.kind, result: "failed" });
        metrics.lastError.setToCurrentTime();
        log.warn({ action: a.key, attempts, err: errField(err) }, "action attempt failed; will retry");
      }
    }
  }

  private async send(a: Action, contract: Contract, method: string, args: unknown[], now: number): Promise<{ at: number }> {
    const entry = await this.c.senders[ACTION_SIDE[a.kind]].send(a.key, {
      to: await contract.getAddress(),
      data: contract.interface.encodeFunctionData(method, args),
    });
    this.c.log.info({ action: a.key, side: entry.side, nonce: entry.nonce, tx: entry.hashes[0] }, "transaction sent");
    return { at: now + this.c.pollIntervalMs };
  }

  private async confirmDeposit(a: Action, now: number): Promise<Outcome> {
    const { gateway } = this.c;
    const { depositId, recipient, amount } = a.payload;
    if (await gateway.depositMinted(depositId)) return { done: true };
    if (await gateway.depositConfirmedBy(depositId, recipient, amount, this.me)) return { done: true };
    return this.send(a, gateway, "confirmDeposit", [depositId, recipient, amount], now);
  }

  private async refund(a: Action, now: number): Promise<Outcome> {
    const { vault } = this.c;
    const { depositId } = a.payload;
    const [sender] = await vault.refundable(depositId);
    if (sender === ZeroAddress) return { done: true };
    const readyAt = a.readyAt ?? now;
    const wait = await this.executorWait(BigInt(depositId), readyAt, now);
    return wait ?? { ...(await this.send(a, vault, "refund", [depositId], now)), readyAt };
  }

  private async signWithdrawal(a: Action, now: number): Promise<Outcome> {
    const { gateway, vault, wallet, foreignChainId } = this.c;
    const { withdrawalId, recipient, amount } = a.payload;
    if (await gateway.withdrawalSignedBy(withdrawalId, this.me)) return { done: true };
    const domain = { name: WITHDRAWAL_EIP712.domainName, version: WITHDRAWAL_EIP712.domainVersion, chainId: foreignChainId, verifyingContract: await vault.getAddress() };
    const types = { Withdrawal: [...WITHDRAWAL_EIP712.types.Withdrawal] };
    const value = { withdrawalId, recipient, amount };
    // The gateway's digest must be ours: a mismatch means this agent's configuration (chain id, vault) is not the
    // bridge's, and a signature made here would be useless or, worse, valid somewhere else.
    const ours = TypedDataEncoder.hash(domain, types, value);
    const theirs = await gateway.withdrawalDigest(withdrawalId);
    if (ours !== theirs) throw new Error(`withdrawal ${withdrawalId}: gateway digest ${theirs} differs from ours ${ours} (foreign chain id or vault misconfigured)`);
    const signature = await wallet.signTypedData(domain, types, value);
    return this.send(a, gateway, "submitWithdrawalSignature", [withdrawalId, signature], now);
  }

  private async executeWithdrawal(a: Action, now: number): Promise<Outcome> {
    const { gateway, vault, foreignValidatorSet, pollIntervalMs } = this.c;
    const { withdrawalId, recipient, amount } = a.payload;
    if (await vault.withdrawalProcessed(withdrawalId)) return { done: true };
    const [[signers, signatures], validators, threshold] = await Promise.all([
      gateway.withdrawalSignatures(withdrawalId) as Promise<[string[], string[]]>,
      foreignValidatorSet.validators() as Promise<string[]>,
      foreignValidatorSet.threshold() as Promise<bigint>,
    ]);
    // Only current foreign validators count, each once, in ascending signer order (what the vault checks).
    const current = new Set(validators.map((v) => getAddress(v)));
    const bySigner = new Map<string, string>();
    signers.forEach((s, i) => current.has(getAddress(s)) && bySigner.set(getAddress(s), signatures[i]));
    if (BigInt(bySigner.size) < threshold) return { at: now + pollIntervalMs };
    const readyAt = a.readyAt ?? now;
    const wait = await this.executorWait(BigInt(withdrawalId), readyAt, now);
    if (wait) return wait;
    const sorted = sortAddresses([...bySigner.keys()]).map((s) => bySigner.get(s)!);
    return { ...(await this.send(a, vault, "executeWithdrawal", [withdrawalId, recipient, amount, sorted], now)), readyAt };
  }

  /** Undefined when this validator may act now; otherwise when to look again (the policy's grace delay). */
  private async executorWait(id: bigint, readyAt: number, now: number): Promise<Outcome | undefined> {
    const validators: string[] = await this.c.foreignValidatorSet.validators();
    const at = mayActAt(id, validators, this.me, readyAt, this.c.fallbackDelayMs);
    return at <= now ? undefined : { at, readyAt };
  }
}
