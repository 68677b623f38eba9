// What the agent does about each event, idempotently: every handler reads the on-chain state right before acting and
// treats "already done (by anyone)" as done, so a crash, a restart or a replayed block range never relays twice.
// Before a validator lends its key to an event, the event is checked against contract storage read through this
// validator's own node at a block `confirmations` deep: a log forged by an RPC proxy (or a node that lies about logs
// only) is refused, with an alert, and never confirmed or signed.
import { BaseWallet, Contract, getAddress, TypedDataEncoder, ZeroAddress } from "ethers";
import { depositRecordHash, withdrawalTypedData } from "../lib/bridge/messages";
import { errField, Logger } from "./log";
import { Metrics } from "./metrics";
import { executableSignatures } from "../lib/bridge/signatures";
import { mayActAt } from "./policy";
import { Action, ActionKind, NewAction, Side, StoredEvent, Store } from "./store";
import { TxSender } from "./txSender";

/** The chain each kind of action sends its transaction to. */
export const ACTION_SIDE: Record<ActionKind, Side> = {
  confirmDeposit: "home",
  signWithdrawal: "home",
  refund: "foreign",
  executeWithdrawal: "foreign",
};

/**
 * Events → actions. Keys name the contract-assigned id and the event's transaction and block, so a reorg that gives
 * an id to another event makes a new action. Foreign transactions (refund, execution) only when `relayForeign`.
 */
export function actionsFor(relayForeign: boolean): (e: StoredEvent) => NewAction[] {
  return (e) => {
    const a = e.args;
    const key = (kind: ActionKind, id: string) => `${kind}:${id}:${e.txHash}:${e.blockHash}`;
    const action = (kind: ActionKind, id: string, payload: Record<string, string>): NewAction => ({ key: key(kind, id), kind, sourceBlock: e.block, payload });
    switch (e.name) {
      case "Deposited":
        return [action("confirmDeposit", a.depositId, { depositId: a.depositId, sender: a.sender, recipient: a.homeRecipient, amount: a.amount })];
      case "DepositRefundable":
        return relayForeign ? [action("refund", a.depositId, { depositId: a.depositId })] : [];
      case "WithdrawalRequested": {
        const payload = { withdrawalId: a.withdrawalId, recipient: a.foreignRecipient, amount: a.amount };
        return [action("signWithdrawal", a.withdrawalId, payload), ...(relayForeign ? [action("executeWithdrawal", a.withdrawalId, payload)] : [])];
      }
      default:
        return [];
    }
  };
}

export interface ActionContext {
  store: Store;
  wallet: BaseWallet;
  senders: Record<Side, TxSender>;
  /** Read-only contracts, connected to their chain's provider (this validator's own nodes). */
  gateway: Contract;
  vault: Contract;
  foreignValidatorSet: Contract;
  foreignChainId: number;
  homeChainId: number;
  /** The newest block of `side` that is `confirmations` deep, read now from this validator's node. */
  safeBlock(side: Side): Promise<number>;
  pollIntervalMs: number;
  fallbackDelayMs: number;
  log: Logger;
  metrics: Metrics;
}

/**
 * Done; refused for good (the event does not match the chain: an alert, never retried); or run again at `at`
 * (ms since epoch), remembering when the action became executable.
 */
type Outcome = { done: true } | { refused: string } | { at: number; readyAt?: number };

const MAX_BACKOFF_MS = 60_000;
/**
 * Actions in progress at once: enough to overlap their reads; few enough that their transactions, broadcast in
 * whatever order they finish, never leave a nonce gap near the 64 transactions geth holds per account ahead of one.
 */
const MAX_CONCURRENT_ACTIONS = 16;
const MAX_ACTIONS_PER_ROUND = 128;

export class ActionRunner {
  private readonly roundSafeBlocks = new Map<Side, Promise<number>>();
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

  /**
   * Runs the due actions once, up to MAX_CONCURRENT_ACTIONS at a time (each action is mostly reads through the node,
   * and a burst of withdrawals is hundreds of them; the sender orders their nonces) and at most
   * MAX_ACTIONS_PER_ROUND, so that the chains are scanned and the transactions settled between rounds (and health
   * stays fresh) however long the backlog. Returns true if due actions are left for the next round. `stopping` is
   * checked before each action is taken up, so SIGTERM ends after the ones under way.
   */
  async runDue(now: number, stopping: () => boolean): Promise<boolean> {
    // An action whose transaction is still pending waits for it, at no cost: no write, it is simply not taken up.
    const inFlight = this.c.store.actionsWithPendingTx();
    const due = this.c.store.dueActions(now).filter((a) => !inFlight.has(a.key));
    const queue = due.slice(0, MAX_ACTIONS_PER_ROUND);
    this.roundSafeBlocks.clear();
    const worker = async () => {
      for (let a = queue.shift(); a && !stopping(); a = queue.shift()) await this.runOne(a, now);
    };
    await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENT_ACTIONS, queue.length) }, worker));
    return due.length > MAX_ACTIONS_PER_ROUND;
  }

  private async runOne(a: Action, now: number): Promise<void> {
    const { store, log, metrics, pollIntervalMs } = this.c;
    try {
      const out = await this.handlers[a.kind](a, now);
      if ("done" in out) {
        store.markDone(a.key, Date.now());
        metrics.actions.inc({ kind: a.kind, result: "done" });
        log.info({ action: a.key }, "action done");
      } else if ("refused" in out) {
        store.markRefused(a.key, Date.now(), out.refused);
        metrics.actions.inc({ kind: a.kind, result: "refused" });
        metrics.alerts.inc({ kind: "unverifiedEvent" });
        log.error({ action: a.key, reason: out.refused }, "ALERT: event refused, it does not match the chain as this validator's node reports it");
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

  /**
   * The safe block of `side`, read once per round: the actions of a round share it (a block read earlier is, if
   * anything, deeper). A failed read is not kept.
   */
  private safeBlock(side: Side): Promise<number> {
    let block = this.roundSafeBlocks.get(side);
    if (!block) {
      block = this.c.safeBlock(side);
      this.roundSafeBlocks.set(side, block);
      block.catch(() => this.roundSafeBlocks.delete(side));
    }
    return block;
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
    const { depositId, sender, recipient, amount } = a.payload;
    if (await gateway.depositMinted(depositId)) return { done: true };
    if (await gateway.depositCancelled(depositId)) return { done: true };
    if (await gateway.depositConfirmedBy(depositId, recipient, amount, this.me)) return { done: true };
    const problem = await this.depositRecordProblem(depositId, sender, recipient, amount);
    if (problem) return { refused: problem };
    return this.send(a, gateway, "confirmDeposit", [depositId, recipient, amount], now);
  }

  /** Why the vault's record of deposit `depositId` (confirmations deep) is not this one, or undefined if it is. */
  private async depositRecordProblem(depositId: string, sender: string, homeRecipient: string, amount: string): Promise<string | undefined> {
    const block = await this.safeBlock("foreign");
    const record: string = await this.c.vault.depositRecord(depositId, { blockTag: block });
    const expected = depositRecordHash(sender, homeRecipient, amount);
    return record === expected ? undefined : `vault record of deposit ${depositId} at foreign block ${block} is ${record}, not the hash of (${sender}, ${homeRecipient}, ${amount})`;
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
    const { gateway, vault, wallet, foreignChainId, homeChainId } = this.c;
    const { withdrawalId, recipient, amount } = a.payload;
    if (await gateway.withdrawalSignedBy(withdrawalId, this.me)) return { done: true };
    const problem = await this.withdrawalProblem(withdrawalId, recipient, amount);
    if (problem === "wait") return { at: now + this.c.pollIntervalMs };
    if (problem) return { refused: problem };
    const { domain, types, value } = withdrawalTypedData(foreignChainId, await vault.getAddress(), {
      homeChainId,
      homeGateway: await gateway.getAddress(),
      withdrawalId,
      recipient,
      amount,
    });
    // The gateway's digest must be ours: a mismatch means this agent's configuration (chain ids, vault, gateway) is
    // not the bridge's, and a signature made here would be useless or, worse, valid somewhere else.
    const ours = TypedDataEncoder.hash(domain, types, value);
    const theirs = await gateway.withdrawalDigest(withdrawalId);
    if (ours !== theirs) throw new Error(`withdrawal ${withdrawalId}: gateway digest ${theirs} differs from ours ${ours} (chain ids, vault or gateway misconfigured)`);
    const signature = await wallet.signTypedData(domain, types, value);
    return this.send(a, gateway, "submitWithdrawalSignature", [withdrawalId, signature], now);
  }

  /**
   * Why withdrawal `id` is not one to sign: the gateway (confirmations deep) must record this very request, and a
   * cancellation must give back a whitelisted deposit the vault holds, to its sender, never minted. "wait" when the
   * deposit a cancellation names is not yet among the events this agent has scanned.
   */
  private async withdrawalProblem(id: string, recipient: string, amount: string): Promise<string | "wait" | undefined> {
    const { gateway, store } = this.c;
    const block = await this.safeBlock("home");
    const [onChainRecipient, onChainAmount, cancelled] = (await gateway.withdrawal(id, { blockTag: block })) as [string, bigint, bigint];
    if (getAddress(onChainRecipient) !== getAddress(recipient) || onChainAmount !== BigInt(amount)) {
      return `the gateway at home block ${block} records withdrawal ${id} as (${onChainRecipient}, ${onChainAmount}), not (${recipient}, ${amount})`;
    }
    if (cancelled === 0n) return undefined;
    const deposit = store.events("foreign").find((e) => e.name === "Deposited" && e.args.depositId === String(cancelled));
    if (!deposit) return "wait";
    if (getAddress(deposit.args.sender) !== getAddress(recipient)) return `withdrawal ${id} cancels deposit ${cancelled} but pays ${recipient}, not its sender ${deposit.args.sender}`;
    if (await gateway.depositMinted(cancelled, { blockTag: block })) return `withdrawal ${id} cancels deposit ${cancelled}, which was minted`;
    return this.depositRecordProblem(String(cancelled), recipient, deposit.args.homeRecipient, amount);
  }

  private async executeWithdrawal(a: Action, now: number): Promise<Outcome> {
    const { gateway, vault, foreignValidatorSet, pollIntervalMs } = this.c;
    const { withdrawalId, recipient, amount } = a.payload;
    if (await vault.withdrawalProcessed(withdrawalId)) return { done: true };
    const signatures = await executableSignatures(gateway, foreignValidatorSet, withdrawalId);
    if (!signatures) return { at: now + pollIntervalMs };
    const readyAt = a.readyAt ?? now;
    const wait = await this.executorWait(BigInt(withdrawalId), readyAt, now);
    if (wait) return wait;
    return { ...(await this.send(a, vault, "executeWithdrawal", [withdrawalId, recipient, amount, signatures], now)), readyAt };
  }

  /** Undefined when this validator may act now; otherwise when to look again (the policy's grace delay). */
  private async executorWait(id: bigint, readyAt: number, now: number): Promise<Outcome | undefined> {
    const validators: string[] = await this.c.foreignValidatorSet.validators();
    const at = mayActAt(id, validators, this.me, readyAt, this.c.fallbackDelayMs);
    return at <= now ? undefined : { at, readyAt };
  }
}
