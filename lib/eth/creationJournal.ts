// Contract creations that survive a crash of whoever sent them. Pulumi writes a resource's state only when its
// `create` returns, so an engine killed between broadcasting a creation and that moment leaves a contract on chain
// that the stack does not know of, and the next `up` would create it a second time. Each creation is written down
// here before the node sees it — keyed by chain, sender and creation code — and the next attempt at the same creation
// waits for the recorded transaction and adopts its contract instead of sending another.
// The journal is a file per creation in progress under `.work/creations/` of the project being run (lib/project.ts),
// removed once the caller's state holds the contract (`recorded()`); from another clone, a crashed creation is simply
// sent again.
import { getCreateAddress, keccak256, Provider, solidityPackedKeccak256, Transaction, TransactionReceipt } from "ethers";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { projectRoot } from "../project";
import { SequencedWallet } from "./sequencedWallet";
import { TransactionReverted, waitForReceipt } from "./transactions";

export interface JournalEntry {
  chainId: number;
  sender: string;
  /** The signed creation's transaction hash. */
  hash: string;
  /** Where it creates its contract (sender and nonce decide it before mining). */
  address: string;
}

export interface Creation {
  address: string;
  receipt: TransactionReceipt;
  /** Created by an earlier, interrupted attempt, found in the journal. */
  adopted: boolean;
  /**
   * Forgets the creation once the caller's state holds it. Until then a crash (or a failed set-up step after the
   * creation) leaves it recorded, and the next attempt adopts the contract instead of creating another.
   */
  recorded(): Promise<void>;
}

export const journalDir = () => join(projectRoot(), ".work", "creations");

function entryFile(chainId: number, sender: string, data: string): string {
  const key = solidityPackedKeccak256(["uint256", "address", "bytes32"], [chainId, sender, keccak256(data)]);
  return join(journalDir(), `${key.slice(2)}.json`);
}

async function readEntry(file: string): Promise<JournalEntry | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as JournalEntry;
  } catch {
    return undefined;
  }
}

/**
 * The recorded creation's receipt, once mined; undefined when the chain has no such creation (never sent, a reset
 * chain). The chain, not the file, decides: only a transaction of this sender creating exactly this code is adopted,
 * so an entry pointing at someone else's contract (a forged or stale file) is ignored.
 */
async function recordedReceipt(provider: Provider, entry: JournalEntry, sender: string, data: string, what: string, timeoutMs: number): Promise<TransactionReceipt | undefined> {
  const tx = await provider.getTransaction(entry.hash);
  if (!tx || tx.to !== null || tx.from.toLowerCase() !== sender.toLowerCase() || tx.data.toLowerCase() !== data.toLowerCase()) return undefined;
  return waitForReceipt(provider, entry.hash, `${what} (sent by an interrupted run)`, timeoutMs);
}

/**
 * The contract an earlier, interrupted attempt created with exactly this code from this signer, once mined; undefined
 * when there is none, and then its entry is gone. One still pending past the timeout stays recorded, and throws.
 */
export async function adoptJournaled(signer: SequencedWallet, data: string, what: string, timeoutMs: number): Promise<Creation | undefined> {
  const provider = signer.provider!;
  const file = entryFile(Number((await provider.getNetwork()).chainId), signer.address, data);
  const earlier = await readEntry(file);
  if (!earlier) return undefined;
  // One the chain never got (lost, or a reset chain) is forgotten, and so is a reverted one (reported).
  const receipt = await recordedReceipt(provider, earlier, signer.address, data, what, timeoutMs).catch(forgetIfReverted(file));
  if (receipt?.contractAddress) return { address: receipt.contractAddress, receipt, adopted: true, recorded: forget(file) };
  await rm(file, { force: true });
  return undefined;
}

/** Whether creations of `sender` on this chain are recorded: an earlier run was interrupted after sending them. */
export async function hasJournaled(chainId: number, sender: string): Promise<boolean> {
  const files = await readdir(journalDir()).catch(() => [] as string[]);
  const entries = await Promise.all(files.map((f) => readEntry(join(journalDir(), f))));
  return entries.some((e) => e?.chainId === chainId && e.sender.toLowerCase() === sender.toLowerCase());
}

/** Writes a signed creation of `data` down before it is broadcast; returns what forgets it (see Creation.recorded). */
export async function journalCreation(chainId: number, signed: Transaction, data: string): Promise<() => Promise<void>> {
  const sender = signed.from!;
  const file = entryFile(chainId, sender, data);
  await mkdir(journalDir(), { recursive: true });
  const entry: JournalEntry = { chainId, sender, hash: signed.hash!, address: getCreateAddress({ from: sender, nonce: signed.nonce }) };
  await writeFile(file, JSON.stringify(entry) + "\n");
  return forget(file);
}

/** Creates a contract with creation code `data` from `signer`, or adopts the one an interrupted attempt sent. */
export async function createOnce(signer: SequencedWallet, data: string, what: string, timeoutMs: number): Promise<Creation> {
  const adopted = await adoptJournaled(signer, data, what, timeoutMs);
  if (adopted) return adopted;
  const provider = signer.provider!;
  const chainId = Number((await provider.getNetwork()).chainId);
  const file = entryFile(chainId, signer.address, data);
  // Estimated before joining the signer's queue: concurrent creations are estimated together, then sent in a burst.
  const gasLimit = await provider.estimateGas({ from: signer.address, data });
  const tx = await signer.sendTransaction({ data, gasLimit }, async (signed) => void (await journalCreation(chainId, signed, data)));
  const receipt = await waitForReceipt(provider, tx.hash, what, timeoutMs).catch(forgetIfReverted(file));
  if (!receipt.contractAddress) {
    await rm(file, { force: true });
    throw new Error(`${what} created no contract (tx ${tx.hash})`);
  }
  return { address: receipt.contractAddress, receipt, adopted: false, recorded: forget(file) };
}

const forget = (file: string) => () => rm(file, { force: true });

/** A reverted creation is over: its entry goes, and the error stays. Any other failure keeps the entry for the next attempt. */
const forgetIfReverted = (file: string) => async (e: unknown): Promise<never> => {
  if (e instanceof TransactionReverted) await rm(file, { force: true });
  throw e;
};
