// render/genesis/clique.ts: the geth genesis of a Clique consortium, checked field by field, against a golden file,
// and by its real consumer, geth 1.13.15 (`geth init`).
import { computeAddress, encodeRlp, keccak256, SigningKey, toBeHex, Wallet, zeroPadValue } from "ethers";
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliqueExtraData, renderCliqueGenesis } from "../../render/genesis/clique";
import { ensureTools } from "../../lib/toolchain/resolve";
import { ConsortiumSpec } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";
import { expectGolden } from "./golden";

const addr = (i: number) => computeAddress(new SigningKey(zeroPadValue(toBeHex(0x2000 + i), 32)).publicKey);

function spec(overrides: Record<string, unknown> = {}): ConsortiumSpec {
  return parseConsortiumSpec({
    name: "acme",
    chainId: 31415,
    authorities: [
      { name: "alpha", member: "org-a" },
      { name: "beta", member: "org-b" },
      { name: "gamma", member: "org-c" },
    ],
    ...overrides,
  });
}

const SIGNERS = [addr(1), addr(2), addr(3)];

describe("cliqueExtraData", () => {
  it("is 32 zero bytes ‖ signers sorted ascending (case-insensitively) ‖ 65 zero bytes", () => {
    // Mixed spellings: checksummed, lower-case, upper-case hex.
    const input = [addr(1), addr(2).toLowerCase(), "0x" + addr(3).slice(2).toUpperCase(), addr(4)];
    const sorted = [addr(1), addr(2), addr(3), addr(4)].map((a) => a.toLowerCase().slice(2)).sort((a, b) => (BigInt("0x" + a) < BigInt("0x" + b) ? -1 : 1));
    const extra = cliqueExtraData(input);
    expect(extra).toBe("0x" + "00".repeat(32) + sorted.join("") + "00".repeat(65));
    expect((extra.length - 2) / 2).toBe(32 + 20 * 4 + 65);
    expect(extra).toBe(extra.toLowerCase());
    // Input order does not matter.
    expect(cliqueExtraData([...input].reverse())).toBe(extra);
  });

  it("sorts by the address bytes, not by the checksummed spelling", () => {
    // 0xA… (checksum upper-case) must come after 0x9… and before 0xb…: a case-sensitive sort would put B before a.
    const a = "0x" + "a".repeat(40);
    const b = "0x" + "B".repeat(40);
    const nine = "0x" + "9".repeat(40);
    expect(cliqueExtraData([b, a, nine])).toBe("0x" + "00".repeat(32) + "9".repeat(40) + "a".repeat(40) + "b".repeat(40) + "00".repeat(65));
  });

  it("refuses a duplicate signer, even spelt differently", () => {
    expect(() => cliqueExtraData([addr(1), addr(2), addr(1).toLowerCase()])).toThrow(/duplicate signer/);
  });

  it("refuses a malformed or mis-checksummed signer", () => {
    expect(() => cliqueExtraData(["0x1234"])).toThrow();
    const bad = addr(1).replace(/[a-f]/, (c) => c.toUpperCase());
    expect(bad).not.toBe(addr(1));
    expect(() => cliqueExtraData([bad])).toThrow();
  });
});

describe("renderCliqueGenesis", () => {
  it("activates every fork up to london at block 0 and nothing later", () => {
    const g = renderCliqueGenesis(spec(), SIGNERS);
    expect(g.config).toEqual({
      chainId: 31415,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      clique: { period: 5, epoch: 30000 },
    });
    expect(g.config).not.toHaveProperty("shanghaiTime");
    expect(g.config).not.toHaveProperty("cancunTime");
    expect(g.config).not.toHaveProperty("terminalTotalDifficulty");
  });

  it("stops at istanbul for forkLevel istanbul (no berlinBlock, no londonBlock)", () => {
    const g = renderCliqueGenesis(spec({ forkLevel: "istanbul" }), SIGNERS);
    expect(g.config).toHaveProperty("istanbulBlock", 0);
    expect(g.config).toHaveProperty("petersburgBlock", 0);
    expect(g.config).not.toHaveProperty("berlinBlock");
    expect(g.config).not.toHaveProperty("londonBlock");
  });

  it("stops at berlin for forkLevel berlin", () => {
    const g = renderCliqueGenesis(spec({ forkLevel: "berlin" }), SIGNERS);
    expect(g.config).toHaveProperty("berlinBlock", 0);
    expect(g.config).not.toHaveProperty("londonBlock");
  });

  it("takes chain id, period, epoch and gas limit (hex) from the spec", () => {
    const g = renderCliqueGenesis(spec({ chainId: 777001, blockPeriodSeconds: 2, epochLength: 100, gasLimit: "12345678" }), SIGNERS);
    expect(g.config.chainId).toBe(777001);
    expect(g.config.clique).toEqual({ period: 2, epoch: 100 });
    expect(g.gasLimit).toBe("0xbc614e");
    expect(renderCliqueGenesis(spec(), SIGNERS).gasLimit).toBe("0x1c9c380");
    expect(g.extraData).toBe(cliqueExtraData(SIGNERS));
    expect(g.difficulty).toBe("0x1");
    expect(g.timestamp).toBe("0x0");
  });

  it("merges the dev allocation with the configured prefunded accounts", () => {
    const s = spec({ prefunded: [{ address: addr(10), balanceWei: "1000000000000000000" }, { address: addr(11).toLowerCase(), balanceWei: "0x10" }] });
    const g = renderCliqueGenesis(s, SIGNERS, { [addr(12).toLowerCase()]: 10n ** 24n });
    expect(g.alloc).toEqual({
      [addr(10)]: { balance: "0xde0b6b3a7640000" },
      [addr(11)]: { balance: "0x10" },
      [addr(12)]: { balance: "0xd3c21bcecceda1000000" },
    });
    expect(BigInt(g.alloc[addr(12)]!.balance)).toBe(10n ** 24n);
  });

  it("refuses to fund one account twice", () => {
    const s = spec({ prefunded: [{ address: addr(10), balanceWei: 1 }] });
    expect(() => renderCliqueGenesis(s, SIGNERS, { [addr(10).toLowerCase()]: 5n })).toThrow(/funded twice/);
  });

  it("refuses a duplicate signer, no signer, and a non-Clique spec", () => {
    expect(() => renderCliqueGenesis(spec(), [addr(1), addr(1)])).toThrow(/duplicate signer/);
    expect(() => renderCliqueGenesis(spec(), [])).toThrow(/no signers/);
    expect(() => renderCliqueGenesis({ ...spec(), engine: "aura" }, SIGNERS)).toThrow(/engine is aura/);
  });

  it("is deterministic: same input, byte-identical JSON, whatever the signer order", () => {
    const s = spec({ prefunded: [{ address: addr(10), balanceWei: "1" }] });
    const a = JSON.stringify(renderCliqueGenesis(s, SIGNERS, { [addr(12)]: 7n }));
    const b = JSON.stringify(renderCliqueGenesis(spec({ prefunded: [{ address: addr(10), balanceWei: "1" }] }), [...SIGNERS].reverse(), { [addr(12)]: 7n }));
    expect(b).toBe(a);
  });

  it("matches the golden genesis of a fixed spec", () => {
    const s = spec({
      name: "golden",
      chainId: 4242,
      blockPeriodSeconds: 3,
      epochLength: 30000,
      gasLimit: "30000000",
      forkLevel: "london",
      prefunded: [{ address: addr(10), balanceWei: "1000000000000000000000" }],
    });
    expectGolden("clique-genesis.json", renderCliqueGenesis(s, SIGNERS));
  });
});

describe("geth 1.13.15 accepts the rendered genesis", () => {
  let geth: string;
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), "clique-genesis-"));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    geth = (await ensureTools({ build: false, log: () => {} })).geth;
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function write(genesis: unknown): string {
    const file = join(tmp(), "genesis.json");
    writeFileSync(file, JSON.stringify(genesis, null, 2));
    return file;
  }

  /** `geth init` into a fresh datadir; returns the datadir and the genesis hash geth logged (geth abbreviates it: `9f1feb..a8831c`). */
  async function init(genesisFile: string): Promise<{ datadir: string; hash: string }> {
    const datadir = tmp();
    const r = await execa(geth, ["--datadir", datadir, "init", genesisFile], { all: true, reject: false });
    expect(r.exitCode, r.all).toBe(0);
    const hashes = r.all!
      .split("\n")
      .filter((l) => l.includes("Successfully wrote genesis state"))
      .map((l) => /\bhash=([0-9a-f]{6}\.\.[0-9a-f]{6})\b/.exec(l)?.[1]);
    expect(hashes.length, r.all).toBeGreaterThan(0);
    // One line per database geth writes (chaindata, lightchaindata): all the same block.
    expect(new Set(hashes).size, r.all).toBe(1);
    expect(hashes[0], r.all).toBeDefined();
    return { datadir, hash: hashes[0]! };
  }

  async function dumpgenesis(datadir: string): Promise<Record<string, unknown>> {
    const r = await execa(geth, ["--datadir", datadir, "dumpgenesis"], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it("inits with 3 random signers, to the same genesis hash in two datadirs, keeping every field", async () => {
    const signers = [Wallet.createRandom(), Wallet.createRandom(), Wallet.createRandom()].map((w) => w.address);
    const dev = Wallet.createRandom().address;
    const s = spec({ dev: true, prefunded: [{ address: Wallet.createRandom().address, balanceWei: "1000000000000000000" }] });
    const genesis = renderCliqueGenesis(s, signers, { [dev]: s.devAccountBalanceWei! });
    const first = await init(write(genesis));
    const second = await init(write(JSON.parse(JSON.stringify(genesis))));
    expect(second.hash).toBe(first.hash);

    // geth kept every fork field, the Clique settings, the signers and the allocation (a misspelt field would be dropped silently).
    const stored = await dumpgenesis(first.datadir);
    expect(stored.config).toEqual(genesis.config);
    expect(stored.extraData).toBe(genesis.extraData);
    expect(stored.gasLimit).toBe(genesis.gasLimit);
    const balances = (alloc: Record<string, { balance: string }>) =>
      Object.fromEntries(Object.entries(alloc).map(([a, { balance }]) => [a.toLowerCase().replace(/^(0x)?/, "0x"), BigInt(balance)]));
    expect(balances(stored.alloc as Record<string, { balance: string }>)).toEqual(balances(genesis.alloc));

    // The hash depends on the signer set: one signer fewer gives another genesis.
    const other = await init(write(renderCliqueGenesis(s, signers.slice(0, 2), { [dev]: s.devAccountBalanceWei! })));
    expect(other.hash).not.toBe(first.hash);
  });

  it("logs the genesis hash that members can compute independently from the header", async () => {
    // Empty allocation, so the state root is the empty trie root and the header hash is computable here.
    const genesis = renderCliqueGenesis(spec({ chainId: 4242 }), SIGNERS);
    const { hash } = await init(write(genesis));
    const int = (n: bigint | number | string) => (BigInt(n) === 0n ? "0x" : toBeHex(BigInt(n)));
    const header = [
      genesis.parentHash,
      "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", // keccak(rlp([])): no uncles
      genesis.coinbase,
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", // empty state trie
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", // no transactions
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", // no receipts
      "0x" + "00".repeat(256), // bloom
      int(genesis.difficulty),
      int(genesis.number),
      int(genesis.gasLimit),
      int(genesis.gasUsed),
      int(genesis.timestamp),
      genesis.extraData,
      genesis.mixHash,
      zeroPadValue(int(genesis.nonce) === "0x" ? "0x00" : int(genesis.nonce), 8),
      int(1_000_000_000n), // London genesis base fee (EIP-1559 initial value)
    ];
    const full = keccak256(encodeRlp(header));
    expect(hash).toBe(`${full.slice(2, 8)}..${full.slice(-6)}`);
  });

  it("geth refuses a Clique genesis whose extraData lacks the seal (so the init check above can fail)", async () => {
    // Note: geth 1.13.15 only checks the length (>= 32 + 65 bytes) and accepts an empty signer list,
    // which is why renderCliqueGenesis itself refuses zero signers.
    const genesis = renderCliqueGenesis(spec(), SIGNERS);
    const r = await execa(geth, ["--datadir", tmp(), "init", write({ ...genesis, extraData: "0x" + "00".repeat(32) })], { all: true, reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.all).toContain("can't start clique chain without signers");
  });
});
