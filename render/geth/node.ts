// geth 1.13.15 nodes of a Clique consortium: command line, config.toml (static peers) and files, per node.
import { GethGenesis } from "../genesis/clique";
import { NodePorts, RunSpec } from "../runSpec";

export interface GethNodeParams {
  name: string;
  /** geth executable (absolute path on a host, or `geth` in an image). */
  geth: string;
  networkId: number;
  genesis: GethGenesis;
  ports: NodePorts;
  /** Interface RPC and p2p bind to; loopback for local fleets. */
  host: string;
  /** enode URLs of every other node. */
  staticPeers: string[];
  /** Present for a sealing authority: its address and keystore (JSON text, encrypted). */
  signer?: { address: string; keystoreFile: string; keystore: string };
  /** Target gas limit the sealer keeps blocks at. */
  gasLimit: bigint;
  verbosity: number;
  /** JSON-RPC namespaces on HTTP; never personal/admin by default. */
  httpApis?: string[];
}

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

export function renderGethNode(p: GethNodeParams): RunSpec {
  const apis = p.httpApis ?? ["eth", "net", "web3"];
  for (const forbidden of ["personal", "admin", "debug", "miner"]) {
    if (apis.includes(forbidden)) throw new Error(`renderGethNode(${p.name}): the ${forbidden} API must not be exposed over HTTP`);
  }
  const files: Record<string, string> = {
    [GETH_FILES.genesis]: JSON.stringify(p.genesis, null, 2) + "\n",
    [GETH_FILES.config]: renderGethConfigToml(p.staticPeers),
  };
  const args = [
    "--datadir", GETH_FILES.dataDir,
    "--config", GETH_FILES.config,
    "--nodekey", GETH_FILES.nodeKey,
    "--networkid", String(p.networkId),
    "--syncmode", "full",
    "--port", String(p.ports.p2p),
    "--nodiscover",
    "--nat", `extip:${p.host}`,
    "--ipcdisable",
    "--http",
    "--http.addr", p.host,
    "--http.port", String(p.ports.http),
    "--http.api", apis.join(","),
    "--http.vhosts", "localhost,127.0.0.1",
    "--authrpc.addr", "127.0.0.1",
    "--authrpc.port", String(p.ports.authrpc),
    "--verbosity", String(p.verbosity),
  ];
  const secretFiles: string[] = [GETH_FILES.nodeKey];
  if (p.signer) {
    const keystorePath = `${GETH_FILES.dataDir}/keystore/${p.signer.keystoreFile}`;
    files[keystorePath] = p.signer.keystore;
    secretFiles.push(GETH_FILES.password);
    args.push(
      "--mine",
      "--miner.etherbase", p.signer.address,
      "--miner.gaslimit", p.gasLimit.toString(),
      "--unlock", p.signer.address,
      "--password", GETH_FILES.password,
      // geth 1.13 refuses --unlock while HTTP is open unless told; the signer's RPC stays on the node's
      // private interface without the personal API, and clients use the non-signing RPC node.
      "--allow-insecure-unlock",
    );
  }
  return {
    name: p.name,
    command: p.geth,
    args,
    env: {},
    files,
    secretFiles,
    init: [{ command: p.geth, args: ["--datadir", GETH_FILES.dataDir, "init", GETH_FILES.genesis] }],
    ports: p.ports,
    rpcUrl: `http://${p.host}:${p.ports.http}`,
  };
}
