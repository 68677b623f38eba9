// What the monitor's /api/status answers: the operators' dashboard (web/dashboard) reads exactly this.
import type { BridgeStatus } from "./bridgeStatus";
import type { ChainStatus } from "./chainStatus";
import type { PocoStatus } from "./pocoStatus";

export interface MonitorStatus {
  /** The last read of the chain succeeded, recently. */
  ok: boolean;
  /** When the chain was last read successfully (ISO time). */
  updatedAt: string;
  /** Why the last read failed, in words. */
  error?: string;
  /** Null until the first successful read. */
  chain: ChainStatus | null;
  /** Peers of each RPC-serving node; null for a node that did not answer. */
  peers: Record<string, number | null>;
  /** Absent without a bridge; null until its first successful read. */
  bridge?: BridgeStatus | null;
  /** Why the last read of the bridge failed, in words. */
  bridgeError?: string;
  /** Absent without PoCo; null until its first successful read. */
  poco?: PocoStatus | null;
  /** Why the last read of PoCo failed, in words. */
  pocoError?: string;
}
