// Nethermind 1.31 nodes (image pinned in settings/clients.ts) of an AuRa or Clique consortium: one JSON config file,
// the chainspec and a static-nodes file; the node key, the signer keystore and its password only in 0600 files.
// Sealers run without JSON-RPC (their signer key is unlocked); the RPC nodes serve it.
//
// Option names and defaults: NethermindEth/docs, versioned_docs/version-1.31.11/fundamentals/configuration.md.
// File formats: NethermindEth/nethermind sources —
//  - relative paths are resolved against Nethermind's *install* directory unless they start with "./"
//    (Nethermind.Logging PathUtils.GetApplicationResourcePath): every path below is "./…", i.e. in the node directory;
//  - the keystore is found by a file name containing the address (FileKeyStore.FindKeyFiles: "*<address>*");
//  - password files are read whole, surrounding whitespace trimmed (FilePasswordProvider);
//  - the static-nodes file is a JSON array of enode URLs (StaticNodesManager);
//  - KeyStore.EnodeKeyFile holds the node key as exactly 32 RAW BYTES (NodeKeyManager: new PrivateKey(File.ReadAllBytes)).
import { signerFiles } from "../keys/keystore";
import { httpApis, isIPv4, localRpcUrl, NodeParams, RunSpec, SecretSource } from "../runSpec";

export const NETHERMIND_FILES = {
  config: "nethermind.json",
  staticNodes: "static-nodes.json",
  keystoreDir: "keystore",
  password: "password",
  nodeKey: "node.key",
  db: "db",
  logs: "logs",
} as const;

/** Nethermind reads its node key file as 32 raw bytes (see the header). */
export const NETHERMIND_NODE_KEY_SOURCE: SecretSource = "nodeKeyRaw";

/** Nethermind's `--log` levels (docs: off trace debug info warn error), indexed by geth-scale verbosity 0–5. */
const LOG_LEVELS = ["off", "error", "warn", "info", "debug", "trace"] as const;

const here = (path: string) => `./${path}`;
/** Nethermind's own spelling of its RPC namespaces (its default list: Eth, Net, Web3, …). */
const moduleName = (api: string) => api.charAt(0).toUpperCase() + api.slice(1);

/** A bigint as a JSON number, refusing values JSON numbers cannot carry exactly. */
function jsonLong(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${n} does not fit a JSON number exactly`);
  return Number(n);
}

/** The node's JSON config (namespaces → options), as Nethermind's `-c <file>` reads it. */
export function renderNethermindConfig(p: NodeParams): Record<string, Record<string, unknown>> {
  const aura = p.spec.engine === "aura";
  return {
    Init: {
      ChainSpecPath: here(p.chain.path),
      BaseDbPath: here(NETHERMIND_FILES.db),
      LogDirectory: here(NETHERMIND_FILES.logs),
      StaticNodesPath: here(NETHERMIND_FILES.staticNodes),
      DiscoveryEnabled: false,
      // Defaults to true in 1.31: a second, unlisted RPC transport.
      WebSocketsEnabled: false,
    },
    Network: {
      P2PPort: p.ports.p2p,
      DiscoveryPort: p.ports.p2p,
      // Dials the static nodes only (network.md: "no connections will be made to non-static peers"); inbound
      // connections are not filtered by it: the members' firewalls keep strangers off the P2P port (README, Permissions).
      OnlyStaticPeers: true,
      // Only an IP is accepted; behind a DNS name static peering needs no advertised address.
      ...(isIPv4(p.advertisedHost) ? { ExternalIp: p.advertisedHost } : {}),
    },
    // A sealer holds its signer key unlocked: no JSON-RPC at all (configuration.md, `JsonRpc.Enabled`: whether to
    // enable the JSON-RPC service; with it off no transport starts, HTTP, WebSockets or the IPC socket of
    // `JsonRpc.IpcUnixDomainSocketPath`). Clients use the RPC nodes; probes check the p2p port (docker/healthcheck.ts).
    JsonRpc: p.sealer
      ? { Enabled: false }
      : {
          Enabled: true,
          Host: p.bindHost,
          Port: p.ports.http,
          EnabledModules: httpApis(p).map(moduleName),
        },
    KeyStore: {
      KeyStoreDirectory: here(NETHERMIND_FILES.keystoreDir),
      EnodeKeyFile: here(NETHERMIND_FILES.nodeKey),
      ...(p.signer
        ? {
            // The signer's password is looked up by its index in UnlockAccounts → PasswordFiles (KeyStoreConfig
            // FindUnlockAccountIndex), never given in this config; both lists name the same, identically spelt account.
            BlockAuthorAccount: p.signer.address,
            UnlockAccounts: [p.signer.address],
            PasswordFiles: [here(NETHERMIND_FILES.password)],
          }
        : {}),
    },
    // Mining.Enabled (1.31 also documents the older Init.IsMining) is what creates the block signer (IMiningConfig.Enabled).
    Mining: { Enabled: p.sealer },
    // Keep the spec's gas limit instead of following whatever the other sealers vote for.
    ...(p.sealer ? { Blocks: { TargetBlockGasLimit: jsonLong(p.spec.gasLimit) } } : {}),
    // A PoA chain that never merges: no Engine API, no terminal-total-difficulty logic (Merge.Enabled defaults to true).
    Merge: { Enabled: false },
    // The node's own metrics (configuration.md, Metrics.*): ExposePort serves them for Prometheus, on ExposeHost (default
    // "+", every interface: set to the bind address); no PushGatewayUrl, so nothing is pushed. Path /metrics: what
    // Nethermind's guides scrape, not stated in configuration.md. The endpoint holds no key and answers no RPC.
    Metrics: p.ports.metrics !== undefined ? { Enabled: true, ExposeHost: p.bindHost, ExposePort: p.ports.metrics } : { Enabled: false },
    ...(aura ? { Aura: { AllowAuRaPrivateChains: true } } : {}),
  };
}

export function renderNethermindNode(p: NodeParams): RunSpec {
  if (p.spec.client !== "nethermind" || (p.spec.engine !== "aura" && p.spec.engine !== "clique")) {
    throw new Error(`renderNethermindNode(${p.name}): Nethermind runs AuRa or Clique here, not ${p.spec.engine}`);
  }
  if (p.sealer && !p.signer) throw new Error(`renderNethermindNode(${p.name}): a ${p.spec.engine} sealer needs its signer keystore`);
  if (p.signer && !p.sealer) throw new Error(`renderNethermindNode(${p.name}): a non-sealing node must not hold a signer keystore`);
  if (p.sealer && p.httpApis) throw new Error(`renderNethermindNode(${p.name}): a sealer serves no HTTP API (its key is unlocked); clients use the RPC nodes`);
  const files: Record<string, string> = {
    [p.chain.path]: p.chain.content,
    [NETHERMIND_FILES.config]: JSON.stringify(renderNethermindConfig(p), null, 2) + "\n",
    [NETHERMIND_FILES.staticNodes]: JSON.stringify(p.staticPeers, null, 2) + "\n",
  };
  const secretFiles: RunSpec["secretFiles"] = { [NETHERMIND_FILES.nodeKey]: NETHERMIND_NODE_KEY_SOURCE };
  if (p.signer) {
    // The keystore file name ends with the address: Nethermind finds the key by that name.
    Object.assign(secretFiles, signerFiles(p.signer.keystore, NETHERMIND_FILES.keystoreDir, NETHERMIND_FILES.password).secretFiles);
  }
  return {
    name: p.name,
    command: p.command,
    args: ["--config", here(NETHERMIND_FILES.config), "--log", LOG_LEVELS[p.spec.fleet.verbosity] ?? "info"],
    env: {},
    files,
    secretFiles,
    // Nethermind writes its genesis block on first start: nothing to initialise.
    init: [],
    ports: p.ports,
    ...(p.sealer ? {} : { rpcUrl: localRpcUrl(p) }),
  };
}
