// The bridge's transfers from the contracts' events, read incrementally: a cursor per chain, each update asking only
// for the blocks after it (in ranges RPC nodes accept), up to a depth where the chain no longer reorganises. It keeps
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
/** Home blocks left unread at the tip: a Clique tip can be replaced (as monitor/blocks.ts rereads). */
const HOME_DEPTH = 2;

type Handlers = Record<string, (e: EventLog) => void>;

/** One contract's events, from `startBlock` on, each block read once. */
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

  /** Hands every event up to `safe` to its handler, in chain order; a failed range is read again next time. */
  async readTo(safe: number): Promise<void> {
    while (this.next <= safe) {
      const to = Math.min(safe, this.next + RANGE - 1);
      const logs = await this.contract.queryFilter([this.topics], this.next, to);
      for (const log of logs) if (log instanceof EventLog) this.handlers[log.eventName](log);
      this.next = to + 1;
    }
  }
}

export class TransferLog {
  private readonly deposits = new OpenTransfers();
  private readonly withdrawals = new OpenTransfers();
  private readonly refundable = new Map<bigint, bigint>();
  private readonly refunded = { count: 0, returned: 0n, fees: 0n };
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
        Deposited: (e) => this.deposits.start(transfer(e, "homeRecipient")),
        DepositRefundable: (e) => this.refundable.set(e.args[0] as bigint, e.args.getValue("amount") as bigint),
        Refunded: (e) => {
          this.refundable.delete(e.args[0] as bigint);
          this.refunded.count += 1;
          this.refunded.returned += e.args.getValue("amount") as bigint;
          this.refunded.fees += e.args.getValue("fee") as bigint;
        },
        WithdrawalExecuted: (e) => this.withdrawals.end(e.args[0] as bigint),
      },
      start.foreign,
    );
    this.homeEvents = new EventCursor(
      gateway,
      {
        DepositMinted: (e) => this.deposits.end(e.args[0] as bigint),
        DepositCancelled: (e) => this.deposits.end(e.args[0] as bigint),
        WithdrawalRequested: (e) => this.withdrawals.start(transfer(e, "foreignRecipient")),
      },
      start.home,
    );
  }

  async update(): Promise<TransferLogState> {
    const [foreignHead, homeHead] = await Promise.all([this.foreign.getBlockNumber(), this.home.getBlockNumber()]);
    await this.foreignEvents.readTo(foreignHead - Math.max(0, this.foreignDepth - 1));
    await this.homeEvents.readTo(homeHead - HOME_DEPTH);
    const pending = [...this.refundable.values()];
    return {
      foreignHead,
      deposits: this.deposits.list(),
      withdrawals: this.withdrawals.list(),
      refunds: { ...this.refunded, pending: pending.length, pendingAmount: pending.reduce((a, b) => a + b, 0n) },
    };
  }
}
