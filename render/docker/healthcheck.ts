// Container healthchecks per client. Client images may be minimal (no shell, no curl: the geth image we build
// holds geth alone), so the check is an exec-form command of the client binary itself, never CMD-SHELL.
// A sealer serves no HTTP (its signer key is unlocked): geth's is checked over its IPC socket inside the container,
// the other clients' through a TCP connect to their p2p port (or, Besu's validators, their loopback-only RPC).
import { Client } from "../../settings/clients";
import { CONTAINER_NODE_DIR } from "../containerFleet";
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

type CheckedRun = Pick<RunSpec, "command" | "ports" | "rpcUrl" | "ipcPath">;

/** `geth attach` on the node's own endpoint: healthy once JSON-RPC answers there. */
export function gethAttach(run: CheckedRun): string[] {
  // The console needs a writable data dir for its history, so it is pointed at the node's own (the image's $HOME may
  // not be writable). Over IPC, absolute paths: probes may run elsewhere than the container's working directory.
  return run.ipcPath !== undefined
    ? [run.command, "attach", "--datadir", `${CONTAINER_NODE_DIR}/${GETH_FILES.dataDir}`, "--exec", "eth.blockNumber", `${CONTAINER_NODE_DIR}/${run.ipcPath}`]
    : [run.command, "attach", "--datadir", GETH_FILES.dataDir, "--exec", "eth.blockNumber", `http://127.0.0.1:${run.ports.http}`];
}

/**
 * The Nethermind (Debian) and Besu (Ubuntu) images ship bash but no curl: a TCP connect through bash's /dev/tcp, to
 * the RPC port where the node serves HTTP, else to its p2p port. Unverified here (those images cannot be pulled); the
 * port opens once the client runs.
 */
export function tcpCheck(run: CheckedRun): string[] {
  return ["bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${run.rpcUrl !== undefined ? run.ports.http : run.ports.p2p}`];
}

const CHECKS: Partial<Record<Client, (run: CheckedRun) => string[]>> = {
  geth: gethAttach,
  nethermind: tcpCheck,
  besu: tcpCheck,
  // OpenEthereum's Alpine image has neither bash nor an RPC-capable client command: no check (documented gap).
};

/** The healthcheck of a node container, or undefined for a client without one (OpenEthereum). */
export function clientHealthcheck(client: Client, run: CheckedRun): Healthcheck | undefined {
  const command = CHECKS[client]?.(run);
  return command && { test: ["CMD", ...command], intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30 };
}
