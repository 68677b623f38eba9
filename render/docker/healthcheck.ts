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
  // The Nethermind (Debian) and Besu (Ubuntu) images ship bash but no curl: a TCP connect to the RPC port through
  // bash's /dev/tcp. Unverified here (those images cannot be pulled); the port opens once the client serves RPC.
  nethermind: tcpCheck,
  besu: tcpCheck,
  // OpenEthereum's Alpine image has neither bash nor an RPC-capable client command: no check (documented gap).
};

function tcpCheck(run: RunSpec): string[] {
  return ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${run.ports.http}`];
}

/** The healthcheck of a node container, or undefined for a client without one (OpenEthereum). */
export function clientHealthcheck(client: Client, run: RunSpec): Healthcheck | undefined {
  const command = CHECKS[client]?.(run);
  return command && { test: ["CMD", ...command], intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30 };
}
