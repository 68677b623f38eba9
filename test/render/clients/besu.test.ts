// render/clients/besu.ts: Besu QBFT nodes. No Besu runs here: golden file, documented option names, and the facts the
// renderer relies on (node key = validator key, listen vs advertised address, DNS names only with --Xdns-enabled).
// Its local account permissioning (render/clients/besuPermissions.ts, the transact level of issue 17) is validated
// offline only, like the rest: no Besu binary exists on these machines, so the TOML file is checked against its golden
// file, read back as the TOML subset it is written in, and its keys and formats against Besu's parser and docs (cited
// in besuPermissions.ts), never by a Besu that starts with it.
import { describe, expect, it } from "vitest";
import { renderChainFile } from "../../../render/chain";
import { BESU_FILES, renderBesuNode } from "../../../render/clients/besu";
import { BESU_PERMISSIONS_FILE, besuAccountAllowlist, renderBesuPermissions } from "../../../render/clients/besuPermissions";
import { NodeParams } from "../../../render/runSpec";
import { OPEN_POLICY, withStackAccounts } from "../../../settings/permissions";
import { expectGolden } from "../golden";
import { clientSpec, keystoreOf, nodeAddressOf, renderFleet, signerAddressOf, validatorsOf } from "./fixtures";

// Options as besu-docs names them: docs/public-networks/reference/cli/options.md, plus the early-access DNS options of
// docs/private-networks/how-to/use-permissioning/onchain.md (--Xdns-enabled, --Xdns-update-enabled); the metrics options
// also as docs/public-networks/how-to/monitor/metrics.md uses them; the local permissioning options as
// docs/private-networks/reference/cli/options.md names them.
const DOCUMENTED_OPTIONS = new Set([
  "data-path", "genesis-file", "node-private-key-file", "network-id", "sync-mode", "p2p-interface", "p2p-host", "p2p-port", "nat-method",
  "discovery-enabled", "static-nodes-file", "rpc-http-enabled", "rpc-http-host", "rpc-http-port", "rpc-http-api", "host-allowlist",
  "engine-rpc-enabled", "logging", "Xdns-enabled", "Xdns-update-enabled", "metrics-enabled", "metrics-host", "metrics-port",
  "permissions-accounts-config-file-enabled", "permissions-accounts-config-file",
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

/**
 * The TOML besuPermissions.ts writes, read back: top-level `key = value` lines and `#` comments, each value an array of
 * basic strings that may span lines (TOML 1.0, toml.io: "Array", "Basic string"), which is also JSON. Anything else
 * (a table, a bare value, a key twice) is refused rather than skipped. Besu reads the file with Tuweni's full parser
 * (ethereum/permissioning/.../TomlConfigFileParser.java); no TOML parser is among this project's packages.
 */
function readPermissionsToml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const entry = /^([A-Za-z0-9_-]+) = (\[.*)$/.exec(line);
    if (!entry) throw new Error(`readPermissionsToml: line ${i + 1} is not \`key = [...]\`: ${JSON.stringify(line)}`);
    let value = entry[2]!;
    while (!value.endsWith("]")) {
      if (++i >= lines.length) throw new Error(`readPermissionsToml: the array of ${entry[1]} never closes`);
      value += lines[i]!.trim();
    }
    if (entry[1]! in out) throw new Error(`readPermissionsToml: ${entry[1]} is set twice`);
    out[entry[1]!] = JSON.parse(value);
  }
  return out;
}

describe("Besu local account permissioning (permissions.transact)", () => {
  const transact = [signerAddressOf(0), signerAddressOf(1), "0x1000000000000000000000000000000000000001"];
  const spec = clientSpec("qbft", "besu", { permissions: { transact, deploy: [signerAddressOf(0)] } });
  // The stack's own accounts, one of them (the deployer) spelt lower-case: withStackAccounts keeps both spellings,
  // which Besu would refuse to start with (a duplicate once lower-cased).
  const policy = withStackAccounts(spec.permissions!, { transact: [signerAddressOf(2)], deploy: [signerAddressOf(0).toLowerCase()] });
  const openSpec = clientSpec("qbft", "besu");
  const chain = renderChainFile(spec, { validators: validatorsOf(spec) });
  const base = (s = spec): NodeParams => ({
    spec: s,
    name: "alpha",
    command: "/opt/besu/bin/besu",
    chain,
    ports: { p2p: 30303, http: 8545, authrpc: 8551, metrics: 6060 },
    bindHost: "0.0.0.0",
    advertisedHost: "172.28.0.10",
    staticPeers: [],
    sealer: true,
  });
  const validator = renderBesuNode({ ...base(), permissions: policy });
  const rpc = renderBesuNode({ ...base(), name: "rpc-org-1", advertisedHost: "172.28.0.13", sealer: false, permissions: policy });
  const toml = validator.files[BESU_PERMISSIONS_FILE]!;

  it("matches the golden TOML file and the Besu args of a validator and an RPC node", () => {
    expectGolden("clients/besu-qbft-permissions.json", { toml: toml.split("\n"), validatorArgs: validator.args, rpcArgs: rpc.args });
    expect(rpc.files[BESU_PERMISSIONS_FILE]).toBe(toml);
  });

  it("lists every transact address once, as Besu compares them (deploy is within transact), and nothing else", () => {
    const parsed = readPermissionsToml(toml);
    expect(Object.keys(parsed)).toEqual(["accounts-allowlist"]);
    const listed = parsed["accounts-allowlist"] as string[];
    const expected = [...new Set([...transact, signerAddressOf(2)].map((a) => a.toLowerCase()))].sort();
    expect(listed).toEqual(expected);
    expect(policy.transact).toHaveLength(expected.length + 1); // the deployer's two spellings, one entry
    for (const a of listed) expect(a).toMatch(/^0x[0-9a-f]{40}$/); // isValidAccountString: "0x" and 20 bytes
    for (const a of policy.deploy as string[]) expect(listed).toContain(a.toLowerCase());
  });

  it("turns it on with the two documented flags, pointing at the file it adds, and changes nothing else", () => {
    for (const [run, params] of [
      [validator, base(openSpec)],
      [rpc, { ...base(openSpec), name: "rpc-org-1", advertisedHost: "172.28.0.13", sealer: false }],
    ] as const) {
      const open = renderBesuNode({ ...params, chain });
      const added = run.args.filter((a) => !open.args.includes(a));
      expect(added).toEqual(["--permissions-accounts-config-file-enabled=true", `--permissions-accounts-config-file=${BESU_FILES.permissions}`]);
      expect(run.args.filter((a) => !added.includes(a))).toEqual(open.args);
      for (const a of added) expect(DOCUMENTED_OPTIONS).toContain(/^--([\w-]+)=/.exec(a)![1]);
      expect(run.files).toEqual({ ...open.files, [flags(run.args)["permissions-accounts-config-file"]!]: toml });
      expect(run.secretFiles).toEqual(open.secretFiles);
      // No node allowlist (besuPermissions.ts says why).
      expect(run.args.some((a) => a.startsWith("--permissions-nodes"))).toBe(false);
      expect(toml).not.toContain("nodes-allowlist");
    }
  });

  it("renders no file and no flag when transact is open", () => {
    const open = renderBesuNode(base(openSpec));
    for (const permissions of [OPEN_POLICY, { transact: "open" as const }, undefined]) {
      const run = renderBesuNode({ ...base(openSpec), ...(permissions ? { permissions } : {}) });
      expect(run.args).toEqual(open.args);
      expect(Object.keys(run.files).sort()).toEqual(["genesis.json", "static-nodes.json"]);
      expect(run.args.some((a) => a.startsWith("--permissions"))).toBe(false);
    }
  });

  it("refuses a node of a consortium that restricts transact but gets no list (the spec's lacks the stack's accounts)", () => {
    expect(() => renderBesuNode(base())).toThrow(/restricts permissions\.transact, but no transact list reached the node/);
    expect(() => renderBesuNode({ ...base(), permissions: OPEN_POLICY })).toThrow(/no transact list reached the node/);
  });

  it("refuses the PERM API next to an allowlist: any caller could widen it", () => {
    expect(() => renderBesuNode({ ...base(), sealer: false, httpApis: ["eth", "net", "web3", "PERM"], permissions: policy })).toThrow(/PERM API must not be exposed/);
  });

  it("writes an empty list as an empty array (Besu then lets no sender through) and refuses what is not an address", () => {
    expect(readPermissionsToml(renderBesuPermissions([]))).toEqual({ "accounts-allowlist": [] });
    expect(besuAccountAllowlist(["0xABCDEF0000000000000000000000000000000001", "0xabcdef0000000000000000000000000000000001"])).toEqual(["0xabcdef0000000000000000000000000000000001"]);
    for (const bad of ["0x1234", "abcdef0000000000000000000000000000000001", "0XABCDEF0000000000000000000000000000000001", "0xg000000000000000000000000000000000000001"]) {
      expect(() => renderBesuPermissions([bad]), bad).toThrow(/is not an address/);
    }
  });
});
