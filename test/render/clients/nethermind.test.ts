// render/clients/nethermind.ts: Nethermind 1.31 nodes for AuRa and Clique. No Nethermind runs here, so the rendering is
// pinned by golden files and checked against Nethermind's documented option names and its source-level file formats.
import { describe, expect, it } from "vitest";
import { NETHERMIND_NODE_KEY_SOURCE, renderNethermindConfig, renderNethermindNode } from "../../../render/clients/nethermind";
import { NodeParams } from "../../../render/runSpec";
import { resolveSecretFiles, secretFileBytes } from "../../../render/secrets";
import { expectGolden } from "../golden";
import { clientSpec, keystoreOf, markers, renderFleet, RPC_NODE, signerAddressOf } from "./fixtures";

// Every option this renderer writes, as NethermindEth/docs versioned_docs/version-1.31.11/fundamentals/configuration.md
// spells it (namespace.option). A typo in the renderer makes Nethermind ignore the option silently; this list catches it.
const DOCUMENTED_OPTIONS = new Set([
  "Aura.AllowAuRaPrivateChains",
  "Blocks.TargetBlockGasLimit",
  "Init.BaseDbPath",
  "Init.ChainSpecPath",
  "Init.DiscoveryEnabled",
  "Init.LogDirectory",
  "Init.StaticNodesPath",
  "Init.WebSocketsEnabled",
  "JsonRpc.Enabled",
  "JsonRpc.EnabledModules",
  "JsonRpc.Host",
  "JsonRpc.Port",
  "KeyStore.BlockAuthorAccount",
  "KeyStore.EnodeKeyFile",
  "KeyStore.KeyStoreDirectory",
  "KeyStore.PasswordFiles",
  "KeyStore.UnlockAccounts",
  "Merge.Enabled",
  "Metrics.Enabled",
  "Metrics.ExposeHost",
  "Metrics.ExposePort",
  "Mining.Enabled",
  "Network.DiscoveryPort",
  "Network.ExternalIp",
  "Network.OnlyStaticPeers",
  "Network.P2PPort",
]);
// Basic command-line options of the same page: -c/--config <path>, -l/--log <level> (off trace debug info warn error).
const DOCUMENTED_LOG_LEVELS = ["off", "trace", "debug", "info", "warn", "error"];

type Config = Record<string, Record<string, unknown>>;
const configOf = (files: Record<string, string>) => JSON.parse(files["nethermind.json"]!) as Config;

describe.each(["aura", "clique"] as const)("Nethermind on %s", (engine) => {
  const spec = clientSpec(engine, "nethermind");
  const fleet = renderFleet(spec);
  const [alpha, , , rpc] = fleet.nodes.map((n) => n.run);

  it("matches the golden run specs of a sealer and the RPC node", () => {
    expectGolden(`clients/nethermind-${engine}.json`, { sealer: alpha, rpc });
  });

  it("writes only documented options", () => {
    for (const { run } of fleet.nodes) {
      for (const [ns, options] of Object.entries(configOf(run.files))) {
        for (const option of Object.keys(options)) expect(DOCUMENTED_OPTIONS, `${ns}.${option}`).toContain(`${ns}.${option}`);
      }
      expect(run.args.slice(0, 2)).toEqual(["--config", "./nethermind.json"]);
      expect(run.args[2]).toBe("--log");
      expect(DOCUMENTED_LOG_LEVELS).toContain(run.args[3]);
    }
  });

  it("names every path with ./, so Nethermind resolves it in the node directory and not in its install directory", () => {
    const c = configOf(alpha!.files);
    const paths = [c.Init!.ChainSpecPath, c.Init!.BaseDbPath, c.Init!.LogDirectory, c.Init!.StaticNodesPath, c.KeyStore!.KeyStoreDirectory, c.KeyStore!.EnodeKeyFile, ...(c.KeyStore!.PasswordFiles as string[])];
    for (const p of paths) expect(p).toMatch(/^\.\/[^/]/);
    // …and each names a file the run spec provides (the db, log and keystore directories are written by Nethermind).
    expect(alpha!.files).toHaveProperty((c.Init!.ChainSpecPath as string).slice(2));
    expect(alpha!.files).toHaveProperty((c.Init!.StaticNodesPath as string).slice(2));
    expect(alpha!.secretFiles).toHaveProperty((c.KeyStore!.EnodeKeyFile as string).slice(2));
    for (const p of c.KeyStore!.PasswordFiles as string[]) expect(alpha!.secretFiles[p.slice(2)]).toBe("password");
  });

  it("unlocks the sealer's keystore from a password file, in a file named after its address", () => {
    const c = configOf(alpha!.files);
    const address = signerAddressOf(0);
    expect(c.Mining).toEqual({ Enabled: true });
    expect(c.KeyStore).toMatchObject({ BlockAuthorAccount: address, UnlockAccounts: [address] });
    // The keystore is a secret file (0600) like the password, never a plain one.
    expect(Object.keys(alpha!.files).filter((f) => f.startsWith("keystore/"))).toEqual([]);
    const keystores = Object.keys(alpha!.secretFiles).filter((f) => f.startsWith("keystore/"));
    expect(keystores).toHaveLength(1);
    // Nethermind's FileKeyStore looks keys up by "*<address without 0x, lower case>*".
    expect(keystores[0]).toContain(address.slice(2).toLowerCase());
    expect(alpha!.secretFiles[keystores[0]!]).toBe("keystore");
    expect(fleet.nodes[0]!.secrets[keystores[0]!]).toBe(keystoreOf(0));
    expect(JSON.stringify(c)).not.toMatch(/"Passwords"|TestNodeKey/);
  });

  it("keeps the RPC node free of keystores, passwords and sealing", () => {
    const c = configOf(rpc!.files);
    expect(c.Mining).toEqual({ Enabled: false });
    expect(c.KeyStore).not.toHaveProperty("BlockAuthorAccount");
    expect(c.KeyStore).not.toHaveProperty("UnlockAccounts");
    expect(c).not.toHaveProperty("Blocks");
    expect([...Object.keys(rpc!.files), ...Object.keys(rpc!.secretFiles)].filter((f) => f.startsWith("keystore/"))).toEqual([]);
    expect(Object.values(rpc!.secretFiles)).not.toContain("password");
    expect(Object.values(rpc!.secretFiles)).not.toContain("keystore");
    expect(rpc!.name).toBe(RPC_NODE);
  });

  it("turns off discovery, WebSockets and the merge, serves its metrics on the bind address, and keeps the spec's gas limit", () => {
    const c = configOf(alpha!.files);
    expect(c.Init).toMatchObject({ DiscoveryEnabled: false, WebSocketsEnabled: false });
    expect(c.Network).toMatchObject({ OnlyStaticPeers: true, P2PPort: 30303, DiscoveryPort: 30303, ExternalIp: "172.28.0.10" });
    expect(c.Merge).toEqual({ Enabled: false });
    // Every node, sealers too: a Prometheus endpoint on its own port, nothing pushed anywhere.
    expect(c.Metrics).toEqual({ Enabled: true, ExposeHost: "0.0.0.0", ExposePort: 6060 });
    expect(c.Blocks).toEqual({ TargetBlockGasLimit: 30_000_000 });
    expect(configOf(rpc!.files).JsonRpc).toEqual({ Enabled: true, Host: "0.0.0.0", Port: 8545, EnabledModules: ["Eth", "Net", "Web3"] });
  });

  it("runs the sealer without JSON-RPC at all (its signer key is unlocked): no HTTP, WebSockets or IPC, no RPC URL", () => {
    expect(configOf(alpha!.files).JsonRpc).toEqual({ Enabled: false });
    expect(alpha!.rpcUrl).toBeUndefined();
    expect(alpha!.ipcPath).toBeUndefined();
    expect(rpc!.rpcUrl).toBe("http://127.0.0.1:8545");
  });

  it(engine === "aura" ? "allows AuRa private chains" : "has no AuRa section", () => {
    const c = configOf(alpha!.files);
    if (engine === "aura") expect(c.Aura).toEqual({ AllowAuRaPrivateChains: true });
    else expect(c).not.toHaveProperty("Aura");
  });
});

describe("renderNethermindNode", () => {
  const spec = clientSpec("aura", "nethermind");
  const { chain } = renderFleet(spec);
  const params: NodeParams = {
    spec,
    name: "alpha",
    command: "/nethermind/nethermind",
    chain,
    ports: { p2p: 30303, http: 8545, authrpc: 8551 },
    bindHost: "127.0.0.1",
    advertisedHost: "alpha.acme.svc",
    staticPeers: [],
    sealer: true,
    signer: { address: signerAddressOf(0), keystore: keystoreOf(0) },
  };

  it("maps verbosity 0–5 onto Nethermind's log levels", () => {
    const levels = [0, 1, 2, 3, 4, 5].map((verbosity) => renderNethermindNode({ ...params, spec: { ...spec, fleet: { ...spec.fleet, verbosity } } }).args[3]);
    expect(levels).toEqual(["off", "error", "warn", "info", "debug", "trace"]);
  });

  it("advertises no ExternalIp behind a DNS name (Nethermind takes an IP only)", () => {
    expect(renderNethermindConfig(params).Network).not.toHaveProperty("ExternalIp");
  });

  it("refuses a sealer without keystore, a keystore without sealing, and engines it does not run here", () => {
    const { signer: _signer, ...noSigner } = params;
    expect(() => renderNethermindNode(noSigner)).toThrow(/needs its signer keystore/);
    expect(() => renderNethermindNode({ ...params, sealer: false })).toThrow(/must not hold a signer keystore/);
    expect(() => renderNethermindNode({ ...params, spec: clientSpec("aura", "openethereum") })).toThrow(/Nethermind runs AuRa or Clique/);
  });

  it("refuses a gas limit a JSON number cannot carry exactly", () => {
    expect(() => renderNethermindNode({ ...params, spec: { ...spec, gasLimit: 2n ** 60n } })).toThrow(/JSON number/);
  });

  // Known gap (see NETHERMIND_NODE_KEY_SOURCE): Nethermind reads KeyStore.EnodeKeyFile as 32 raw bytes, run specs carry
  // text secrets only. This expectation fails until a binary secret source exists; then drop `.fails`.
  it("writes the node key as the 32 raw bytes Nethermind reads", () => {
    const run = renderNethermindNode(params);
    const nodeKeyHex = "11".repeat(32);
    const content = resolveSecretFiles(run.secretFiles, { nodeKey: nodeKeyHex, password: markers("alpha").password, keystore: keystoreOf(0) })["node.key"]!;
    expect(NETHERMIND_NODE_KEY_SOURCE).not.toBe("nodeKey");
    expect(secretFileBytes(content, NETHERMIND_NODE_KEY_SOURCE)).toEqual(Buffer.from(nodeKeyHex, "hex"));
  });
});
