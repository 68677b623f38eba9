// Properties every non-geth client renderer must keep (DESIGN.md "Security rules", "Trust model"), checked on whole
// fleets: no secret outside 0600 files (signer keystores included), no sealer serving HTTP JSON-RPC beyond its own
// loopback, RPC nodes on the bind address with eth/net/web3 only, static peers = every other node.
import { describe, expect, it } from "vitest";
import { renderBesuNode } from "../../../render/clients/besu";
import { renderNode } from "../../../render/clients";
import { renderNethermindNode } from "../../../render/clients/nethermind";
import { renderOpenEthereumNode } from "../../../render/clients/openethereum";
import { CONTAINER_METRICS_PORT, fleetEnodes } from "../../../render/fleet";
import { nodePublicKey } from "../../../render/keys/nodeKey";
import { NodeParams, RunSpec } from "../../../render/runSpec";
import { Client } from "../../../settings/clients";
import { Engine } from "../../../settings/consortium";
import { clientSpec, keystoreOf, markers, nodeKeyOf, PRIVATE_NODE_KEYS, renderFleet, RPC_NODE, signerAddressOf, tomlValue, visible } from "./fixtures";

/** Public keys of the fleet's nodes in order (authorities 0–2, then the RPC node), as the fixture derives them. */
const FLEET_PUBLIC_KEYS = [0, 1, 2, 9].map((i) => nodePublicKey(nodeKeyOf(i)));

interface Case {
  engine: Engine;
  client: Client;
  render: (p: NodeParams) => RunSpec;
  /** The enode URLs the node is told to keep connections with. */
  peers: (run: RunSpec) => string[];
  /** Where the HTTP RPC listens and which namespaces it serves, as the node reads it. */
  rpc: (run: RunSpec) => { host: unknown; port: unknown; apis: string[] };
  /** A sealer's HTTP JSON-RPC as the node reads its config: off, or (Besu, for QBFT votes) on its loopback only. */
  sealerRpc: (run: RunSpec) => "off" | { host: unknown; port: unknown; apis: string[] };
}

const nethermindConfig = (run: RunSpec) => JSON.parse(run.files["nethermind.json"]!) as Record<string, Record<string, unknown>>;
const arg = (run: RunSpec, flag: string) => run.args.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);

const CASES: Case[] = [
  ...(["aura", "clique"] as const).map(
    (engine): Case => ({
      engine,
      client: "nethermind",
      render: renderNethermindNode,
      peers: (run) => JSON.parse(run.files["static-nodes.json"]!) as string[],
      rpc: (run) => {
        const c = nethermindConfig(run).JsonRpc!;
        return { host: c.Host, port: c.Port, apis: (c.EnabledModules as string[]).map((m) => m.toLowerCase()) };
      },
      sealerRpc: (run) => (JSON.stringify(nethermindConfig(run).JsonRpc) === JSON.stringify({ Enabled: false }) ? "off" : { host: "?", port: "?", apis: [] }),
    }),
  ),
  {
    engine: "aura",
    client: "openethereum",
    render: renderOpenEthereumNode,
    peers: (run) => run.files["reserved_peers"]!.split("\n").filter((l) => l !== ""),
    rpc: (run) => {
      const t = run.files["config.toml"]!;
      return { host: tomlValue(t, "rpc", "interface"), port: tomlValue(t, "rpc", "port"), apis: tomlValue(t, "rpc", "apis") as string[] };
    },
    sealerRpc: (run) => (tomlValue(run.files["config.toml"]!, "rpc", "disable") === true ? "off" : { host: "?", port: "?", apis: [] }),
  },
  {
    engine: "qbft",
    client: "besu",
    render: renderBesuNode,
    peers: (run) => JSON.parse(run.files["static-nodes.json"]!) as string[],
    rpc: (run) => ({ host: arg(run, "rpc-http-host"), port: Number(arg(run, "rpc-http-port")), apis: arg(run, "rpc-http-api")!.toLowerCase().split(",") }),
    sealerRpc: (run) => ({ host: arg(run, "rpc-http-host"), port: Number(arg(run, "rpc-http-port")), apis: arg(run, "rpc-http-api")!.toLowerCase().split(",") }),
  },
];
/** What a sealer serves over HTTP per client: nothing, or Besu's vote API on its container's loopback. */
const SEALER_HTTP: Record<Client, "off" | { host: unknown; port: unknown; apis: string[] }> = {
  geth: "off",
  nethermind: "off",
  openethereum: "off",
  besu: { host: "127.0.0.1", port: 8545, apis: ["eth", "net", "web3", "qbft"] },
};

describe.each(CASES)("$client on $engine", (c) => {
  const spec = clientSpec(c.engine, c.client);
  const fleet = renderFleet(spec);

  it("is what renderNode dispatches to", () => {
    const { chain } = fleet;
    const params: NodeParams = {
      spec,
      name: "alpha",
      command: "client",
      chain,
      ports: { p2p: 30303, http: 8545, authrpc: 8551 },
      bindHost: "127.0.0.1",
      advertisedHost: "127.0.0.1",
      staticPeers: [],
      sealer: false,
    };
    expect(renderNode(params)).toEqual(c.render(params));
  });

  it("keeps every secret value out of args, env and files, and puts each in its own secret file", () => {
    for (const { run, secrets } of fleet.nodes) {
      const m = markers(run.name);
      const shown = visible(run);
      expect(shown).not.toContain("MARKER-");
      for (const k of PRIVATE_NODE_KEYS) expect(shown).not.toContain(k);
      // The node key file exists on every node; the password only where a keystore is unlocked.
      expect(Object.values(secrets).filter((v) => v.includes(m.nodeKey))).toHaveLength(1);
      expect(Object.keys(run.files).filter((f) => f in run.secretFiles)).toEqual([]);
    }
  });

  it("binds the RPC node's RPC to the bind address, with eth, net and web3 only", () => {
    for (const { run } of fleet.nodes.filter((n) => !n.sealer)) {
      expect(c.rpc(run)).toEqual({ host: "0.0.0.0", port: 8545, apis: ["eth", "net", "web3"] });
      expect(run.rpcUrl).toBe("http://127.0.0.1:8545");
    }
    const local = renderFleet(clientSpec(c.engine, c.client), () => "127.0.0.1");
    const params = { ...paramsOf(c, local.chain), bindHost: "127.0.0.1" };
    expect(c.rpc(c.render(params)).host).toBe("127.0.0.1");
  });

  it("serves no HTTP JSON-RPC from a sealer beyond its own loopback, whatever the bind address", () => {
    const sealers = fleet.nodes.filter((n) => n.sealer);
    expect(sealers).toHaveLength(3);
    for (const { run } of sealers) {
      expect(c.sealerRpc(run)).toEqual(SEALER_HTTP[c.client]);
      // Its run spec names no client-facing URL: loopback inside its container at most (Besu), else none.
      expect(run.rpcUrl === undefined || run.rpcUrl === "http://127.0.0.1:8545").toBe(true);
      expect(visible(run)).not.toContain("0.0.0.0:8545");
    }
    const sealer = { ...paramsOf(c, fleet.chain), sealer: true, ...(c.engine === "qbft" ? {} : { signer: { address: signerAddressOf(0), keystore: keystoreOf(0) } }) };
    if (c.client !== "besu") expect(() => c.render({ ...sealer, httpApis: ["eth"] })).toThrow(/serves no HTTP API/);
  });

  it("puts a sealer's keystore and password in 0600 secret files, never among the plain files", () => {
    for (const { run, sealer } of fleet.nodes) {
      const kinds = Object.values(run.secretFiles).map((source) => (source.startsWith("nodeKey") ? "nodeKey" : source)).sort();
      expect(kinds).toEqual(sealer && c.engine !== "qbft" ? ["keystore", "nodeKey", "password"] : ["nodeKey"]);
      for (const content of Object.values(run.files)) expect(content).not.toMatch(/"crypto"/);
    }
  });

  it("refuses personal, admin and debug, in any spelling", () => {
    const params = paramsOf(c, fleet.chain);
    for (const api of ["personal", "admin", "ADMIN", "Debug"]) {
      expect(() => c.render({ ...params, httpApis: ["eth", api] }), api).toThrow(/must not be exposed/);
    }
  });

  it("peers statically with every other node, never itself", () => {
    const enodes = fleetEnodes(
      fleet.nodes.map((_n, i) => ({ nodePublicKey: FLEET_PUBLIC_KEYS[i]! })),
      fleet.nodes.map((_n, i) => ({ bindHost: "0.0.0.0", address: `172.28.0.${10 + i}` })),
    );
    fleet.nodes.forEach(({ run }, i) => {
      expect(new Set(c.peers(run))).toEqual(new Set(enodes.filter((_, j) => j !== i)));
      expect(c.peers(run)).toHaveLength(fleet.nodes.length - 1);
    });
  });

  it("has one RPC node that does not seal", () => {
    expect(fleet.nodes.filter((n) => !n.sealer).map((n) => n.run.name)).toEqual([RPC_NODE]);
  });
});

/** Where each client's node serves its own metrics, as the node reads its config; undefined: it serves none. */
const METRICS_AT: Record<Client, (run: RunSpec) => { host: unknown; port: unknown } | undefined> = {
  geth: (run) => {
    const after = (flag: string) => run.args[run.args.indexOf(flag) + 1];
    return run.args.includes("--metrics") ? { host: after("--metrics.addr"), port: Number(after("--metrics.port")) } : undefined;
  },
  nethermind: (run) => {
    const m = nethermindConfig(run).Metrics!;
    return m.Enabled === true ? { host: m.ExposeHost, port: m.ExposePort } : undefined;
  },
  openethereum: (run) => {
    const t = run.files["config.toml"]!;
    return tomlValue(t, "metrics", "enable") === true ? { host: tomlValue(t, "metrics", "interface"), port: tomlValue(t, "metrics", "port") } : undefined;
  },
  besu: (run) => (arg(run, "metrics-enabled") === "true" ? { host: arg(run, "metrics-host"), port: Number(arg(run, "metrics-port")) } : undefined),
};

describe.each([...CASES, { engine: "clique", client: "geth" } as const])("$client on $engine: the node's own metrics", (c) => {
  it("are served by every node, sealers too, on the bind address and the metrics port", () => {
    const nodes = renderFleet(clientSpec(c.engine, c.client)).nodes;
    expect(nodes.some((n) => n.sealer)).toBe(true);
    for (const { run } of nodes) expect(METRICS_AT[c.client](run), run.name).toEqual({ host: "0.0.0.0", port: CONTAINER_METRICS_PORT });
  });

  it("are off on a node given no metrics port (the foreign dev chain's case)", () => {
    const { chain } = renderFleet(clientSpec(c.engine, c.client));
    expect(METRICS_AT[c.client](renderNode(paramsOf(c, chain)))).toBeUndefined();
  });
});

/** Parameters of a lone non-sealing node (no keystore needed on any engine), with no metrics port. */
function paramsOf(c: Pick<Case, "engine" | "client">, chain: NodeParams["chain"]): NodeParams {
  return {
    spec: clientSpec(c.engine, c.client),
    name: RPC_NODE,
    command: "client",
    chain,
    ports: { p2p: 30303, http: 8545, authrpc: 8551 },
    bindHost: "0.0.0.0",
    advertisedHost: "172.28.0.9",
    staticPeers: [],
    sealer: false,
  };
}
