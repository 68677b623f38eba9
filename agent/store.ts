// The agent's durable state in one SQLite file (node-sqlite3-wasm: SQLite compiled to WASM, real file I/O).
// Invariants: a block range's events, the actions they imply and the cursor that moves past them are written in ONE
// transaction; a signed transaction is in the outbox before it is sent. The store runs a rollback journal with
// synchronous=FULL (a crash rolls a half transaction back from the hot journal on the next open: what its crash tests
// prove; the WASM build has no shared memory for WAL) and refuses to start if SQLite reports any other journal mode.
// node-sqlite3-wasm locks a database with a `<file>.lock` directory, which a killed process leaves behind; so the
// store first claims the database for this process (`<file>.owner`, holding the pid) and then clears that stale lock.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { Database, Statement } from "node-sqlite3-wasm";

export type Side = "home" | "foreign";

export interface Checkpoint {
  block: number;
  hash: string;
}

export interface StoredEvent {
  block: number;
  /** The hash of the block the log was in: with txHash, what tells two versions of an event apart across a reorg. */
  blockHash: string;
  logIndex: number;
  txHash: string;
  name: string;
  /** Decoded event arguments, bigints as decimal strings. */
  args: Record<string, string>;
}

export type ActionKind = "confirmDeposit" | "refund" | "signWithdrawal" | "executeWithdrawal";

export interface NewAction {
  /**
   * Unique per action and event version, e.g. `confirmDeposit:7:<tx hash>:<block hash>`: replaying a block range
   * never creates a twin, and a reorg that gives id 7 to another deposit creates a new action, not a done one.
   */
  key: string;
  kind: ActionKind;
  /** The block of the event that implies the action (on the watched chain), so a reorg rewind can drop it. */
  sourceBlock: number;
  payload: Record<string, string>;
}

export interface Action extends NewAction {
  sourceSide: Side;
  attempts: number;
  notBefore: number;
  /** When the action first became executable (executor policy grace period starts here), ms since epoch. */
  readyAt: number | null;
}

export interface TxFields {
  to: string;
  data: string;
  gasLimit: string;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
}

export interface OutboxEntry {
  id: number;
  side: Side;
  actionKey: string;
  nonce: number;
  fields: TxFields;
  /** The latest signed transaction (the one to re-send). */
  raw: string;
  /** Every hash sent under this nonce: an earlier one may still be the one that gets mined. */
  hashes: string[];
  sentAt: number;
}

export type OutboxStatus = "pending" | "mined" | "reverted" | "dropped";

/** Something an operator must look at: the agent went on, but a safety check fired. */
export interface Alert {
  at: number;
  kind: "reorgBelowDoneAction" | "unverifiedEvent";
  detail: string;
}

/** How many recent checkpoints are kept per chain: the bound of a reorg rewind. */
export const CHECKPOINTS_KEPT = 256;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS checkpoints (side TEXT NOT NULL, block INTEGER NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (side, block));
CREATE TABLE IF NOT EXISTS events (
  side TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
  block_hash TEXT NOT NULL DEFAULT '', PRIMARY KEY (side, block, log_index));
CREATE TABLE IF NOT EXISTS actions (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, source_side TEXT NOT NULL, source_block INTEGER NOT NULL, payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0,
  ready_at INTEGER, done_at INTEGER);
CREATE INDEX IF NOT EXISTS actions_due ON actions (status, not_before);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, side TEXT NOT NULL, action_key TEXT NOT NULL, nonce INTEGER NOT NULL, fields TEXT NOT NULL,
  raw TEXT NOT NULL, hashes TEXT NOT NULL, sent_at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending');
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (status, side);
CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
`;

type Row = Record<string, unknown>;

function toAction(r: Row): Action {
  return {
    key: r.key as string,
    kind: r.kind as ActionKind,
    sourceSide: r.source_side as Side,
    sourceBlock: Number(r.source_block),
    payload: JSON.parse(r.payload as string),
    attempts: Number(r.attempts),
    notBefore: Number(r.not_before),
    readyAt: r.ready_at === null ? null : Number(r.ready_at),
  };
}

function toOutbox(r: Row): OutboxEntry {
  return {
    id: Number(r.id),
    side: r.side as Side,
    actionKey: r.action_key as string,
    nonce: Number(r.nonce),
    fields: JSON.parse(r.fields as string),
    raw: r.raw as string,
    hashes: JSON.parse(r.hashes as string),
    sentAt: Number(r.sent_at),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Makes this process the database's only user; throws if a live process holds it. */
function claim(file: string): string {
  const owner = `${file}.owner`;
  for (;;) {
    try {
      writeFileSync(owner, String(process.pid), { flag: "wx", mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(readFileSync(owner, "utf8"));
      if (pid > 0 && alive(pid)) throw new Error(`database ${file} is in use by process ${pid}`);
      rmSync(owner, { force: true });
    }
  }
  rmSync(`${file}.lock`, { recursive: true, force: true });
  return owner;
}

type Params = (string | number | null)[];

export class Store {
  private readonly db: Database;
  private readonly owner: string;
  /** Each query's statement, prepared once: in SQLite compiled to WASM, preparing costs more than running it. */
  private readonly statements = new Map<string, Statement>();

  constructor(file: string) {
    this.owner = claim(file);
    this.db = new Database(file);
    try {
      const mode = this.db.get("PRAGMA journal_mode = DELETE")?.journal_mode;
      if (mode !== "delete") throw new Error(`SQLite journal mode is ${String(mode)}, expected a rollback journal (delete)`);
      this.db.exec("PRAGMA synchronous = FULL");
      // This process is the database's only user (claimed above): it keeps SQLite's lock instead of taking and
      // dropping it around every statement (a mkdir and an rmdir of the lock directory each: most of an idle
      // agent's CPU). The journal then persists with a zeroed header between transactions: as crash-safe.
      this.db.exec("PRAGMA locking_mode = EXCLUSIVE");
      this.db.exec(SCHEMA);
      // Databases of agents before events carried their block hash.
      if (!this.db.all("PRAGMA table_info(events)").some((c) => c.name === "block_hash")) {
        this.db.exec("ALTER TABLE events ADD COLUMN block_hash TEXT NOT NULL DEFAULT ''");
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  close(): void {
    for (const st of this.statements.values()) st.finalize();
    this.statements.clear();
    if (this.db.isOpen) this.db.close();
    rmSync(this.owner, { force: true });
  }

  private statement(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  /** Every row of a query, read to its end (a cached statement is then done, holding nothing open). */
  private all(sql: string, params: Params = []): Row[] {
    return this.statement(sql).all(params) as Row[];
  }

  /** The first row of a query that yields at most one. */
  private one(sql: string, params: Params = []): Row | undefined {
    return this.all(sql, params)[0];
  }

  private run(sql: string, params: Params): { lastInsertRowid: number | bigint } {
    return this.statement(sql).run(params);
  }

  /** Runs `fn` in one transaction: all of its writes land, or none. */
  private tx<T>(fn: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const out = fn();
      this.db.exec("COMMIT");
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw e;
    }
  }

  /** The last processed block of a chain (the newest checkpoint). */
  cursor(side: Side): Checkpoint | undefined {
    return this.checkpoints(side, 1)[0];
  }

  /** Newest first. */
  checkpoints(side: Side, limit = CHECKPOINTS_KEPT): Checkpoint[] {
    return this.all("SELECT block, hash FROM checkpoints WHERE side = ? ORDER BY block DESC LIMIT ?", [side, limit])
      .map((r) => ({ block: Number(r.block), hash: r.hash as string }));
  }

  /** Newest first, lazily: the newest alone, the older ones read only if the caller goes past it (after a reorg). */
  *checkpointsNewestFirst(side: Side): Generator<Checkpoint> {
    const [newest] = this.checkpoints(side, 1);
    if (!newest) return;
    yield newest;
    yield* this.checkpoints(side).slice(1);
  }

  /** Records a scanned block range: its events, the actions they imply and the new cursor, atomically. */
  commitRange(side: Side, cursor: Checkpoint, events: Iterable<StoredEvent>, actions: Iterable<NewAction>): void {
    this.tx(() => {
      for (const e of events) this.run("INSERT OR IGNORE INTO events (side, block, log_index, tx_hash, name, args, block_hash) VALUES (?, ?, ?, ?, ?, ?, ?)", [side, e.block, e.logIndex, e.txHash, e.name, JSON.stringify(e.args), e.blockHash]);
      for (const a of actions) this.run("INSERT OR IGNORE INTO actions (key, kind, source_side, source_block, payload) VALUES (?, ?, ?, ?, ?)", [a.key, a.kind, side, a.sourceBlock, JSON.stringify(a.payload)]);
      this.run("INSERT OR REPLACE INTO checkpoints (side, block, hash) VALUES (?, ?, ?)", [side, cursor.block, cursor.hash]);
      this.run(
        "DELETE FROM checkpoints WHERE side = ? AND block < (SELECT MIN(block) FROM (SELECT block FROM checkpoints WHERE side = ? ORDER BY block DESC LIMIT ?))",
        [side, side, CHECKPOINTS_KEPT],
      );
    });
  }

  /**
   * Forgets everything a chain's scan found after `block` (a reorg replaced those blocks): checkpoints, events and the
   * actions not yet done. The next scan finds the canonical events again. Returns the actions already done (or
   * refused) on events of those blocks: they acted on blocks that are no longer canonical, which the agent cannot
   * undo — each is an alert, recorded in the same transaction.
   */
  rewind(side: Side, block: number, now: number): Action[] {
    return this.tx(() => {
      const acted = this.all("SELECT * FROM actions WHERE source_side = ? AND source_block > ? AND status != 'pending' ORDER BY rowid", [side, block])
        .map(toAction);
      for (const a of acted) {
        this.run("INSERT INTO alerts (at, kind, detail) VALUES (?, ?, ?)", [now, "reorgBelowDoneAction", `${side} reorg below block ${a.sourceBlock} after action ${a.key} was carried out`]);
      }
      this.run("DELETE FROM checkpoints WHERE side = ? AND block > ?", [side, block]);
      this.run("DELETE FROM events WHERE side = ? AND block > ?", [side, block]);
      this.run("DELETE FROM actions WHERE source_side = ? AND source_block > ? AND status = 'pending'", [side, block]);
      return acted;
    });
  }

  addAlert(alert: Alert): void {
    this.run("INSERT INTO alerts (at, kind, detail) VALUES (?, ?, ?)", [alert.at, alert.kind, alert.detail]);
  }

  /** Newest first. */
  alerts(limit = 20): Alert[] {
    return this.all("SELECT at, kind, detail FROM alerts ORDER BY id DESC LIMIT ?", [limit])
      .map((r) => ({ at: Number(r.at), kind: r.kind as Alert["kind"], detail: r.detail as string }));
  }

  countAlerts(): number {
    return Number(this.one("SELECT COUNT(*) AS n FROM alerts")?.n ?? 0);
  }

  events(side: Side): StoredEvent[] {
    return this.all("SELECT * FROM events WHERE side = ? ORDER BY block, log_index", [side]).map((r) => ({
      block: Number(r.block),
      blockHash: r.block_hash as string,
      logIndex: Number(r.log_index),
      txHash: r.tx_hash as string,
      name: r.name as string,
      args: JSON.parse(r.args as string),
    }));
  }

  /** Pending actions whose time has come, oldest first. */
  dueActions(now: number): Action[] {
    return this.all("SELECT * FROM actions WHERE status = 'pending' AND not_before <= ? ORDER BY rowid", [now]).map(toAction);
  }

  action(key: string): Action | undefined {
    const r = this.one("SELECT * FROM actions WHERE key = ?", [key]);
    return r ? toAction(r) : undefined;
  }

  countActions(status: "pending" | "done" | "refused"): number {
    return Number(this.one("SELECT COUNT(*) AS n FROM actions WHERE status = ?", [status])?.n ?? 0);
  }

  markDone(key: string, now: number): void {
    this.run("UPDATE actions SET status = 'done', done_at = ? WHERE key = ?", [now, key]);
  }

  /** The action's event did not check out against the chain: never acted on, with an alert, in one transaction. */
  markRefused(key: string, now: number, detail: string): void {
    this.tx(() => {
      this.run("UPDATE actions SET status = 'refused', done_at = ? WHERE key = ?", [now, key]);
      this.run("INSERT INTO alerts (at, kind, detail) VALUES (?, ?, ?)", [now, "unverifiedEvent", `${key}: ${detail}`]);
    });
  }

  postpone(key: string, notBefore: number, readyAt: number | null, attempts?: number): void {
    this.run("UPDATE actions SET not_before = ?, ready_at = ?, attempts = COALESCE(?, attempts) WHERE key = ?", [notBefore, readyAt, attempts ?? null, key]);
  }

  /** Persists a signed transaction before it is sent; returns its outbox id. */
  addOutbox(e: Omit<OutboxEntry, "id">): number {
    const r = this.run("INSERT INTO outbox (side, action_key, nonce, fields, raw, hashes, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)", [
      e.side,
      e.actionKey,
      e.nonce,
      JSON.stringify(e.fields),
      e.raw,
      JSON.stringify(e.hashes),
      e.sentAt,
    ]);
    return Number(r.lastInsertRowid);
  }

  /** Persists a replacement (fee bump) of an outbox transaction before it is sent. */
  replaceOutbox(id: number, fields: TxFields, raw: string, hashes: string[], sentAt: number): void {
    this.run("UPDATE outbox SET fields = ?, raw = ?, hashes = ?, sent_at = ? WHERE id = ?", [JSON.stringify(fields), raw, JSON.stringify(hashes), sentAt, id]);
  }

  setOutboxStatus(id: number, status: OutboxStatus): void {
    this.run("UPDATE outbox SET status = ? WHERE id = ?", [status, id]);
  }

  pendingOutbox(side?: Side): OutboxEntry[] {
    const rows = side
      ? this.all("SELECT * FROM outbox WHERE status = 'pending' AND side = ? ORDER BY nonce", [side])
      : this.all("SELECT * FROM outbox WHERE status = 'pending' ORDER BY side, nonce");
    return rows.map(toOutbox);
  }

  /** How many transactions (on `side`, or on both) are still waiting to be mined. */
  countPendingOutbox(side?: Side): number {
    const row = side ? this.one("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND side = ?", [side]) : this.one("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'");
    return Number(row?.n ?? 0);
  }

  /** The highest nonce of a pending transaction on `side`, if any (what a new one must follow). */
  highestPendingNonce(side: Side): number | undefined {
    const n = this.one("SELECT MAX(nonce) AS n FROM outbox WHERE status = 'pending' AND side = ?", [side])?.n;
    return n === null || n === undefined ? undefined : Number(n);
  }

  /** The actions that have a transaction still waiting to be mined. */
  actionsWithPendingTx(): Set<string> {
    return new Set(this.all("SELECT DISTINCT action_key FROM outbox WHERE status = 'pending'").map((r) => r.action_key as string));
  }
}
