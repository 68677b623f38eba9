// The transfers of one kind (deposits, or withdrawals) that have started and not ended (pure), from events of two
// chains read to different heights: an end can be read before its start.

export interface PendingTransfer {
  id: bigint;
  block: number;
  txHash: string;
  recipient: string;
  amount: bigint;
}

export class OpenTransfers {
  private readonly items = new Map<bigint, PendingTransfer>();
  /** Ends read before their start: matched when the start comes. */
  private readonly ended = new Set<bigint>();

  start(t: PendingTransfer): void {
    if (!this.ended.delete(t.id)) this.items.set(t.id, t);
  }

  end(id: bigint): void {
    if (!this.items.delete(id)) this.ended.add(id);
  }

  /** A copy to lay provisional events over (the chain's tip) without changing this one. */
  clone(): OpenTransfers {
    const c = new OpenTransfers();
    this.items.forEach((t, id) => c.items.set(id, t));
    this.ended.forEach((id) => c.ended.add(id));
    return c;
  }

  /** Oldest first: ids come from a per-contract nonce, so in the order the transfers were made. */
  list(): PendingTransfer[] {
    return [...this.items.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
