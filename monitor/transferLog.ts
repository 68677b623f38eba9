// The bridge's transfers from the contracts' events, read incrementally: a cursor per chain, each update asking only
// for the blocks after it (in ranges RPC nodes accept), up to a depth where the chain no longer reorganises; home's
// tip above that depth is read anew each time over a copy, so the list agrees with the totals read at the head. It keeps
// what the dashboard needs: the transfers the validators still owe (whitelisted deposits neither minted nor cancelled
// on home, withdrawals not released on foreign) and the refunds' tallies. A non-whitelisted deposit waits for a
// refund anyone may call, not for the validators: it is a pending refund, not an unrelayed transfer.
import { Contract, EventLog, JsonRpcProvider } from "ethers";
import { OpenTransfers, PendingTransfer } from "./openTransfers";

export interface RefundTally {
  /** Non-whitelisted deposits refunded: how many, what their senders got back, the fees sent to the fee recipient. */
  count: number;
  returned: bigint;
  fees: bigint;
  /** Non-whitelisted deposits nobody refunded yet, and their amount. */
  pending: number;
  pendingAmount: bigint;
}

export interface TransferLogState {
  /** The foreign head at this update (deposits' depth is counted from it). */
  foreignHead: number;
  /** Still owed by the validators, oldest first. */
  deposits: PendingTransfer[];
  withdrawals: PendingTransfer[];
  refunds: RefundTally;
}

/** Blocks per eth_getLogs: within what public RPC nodes accept. */
const RANGE = 2_000;
/** Home blocks kept provisional at the tip: a Clique tip can be replaced (as monitor/blocks.ts rereads). */
const HOME_DEPTH = 2;

/** What the events read so far say; the handlers change it. */
class LogState {
  constructor(
    readonly deposits = new OpenTransfers(),
    readonly withdrawals = new OpenTransfers(),
    readonly refundable = new Map<bigint, bigint>(),
    readonly refunded = { count: 0, returned: 0n, fees: 0n },
  ) {}

  /** A copy to lay the tip's events over, leaving this one as the final blocks left it. */
  clone(): LogState {
    return new LogState(this.deposits.clone(), this.withdrawals.clone(), new Map(this.refundable), { ...this.refunded });
  }
}

type Handlers = Record<string, (s: LogState, e: EventLog) => void>;

/** One contract's events, from `startBlock` on, each final block read once. */
class EventCursor {
  private next: number;
  private readonly topics: string[];

  constructor(
    private readonly contract: Contract,
    private readonly handlers: Handlers,
    startBlock: number,
  ) {
    this.next = startBlock;
    this.topics = Object.keys(handlers).map((name) => contract.interface.getEvent(name)!.topicHash);
  }

  /** Hands every event up to `final` to its handler, in chain order; a failed range is read again next time. */
  async readTo(final: number, state: LogState): Promise<void> {
    while (this.next <= final) {
      const to = Math.min(final, this.next + RANGE - 1);
      await this.apply(this.next, to, state);
      this.next = to + 1;
    }
  }

  /** Hands the events after the final blocks, up to `head`, to `state` without moving on: they are read again next time. */
  async readTip(head: number, state: LogState): Promise<void> {
    if (this.next <= head) await this.apply(this.next, head, state);
  }

  private async apply(from: number, to: number, state: LogState): Promise<void> {
    const logs = await this.contract.queryFilter([this.topics], from, to);
    for (const log of logs) if (log instanceof EventLog) this.handlers[log.eventName](state, log);
  }
}

export class TransferLog {
  private readonly final = new LogState();
  private readonly foreignEvents: EventCursor;
  private readonly homeEvents: EventCursor;

  constructor(
    vault: Contract,
    gateway: Contract,
    private readonly foreign: JsonRpcProvider,
    private readonly home: JsonRpcProvider,
    start: { foreign: number; home: number },
    /** The agents' confirmation depth on foreign: nothing happens to a deposit before it. */
    private readonly foreignDepth: number,
  ) {
    const transfer = (e: EventLog, recipient: string): PendingTransfer => ({
      id: e.args[0] as bigint,
      block: e.blockNumber,
      txHash: e.transactionHash,
      recipient: e.args.getValue(recipient) as string,
      amount: e.args.getValue("amount") as bigint,
    });
    this.foreignEvents = new EventCursor(
      vault,
      {
        Deposited: (s, e) => s.deposits.start(transfer(e, "homeRecipient")),
        DepositRefundable: (s, e) => s.refundable.set(e.args[0] as bigint, e.args.getValue("amount") as bigint),
        Refunded: (s, e) => {
          s.refundable.delete(e.args[0] as bigint);
          s.refunded.count += 1;
          s.refunded.returned += e.args.getValue("amount") as bigint;
          s.refunded.fees += e.args.getValue("fee") as bigint;
        },
        WithdrawalExecuted: (s, e) => s.withdrawals.end(e.args[0] as bigint),
      },
      start.foreign,
    );
    this.homeEvents = new EventCursor(
      gateway,
      {
        DepositMinted: (s, e) => s.deposits.end(e.args[0] as bigint),
        DepositCancelled: (s, e) => s.deposits.end(e.args[0] as bigint),
        WithdrawalRequested: (s, e) => s.withdrawals.start(transfer(e, "foreignRecipient")),
      },
      start.home,
    );
  }

  /** Called after the totals are read: the home head it reads is at least theirs, so a mint they count is never listed as owed. */
  async update(): Promise<TransferLogState> {
    const [foreignHead, homeHead] = await Promise.all([this.foreign.getBlockNumber(), this.home.getBlockNumber()]);
    await this.foreignEvents.readTo(foreignHead - Math.max(0, this.foreignDepth - 1), this.final);
    await this.homeEvents.readTo(homeHead - HOME_DEPTH, this.final);
    const now = this.final.clone();
    await this.homeEvents.readTip(homeHead, now);
    const pending = [...now.refundable.values()];
    return {
      foreignHead,
      deposits: now.deposits.list(),
      withdrawals: now.withdrawals.list(),
      refunds: { ...now.refunded, pending: pending.length, pendingAmount: pending.reduce((a, b) => a + b, 0n) },
    };
  }
}
