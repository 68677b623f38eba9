import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FIRST_PORT_BLOCK, holdsPortBlock, PORT_BLOCK_SIZE, relabelPortBlock, releasePortBlock, reservePortBlock } from "../../lib/ports";

describe("port blocks", () => {
  let root: string;
  const servers: Server[] = [];
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "ports-"));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    await rm(root, { recursive: true, force: true });
  });

  it("gives two stacks disjoint blocks and frees a block on release", async () => {
    const a = await reservePortBlock(root, "p/a");
    const b = await reservePortBlock(root, "p/b");
    expect(Math.abs(a - b)).toBeGreaterThanOrEqual(PORT_BLOCK_SIZE);
    expect(await holdsPortBlock(root, a, "p/a")).toBe(true);
    expect(await holdsPortBlock(root, a, "p/b")).toBe(false);
    await releasePortBlock(root, a, "p/b"); // not the holder: nothing happens
    expect(await holdsPortBlock(root, a, "p/a")).toBe(true);
    await releasePortBlock(root, a, "p/a");
    // The claim is gone, so the block is free to the next stack. (Which block that next reservation gets also depends
    // on what else listens on this machine's ports at that moment — other test lanes do — so it is not asserted.)
    expect(await readdir(join(root, "ports"))).toEqual([String(b)]);
    expect(await reservePortBlock(root, "p/c")).not.toBe(b);
  });

  it("hands a block to a new owner name only from its holder, the block kept", async () => {
    const a = await reservePortBlock(root, "consortium-acme/prod@/var/lib/acme", root);
    const b = await reservePortBlock(root, "consortium/other@/var/lib/other", root);
    await expect(relabelPortBlock(root, a, "consortium/other@/var/lib/other", "consortium/prod@/var/lib/acme")).rejects.toThrow(/held by "consortium-acme\/prod@\/var\/lib\/acme"/);
    await relabelPortBlock(root, a, "consortium-acme/prod@/var/lib/acme", "consortium/prod@/var/lib/acme");
    expect(await holdsPortBlock(root, a, "consortium/prod@/var/lib/acme")).toBe(true);
    expect(await holdsPortBlock(root, a, "consortium-acme/prod@/var/lib/acme")).toBe(false);
    expect(await holdsPortBlock(root, b, "consortium/other@/var/lib/other")).toBe(true);
    expect(await readdir(join(root, "ports"))).toHaveLength(2); // no temporary file left
  });

  it("concurrent reservations never share a block", async () => {
    const bases = await Promise.all(Array.from({ length: 6 }, (_, i) => reservePortBlock(root, `p/${i}`)));
    expect(new Set(bases).size).toBe(6);
    expect(await readdir(join(root, "ports"))).toHaveLength(6);
  });

  it("skips a block where another program already listens", async () => {
    const first = await reservePortBlock(root, "probe");
    await releasePortBlock(root, first, "probe");
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(first + 7, "127.0.0.1", () => r()));
    servers.push(srv);
    expect(await reservePortBlock(root, "p/x")).not.toBe(first);
  });

  // Claims written straight into the registry at its first blocks, where every reservation's scan starts: what these
  // tests assert does not depend on which ports other programs on this machine hold at that moment.
  const blockAt = (index: number) => FIRST_PORT_BLOCK + index * PORT_BLOCK_SIZE;
  const claimAt = async (registry: string, index: number, claim: { owner: string; holderDir?: string; holderPid?: number }) => {
    await mkdir(join(registry, "ports"), { recursive: true });
    await writeFile(join(registry, "ports", String(blockAt(index))), JSON.stringify(claim) + "\n");
  };
  const goneDir = () => join(root, `holder-gone-${Math.random().toString(36).slice(2)}`);

  it("reclaims a claim whose holder directory is gone, but not a live one", async () => {
    await claimAt(root, 0, { owner: "p/gone", holderDir: goneDir() });
    await claimAt(root, 1, { owner: "p/live", holderDir: root });
    expect(await reservePortBlock(root, "p/new")).not.toBe(blockAt(1));
    expect(await holdsPortBlock(root, blockAt(0), "p/gone")).toBe(false);
    expect(await holdsPortBlock(root, blockAt(1), "p/live")).toBe(true);
  });

  it("reclaims a test's claim once its process is gone (killed before it could release), not while it lives", async () => {
    const mine = await reservePortBlock(join(root, "own"), "p/mine", undefined, true);
    expect(JSON.parse(await readFile(join(root, "own", "ports", String(mine)), "utf8")).holderPid).toBe(process.pid);
    const gonePid = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ["-e", ""]);
      child.on("exit", () => resolve(child.pid!));
    });
    await claimAt(root, 0, { owner: "p/killed-test", holderPid: gonePid });
    await claimAt(root, 1, { owner: "p/live-test", holderPid: process.pid });
    expect(await reservePortBlock(root, "p/next")).not.toBe(blockAt(1));
    expect(await holdsPortBlock(root, blockAt(0), "p/killed-test")).toBe(false);
    expect(await holdsPortBlock(root, blockAt(1), "p/live-test")).toBe(true);
  });

  it("leaves a stale claim alone while another reserver holds its lock", async () => {
    await claimAt(root, 0, { owner: "p/gone", holderDir: goneDir() });
    const lock = join(root, "ports", `${blockAt(0)}.reclaim`);
    await writeFile(lock, "12345\n");
    expect(await reservePortBlock(root, "p/next")).not.toBe(blockAt(0));
    expect(await holdsPortBlock(root, blockAt(0), "p/gone")).toBe(true);
    await rm(lock);
    await reservePortBlock(root, "p/later");
    expect(await holdsPortBlock(root, blockAt(0), "p/gone")).toBe(false);
  });

  it("concurrent reservations reclaiming the same stale claims still never share a block", async () => {
    // Stale claims at the first blocks: every reservation below finds them, and several may reclaim one at once.
    // The interleaving varies, so a few rounds, each in its own registry.
    for (let round = 0; round < 8; round++) {
      const registry = join(root, `round-${round}`);
      for (let i = 0; i < 3; i++) await claimAt(registry, i, { owner: `p/stale-${i}`, holderDir: goneDir() });
      const owners = Array.from({ length: 6 }, (_, i) => `p/${i}`);
      const bases = await Promise.all(owners.map((owner) => reservePortBlock(registry, owner)));
      expect(new Set(bases).size).toBe(6);
      for (const [i, base] of bases.entries()) expect(await holdsPortBlock(registry, base, owners[i])).toBe(true);
      // Every stale claim removed (whether its block was taken again depends on what else listens on this machine),
      // and no lock left behind.
      expect((await readdir(join(registry, "ports"))).sort()).toEqual(bases.map(String).sort());
    }
  });
});
