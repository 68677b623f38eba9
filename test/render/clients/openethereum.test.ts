// render/clients/openethereum.ts: OpenEthereum 3.3.5 AuRa nodes, compared with parity-deploy's authority.toml (same
// shape, none of its flaws), with OpenEthereum's own config schema file, and pinned by a golden file.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openEthereumDataDir, openEthereumKeyPaths, renderOpenEthereumNode } from "../../../render/clients/openethereum";
import { NodeParams } from "../../../render/runSpec";
import { expectGolden } from "../golden";
import { clientSpec, keystoreOf, readToml, renderFleet, signerAddressOf } from "./fixtures";

/** parity-deploy's OpenEthereum node config, kept in the repository (test/fixtures/parity-deploy/README.md). */
const REFERENCE = join(__dirname, "..", "..", "fixtures", "parity-deploy", "authority.toml");

// Section → keys of OpenEthereum 3.x's full config test file, bin/oe/cli/tests/config.full.toml (openethereum/openethereum),
// for the sections this renderer writes: a key outside this list would be refused or ignored by OpenEthereum. That file
// has no [metrics] section: its keys are the Metrics struct's of bin/oe/cli/mod.rs, as its test file tests/config.toml sets them.
const SCHEMA: Record<string, string[]> = {
  parity: ["mode", "mode_timeout", "mode_alarm", "no_persistent_txqueue", "chain", "base_path", "db_path", "keys_path", "identity"],
  account: ["unlock", "password", "keys_iterations"],
  network: ["port", "min_peers", "max_peers", "nat", "id", "bootnodes", "discovery", "warp", "allow_ips", "snapshot_peers", "max_pending_peers", "reserved_only", "reserved_peers"],
  rpc: ["disable", "port", "interface", "cors", "apis", "hosts", "allow_missing_blocks"],
  websockets: ["disable", "port", "interface", "origins", "apis", "hosts"],
  ipc: ["disable", "path", "apis"],
  mining: [
    "author", "engine_signer", "force_sealing", "reseal_on_txs", "reseal_min_period", "reseal_max_period", "work_queue_size", "relay_set",
    "min_gas_price", "usd_per_tx", "usd_per_eth", "price_update_period", "gas_floor_target", "gas_cap", "tx_queue_size", "tx_queue_locals",
    "tx_queue_strategy", "tx_queue_ban_count", "tx_queue_ban_time", "tx_gas_limit", "tx_time_limit", "tx_queue_no_unfamiliar_locals",
    "tx_queue_no_early_reject", "extra_data", "remove_solved", "notify_work", "refuse_service_transactions", "new_transactions_stats_period",
  ],
  misc: ["logging", "log_file", "color"],
  metrics: ["enable", "interface", "port"],
};
const FORBIDDEN_APIS = ["personal", "parity_accounts", "parity_set", "signer", "parity", "traces", "rpc", "secretstore"];

function loadReference() {
  if (!existsSync(REFERENCE)) throw new Error(`the parity-deploy reference config is missing at ${REFERENCE}: restore test/fixtures/parity-deploy/authority.toml from git`);
  return readToml(readFileSync(REFERENCE, "utf8"));
}

describe("OpenEthereum on aura", () => {
  const spec = clientSpec("aura", "openethereum");
  const fleet = renderFleet(spec);
  const [alpha, , , rpc] = fleet.nodes.map((n) => n.run);
  const config = (run = alpha!) => readToml(run.files["config.toml"]!);

  it("matches the golden run specs of a sealer and the RPC node", () => {
    expectGolden("clients/openethereum-aura.json", { sealer: alpha, rpc });
  });

  it("uses only sections and keys of OpenEthereum's config schema", () => {
    for (const run of [alpha!, rpc!]) {
      for (const [section, entries] of Object.entries(config(run))) {
        expect(SCHEMA, section).toHaveProperty(section);
        for (const key of Object.keys(entries)) expect(SCHEMA[section], `${section}.${key}`).toContain(key);
      }
      expect(run.args).toEqual(["--config", "config.toml"]);
    }
  });

  it("keeps parity-deploy's sections, paths and sealing settings", () => {
    const ref = loadReference();
    const ours = config();
    for (const section of ["parity", "account", "network", "rpc", "mining", "websockets"]) expect(ours, section).toHaveProperty(section);
    expect(ours.parity!.chain).toBe("chainspec.json");
    expect(alpha!.files).toHaveProperty("chainspec.json");
    expect(ours.network!.reserved_peers).toBe("reserved_peers");
    expect(ref.network!.reserved_peers).toBeDefined();
    expect(ours.mining).toMatchObject({ engine_signer: signerAddressOf(0), reseal_on_txs: ref.mining!.reseal_on_txs });
    expect((ours.account!.password as string[]).map((f) => alpha!.secretFiles[f])).toEqual(["password"]);
  });

  it("fixes parity-deploy's RPC and WebSocket flaws", () => {
    const ref = loadReference();
    const ours = config();
    // The reference listens everywhere with CORS/Host wildcards and the account-moving APIs.
    expect(ref.rpc).toMatchObject({ interface: "0.0.0.0", cors: ["all"], hosts: ["all"] });
    expect(ref.rpc!.apis).toEqual(expect.arrayContaining(["personal", "parity_accounts", "parity_set", "signer"]));
    expect(ref.websockets!.disable).toBe(false);
    // Ours, on the RPC node: the bind address, no wildcards, web3/eth/net only, WebSockets and IPC off.
    const served = config(rpc);
    expect(served.rpc).toMatchObject({ interface: "0.0.0.0", cors: ["none"], hosts: ["localhost", "127.0.0.1", "172.28.0.13"] });
    expect(served.rpc!.apis).toEqual(["eth", "net", "web3"]);
    for (const api of FORBIDDEN_APIS) expect(served.rpc!.apis).not.toContain(api);
    expect(served.websockets).toEqual({ disable: true });
    expect(served.ipc).toEqual({ disable: true });
    // On a sealer (its engine signer unlocked): no HTTP JSON-RPC at all (`--no-jsonrpc`), IPC in its data directory
    // with web3/eth/net only (OpenEthereum's default IPC list has parity_accounts and personal).
    expect(ours.rpc).toEqual({ disable: true });
    expect(ours.websockets).toEqual({ disable: true });
    expect(ours.ipc).toEqual({ disable: false, path: "data/jsonrpc.ipc", apis: ["web3", "eth", "net"] });
    for (const api of FORBIDDEN_APIS) expect(ours.ipc!.apis).not.toContain(api);
    expect([alpha!.rpcUrl, alpha!.ipcPath]).toEqual([undefined, "data/jsonrpc.ipc"]);
    for (const c of [ours, served]) expect(JSON.stringify(c)).not.toMatch(/"all"/);
  });

  it("peers with reserved peers only, without discovery", () => {
    expect(config().network).toMatchObject({ port: 30303, discovery: false, reserved_only: true, warp: false, nat: "extip:172.28.0.10" });
  });

  it("files the keystore under keys/<chain name>/ and the node key under chains/<chain name>/network/key", () => {
    expect(openEthereumDataDir(fleet.chain.content)).toBe("acme");
    expect(openEthereumKeyPaths(fleet.chain.content)).toEqual({ keysDir: "data/keys/acme", nodeKey: "data/chains/acme/network/key" });
    expect(config().parity!.base_path).toBe("data");
    expect(Object.keys(alpha!.files).filter((f) => f.startsWith("data/keys/"))).toEqual([]);
    const keystores = Object.keys(alpha!.secretFiles).filter((f) => f.startsWith("data/keys/acme/"));
    expect(keystores).toHaveLength(1);
    expect(fleet.nodes[0]!.secrets[keystores[0]!]).toBe(keystoreOf(0));
    // Hex without 0x: what OpenEthereum's network layer writes and reads back. The keystore is a 0600 file too.
    expect(alpha!.secretFiles).toEqual({ "data/chains/acme/network/key": "nodeKey", password: "password", [keystores[0]!]: "keystore" });
  });

  it("keeps the spec's gas limit and a fixed minimum gas price on sealers", () => {
    expect(config().mining).toMatchObject({ force_sealing: true, gas_floor_target: "30000000", gas_cap: "30000000", min_gas_price: 1_000_000_000 });
  });

  it("gives the RPC node no signer, no password and no sealing settings", () => {
    const ours = config(rpc);
    expect(ours).not.toHaveProperty("account");
    expect(ours.mining).toEqual({ min_gas_price: 1_000_000_000 });
    expect(rpc!.secretFiles).toEqual({ "data/chains/acme/network/key": "nodeKey" });
    expect(Object.keys(rpc!.files).filter((f) => f.startsWith("data/keys/"))).toEqual([]);
  });
});

describe("renderOpenEthereumNode", () => {
  const spec = clientSpec("aura", "openethereum");
  const { chain } = renderFleet(spec);
  const params: NodeParams = {
    spec,
    name: "alpha",
    command: "/home/openethereum/openethereum",
    chain,
    ports: { p2p: 30310, http: 8545, authrpc: 8551 },
    bindHost: "127.0.0.1",
    advertisedHost: "alpha.acme.svc",
    staticPeers: [],
    sealer: false,
  };
  const configOf = (p: NodeParams) => readToml(renderOpenEthereumNode(p).files["config.toml"]!);

  it("accepts only the server's own address on loopback, and has no NAT mapping behind a DNS name", () => {
    const c = configOf(params);
    expect(c.rpc).toMatchObject({ interface: "127.0.0.1", hosts: ["none"] });
    expect(c.network!.nat).toBe("none");
  });

  it("maps verbosity 0–5 onto log levels", () => {
    const levels = [0, 1, 2, 3, 4, 5].map((verbosity) => configOf({ ...params, spec: { ...spec, fleet: { ...spec.fleet, verbosity } } }).misc!.logging);
    expect(levels).toEqual(["off", "error", "warn", "info", "debug", "trace"]);
  });

  it("takes the chain's directory name from the chainspec's dataDir, else its name, and refuses unsafe ones", () => {
    expect(openEthereumDataDir(JSON.stringify({ name: "acme", dataDir: "acme-data" }))).toBe("acme-data");
    expect(() => openEthereumDataDir(JSON.stringify({ name: "../etc" }))).toThrow(/not a directory name/);
    expect(() => openEthereumDataDir(JSON.stringify({ name: ".." }))).toThrow(/not a directory name/);
  });

  it("refuses a sealer without keystore, a keystore without sealing, and other engines or clients", () => {
    expect(() => renderOpenEthereumNode({ ...params, sealer: true })).toThrow(/needs its signer keystore/);
    expect(() => renderOpenEthereumNode({ ...params, signer: { address: signerAddressOf(0), keystore: keystoreOf(0) } })).toThrow(/must not hold a signer keystore/);
    expect(() => renderOpenEthereumNode({ ...params, spec: clientSpec("aura", "nethermind") })).toThrow(/OpenEthereum runs AuRa only/);
  });
});
