// OpenEthereum 3.3.5 nodes of an AuRa consortium: the legacy path for networks parity-deploy built, with its
// authority.toml (shared/reference/parity-deploy/authority.toml) minus its flaws: no HTTP JSON-RPC on sealers (their
// engine signer is unlocked) but IPC with web3/eth/net in their own data directory; on RPC nodes HTTP on the node's
// bind address with web3/eth/net only, no CORS or Host wildcard, IPC off; never the personal/parity_accounts/
// parity_set/signer APIs; WebSockets off, no discovery, reserved peers only, and the node key, keystore and password
// in 0600 files. Reserved peers only is the consortium's node permissioning: OpenEthereum drops any session, inbound or
// outbound, with a node outside `reserved_peers` (util/network-devp2p/src/host.rs, session_readable).
//
// Section and key names: the 3.x config schema test file bin/oe/cli/tests/config.full.toml (openethereum/openethereum).
// Paths OpenEthereum 3.x derives from base_path and the chainspec's `dataDir` (else its `name`):
//  - keystore: <base>/keys/<dataDir>/           (prepare_account_provider: dirs.keys_path(data_dir))
//  - node key: <base>/chains/<dataDir>/network/key, hex without 0x (run.rs net_config_path = db_dirs.network_path();
//    network-devp2p host.rs load_key/save_key). parity-deploy mounted <base>/network/key: that is the pre-3.x layout.
import { signerFiles } from "../keys/keystore";
import { httpApis, isIPv4, localRpcUrl, NodeParams, RunSpec } from "../runSpec";


export const OPENETHEREUM_FILES = {
  config: "config.toml",
  reservedPeers: "reserved_peers",
  password: "password",
  base: "data",
  /** A sealer's IPC socket, relative to the node directory (the client's working directory): short, in its 0700 data dir. */
  ipc: "data/jsonrpc.ipc",
} as const;

/** `[misc] logging` levels (Rust log filter names), indexed by geth-scale verbosity 0–5. */
const LOG_LEVELS = ["off", "error", "warn", "info", "debug", "trace"] as const;
/**
 * A fixed minimum gas price (1 gwei, as production AuRa validator configs such as Fuse's set it) instead of OpenEthereum's
 * default, which is derived from USD prices (`usd_per_tx`, `usd_per_eth = "auto"`).
 */
const MIN_GAS_PRICE_WEI = 1_000_000_000;

type TomlValue = string | number | boolean | string[];
// JSON string literals are valid TOML basic strings.
const toml = (v: TomlValue): string => (Array.isArray(v) ? `[${v.map((s) => JSON.stringify(s)).join(", ")}]` : typeof v === "string" ? JSON.stringify(v) : String(v));
const section = (name: string, entries: Record<string, TomlValue>) =>
  `[${name}]\n${Object.entries(entries).map(([k, v]) => `${k} = ${toml(v)}`).join("\n")}\n`;

/** The directory name OpenEthereum files this chain's keys and network key under: the chainspec's dataDir, else its name. */
export function openEthereumDataDir(chainspec: string): string {
  const spec = JSON.parse(chainspec) as { name?: unknown; dataDir?: unknown };
  const dir = spec.dataDir ?? spec.name;
  if (typeof dir !== "string" || !/^[\w.-]+$/.test(dir) || dir === "." || dir === "..") {
    throw new Error(`openEthereumDataDir: chainspec name ${JSON.stringify(dir)} is not a directory name`);
  }
  return dir;
}

/** Paths of the key material inside the node directory. */
export function openEthereumKeyPaths(chainspec: string): { keysDir: string; nodeKey: string } {
  const dir = openEthereumDataDir(chainspec);
  return { keysDir: `${OPENETHEREUM_FILES.base}/keys/${dir}`, nodeKey: `${OPENETHEREUM_FILES.base}/chains/${dir}/network/key` };
}

export function renderOpenEthereumConfig(p: NodeParams): string {
  const loopback = p.bindHost === "127.0.0.1";
  const sections = [
    section("parity", { chain: p.chain.path, base_path: OPENETHEREUM_FILES.base }),
    ...(p.signer ? [section("account", { password: [OPENETHEREUM_FILES.password] })] : []),
    section("network", {
      port: p.ports.p2p,
      discovery: false,
      warp: false,
      reserved_only: true,
      reserved_peers: OPENETHEREUM_FILES.reservedPeers,
      nat: isIPv4(p.advertisedHost) ? `extip:${p.advertisedHost}` : "none",
    }),
    // Sealers: `[rpc] disable = true` is the config file's `--no-jsonrpc`, and JSON-RPC goes over IPC only, with the
    // same three namespaces (its default list has parity_accounts and personal). Keys and spelling: the schema file
    // bin/oe/cli/tests/config.full.toml ([rpc] disable, [ipc] disable/path/apis).
    p.sealer
      ? section("rpc", { disable: true })
      : section("rpc", {
          disable: false,
          interface: p.bindHost,
          port: p.ports.http,
          apis: httpApis(p),
          cors: ["none"],
          // "none": only the server's own address. Off loopback, loopback names and the name peers reach the node at.
          // Whether OpenEthereum wants a port in these entries is not confirmed; the name alone is what geth's vhosts take.
          hosts: loopback ? ["none"] : ["localhost", "127.0.0.1", p.advertisedHost],
        }),
    section("websockets", { disable: true }),
    // The node's own metrics for Prometheus, GET /metrics (bin/oe/metrics.rs). Keys: cli/mod.rs's Metrics struct, as its
    // test file tests/config.toml sets them (config.full.toml has no [metrics]); interface: an IP, "local" or "all".
    // They hold no key and answer no RPC.
    ...(p.ports.metrics !== undefined ? [section("metrics", { enable: true, interface: p.bindHost, port: p.ports.metrics })] : []),
    p.sealer ? section("ipc", { disable: false, path: OPENETHEREUM_FILES.ipc, apis: ["web3", "eth", "net"] }) : section("ipc", { disable: true }),
    section("mining", {
      ...(p.signer
        ? {
            engine_signer: p.signer.address,
            // Seal every step, empty blocks included; transactions do not trigger extra blocks.
            force_sealing: true,
            reseal_on_txs: "none",
            // Keep the spec's gas limit: the defaults (8M target, 10M cap) would walk it down.
            gas_floor_target: p.spec.gasLimit.toString(),
            gas_cap: p.spec.gasLimit.toString(),
          }
        : {}),
      min_gas_price: MIN_GAS_PRICE_WEI,
    }),
    section("misc", { logging: LOG_LEVELS[p.spec.fleet.verbosity] ?? "info", color: false }),
  ];
  return `# OpenEthereum 3.3.5 node ${p.name}. Keys live in 0600 files beside this one.\n\n${sections.join("\n")}`;
}

export function renderOpenEthereumNode(p: NodeParams): RunSpec {
  if (p.spec.client !== "openethereum" || p.spec.engine !== "aura") throw new Error(`renderOpenEthereumNode(${p.name}): OpenEthereum runs AuRa only`);
  if (p.sealer && !p.signer) throw new Error(`renderOpenEthereumNode(${p.name}): an AuRa sealer needs its signer keystore`);
  if (p.signer && !p.sealer) throw new Error(`renderOpenEthereumNode(${p.name}): a non-sealing node must not hold a signer keystore`);
  if (p.sealer && p.httpApis) throw new Error(`renderOpenEthereumNode(${p.name}): a sealer serves no HTTP API (its key is unlocked); clients use the RPC nodes`);
  const paths = openEthereumKeyPaths(p.chain.content);
  const files: Record<string, string> = {
    [p.chain.path]: p.chain.content,
    [OPENETHEREUM_FILES.config]: renderOpenEthereumConfig(p),
    [OPENETHEREUM_FILES.reservedPeers]: p.staticPeers.map((e) => `${e}\n`).join(""),
  };
  const secretFiles: RunSpec["secretFiles"] = { [paths.nodeKey]: "nodeKey" };
  if (p.signer) {
    // engine_signer is unlocked with the passwords of [account] password, tried in turn.
    Object.assign(secretFiles, signerFiles(p.signer.keystore, paths.keysDir, OPENETHEREUM_FILES.password).secretFiles);
  }
  return {
    name: p.name,
    command: p.command,
    args: ["--config", OPENETHEREUM_FILES.config],
    env: {},
    files,
    secretFiles,
    init: [],
    ports: p.ports,
    ...(p.sealer ? { ipcPath: OPENETHEREUM_FILES.ipc } : { rpcUrl: localRpcUrl(p) }),
  };
}
