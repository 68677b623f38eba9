// geth 1.13.15 nodes of a Clique consortium: command line, config.toml (static peers) and files, per node.
//
// A sealer holds its signer key unlocked (geth 1.13 seals Clique only with --unlock), so it serves no HTTP at all:
// only IPC, on a socket inside its own 0700 data directory (geth creates the socket 0600), which the node's user alone
// reaches — the same user that can read its keystore and password files anyway. Without --http geth also needs no
// --allow-insecure-unlock (it refuses --unlock only while HTTP or WebSocket RPC is open). Votes, readiness and probes
// go over that socket. Clients use the non-signing RPC nodes, which serve eth/net/web3 over HTTP and hold no key.
// The Engine API (authrpc) stays on loopback behind the JWT secret geth writes 0600 into its data directory.
// Every node, sealers too, serves its own metrics (--metrics, Prometheus text at /debug/metrics/prometheus) on a port
// of its own: that server holds no key and answers no RPC, only the metrics registry. It binds where p2p does —
// loopback for a local process, the container's interface in a container (render/nodeWorkload.ts: the stack's reach).
// Flags: `geth --help` of 1.13.15 (--metrics, --metrics.addr "Enable stand-alone metrics HTTP server listening
// interface", --metrics.port; --ipcpath "Filename for IPC socket/pipe within the datadir (explicit paths escape
// it)", --ipcdisable, --http*, --authrpc.*, --unlock, --allow-insecure-unlock).
import { signerFiles } from "../keys/keystore";
import { HttpRunSpec, httpApis, isIPv4, localRpcUrl, NodeParams, RunSpec } from "../runSpec";

export const GETH_FILES = {
  genesis: "genesis.json",
  config: "config.toml",
  password: "password",
  nodeKey: "nodekey",
  dataDir: "data",
  /**
   * The sealer's IPC socket, relative to the node directory (geth's working directory). An explicit relative path:
   * geth listens on it as given, so the 107-byte socket path limit applies to these 13 bytes, not to the node
   * directory's absolute path (a bare name would be resolved into the absolute data directory).
   */
  ipc: "data/geth.ipc",
} as const;

/** geth's TOML config: only the static peer list (everything else is on the command line, where it is visible). */
export function renderGethConfigToml(staticPeers: readonly string[]): string {
  // JSON string literals are valid TOML basic strings.
  return `[Node.P2P]\nStaticNodes = [${staticPeers.map((p) => JSON.stringify(p)).join(", ")}]\nTrustedNodes = []\n`;
}

export function renderGethNode(p: NodeParams): RunSpec {
  if (p.spec.client !== "geth" || p.spec.engine !== "clique") throw new Error(`renderGethNode(${p.name}): geth runs Clique only`);
  if (p.sealer && !p.signer) throw new Error(`renderGethNode(${p.name}): a Clique sealer needs its signer keystore`);
  if (p.signer && !p.sealer) throw new Error(`renderGethNode(${p.name}): a non-sealing node must not hold a signer keystore`);
  if (p.sealer && p.httpApis) throw new Error(`renderGethNode(${p.name}): a sealer serves no HTTP API (its key is unlocked); clients use the RPC nodes`);
  const files: Record<string, string> = {
    [p.chain.path]: p.chain.content,
    [GETH_FILES.config]: renderGethConfigToml(p.staticPeers),
  };
  const args = [
    "--datadir", GETH_FILES.dataDir,
    "--config", GETH_FILES.config,
    "--nodekey", GETH_FILES.nodeKey,
    "--networkid", String(p.spec.networkId),
    "--syncmode", "full",
    "--port", String(p.ports.p2p),
    "--nodiscover",
    // extip takes an IP; behind a DNS name (Kubernetes services) static peering needs no NAT mapping.
    "--nat", isIPv4(p.advertisedHost) ? `extip:${p.advertisedHost}` : "none",
    ...(p.sealer
      ? ["--ipcpath", GETH_FILES.ipc]
      : [
          "--ipcdisable",
          "--http",
          "--http.addr", p.bindHost,
          "--http.port", String(p.ports.http),
          "--http.api", httpApis(p).join(","),
          // Local nodes answer only to loopback names (DNS-rebinding guard); in containers peers use service names.
          "--http.vhosts", p.bindHost === "127.0.0.1" ? "localhost,127.0.0.1" : "*",
        ]),
    "--authrpc.addr", "127.0.0.1",
    "--authrpc.port", String(p.ports.authrpc),
    ...(p.ports.metrics !== undefined ? ["--metrics", "--metrics.addr", p.bindHost, "--metrics.port", String(p.ports.metrics)] : []),
    "--verbosity", String(p.spec.fleet.verbosity),
  ];
  const secretFiles: RunSpec["secretFiles"] = { [GETH_FILES.nodeKey]: "nodeKey" };
  if (p.signer) {
    Object.assign(secretFiles, signerFiles(p.signer.keystore, `${GETH_FILES.dataDir}/keystore`, GETH_FILES.password).secretFiles);
    args.push(
      "--mine",
      "--miner.etherbase", p.signer.address,
      "--miner.gaslimit", p.spec.gasLimit.toString(),
      "--unlock", p.signer.address,
      "--password", GETH_FILES.password,
    );
  }
  const run: RunSpec = {
    name: p.name,
    command: p.command,
    args,
    env: {},
    files,
    secretFiles,
    init: [{ command: p.command, args: ["--datadir", GETH_FILES.dataDir, "init", p.chain.path] }],
    ports: p.ports,
  };
  return p.sealer ? { ...run, ipcPath: GETH_FILES.ipc } : ({ ...run, rpcUrl: localRpcUrl(p) } satisfies HttpRunSpec);
}
