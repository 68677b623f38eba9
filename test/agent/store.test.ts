// The durable store: a block range's events and its cursor land together or not at all, even when the process is
// killed inside the transaction; committed data survives a SIGKILL; a reorg rewind forgets exactly the lost blocks and
// turns every action already carried out on them into an alert.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "node-sqlite3-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { Store, StoredEvent } from "../../agent/store";
import { REPO } from "../../testkit/agentBuild";

const dir = mkdtempSync(join(tmpdir(), "agent-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (block: number, logIndex: number): StoredEvent => ({
  block,
  blockHash: `0x${"cd".repeat(32)}`,
  logIndex,
  txHash: `0x${"ab".repeat(32)}`,
  name: "Deposited",
  args: { depositId: String(block * 1000 + logIndex), homeRecipient: "0x" + "11".repeat(20), amount: "1".repeat(40) },
});

/** Runs `body` in a child node process with `store` = a Store (the compiled one, built by the run's global setup) opened on `file`. */
function child(file: string, body: string) {
  const script = `const { Store } = require(${JSON.stringify(join(REPO, "dist", "agent", "store.js"))});
    const store = new Store(${JSON.stringify(file)}); ${body}`;
  return spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
}

describe("store", () => {
  it("uses a rollback journal with synchronous=FULL, and holds SQLite's lock while open", () => {
    const file = join(dir, "pragma.db");
    const s = new Store(file);
    const db = (s as unknown as { db: { get(sql: string): Record<string, unknown> } }).db;
    expect(db.get("PRAGMA journal_mode").journal_mode).toBe("delete");
    expect(db.get("PRAGMA synchronous").synchronous).toBe(2);
    s.commitRange("home", { block: 1, hash: "0x01" }, [], []);
    // Another connection cannot even read while the store runs: the lock is not dropped between statements.
    const other = new Database(file);
    expect(() => other.get("SELECT count(*) AS n FROM checkpoints")).toThrow(/locked/);
    s.close();
    expect(other.get("SELECT count(*) AS n FROM checkpoints")?.n).toBe(1);
    other.close();
  });

  it("a process killed inside commitRange leaves neither the new cursor nor any of its events", () => {
    const file = join(dir, "crash.db");
    // The event iterator is consumed inside the transaction; it kills the process after thousands of inserts.
    const r = child(
      file,
      `const ev = (block, logIndex) => (${event.toString().replace(/^\(block, logIndex\) => /, "")});
       store.commitRange("foreign", { block: 10, hash: "0x0a" }, [ev(5, 0)], [{ key: "confirmDeposit:5000", kind: "confirmDeposit", sourceBlock: 5, payload: {} }]);
       function* many() { for (let i = 0; i < 20000; i++) yield ev(20, i); process.kill(process.pid, "SIGKILL"); }
       store.commitRange("foreign", { block: 20, hash: "0x14" }, many(), [{ key: "confirmDeposit:x", kind: "confirmDeposit", sourceBlock: 20, payload: {} }]);
       console.log("not reached");`,
    );
    expect(r.signal).toBe("SIGKILL");
    expect(r.stdout).not.toContain("not reached");
    // The half-written transaction is on disk as a hot journal; opening the store rolls it back.
    expect(existsSync(`${file}-journal`)).toBe(true);
    const s = new Store(file);
    expect(s.cursor("foreign")).toEqual({ block: 10, hash: "0x0a" });
    expect(s.events("foreign")).toEqual([event(5, 0)]);
    expect(s.dueActions(Date.now()).map((a) => a.key)).toEqual(["confirmDeposit:5000"]);
    s.close();
  });

  it("keeps committed cursors, actions and outbox entries across a SIGKILL (no close)", () => {
    const file = join(dir, "kill.db");
    const r = child(
      file,
      `store.commitRange("home", { block: 7, hash: "0x07" }, [], [{ key: "signWithdrawal:1", kind: "signWithdrawal", sourceBlock: 7, payload: { withdrawalId: "1" } }]);
       store.addOutbox({ side: "home", actionKey: "signWithdrawal:1", nonce: 3, fields: { to: "0x01", data: "0x", gasLimit: "21000", maxFeePerGas: "9", maxPriorityFeePerGas: "1" }, raw: "0xraw", hashes: ["0xh1"], sentAt: 1 });
       process.kill(process.pid, "SIGKILL");`,
    );
    expect(r.signal).toBe("SIGKILL");
    const s = new Store(file);
    expect(s.cursor("home")).toEqual({ block: 7, hash: "0x07" });
    expect(s.action("signWithdrawal:1")).toMatchObject({ kind: "signWithdrawal", sourceSide: "home", payload: { withdrawalId: "1" } });
    expect(s.pendingOutbox("home")).toEqual([
      { id: 1, side: "home", actionKey: "signWithdrawal:1", nonce: 3, fields: { to: "0x01", data: "0x", gasLimit: "21000", maxFeePerGas: "9", maxPriorityFeePerGas: "1" }, raw: "0xraw", hashes: ["0xh1"], sentAt: 1 },
    ]);
    // The next transaction on home follows the persisted one, whose action waits for it; foreign has none pending.
    expect([s.highestPendingNonce("home"), s.highestPendingNonce("foreign")]).toEqual([3, undefined]);
    expect(s.actionsWithPendingTx()).toEqual(new Set(["signWithdrawal:1"]));
    expect([s.countPendingOutbox("home"), s.countPendingOutbox("foreign"), s.countPendingOutbox()]).toEqual([1, 0, 1]);
    s.setOutboxStatus(1, "mined");
    expect(s.highestPendingNonce("home")).toBeUndefined();
    expect(s.actionsWithPendingTx().size).toBe(0);
    expect(s.countPendingOutbox()).toBe(0);
    s.close();
  });

  it("refuses a database that a live process holds", () => {
    const file = join(dir, "owned.db");
    const s = new Store(file);
    const r = child(file, "");
    expect(r.stderr).toContain(`database ${file} is in use by process ${process.pid}`);
    s.close();
  });

  it("replaying a range creates no twins; a rewind forgets later blocks' events and pending actions, and alerts on done ones", () => {
    const s = new Store(join(dir, "rewind.db"));
    const act = (key: string, sourceBlock: number) => ({ key, kind: "confirmDeposit" as const, sourceBlock, payload: {} });
    s.commitRange("foreign", { block: 10, hash: "0x0a" }, [event(5, 0)], [act("a", 5)]);
    s.commitRange("foreign", { block: 20, hash: "0x14" }, [event(15, 0), event(15, 1)], [act("b", 15), act("c", 15)]);
    s.commitRange("foreign", { block: 20, hash: "0x14" }, [event(15, 0)], [act("b", 15)]);
    s.markDone("c", 1);
    expect(s.events("foreign")).toHaveLength(3);
    expect(s.countAlerts()).toBe(0);
    expect(s.rewind("foreign", 10, 42).map((a) => a.key)).toEqual(["c"]);
    expect(s.alerts()).toEqual([{ at: 42, kind: "reorgBelowDoneAction", detail: "foreign reorg below block 15 after action c was carried out" }]);
    expect(s.cursor("foreign")).toEqual({ block: 10, hash: "0x0a" });
    expect(s.events("foreign")).toEqual([event(5, 0)]);
    expect(s.action("b")).toBeUndefined();
    expect(s.action("c")).toBeDefined();
    expect(s.dueActions(Date.now()).map((a) => a.key)).toEqual(["a"]);
    s.close();
  });
});
