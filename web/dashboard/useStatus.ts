// The monitor's status, read every few seconds from the server that serves this page (it holds no key; the page
// talks to nothing else).
import { useEffect, useState } from "preact/hooks";
import type { MonitorStatus } from "../../monitor/status";

export type Reading = { kind: "loading" } | { kind: "unreachable"; since: Date } | { kind: "read"; status: MonitorStatus; at: Date };

const STATUS_URL = "../api/status";
const EVERY_MS = 2_000;

export function useStatus(): Reading {
  const [reading, setReading] = useState<Reading>({ kind: "loading" });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const res = await fetch(STATUS_URL, { cache: "no-store" });
        // 503 still carries a status (no chain read yet, or the last read failed): show it.
        const status = (await res.json()) as MonitorStatus;
        if (!stopped) setReading({ kind: "read", status, at: new Date() });
      } catch {
        if (!stopped) setReading((r) => (r.kind === "unreachable" ? r : { kind: "unreachable", since: new Date() }));
      }
      if (!stopped) timer = setTimeout(read, EVERY_MS);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return reading;
}
