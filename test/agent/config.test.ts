// Agent configuration: a valid file parses with its defaults; every bad field is reported at once, by its path.
import { describe, expect, it } from "vitest";
import { AgentConfigError, parseAgentConfig } from "../../agent/config";

const A = "0x" + "aa".repeat(20);
const B = "0x" + "bb".repeat(20);
const valid = {
  validatorAddress: A,
  keystoreFile: "/keys/validator.json",
  passwordFile: "/keys/password",
  dbFile: "/var/lib/agent/agent.db",
  home: { rpcUrl: "http://127.0.0.1:8545", chainId: 31415, gateway: A, validatorSet: B, confirmations: 2, startBlock: 10 },
  foreign: { rpcUrl: "https://mainnet.example", chainId: 1, vault: B, validatorSet: A, confirmations: 12, startBlock: 0 },
  health: { port: 9100 },
};

function problems(json: unknown): string[] {
  try {
    parseAgentConfig(json);
  } catch (e) {
    expect(e).toBeInstanceOf(AgentConfigError);
    return (e as AgentConfigError).problems;
  }
  throw new Error("expected a configuration error");
}

describe("parseAgentConfig", () => {
  it("accepts a valid configuration (object or JSON text), checksums addresses and fills defaults", () => {
    const cfg = parseAgentConfig(JSON.stringify(valid));
    expect(cfg.health).toEqual({ host: "127.0.0.1", port: 9100 });
    expect(cfg.home.gateway).toBe("0xaAaAaAaaAaAaAaaAaAAAAAAAAaaaAaAaAaaAaaAa");
    expect(cfg).toMatchObject({ pollIntervalMs: 2000, maxBlockRange: 2000, txTimeoutMs: 60_000, fallbackDelayMs: 60_000 });
    expect(parseAgentConfig(valid)).toEqual(cfg);
  });

  it("names every bad field in one error", () => {
    const bad = {
      ...valid,
      validatorAddress: "0x1234",
      keystoreFile: "",
      home: { ...valid.home, chainId: 0, rpcUrl: "ws://x" },
      foreign: { ...valid.foreign, confirmations: -1, vaults: B },
      health: { port: 70000 },
      pollIntervalMs: "fast",
      extra: true,
    };
    delete (bad as Partial<typeof valid>).dbFile;
    expect(problems(bad)).toEqual([
      "extra: is not a known setting (typo?)",
      "foreign.vaults: is not a known setting (typo?)",
      'validatorAddress: must be a 0x-prefixed 20-byte address, got "0x1234"',
      'keystoreFile: must be a non-empty string, got ""',
      "dbFile: is required (a non-empty string)",
      "home.rpcUrl: must be an http(s) URL",
      "home.chainId: must be an integer ≥ 1, got 0",
      "foreign.confirmations: must be an integer ≥ 1, got -1",
      "health.port: must be an integer from 0 to 65535, got 70000",
      'pollIntervalMs: must be an integer ≥ 50, got "fast"',
    ]);
  });

  it("refuses the same chain id on both sides, missing sections and non-JSON", () => {
    expect(problems({ ...valid, foreign: { ...valid.foreign, chainId: 31415 } })).toEqual([
      "home.chainId and foreign.chainId: both are 31415; the two sides must be different chains",
    ]);
    expect(problems({ ...valid, home: undefined })).toContain("home: is required (an object)");
    expect(problems("{not json")[0]).toMatch(/^not valid JSON/);
  });

  it("refuses 0 confirmations: an event must be at least one block deep before a validator acts on it", () => {
    expect(problems({ ...valid, home: { ...valid.home, confirmations: 0 } })).toEqual(["home.confirmations: must be an integer ≥ 1, got 0"]);
  });

  it("reads an RPC URL from rpcUrlFile (relative to the config), exclusive with rpcUrl, and never echoes a URL", () => {
    const files: Record<string, string> = { "home-url": "https://rpc.example/key-abc123\n", "bad-url": "https://rpc.example/key-abc123 extra" };
    const read = (p: string) => {
      if (!(p in files)) throw Object.assign(new Error("nope"), { code: "ENOENT" });
      return files[p];
    };
    const { rpcUrl: _inline, ...home } = valid.home;
    expect(parseAgentConfig({ ...valid, home: { ...home, rpcUrlFile: "home-url" } }, read).home.rpcUrl).toBe("https://rpc.example/key-abc123");
    const bad = (h: object) => {
      try {
        parseAgentConfig({ ...valid, home: h }, read);
      } catch (e) {
        return (e as AgentConfigError).problems;
      }
      throw new Error("expected a configuration error");
    };
    expect(bad({ ...valid.home, rpcUrlFile: "home-url" })).toEqual(["home.rpcUrlFile: and rpcUrl are both set; give one of them"]);
    expect(bad({ ...home, rpcUrlFile: "missing" })).toEqual(["home.rpcUrlFile: cannot be read: ENOENT"]);
    const badFile = bad({ ...home, rpcUrlFile: "bad-url" });
    expect(badFile).toEqual(["home.rpcUrlFile: must name a file holding one http(s) URL"]);
    expect(JSON.stringify(badFile)).not.toContain("abc123");
    expect(JSON.stringify(problems({ ...valid, home: { ...valid.home, rpcUrl: "ftp://secret-key@host" } }))).not.toContain("secret-key");
  });

  it("caps fees per chain (default 500 gwei) and leaves foreign transactions to users unless relayForeign", () => {
    const cfg = parseAgentConfig(valid);
    expect([cfg.home.maxFeePerGasWei, cfg.foreign.maxFeePerGasWei, cfg.relayForeign]).toEqual(["500000000000", "500000000000", false]);
    const set = parseAgentConfig({ ...valid, relayForeign: true, foreign: { ...valid.foreign, maxFeePerGasWei: "100" } });
    expect([set.foreign.maxFeePerGasWei, set.relayForeign]).toEqual(["100", true]);
    expect(problems({ ...valid, relayForeign: "yes", foreign: { ...valid.foreign, maxFeePerGasWei: 5 } })).toEqual([
      "foreign.maxFeePerGasWei: must be a positive integer as a decimal string, got 5",
      'relayForeign: must be true or false, got "yes"',
    ]);
  });
});
