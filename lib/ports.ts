// Port blocks for local fleets. Several stacks (and test runs) share one machine, so every stack reserves a
// block of ports in a per-user registry: one file per block, created with O_EXCL, which makes the claim
// atomic without a lock. A block is only claimed if all its ports are free on loopback at that moment — which says
// nothing about a program that binds them later, so whatever binds ports from a block must claim it in the one
// registry every stack uses (cacheRoot(), lib/toolchain/versions.ts); a private registry would hand out taken blocks.
import { existsSync } from "node:fs";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { processAlive } from "./processAlive";
import { resolveStoredPath } from "./project";
import { writeFileAtomic } from "./writeFileAtomic";

export const PORT_BLOCK_SIZE = 100;
/** The first block's first port: every reservation scans the registry from here. */
export const FIRST_PORT_BLOCK = 30400;
const LAST_BLOCK = 39900;

export function registryDir(root: string): string {
  return join(root, "ports");
}

/** True if nothing listens on 127.0.0.1:`port` (TCP). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function allFree(base: number, size: number): Promise<boolean> {
  for (let p = base; p < base + size; p++) if (!(await portFree(p))) return false;
  return true;
}

interface Claim {
  owner: string;
  /** The holder's working directory; a claim whose directory is gone (checkout deleted) is stale. */
  holderDir?: string;
  /**
   * The process the block lives with, for a holder whose ports live no longer than it (a test's chain); a claim whose
   * process is gone is stale. A stack's claim has none: it outlives the provider process that made it.
   */
  holderPid?: number;
}

/**
 * Whether the claim in `file` is stale: its holder's directory or process is gone (false when there is no claim
 * to read).
 */
async function isStale(file: string): Promise<boolean> {
  try {
    const claim = JSON.parse(await readFile(file, "utf8")) as Claim;
    return (!!claim.holderDir && !existsSync(claim.holderDir)) || (claim.holderPid !== undefined && !processAlive(claim.holderPid));
  } catch {
    return false; // released meanwhile, or not a claim this code wrote: not ours to remove
  }
}

/**
 * Removes the claim in `file` if it is stale. Reservers that find the same stale claim at once must not remove each
 * other's fresh claims (one removes the stale claim and claims the block; another, having read the stale claim a
 * moment earlier, would then remove the new one). So the removal happens under the block's lock (`<file>.reclaim`,
 * created with O_EXCL: one reserver at a time; the others skip the block), after reading the claim again under it.
 */
async function reclaimIfStale(file: string): Promise<boolean> {
  if (!(await isStale(file))) return false;
  const lock = `${file}.reclaim`;
  try {
    await writeFile(lock, `${process.pid}\n`, { flag: "wx" });
  } catch {
    return false; // another reserver is reclaiming it
  }
  try {
    if (!(await isStale(file))) return false;
    await unlink(file);
    return true;
  } finally {
    await unlink(lock);
  }
}

/**
 * Claims the first free block for `owner` (e.g. "consortium/dev@.work/dev") working in `holderDir` (relative: to the
 * working directory, the project folder; the claim records it absolute, as this machine sees it); returns its first port.
 * `heldByThisProcess`: the block is free again once this process is gone, even if it could not release it (killed).
 */
export async function reservePortBlock(registryRoot: string, owner: string, holder?: string, heldByThisProcess = false): Promise<number> {
  const dir = registryDir(registryRoot);
  const holderDir = holder === undefined ? undefined : resolveStoredPath(holder);
  await mkdir(dir, { recursive: true });
  if (holderDir) await mkdir(holderDir, { recursive: true }); // it must exist for the claim to count as live
  for (let base = FIRST_PORT_BLOCK; base <= LAST_BLOCK; base += PORT_BLOCK_SIZE) {
    const file = join(dir, String(base));
    const claim: Claim = { owner, ...(holderDir ? { holderDir } : {}), ...(heldByThisProcess ? { holderPid: process.pid } : {}) };
    try {
      await writeFile(file, JSON.stringify({ ...claim, pid: process.pid, at: new Date().toISOString() }) + "\n", { flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (!(await reclaimIfStale(file))) continue;
      base -= PORT_BLOCK_SIZE; // try the reclaimed block again
      continue;
    }
    if (await allFree(base, PORT_BLOCK_SIZE)) return base;
    await unlink(file);
  }
  throw new Error(
    `no free block of ${PORT_BLOCK_SIZE} ports between ${FIRST_PORT_BLOCK} and ${LAST_BLOCK + PORT_BLOCK_SIZE - 1} on 127.0.0.1: ` +
      `tear down stacks you no longer need (npm run down), or remove stale entries from ${dir}`,
  );
}

/** Releases a block if `owner` holds it (a missing entry is already released). */
export async function releasePortBlock(registryRoot: string, base: number, owner: string): Promise<void> {
  const file = join(registryDir(registryRoot), String(base));
  try {
    const held = JSON.parse(await readFile(file, "utf8")) as { owner: string };
    if (held.owner === owner) await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/**
 * Hands a block `from` one owner name `to` another, the block kept (a stack whose project was renamed keeps its ports).
 * Refused when `from` does not hold it: the claim may be another stack's by now.
 */
export async function relabelPortBlock(registryRoot: string, base: number, from: string, to: string): Promise<void> {
  const file = join(registryDir(registryRoot), String(base));
  const held = JSON.parse(await readFile(file, "utf8")) as Claim & Record<string, unknown>;
  if (held.owner !== from) throw new Error(`port block ${base} is held by ${JSON.stringify(held.owner)}, not ${JSON.stringify(from)}: it cannot be handed to ${JSON.stringify(to)}`);
  // Replaced whole: a concurrent reader sees the old claim or the new one. 0644, as a claim is created.
  await writeFileAtomic(file, JSON.stringify({ ...held, owner: to, at: new Date().toISOString() }) + "\n", 0o644);
}

/** Whether `owner` still holds the block (false when the registry entry was removed out of band). */
export async function holdsPortBlock(registryRoot: string, base: number, owner: string): Promise<boolean> {
  try {
    const held = JSON.parse(await readFile(join(registryDir(registryRoot), String(base)), "utf8")) as { owner: string };
    return held.owner === owner;
  } catch {
    return false;
  }
}
