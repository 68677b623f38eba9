// Scans one chain's bridge contract for events, up to the node's head minus confirmations, in ranges of at most
// maxBlockRange blocks. Each range's events, the actions they imply and the new cursor are committed together.
// Missed logs from a lagging node are avoided by never scanning past what that same node reports as its head (minus
// confirmations), by requiring the node to serve the range's last block, and by checking that block's hash is
// unchanged after the logs were fetched.
import { Interface, JsonRpcProvider, Log, toQuantity } from "ethers";
import { findResumePoint, HeaderSource } from "./reorg";
import { Action, Checkpoint, NewAction, Side, StoredEvent, Store } from "./store";

export interface WatchSpec {
  side: Side;
  confirmations: number;
  startBlock: number;
  maxBlockRange: number;
  /** Contracts whose logs are scanned. */
  addresses: string[];
  /** ABI of the events to decode; every event in it is scanned. */
  iface: Interface;
  /** The actions an event implies (none for events that are only recorded). */
  actionsFor(event: StoredEvent): NewAction[];
}

export interface ScanResult {
  head: number;
  safeHead: number;
  cursor: number;
  /** A reorg made the scan forget blocks after this one. */
  rewoundTo?: number;
  /** Actions already carried out on blocks the reorg replaced (each recorded as an alert). */
  reorgedActions?: Action[];
}

/**
 * Block `n`'s header (or the head's) as the node reports it now. A raw call on purpose: ethers' getBlock answers a
 * repeated request from a 250 ms cache, which would make the re-check after fetching logs compare a header with itself.
 */
async function header(provider: JsonRpcProvider, n: number | "latest"): Promise<Checkpoint | null> {
  const block = (await provider.send("eth_getBlockByNumber", [n === "latest" ? n : toQuantity(n), false])) as { number?: string; hash?: string } | null;
  return block?.hash && block.number ? { block: Number(block.number), hash: block.hash } : null;
}

function providerHeaders(provider: JsonRpcProvider): HeaderSource {
  return { blockHash: async (n) => (await header(provider, n))?.hash ?? null };
}

function decode(iface: Interface, log: Log): StoredEvent {
  const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) throw new Error(`log ${log.transactionHash}:${log.index} is not one of the watched events`);
  const args: Record<string, string> = {};
  parsed.fragment.inputs.forEach((input, i) => (args[input.name] = String(parsed.args[i])));
  return { block: log.blockNumber, blockHash: log.blockHash, logIndex: log.index, txHash: log.transactionHash, name: parsed.name, args };
}

export class Watcher {
  private readonly topics: string[] = [];
  /**
   * The head and stored cursor of the last step that found the cursor canonical and nothing to scan. A head with the
   * same hash is the same chain (a block's hash commits to all its ancestors), so while neither changes a step has
   * nothing to check or scan: an idle poll is one request, not two. Any new head, reorg or store change checks again.
   */
  private settled?: { head: string; cursor?: string };

  constructor(
    private readonly spec: WatchSpec,
    private readonly provider: JsonRpcProvider,
    private readonly store: Store,
    private readonly headers: HeaderSource = providerHeaders(provider),
  ) {
    spec.iface.forEachEvent((e) => this.topics.push(e.topicHash));
  }

  /** One scan step: at most one block range. */
  async step(): Promise<ScanResult> {
    const { side, confirmations, startBlock, maxBlockRange } = this.spec;
    const latest = await header(this.provider, "latest");
    if (!latest) throw new Error(`${side} chain: the node reports no head block`);
    const head = latest.block;
    const safeHead = head - confirmations;
    const stored = this.store.cursor(side);
    if (this.settled?.head === latest.hash && this.settled.cursor === stored?.hash) return { head, safeHead, cursor: stored?.block ?? startBlock - 1 };
    this.settled = undefined;
    let rewind: Pick<ScanResult, "rewoundTo" | "reorgedActions"> = {};
    // The first checkpoint is the block before the start block. Without it, a reorg inside the first range scanned
    // (many blocks, when an agent starts after deposits were made) would find no checkpoint below it to rewind to.
    if (!stored && startBlock > 0) {
      const parent = await header(this.provider, startBlock - 1);
      if (!parent) return { head, safeHead, cursor: startBlock - 1 };
      this.store.commitRange(side, parent, [], []);
    }
    const resume = await findResumePoint(side, this.store.checkpointsNewestFirst(side), this.headers);
    if (resume.kind === "rewind") {
      rewind = { rewoundTo: resume.to.block, reorgedActions: this.store.rewind(side, resume.to.block, Date.now()) };
    }
    const newest = this.store.cursor(side);
    const cursor = newest?.block ?? startBlock - 1;
    const result: ScanResult = { head, safeHead, cursor, ...rewind };
    if (resume.kind === "canonical" && cursor >= safeHead) this.settled = { head: latest.hash, cursor: newest?.hash };
    if (resume.kind === "nodeBehind" || cursor >= safeHead) return result;

    const from = cursor + 1;
    const to = Math.min(safeHead, from + maxBlockRange - 1);
    const last = await header(this.provider, to);
    if (!last) return result;
    const logs = await this.provider.getLogs({ address: this.spec.addresses, topics: [this.topics], fromBlock: from, toBlock: to });
    // The node must still agree on the range's last block, and no log may come from a block outside the range or
    // from another version of that block (a reorg or a load balancer switching nodes between the two calls).
    const again = await header(this.provider, to);
    const consistent = logs.every((l) => !l.removed && l.blockNumber >= from && l.blockNumber <= to && (l.blockNumber !== to || l.blockHash === last.hash));
    if (again?.hash !== last.hash || !consistent) return result;

    const events = logs.map((l) => decode(this.spec.iface, l));
    this.store.commitRange(side, last, events, events.flatMap((e) => this.spec.actionsFor(e)));
    return { ...result, cursor: to };
  }
}
