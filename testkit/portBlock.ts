// A port block for ports a test or bench process binds itself (its chains, its nodes): claimed in the registry every
// stack uses — a private one would hand out blocks a stack has claimed but not bound yet (lib/ports.ts) — and held by
// this process, so a killed run does not keep it.
import { releasePortBlock, reservePortBlock } from "../lib/ports";
import { cacheRoot } from "../lib/toolchain/versions";

export interface TestPortBlock {
  base: number;
  release(): Promise<void>;
}

/** Claims a block for `label` (this process's own name for it) working in `holderDir`. */
export async function reserveTestPortBlock(label: string, holderDir: string): Promise<TestPortBlock> {
  const registry = cacheRoot();
  const owner = `${label}-${process.pid}`;
  const base = await reservePortBlock(registry, owner, holderDir, true);
  return { base, release: () => releasePortBlock(registry, base, owner) };
}
