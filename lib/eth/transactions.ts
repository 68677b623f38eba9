// Sending transactions from deployment code: one sender at a time per chain (Pulumi creates resources in parallel,
// and two transactions from one key built at once would take the same nonce), receipts awaited in a way that
// survives a freshly started geth still indexing its transactions, and reads of a contract just created that survive
// a short fork without it.
import { isError, type Provider, type TransactionReceipt } from "ethers";
import { inTurn } from "../inTurn";

/** Runs `fn` after every earlier call for the same chain and sender has finished (within this process). */
export function withSenderLock<T>(chainId: number, sender: string, fn: () => Promise<T>): Promise<T> {
  return inTurn(`sender:${chainId}:${sender.toLowerCase()}`, fn);
}

/** A mined transaction that failed: definitive, unlike a receipt that has not come yet. */
export class TransactionReverted extends Error {}

/** geth answers this while it builds its transaction index after a start; the receipt comes once it is done. */
const TRANSIENT = /transaction indexing is in progress/;

export async function waitForReceipt(provider: Provider, hash: string, what: string, timeoutMs = 120_000): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  let minedIn: number | undefined;
  for (;;) {
    try {
      const receipt = await provider.getTransactionReceipt(hash);
      if (receipt) {
        if (receipt.status !== 1) throw new TransactionReverted(`${what}: transaction ${hash} reverted`);
        if (await headReached(provider, receipt.blockNumber)) return receipt;
        minedIn = receipt.blockNumber;
      }
    } catch (e) {
      if (!TRANSIENT.test(String((e as Error).message))) throw e;
    }
    if (Date.now() > deadline) {
      if (minedIn !== undefined) {
        throw new Error(
          `${what}: transaction ${hash} was mined in block ${minedIn}, but the node's head did not reach that block within ${timeoutMs / 1000}s: its answers come from nodes that disagree (a load balancer?). Fix: point the deployment at one node's RPC URL, then run again`,
        );
      }
      throw new Error(`${what}: transaction ${hash} not mined within ${timeoutMs / 1000}s. ${await describeNode(provider, hash)}`);
    }
    // A fraction of a 1 s block: what waits on a receipt (the next wave of a deployment) goes on within it.
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Whether the node's head is at `block` or past it. geth makes a block's receipts findable a moment before it moves
 * its head to that block (two writes), and a read at "latest" in between sees the state before the transaction:
 * what waits on a receipt to read what it did waits for the head too. Asked raw where it can be: ethers shares an
 * identical request's answer for 250 ms, which may predate the block.
 */
export async function headReached(provider: Provider, block: number): Promise<boolean> {
  const send = rawSend(provider);
  const head = send ? Number(await send("eth_blockNumber", [])) : await provider.getBlockNumber();
  return head >= block;
}

/** The provider's raw JSON-RPC call, where it has one (a JsonRpcProvider's). */
function rawSend(provider: Provider): ((method: string, params: unknown[]) => Promise<unknown>) | undefined {
  const rpc = provider as Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> };
  return typeof rpc.send === "function" ? (method, params) => rpc.send!(method, params) : undefined;
}

/**
 * What the node sees when a transaction is not mined: its head and how old it is, its peers, whether it holds the
 * transaction — enough to tell a chain that stopped sealing from a node cut off from it. Best effort: a part the node
 * does not answer is left out.
 */
async function describeNode(provider: Provider, hash: string): Promise<string> {
  const send = rawSend(provider);
  const [head, peers, tx] = await Promise.all([
    provider.getBlock("latest").catch(() => null),
    send ? (send("net_peerCount", []) as Promise<string>).then(Number, () => undefined) : undefined,
    provider.getTransaction(hash).catch(() => undefined),
  ]);
  const seen = [
    head ? `its head is block ${head.number}, sealed ${Math.max(0, Math.round(Date.now() / 1000 - head.timestamp))} s ago` : undefined,
    peers !== undefined ? `it has ${peers} peer(s)` : undefined,
    tx === null ? "it does not know the transaction" : tx ? "the transaction waits in its pool" : undefined,
  ].filter((part): part is string => part !== undefined);
  const fix = "Fix: check that the chain's sealers are running and peered (their node.log), then run again";
  return seen.length ? `The node says: ${seen.join("; ")}. ${fix}` : `The node does not answer. ${fix}`;
}

/**
 * Waits until no transaction of `address` is in flight (its pending nonce is its mined one), so that what is read
 * next is final: a crashed run may have left transactions that are still to be mined. Returns the mined nonce.
 * geth may answer the mined nonce as the pending one for a moment after importing a block (its pool resets
 * asynchronously), so the answer must hold on two reads half a second apart.
 */
export async function settledNonce(provider: Provider, address: string, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let settledAt: number | undefined;
  for (;;) {
    const [mined, pending] = await Promise.all([provider.getTransactionCount(address, "latest"), provider.getTransactionCount(address, "pending")]);
    if (pending > mined) settledAt = undefined;
    else if (settledAt === mined) return mined;
    else settledAt = mined;
    if (Date.now() > deadline) {
      throw new Error(`${address} still has ${pending - mined} transaction(s) waiting to be mined after ${timeoutMs / 1000} s. Fix: check that the chain seals blocks, then run again`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** How long a contract created with success may be missing from the head (a short fork) before it counts as lost. */
export const CREATED_WAIT_MS = 60_000;

/** A call answered with no data at all: what an address without code answers. */
const answeredNothing = (e: unknown) => isError(e, "BAD_DATA") && e.value === "0x";

/**
 * Reads a contract created moments ago. On a chain with several sealers a node may follow, for a block or two, a fork
 * whose block lacks the creation (two sealers sealed the same height); geth puts the transaction back in its pool and
 * it is mined again at the same address (same sender, same nonce). So a read that finds no contract there waits for
 * it, up to `timeoutMs`; any other failure is thrown at once.
 */
export async function readCreated<T>(what: string, read: () => Promise<T>, timeoutMs = CREATED_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (e) {
      if (!answeredNothing(e)) throw e;
      if (Date.now() > deadline) throw new Error(`${what}: no contract answered there within ${timeoutMs / 1000} s. Fix: check that the node follows the chain the contract was created on, then run again`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
