import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { holdsPortBlock, PORT_BLOCK_SIZE, relabelPortBlock, releasePortBlock, reservePortBlock } from "../../lib/ports";

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

  it("reclaims a claim whose holder directory is gone, but not a live one", async () => {
    const live = await mkdtemp(join(tmpdir(), "holder-"));
    const gone = join(tmpdir(), `holder-gone-${process.pid}`);
    const a = await reservePortBlock(root, "p/live", live);
    const b = await reservePortBlock(root, "p/gone", gone);
    expect(existsSync(gone)).toBe(true); // created with the claim
    await rm(gone, { recursive: true });
    const c = await reservePortBlock(root, "p/new");
    expect(c).toBe(b);
    expect(await holdsPortBlock(root, a, "p/live")).toBe(true);
    await rm(live, { recursive: true });
  });

  it("reclaims a test's claim once its process is gone (killed before it could release), not while it lives", async () => {
    const live = await reservePortBlock(root, "p/live-test", undefined, true);
    const killed = await reservePortBlock(root, "p/killed-test", undefined, true);
    const gonePid = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ["-e", ""]);
      child.on("exit", () => resolve(child.pid!));
    });
    const file = join(root, "ports", String(killed));
    const claim = JSON.parse(await readFile(file, "utf8")) as { holderPid: number };
    expect(claim.holderPid).toBe(process.pid);
    await writeFile(file, JSON.stringify({ ...claim, holderPid: gonePid }));
    expect(await reservePortBlock(root, "p/next")).toBe(killed);
    expect(await holdsPortBlock(root, live, "p/live-test")).toBe(true);
  });

  it("leaves a stale claim alone while another reserver holds its lock", async () => {
    const gone = join(root, "holder-gone");
    const stale = await reservePortBlock(root, "p/gone", gone);
    await rm(gone, { recursive: true });
    const lock = join(root, "ports", `${stale}.reclaim`);
    await writeFile(lock, "12345\n");
    const other = await reservePortBlock(root, "p/next");
    expect(other).not.toBe(stale);
    expect(await holdsPortBlock(root, stale, "p/gone")).toBe(true);
    await rm(lock);
    expect(await reservePortBlock(root, "p/later")).toBe(stale);
  });

  it("concurrent reservations reclaiming the same stale claims still never share a block", async () => {
    // Stale claims at the first blocks: every reservation below finds them, and several may reclaim one at once.
    // The interleaving varies, so a few rounds, each in its own registry.
    for (let round = 0; round < 8; round++) {
      const registry = join(root, `round-${round}`);
      const gone = join(registry, "holders-gone");
      for (let i = 0; i < 3; i++) await reservePortBlock(registry, `p/stale-${i}`, join(gone, String(i)));
      await rm(gone, { recursive: true });
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
