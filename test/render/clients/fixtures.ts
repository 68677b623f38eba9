// Deterministic fleets for the client renderers: three authorities (one per member) plus the first member's RPC node,
// on the Docker target. Keys are fixed test keys; secrets are resolved to obvious markers so a leak is easy to find.
import { computeAddress, SigningKey, toBeHex, zeroPadValue } from "ethers";
import { ChainMembers, renderChainFile } from "../../../render/chain";
import { FleetNodeKeys, renderFleet as renderFleetRuns } from "../../../render/fleet";
import { nodePublicKey } from "../../../render/keys/nodeKey";
import { ChainFile, RunSpec } from "../../../render/runSpec";
import { isBase64Secret, resolveSecretFiles, secretFileBytes } from "../../../render/secrets";
import { Client } from "../../../settings/clients";
import { ConsortiumSpec, Engine, rpcNodeName } from "../../../settings/consortium";
import { parseConsortiumSpec } from "../../../settings/parse";

export const AUTHORITIES = ["alpha", "beta", "gamma"];
export const RPC_NODE = rpcNodeName("org-1");

const key = (n: number) => zeroPadValue(toBeHex(n), 32);
/** devp2p node key of node i (authorities 0–2, the RPC node 9): only its public parts reach the renderers. */
export const nodeKeyOf = (i: number) => key(0x1000 + i);
export const nodeAddressOf = (i: number) => computeAddress(new SigningKey(nodeKeyOf(i)).publicKey);
/** Signer (validator) address of authority i, for keystore-signing engines. */
export const signerAddressOf = (i: number) => computeAddress(new SigningKey(key(0x2000 + i)).publicKey);
/** An encrypted-keystore stand-in: renderers only read its address. */
export const keystoreOf = (i: number) =>
  JSON.stringify({ version: 3, id: `00000000-0000-4000-8000-00000000000${i}`, address: signerAddressOf(i).slice(2).toLowerCase(), crypto: { note: "test stand-in" } });

export const markers = (name: string) => ({ nodeKey: `MARKER-NODEKEY-${name}`, password: `MARKER-PASSWORD-${name}` });

export function clientSpec(engine: Engine, client: Client, overrides: Record<string, unknown> = {}): ConsortiumSpec {
  return parseConsortiumSpec({
    name: "acme",
    chainId: 31415,
    engine,
    client,
    authorities: AUTHORITIES.map((name, i) => ({ name, member: `org-${i + 1}` })),
    prefunded: [{ address: "0x1000000000000000000000000000000000000001", balanceWei: "1000000000000000000000" }],
    fleet: { target: "docker" },
    ...overrides,
  });
}

/** QBFT validators are node-key addresses; Clique/AuRa validators are the signer keys. */
export const validatorsOf = (spec: ConsortiumSpec): string[] =>
  AUTHORITIES.map((_, i) => (spec.engine === "qbft" ? nodeAddressOf(i) : signerAddressOf(i)));

export interface FleetNode {
  run: RunSpec;
  sealer: boolean;
  /** Secret file contents, resolved from the markers. */
  secrets: Record<string, string>;
}

/** Renders the whole fleet through the container-fleet plan (static IPs on a Docker network, or other hosts). */
export function renderFleet(spec: ConsortiumSpec, advertise: (i: number) => string = (i) => `172.28.0.${10 + i}`, members: Partial<ChainMembers> = {}): { chain: ChainFile; nodes: FleetNode[] } {
  const chain = renderChainFile(spec, { validators: validatorsOf(spec), ...members });
  const keystoreSigning = spec.engine !== "qbft";
  const nodes: FleetNodeKeys[] = [
    ...AUTHORITIES.map((name, i) => ({
      name,
      member: `org-${i + 1}`,
      nodePublicKey: nodePublicKey(nodeKeyOf(i)),
      sealer: true,
      ...(keystoreSigning ? { signer: { address: signerAddressOf(i), keystore: keystoreOf(i) } } : {}),
    })),
    { name: RPC_NODE, member: "org-1", nodePublicKey: nodePublicKey(nodeKeyOf(9)), sealer: false },
  ];
  const runs = renderFleetRuns({ spec, chain, nodes, sites: nodes.map((_n, i) => ({ bindHost: "0.0.0.0", address: advertise(i) })), externalPeers: [] });
  return {
    chain,
    nodes: runs.map((run, i) => {
      const sealer = nodes[i]!.sealer;
      const m = markers(run.name);
      // Node keys travel as hex (of the marker text) and are decoded back to the marker, whatever the file format.
      const nodeKey = Buffer.from(m.nodeKey).toString("hex");
      const resolved = resolveSecretFiles(run.secretFiles, sealer && keystoreSigning ? { nodeKey, password: m.password, keystore: keystoreOf(i) } : { nodeKey });
      const secrets = Object.fromEntries(
        Object.entries(resolved).map(([path, content]) => {
          const source = run.secretFiles[path]!;
          if (source === "password" || source === "keystore") return [path, content];
          const bytes = isBase64Secret(source) ? secretFileBytes(content, source) : Buffer.from(content.replace(/^0x/, ""), "hex");
          return [path, bytes.toString("utf8")];
        }),
      );
      return { run, sealer, secrets };
    }),
  };
}

/** Everything of a run spec that is not a secret file, as one string (for leak checks). */
export const visible = (run: RunSpec) => JSON.stringify({ command: run.command, args: run.args, env: run.env, files: run.files, init: run.init, rpcUrl: run.rpcUrl, ipcPath: run.ipcPath });

/** The real private node keys of the fixture (never to appear in rendered, non-secret output). */
export const PRIVATE_NODE_KEYS = [0, 1, 2, 9].map((i) => nodeKeyOf(i).slice(2));

/**
 * The TOML subset OpenEthereum configs use here (`[section]`, `key = value` with JSON-compatible values), read into
 * section → key → value. Enough to compare ours with parity-deploy's authority.toml and OpenEthereum's schema file.
 */
export function readToml(toml: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  let current: Record<string, unknown> | undefined;
  for (const raw of toml.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = out[header[1]!] = {};
      continue;
    }
    const entry = /^(\w+)\s*=\s*(.+)$/.exec(line);
    if (!entry || !current) throw new Error(`readToml: cannot read ${JSON.stringify(raw)}`);
    current[entry[1]!] = JSON.parse(entry[2]!);
  }
  return out;
}

export const tomlValue = (toml: string, section: string, key: string): unknown => readToml(toml)[section]?.[key];
