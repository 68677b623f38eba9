// Container healthchecks per client. Client images may be minimal (no shell, no curl: the geth image we build
// holds geth alone), so the check is an exec-form command of the client binary itself, never CMD-SHELL.
import { Client } from "../../spec/clients";
import { GETH_FILES } from "../geth/node";
import { RunSpec } from "../runSpec";

export interface Healthcheck {
  /** Exec form: ["CMD", binary, ...args]. */
  test: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  /** Failures during this grace period (chain init, first peering) do not count. */
  startPeriodSeconds: number;
}

const CHECKS: Partial<Record<Client, (run: RunSpec) => string[]>> = {
  // `geth attach` over HTTP: healthy once JSON-RPC answers. The console needs a writable data dir for its
  // history, so it is pointed at the node's own (the image's $HOME may not be writable).
  geth: (run) => [run.command, "attach", "--datadir", GETH_FILES.dataDir, "--exec", "eth.blockNumber", `http://127.0.0.1:${run.ports.http}`],
};

/** The healthcheck of a node container, or undefined for clients that have no renderer (and so no check) yet. */
export function clientHealthcheck(client: Client, run: RunSpec): Healthcheck | undefined {
  const command = CHECKS[client]?.(run);
  return command && { test: ["CMD", ...command], intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30 };
}
