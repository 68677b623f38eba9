// geth 1.13.15 nodes of a Clique consortium: command line, config.toml (static peers) and files, per node.
import { signerFiles } from "../keys/keystore";
import { DEFAULT_HTTP_APIS, httpApis, isIPv4, localRpcUrl, NodeParams, RunSpec } from "../runSpec";

export const GETH_FILES = {
  genesis: "genesis.json",
  config: "config.toml",
  password: "password",
  nodeKey: "nodekey",
  dataDir: "data",
} as const;

/** geth's TOML config: only the static peer list (everything else is on the command line, where it is visible). */
export function renderGethConfigToml(staticPeers: readonly string[]): string {
  // JSON string literals are valid TOML basic strings.
  return `[Node.P2P]\nStaticNodes = [${staticPeers.map((p) => JSON.stringify(p)).join(", ")}]\nTrustedNodes = []\n`;
}

/**
 * Signers bound to loopback also answer `clique` (propose/discard votes, read signers; no key material): the
 * stack's own signers vote validator changes through it (program/validators.ts).
 */
const gethApis = (p: NodeParams) => httpApis(p.httpApis || !p.sealer || p.bindHost !== "127.0.0.1" ? p : { ...p, httpApis: [...DEFAULT_HTTP_APIS, "clique"] });

export function renderGethNode(p: NodeParams): RunSpec {
  if (p.spec.client !== "geth" || p.spec.engine !== "clique") throw new Error(`renderGethNode(${p.name}): geth runs Clique only`);
  if (p.sealer && !p.signer) throw new Error(`renderGethNode(${p.name}): a Clique sealer needs its signer keystore`);
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
    "--ipcdisable",
    "--http",
    "--http.addr", p.bindHost,
    "--http.port", String(p.ports.http),
    "--http.api", gethApis(p).join(","),
    // Local nodes answer only to loopback names (DNS-rebinding guard); in containers peers use service names.
    "--http.vhosts", p.bindHost === "127.0.0.1" ? "localhost,127.0.0.1" : "*",
    "--authrpc.addr", "127.0.0.1",
    "--authrpc.port", String(p.ports.authrpc),
    "--verbosity", String(p.spec.fleet.verbosity),
  ];
  const secretFiles: RunSpec["secretFiles"] = { [GETH_FILES.nodeKey]: "nodeKey" };
  if (p.signer) {
    const signer = signerFiles(p.signer.keystore, `${GETH_FILES.dataDir}/keystore`, GETH_FILES.password);
    Object.assign(files, signer.files);
    Object.assign(secretFiles, signer.secretFiles);
    args.push(
      "--mine",
      "--miner.etherbase", p.signer.address,
      "--miner.gaslimit", p.spec.gasLimit.toString(),
      "--unlock", p.signer.address,
      "--password", GETH_FILES.password,
      // geth 1.13 refuses --unlock while HTTP is open unless told; the signer's RPC stays on the node's
      // private interface without the personal API, and clients use the non-signing RPC node.
      "--allow-insecure-unlock",
    );
  }
  return {
    name: p.name,
    command: p.command,
    args,
    env: {},
    files,
    secretFiles,
    init: [{ command: p.command, args: ["--datadir", GETH_FILES.dataDir, "init", p.chain.path] }],
    ports: p.ports,
    rpcUrl: localRpcUrl(p),
  };
}
