// Reorg detection. The header source here is a TEST DOUBLE (a map of block hashes standing in for the RPC node):
// reorgs cannot be produced on demand on the real test chains. Everything else about the watcher runs on real chains.
import { describe, expect, it } from "vitest";
import { findResumePoint, HeaderSource, ReorgTooDeepError } from "../../agent/reorg";
import { Checkpoint } from "../../agent/store";

/** Test double: a node whose canonical chain is `hashes` (block number → hash); blocks beyond it are unknown. */
function fakeNode(hashes: Record<number, string>): HeaderSource & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    async blockHash(n) {
      asked.push(n);
      return hashes[n] ?? null;
    },
  };
}

const cps: Checkpoint[] = [
  { block: 30, hash: "0x30" },
  { block: 20, hash: "0x20" },
  { block: 10, hash: "0x10" },
];

describe("findResumePoint", () => {
  it("resumes in place when the newest checkpoint is canonical (one lookup), and from scratch with none", async () => {
    const node = fakeNode({ 10: "0x10", 20: "0x20", 30: "0x30" });
    expect(await findResumePoint("foreign", cps, node)).toEqual({ kind: "canonical" });
    expect(node.asked).toEqual([30]);
    expect(await findResumePoint("foreign", [], node)).toEqual({ kind: "canonical" });
  });

  it("rewinds to the newest checkpoint still canonical (hashes compared case-insensitively)", async () => {
    const node = fakeNode({ 10: "0x10", 20: "0X20", 30: "0xdead" });
    expect(await findResumePoint("foreign", cps, node)).toEqual({ kind: "rewind", to: cps[1], from: cps[0] });
    expect(await findResumePoint("foreign", cps, fakeNode({ 10: "0x10", 20: "0xbeef", 30: "0xdead" }))).toEqual({ kind: "rewind", to: cps[2], from: cps[0] });
  });

  it("waits instead of rewinding when the node does not have our cursor's block (lagging node)", async () => {
    expect(await findResumePoint("foreign", cps, fakeNode({ 10: "0x10", 20: "0x20" }))).toEqual({ kind: "nodeBehind", block: 30 });
  });

  it("stops when no kept checkpoint is canonical: a deeper reorg is not guessed at", async () => {
    const deep = findResumePoint("home", cps, fakeNode({ 10: "0x1", 20: "0x2", 30: "0x3" }));
    await expect(deep).rejects.toBeInstanceOf(ReorgTooDeepError);
    await expect(deep).rejects.toThrow(/^home chain: none of the stored checkpoints down to block 10 is canonical/);
  });
});
