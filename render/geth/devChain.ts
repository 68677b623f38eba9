// The foreign chain of the dev stack and of the tests: one geth 1.13.15 in --dev mode (chain id 1337, a simulated
// beacon sealing every `period` seconds, one prefunded and unlocked developer account that funds test accounts).
// Nothing on it is a secret: it exists only on loopback, for development.
import { HttpRunSpec, httpApis, localRpcUrl } from "../runSpec";
import type { Site } from "../site";
import type { Workload } from "../workload";

/** geth's fixed chain id in --dev mode. */
export const GETH_DEV_CHAIN_ID = 1337;

export interface DevChainParams {
  name: string;
  geth: string;
  /** HTTP JSON-RPC port on 127.0.0.1; authrpc uses the next one, p2p is off. */
  httpPort: number;
  periodSeconds: number;
  gasLimit?: bigint;
}

export function renderGethDevChain(p: DevChainParams): HttpRunSpec {
  const ports = { p2p: 0, http: p.httpPort, authrpc: p.httpPort + 1 };
  const bindHost = "127.0.0.1";
  return {
    name: p.name,
    command: p.geth,
    args: [
      "--dev",
      "--dev.period", String(p.periodSeconds),
      "--dev.gaslimit", String(p.gasLimit ?? 30_000_000n),
      "--datadir", "data",
      "--ipcdisable",
      "--nodiscover",
      "--maxpeers", "0",
      "--port", "0",
      "--http",
      "--http.addr", bindHost,
      "--http.port", String(p.httpPort),
      "--http.api", httpApis({ name: p.name }).join(","),
      "--http.vhosts", "localhost,127.0.0.1",
      "--authrpc.addr", bindHost,
      "--authrpc.port", String(ports.authrpc),
      "--verbosity", "2",
    ],
    env: {},
    files: {},
    secretFiles: {},
    init: [],
    ports,
    rpcUrl: localRpcUrl({ bindHost, ports }),
  };
}

/** Ports a dev chain takes on its site: HTTP JSON-RPC, then authrpc. */
export const DEV_CHAIN_PORTS = 2;

/**
 * A dev chain as a workload of the stack (a dev stack's foreign chain), on its site's ports. Its program is this
 * machine's geth (`image` empty): settings/bridge.ts keeps it to the local target.
 */
export function devChainWorkload(p: Omit<DevChainParams, "httpPort"> & { member: string; group: string; site: Site }): Workload {
  if (p.site.portBase === undefined) throw new Error(`${p.name}: a dev chain runs as a local process; its site has no ports of its own`);
  const run = renderGethDevChain({ ...p, httpPort: p.site.portBase });
  const { name, command, args, env, files, secretFiles, init } = run;
  return {
    name,
    command,
    args,
    env,
    files,
    secretFiles,
    init,
    member: p.member,
    role: "dev-chain",
    app: "geth",
    group: p.group,
    image: "",
    ports: [
      { name: "http", port: run.ports.http, reach: "clients" },
      { name: "authrpc", port: run.ports.authrpc, reach: "self" },
    ],
    endpoint: { http: "http" },
  };
}
