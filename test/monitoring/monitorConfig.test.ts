// The monitor's configuration (monitor/config.ts): the optional PoCo part, checked like the rest, naming the field;
// the foreign endpoint read from the secret file the stack writes beside it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadMonitorConfig, parseMonitorConfig } from "../../monitor/config";

const base = {
  listen: { host: "127.0.0.1", port: 0 },
  chain: { rpcUrl: "http://127.0.0.1:8545", seal: "clique", signers: [{ name: "a", address: "0x" + "11".repeat(20) }], windowBlocks: 32, pollSeconds: 1 },
  nodes: [],
};

describe("monitor configuration: PoCo", () => {
  it("is optional, and kept with its hub when given", () => {
    expect(parseMonitorConfig(base).poco).toBeUndefined();
    const hub = "0x" + "ab".repeat(20);
    expect(parseMonitorConfig({ ...base, poco: { hub } }).poco).toEqual({ hub });
  });

  it("a hub that is no address is refused, the field named", () => {
    for (const poco of [{}, { hub: "0x1234" }, { hub: 42 }, null]) {
      expect(() => parseMonitorConfig({ ...base, poco })).toThrow(/poco\.hub: the PoCo hub's \(Diamond's\) contract address is needed/);
    }
  });

  it("a signer without an address is still named by its index", () => {
    expect(() => parseMonitorConfig({ ...base, chain: { ...base.chain, signers: [{ name: "a", address: "nope" }] } })).toThrow(/chain\.signers\[0\]\.address: an address is needed/);
  });
});

describe("monitor configuration: the bridge's foreign endpoint as a secret file", () => {
  const dir = mkdtempSync(join(tmpdir(), "monitor-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const address = (b: string) => "0x" + b.repeat(20);
  const bridge = {
    chainName: "acme",
    foreign: { chainId: 1, rpcUrlFile: "foreign-rpc-url", vault: address("01"), token: address("02"), startBlock: 5, confirmations: 12 },
    home: { chainId: 7, walletRpcUrl: "http://127.0.0.1:30410", gateway: address("03"), token: address("04"), startBlock: 1 },
    validators: [{ name: "a", address: address("05") }],
    agents: [{ name: "a", healthUrl: "http://acme-bridge-agent-a:8080/healthz" }],
  };

  it("reads the URL from the file beside the configuration, which names only the file", () => {
    writeFileSync(join(dir, "monitor.json"), JSON.stringify({ ...base, bridge }));
    writeFileSync(join(dir, "foreign-rpc-url"), "https://mainnet.example.org/rpc?key=MARKER\n", { mode: 0o600 });
    const config = loadMonitorConfig(join(dir, "monitor.json"));
    expect(config.bridge?.foreign.rpcUrl).toBe("https://mainnet.example.org/rpc?key=MARKER");
    expect(config.bridge?.foreign).not.toHaveProperty("rpcUrlFile");
    expect(config.bridge?.home.walletRpcUrl).toBe("http://127.0.0.1:30410");
  });

  it("a missing file is an error naming the field; a wallet URL that is no URL, or a key flag that is no boolean, is refused", () => {
    writeFileSync(join(dir, "gone.json"), JSON.stringify({ ...base, bridge: { ...bridge, foreign: { ...bridge.foreign, rpcUrlFile: "nowhere" } } }));
    expect(() => loadMonitorConfig(join(dir, "gone.json"))).toThrow(/bridge\.foreign\.rpcUrlFile: cannot read .*nowhere \(ENOENT\)/);
    const bad = { ...bridge, foreign: { ...bridge.foreign, rpcUrl: "https://x.example" }, home: { ...bridge.home, walletRpcUrl: "ftp://x" } };
    expect(() => parseMonitorConfig({ ...base, bridge: bad })).toThrow(/bridge\.home\.walletRpcUrl: an http\(s\) URL, or nothing/);
    const keyFlag = { ...bridge, foreign: { ...bridge.foreign, rpcUrl: "https://x.example" }, home: { ...bridge.home, walletKeyRequired: "yes" } };
    expect(() => parseMonitorConfig({ ...base, bridge: keyFlag })).toThrow(/bridge\.home\.walletKeyRequired: true, false or nothing/);
  });
});
