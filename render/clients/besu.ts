// Hyperledger Besu 24.12 nodes of a QBFT consortium. Everything is on the command line (nothing secret is): the node key
// — which is also the validator key in QBFT — is read from a 0600 file.
//
// Options: besu-docs docs/public-networks/reference/cli/options.md. Key file format: Besu KeyPairUtil (one line of hex,
// written 0x-prefixed). Besu has no keystore for validators: a node seals iff its node-key address is in the genesis
// validator set.
// Validators: Besu signs no transaction over JSON-RPC (no eth_sendTransaction / eth_sign; that takes an external
// signer), but its QBFT vote API (qbft_proposeValidatorVote, …) acts with the validator's authority. So a validator's
// HTTP JSON-RPC listens on the container's loopback only (`--rpc-http-host=127.0.0.1`), for the operator's votes from
// inside the container (render/validators/votes.ts), with the QBFT namespace, which is off unless listed in
// `--rpc-http-api` (docs/private-networks/reference/api: "The QBFT API methods are not enabled by default for
// JSON-RPC"). The RPC nodes serve clients on the bind address with eth/net/web3.
// Permissions: with a transact list, every node (validators: what they propose; RPC nodes: what they accept) runs
// Besu's local account allowlist, besuPermissions.ts (what it covers and not, with sources: not contract creation,
// not block import, no node allowlist).
import { DEFAULT_HTTP_APIS, httpApis, isIPv4, localRpcUrl, NodeParams, RunSpec } from "../runSpec";
import { BESU_PERMISSIONS_FILE, renderBesuPermissions } from "./besuPermissions";

export const BESU_FILES = {
  nodeKey: "key",
  staticNodes: "static-nodes.json",
  permissions: BESU_PERMISSIONS_FILE,
  data: "data",
} as const;

/** `--logging` levels (docs: OFF FATAL ERROR WARN INFO DEBUG TRACE ALL), indexed by geth-scale verbosity 0–5. */
const LOG_LEVELS = ["OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"] as const;

/** Host part of an enode URL. */
const enodeHost = (enode: string) => new URL(enode).hostname;

export function renderBesuNode(p: NodeParams): RunSpec {
  if (p.spec.client !== "besu" || p.spec.engine !== "qbft") throw new Error(`renderBesuNode(${p.name}): Besu runs QBFT only`);
  // A keystore would be ignored by Besu and suggest a second, unused validator identity.
  if (p.signer) throw new Error(`renderBesuNode(${p.name}): QBFT validators sign with the node key; pass no signer keystore`);
  // Besu resolves host names in enode URLs only with its early-access DNS support (besu-docs, onchain permissioning page:
  // --Xdns-enabled; --Xdns-update-enabled re-resolves after a pod restarts with a new IP, as on Kubernetes).
  const dns = [p.advertisedHost, ...p.staticPeers.map(enodeHost)].some((h) => !isIPv4(h));
  const rpcHost = p.sealer ? "127.0.0.1" : p.bindHost;
  const apis = httpApis(p.sealer && !p.httpApis ? { ...p, httpApis: [...DEFAULT_HTTP_APIS, "qbft"] } : p);
  // The accounts that may send transactions; undefined: anyone (transact open, no file, no flag).
  const allowlist = p.permissions?.transact === "open" ? undefined : p.permissions?.transact;
  // The spec's own list lacks the stack's accounts, so it is no stand-in: a caller that passes none has forgotten it.
  if (Array.isArray(p.spec.permissions?.transact) && !allowlist) {
    throw new Error(`renderBesuNode(${p.name}): the consortium restricts permissions.transact, but no transact list reached the node (NodeParams.permissions, with the stack's accounts)`);
  }
  // perm_addAccountsToAllowlist & co. would let any caller of this endpoint widen the list (and write it to the file).
  if (allowlist && apis.includes("perm")) throw new Error(`renderBesuNode(${p.name}): the PERM API must not be exposed over HTTP on a node with an account allowlist`);
  const args = [
    `--data-path=${BESU_FILES.data}`,
    `--genesis-file=${p.chain.path}`,
    `--node-private-key-file=${BESU_FILES.nodeKey}`,
    `--network-id=${p.spec.networkId}`,
    // QBFT snap sync is early access; a private chain syncs from genesis.
    "--sync-mode=FULL",
    // --p2p-interface is where Besu listens, --p2p-host what it advertises; NAT detection off so the latter stands.
    `--p2p-interface=${p.bindHost}`,
    `--p2p-host=${p.advertisedHost}`,
    `--p2p-port=${p.ports.p2p}`,
    "--nat-method=NONE",
    "--discovery-enabled=false",
    `--static-nodes-file=${BESU_FILES.staticNodes}`,
    ...(dns ? ["--Xdns-enabled=true", "--Xdns-update-enabled=true"] : []),
    "--rpc-http-enabled=true",
    `--rpc-http-host=${rpcHost}`,
    `--rpc-http-port=${p.ports.http}`,
    `--rpc-http-api=${apis.map((a) => a.toUpperCase()).join(",")}`,
    // Host-header allow-list (DNS-rebinding guard): loopback names, plus the name peers reach the node at off loopback.
    `--host-allowlist=${["localhost", "127.0.0.1", ...(rpcHost === "127.0.0.1" ? [] : [p.advertisedHost])].join(",")}`,
    // Local account permissioning (besu-docs docs/private-networks/reference/cli/options.md), read at start only.
    ...(allowlist ? ["--permissions-accounts-config-file-enabled=true", `--permissions-accounts-config-file=${BESU_FILES.permissions}`] : []),
    // Defaults to true; a PoA chain has no consensus client.
    "--engine-rpc-enabled=false",
    // The node's own metrics for Prometheus at /metrics (besu-docs public-networks/how-to/monitor/metrics.md and the
    // options reference: --metrics-enabled, --metrics-host, --metrics-port): they hold no key and answer no RPC.
    ...(p.ports.metrics !== undefined ? ["--metrics-enabled=true", `--metrics-host=${p.bindHost}`, `--metrics-port=${p.ports.metrics}`] : []),
    // --min-gas-price stays at Besu's default (1000 wei): London base fees are far above it, and a free-gas network
    // would need every node of every client set to zero.
    `--logging=${LOG_LEVELS[p.spec.fleet.verbosity] ?? "INFO"}`,
  ];
  return {
    name: p.name,
    command: p.command,
    args,
    env: {},
    files: {
      [p.chain.path]: p.chain.content,
      [BESU_FILES.staticNodes]: JSON.stringify(p.staticPeers, null, 2) + "\n",
      ...(allowlist ? { [BESU_FILES.permissions]: renderBesuPermissions(allowlist) } : {}),
    },
    secretFiles: { [BESU_FILES.nodeKey]: "nodeKey0x" },
    init: [],
    ports: p.ports,
    // A validator's URL is its container's loopback: where the operator's votes go from, never a client.
    rpcUrl: localRpcUrl({ bindHost: rpcHost, ports: p.ports }),
  };
}
