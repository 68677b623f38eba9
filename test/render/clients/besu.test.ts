// render/clients/besu.ts: Besu QBFT nodes. No Besu runs here: golden file, documented option names, and the facts the
// renderer relies on (node key = validator key, listen vs advertised address, DNS names only with --Xdns-enabled).
import { describe, expect, it } from "vitest";
import { renderBesuNode } from "../../../render/clients/besu";
import { NodeParams } from "../../../render/runSpec";
import { expectGolden } from "../golden";
import { clientSpec, keystoreOf, nodeAddressOf, renderFleet, signerAddressOf } from "./fixtures";

// Options as besu-docs names them: docs/public-networks/reference/cli/options.md, plus the early-access DNS options of
// docs/private-networks/how-to/use-permissioning/onchain.md (--Xdns-enabled, --Xdns-update-enabled); the metrics options
// also as docs/public-networks/how-to/monitor/metrics.md uses them.
const DOCUMENTED_OPTIONS = new Set([
  "data-path", "genesis-file", "node-private-key-file", "network-id", "sync-mode", "p2p-interface", "p2p-host", "p2p-port", "nat-method",
  "discovery-enabled", "static-nodes-file", "rpc-http-enabled", "rpc-http-host", "rpc-http-port", "rpc-http-api", "host-allowlist",
  "engine-rpc-enabled", "logging", "Xdns-enabled", "Xdns-update-enabled", "metrics-enabled", "metrics-host", "metrics-port",
]);
const DOCUMENTED_LOG_LEVELS = ["OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL"];

const flags = (args: string[]) => Object.fromEntries(args.map((a) => /^--([\w-]+)=(.*)$/.exec(a)!.slice(1, 3) as [string, string]));

describe("Besu on qbft", () => {
  const spec = clientSpec("qbft", "besu");
  const fleet = renderFleet(spec);
  const [alpha, beta, , rpc] = fleet.nodes.map((n) => n.run);

  it("matches the golden run specs of a validator and the RPC node", () => {
    expectGolden("clients/besu-qbft.json", { sealer: alpha, rpc });
  });

  it("passes only documented options, each once, as --name=value", () => {
    for (const { run } of fleet.nodes) {
      const names = run.args.map((a) => /^--([\w-]+)=/.exec(a)?.[1]);
      for (const name of names) expect(DOCUMENTED_OPTIONS, String(name)).toContain(name);
      expect(new Set(names).size).toBe(names.length);
      expect(DOCUMENTED_LOG_LEVELS).toContain(flags(run.args).logging);
    }
  });

  it("reads the node key — the validator key — from a 0x-hex secret file, and holds no keystore or password", () => {
    const f = flags(alpha!.args);
    expect(alpha!.secretFiles).toEqual({ [f["node-private-key-file"]!]: "nodeKey0x" });
    expect(Object.keys(alpha!.files).sort()).toEqual(["genesis.json", "static-nodes.json"]);
  });

  it("runs validators and the RPC node with the same flags but their own addresses and RPC: membership in the genesis validator set decides sealing", () => {
    const strip = (args: string[]) => args.filter((a) => !/^--(p2p-host|p2p-port|host-allowlist|rpc-http-host|rpc-http-api)=/.test(a));
    expect(strip(rpc!.args)).toEqual(strip(alpha!.args));
    expect(strip(beta!.args)).toEqual(strip(alpha!.args));
    // A validator's JSON-RPC (its QBFT vote API acts with the validator's authority) listens on its own loopback only.
    expect(flags(alpha!.args)).toMatchObject({ "rpc-http-host": "127.0.0.1", "rpc-http-api": "ETH,NET,WEB3,QBFT", "host-allowlist": "localhost,127.0.0.1" });
    expect(flags(rpc!.args)).toMatchObject({ "rpc-http-host": "0.0.0.0", "rpc-http-api": "ETH,NET,WEB3" });
    expect([alpha!.rpcUrl, rpc!.rpcUrl]).toEqual(["http://127.0.0.1:8545", "http://127.0.0.1:8545"]);
    const genesis = JSON.parse(fleet.chain.content) as { extraData: string };
    expect(genesis.extraData.toLowerCase()).toContain(nodeAddressOf(0).slice(2).toLowerCase());
    expect(genesis.extraData.toLowerCase()).not.toContain(nodeAddressOf(9).slice(2).toLowerCase());
  });

  it("listens on the bind address and advertises the node's reachable address, with NAT detection off", () => {
    expect(flags(alpha!.args)).toMatchObject({ "p2p-interface": "0.0.0.0", "p2p-host": "172.28.0.10", "p2p-port": "30303", "nat-method": "NONE" });
  });

  it("peers statically without discovery, syncs in full from genesis, and keeps the Engine API off", () => {
    expect(flags(alpha!.args)).toMatchObject({ "discovery-enabled": "false", "static-nodes-file": "static-nodes.json", "sync-mode": "FULL", "engine-rpc-enabled": "false" });
    expect(flags(alpha!.args)["network-id"]).toBe(String(spec.networkId));
  });

  it("needs no DNS support while every peer is an IP address", () => {
    expect(alpha!.args.filter((a) => a.startsWith("--Xdns"))).toEqual([]);
  });
});

describe("renderBesuNode", () => {
  const spec = clientSpec("qbft", "besu");
  const dnsFleet = renderFleet(spec, (i) => `node-${i}.acme.svc.cluster.local`);
  const params: NodeParams = {
    spec,
    name: "alpha",
    command: "/opt/besu/bin/besu",
    chain: dnsFleet.chain,
    ports: { p2p: 30303, http: 8545, authrpc: 8551 },
    bindHost: "127.0.0.1",
    advertisedHost: "127.0.0.1",
    staticPeers: [],
    sealer: true,
  };

  it("turns on Besu's DNS support when a peer or the node itself goes by a host name", () => {
    expect(flags(dnsFleet.nodes[0]!.run.args)).toMatchObject({ "Xdns-enabled": "true", "Xdns-update-enabled": "true" });
  });

  it("answers only to loopback names when bound to loopback, and also to its own name otherwise (never to any name)", () => {
    const rpcNode = { ...params, sealer: false };
    expect(flags(renderBesuNode(rpcNode).args)).toMatchObject({ "rpc-http-host": "127.0.0.1", "host-allowlist": "localhost,127.0.0.1" });
    const open = { ...rpcNode, bindHost: "0.0.0.0", advertisedHost: "node-0.acme.svc.cluster.local" };
    expect(flags(renderBesuNode(open).args)).toMatchObject({ "rpc-http-host": "0.0.0.0", "host-allowlist": "localhost,127.0.0.1,node-0.acme.svc.cluster.local" });
    // A validator stays on its loopback whatever the bind address (p2p still listens there).
    const validator = flags(renderBesuNode({ ...params, bindHost: "0.0.0.0", advertisedHost: "node-0.acme.svc.cluster.local" }).args);
    expect(validator).toMatchObject({ "rpc-http-host": "127.0.0.1", "host-allowlist": "localhost,127.0.0.1", "p2p-interface": "0.0.0.0" });
  });

  it("serves the QBFT namespace on validators (their votes), on RPC nodes only when asked", () => {
    expect(flags(renderBesuNode(params).args)["rpc-http-api"]).toBe("ETH,NET,WEB3,QBFT");
    expect(flags(renderBesuNode({ ...params, sealer: false }).args)["rpc-http-api"]).toBe("ETH,NET,WEB3");
    expect(flags(renderBesuNode({ ...params, sealer: false, httpApis: ["eth", "net", "web3", "qbft"] }).args)["rpc-http-api"]).toBe("ETH,NET,WEB3,QBFT");
  });

  it("maps verbosity 0–5 onto Besu's log levels", () => {
    const levels = [0, 1, 2, 3, 4, 5].map((verbosity) => flags(renderBesuNode({ ...params, spec: { ...spec, fleet: { ...spec.fleet, verbosity } } }).args).logging);
    expect(levels).toEqual(["OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"]);
  });

  it("refuses a signer keystore (QBFT validators sign with the node key) and other engines or clients", () => {
    expect(() => renderBesuNode({ ...params, signer: { address: signerAddressOf(0), keystore: keystoreOf(0) } })).toThrow(/sign with the node key/);
    expect(() => renderBesuNode({ ...params, spec: clientSpec("aura", "nethermind") })).toThrow(/Besu runs QBFT only/);
  });
});
