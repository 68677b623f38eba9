// The window of last blocks and who sealed each, kept up to date with few reads: each poll reads the blocks after the
// last one it has, and the last two again (a Clique tip can be replaced by an out-of-turn block of the same height).
// The genesis block is never in it: nobody sealed it, and its timestamp is the chain spec's, which would make the
// block time of a young chain the time since the spec was written.
import { JsonRpcProvider } from "ethers";
import { cliqueSigner, RawHeader } from "../lib/eth/clique";
import type { SealedBlock } from "./chainStatus";
import type { SealEngine } from "./config";

const REREAD = 2;

export class BlockWindow {
  private readonly blocks = new Map<number, SealedBlock>();

  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly seal: SealEngine,
    private readonly size: number,
  ) {}

  /** Reads what is new up to the head; returns the window's blocks. */
  async update(): Promise<SealedBlock[]> {
    const head = await this.provider.getBlockNumber();
    const from = Math.max(1, head - this.size + 1);
    const known = [...this.blocks.keys()].filter((n) => n >= from && n <= head - REREAD);
    const start = Math.max(from, known.length > 0 ? Math.max(...known) + 1 : from);
    const read = await Promise.all(Array.from({ length: head - start + 1 }, (_, i) => this.read(start + i)));
    for (const b of read) this.blocks.set(b.number, b);
    for (const n of this.blocks.keys()) if (n < from || n > head) this.blocks.delete(n);
    return [...this.blocks.values()];
  }

  private async read(n: number): Promise<SealedBlock> {
    const raw = (await this.provider.send("eth_getBlockByNumber", ["0x" + n.toString(16), false])) as (RawHeader & { miner: string }) | null;
    if (!raw) throw new Error(`block ${n} is not served by the RPC node`);
    if (this.seal !== "clique") return { number: n, timestamp: Number(raw.timestamp), signer: raw.miner };
    // Clique's difficulty says whether the in-turn signer sealed it: 2 in turn, 1 out of turn.
    return { number: n, timestamp: Number(raw.timestamp), signer: cliqueSigner(raw), inTurn: BigInt(raw.difficulty) === 2n };
  }
}
