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
      'home.rpcUrl: must be an http(s) URL, got "ws://x"',
      "home.chainId: must be an integer ≥ 1, got 0",
      "foreign.confirmations: must be an integer ≥ 0, got -1",
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
});
