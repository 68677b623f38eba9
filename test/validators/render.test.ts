// The renderings of validator changes the engines other than Clique-on-geth need (not run: no Nethermind,
// OpenEthereum or Besu here), the geth signer's transports (IPC only), and the port slots that keep nodes in place.
import { describe, expect, it } from "vitest";
import { renderGethNode } from "../../render/geth/node";
import { auraValidatorSchedule, withAuraValidatorSchedule } from "../../render/validators/aura";
import { localSlots } from "../../render/validators/slots";
import { renderVotes, VOTE_METHODS } from "../../render/validators/votes";
import { AuthoritySpec } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";
import { expectGolden } from "../render/golden";

const A = "0x69C8EFB94Daa86E1D945C2F0C24A493D39586d57";
const B = "0xDd01202D5f85B209dCbB2e12C6B330a4791A8E24";
const C = "0x0Ad75F7C1f13933BaA0245Ea39a71294245bEcCB";
const D = "0x1000000000000000000000000000000000000001";

describe("AuRa: validators.multi", () => {
  it("a fixed set stays a plain list (the chainspec of a chain without changes is unchanged)", () => {
    expect(auraValidatorSchedule([{ address: A }, { address: B }])).toEqual({ list: [A, B] });
  });

  it("a join and a retirement become transitions, each list in force from its block on", () => {
    const schedule = auraValidatorSchedule([
      { address: A },
      { address: B },
      { address: C, retiredAtBlock: 2000 },
      { address: D, joinedAtBlock: 1000 },
    ]);
    expect(schedule).toEqual({
      multi: { "0": { list: [A, B, C] }, "1000": { list: [A, B, C, D] }, "2000": { list: [A, B, D] } },
    });
    expectGolden("validators/aura-multi.json", schedule);
  });

  it("refuses a schedule that leaves a block range without validator", () => {
    expect(() => auraValidatorSchedule([{ address: A, retiredAtBlock: 10 }, { address: B, joinedAtBlock: 20 }])).toThrow(/no validator from block 10/);
  });

  it("replaces only the validators of a chainspec", () => {
    const chainspec = { name: "x", engine: { authorityRound: { params: { stepDuration: 5, validators: { list: [A] }, maximumUncleCount: 0 } } }, accounts: {} };
    const file = { path: "chainspec.json", content: JSON.stringify(chainspec, null, 2) + "\n" };
    const out = JSON.parse(withAuraValidatorSchedule(file, { multi: { "0": { list: [A] }, "5": { list: [A, B] } } }).content);
    expect(out).toEqual({ ...chainspec, engine: { authorityRound: { params: { ...chainspec.engine.authorityRound.params, validators: { multi: { "0": { list: [A] }, "5": { list: [A, B] } } } } } } });
    expect(Object.keys(out.engine.authorityRound.params)).toEqual(["stepDuration", "validators", "maximumUncleCount"]);
  });
});

describe("QBFT: Besu votes", () => {
  it("every staying validator proposes each change on its own node (qbft_proposeValidatorVote)", () => {
    const { plan, requests } = renderVotes("qbft", [A, B, C], [A, B, D]);
    expect(plan).toMatchObject({ add: [D], remove: [C], needed: 2 });
    expect(Object.keys(requests)).toEqual([A, B]);
    expect(requests[A]).toEqual([
      { jsonrpc: "2.0", id: 1, method: "qbft_proposeValidatorVote", params: [D, true] },
      { jsonrpc: "2.0", id: 2, method: "qbft_proposeValidatorVote", params: [C, false] },
    ]);
    expectGolden("validators/qbft-votes.json", requests);
  });

  it("uses the same plan as Clique, only the methods differ", () => {
    expect(renderVotes("clique", [A, B, C], [A, B, D]).requests[B].map((r) => r.method)).toEqual(["clique_propose", "clique_propose"]);
    expect(VOTE_METHODS.qbft.api).toBe("qbft");
    expect(VOTE_METHODS.clique.signers()).toEqual(["clique_getSigners", []]);
  });
});

describe("geth signers serve no HTTP: votes go over IPC", () => {
  const spec = parseConsortiumSpec({ name: "x", chainId: 31415, authorities: [{ name: "alpha", member: "o" }] });
  const node = (bindHost: string, sealer: boolean, extra: { httpApis?: string[] } = {}) =>
    renderGethNode({
      spec,
      name: "alpha",
      command: "geth",
      chain: { path: "genesis.json", content: "{}" },
      ports: { p2p: 1, http: 2, authrpc: 3 },
      bindHost,
      advertisedHost: "127.0.0.1",
      staticPeers: [],
      sealer,
      ...(sealer ? { signer: { address: D, keystore: JSON.stringify({ address: D.slice(2).toLowerCase() }) } } : {}),
      ...extra,
    });
  const flag = (args: string[], name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] ?? true : undefined);

  it("a signer, on any bind address, has no HTTP (so no --allow-insecure-unlock) and its IPC socket in its own data dir", () => {
    for (const bindHost of ["127.0.0.1", "0.0.0.0"]) {
      const run = node(bindHost, true);
      expect(run.args.filter((a) => a.startsWith("--http") || a.startsWith("--ws") || a === "--allow-insecure-unlock")).toEqual([]);
      expect(run.args).not.toContain("--ipcdisable");
      expect(flag(run.args, "--ipcpath")).toBe("data/geth.ipc");
      expect(flag(run.args, "--datadir")).toBe("data");
      expect(flag(run.args, "--unlock")).toBe(D);
      // The Engine API stays on loopback (behind the JWT secret geth writes 0600 into its data dir).
      expect(flag(run.args, "--authrpc.addr")).toBe("127.0.0.1");
      expect([run.rpcUrl, run.ipcPath]).toEqual([undefined, "data/geth.ipc"]);
    }
    expect(() => node("127.0.0.1", true, { httpApis: ["eth", "clique"] })).toThrow(/serves no HTTP API/);
  });

  it("a signer's keystore is a 0600 secret file like its password, never a plain file", () => {
    const run = node("127.0.0.1", true);
    expect(Object.keys(run.files).filter((f) => f.includes("keystore"))).toEqual([]);
    expect(run.secretFiles).toEqual({ nodekey: "nodeKey", [`data/keystore/UTC--1970-01-01T00-00-00.000Z--${D.slice(2).toLowerCase()}`]: "keystore", password: "password" });
  });

  it("non-signers serve eth,net,web3 over HTTP and no IPC", () => {
    for (const bindHost of ["127.0.0.1", "0.0.0.0"]) {
      const run = node(bindHost, false);
      expect(flag(run.args, "--http.api")).toBe("eth,net,web3");
      expect(flag(run.args, "--http.addr")).toBe(bindHost);
      expect(run.args).toContain("--ipcdisable");
      expect(run.args.filter((a) => ["--unlock", "--mine", "--allow-insecure-unlock"].includes(a))).toEqual([]);
      expect(run.rpcUrl).toBe("http://127.0.0.1:2");
      expect(run.ipcPath).toBeUndefined();
    }
  });
});

describe("local port slots", () => {
  const a = (name: string, extra: Partial<AuthoritySpec> = {}): AuthoritySpec => ({ name, member: "o", ...extra });
  it("without changes: authorities in order, then the first member's RPC node (the historic RPC node's slot)", () => {
    const slots = localSlots([a("alpha"), a("beta"), a("gamma")]);
    expect([...slots.authorities]).toEqual([["alpha", 0], ["beta", 1], ["gamma", 2]]);
    expect([...slots.rpcNodes]).toEqual([["o", 3]]);
  });
  it("a joined authority goes after the first RPC node and a retired one keeps its slot, so no other node moves", () => {
    const slots = localSlots([a("alpha"), a("beta"), a("gamma", { retired: true }), a("delta", { joinedAfterGenesis: true })]);
    expect([...slots.authorities]).toEqual([["alpha", 0], ["beta", 1], ["gamma", 2], ["delta", 4]]);
    expect(slots.rpcNodes.get("o")).toBe(3);
  });
  it("authorities run elsewhere (external without keyDir) take no slot", () => {
    const ext = { address: D, nodePublicKey: "00" };
    const slots = localSlots([a("alpha", { external: ext }), a("beta"), a("gamma", { external: { ...ext, keyDir: "/k" } })]);
    expect([...slots.authorities]).toEqual([["beta", 0], ["gamma", 1]]);
    expect(slots.rpcNodes.get("o")).toBe(2);
  });
  it("the other members' RPC nodes count down from the top of the block, by member in spec order, so joins move nothing", () => {
    const three = [a("alpha", { member: "m1" }), a("beta", { member: "m2" }), a("gamma", { member: "m3" })];
    const slots = localSlots(three);
    expect([...slots.rpcNodes]).toEqual([["m1", 3], ["m2", 32], ["m3", 31]]);
    const joined = localSlots([...three, a("delta", { member: "m4", joinedAfterGenesis: true })]);
    expect([...joined.rpcNodes]).toEqual([["m1", 3], ["m2", 32], ["m3", 31], ["m4", 30]]);
    expect(joined.authorities.get("delta")).toBe(4);
    // A retired member keeps its reserved slot: the others do not move.
    expect([...localSlots([three[0], { ...three[1], retired: true }, three[2]]).rpcNodes]).toEqual([...slots.rpcNodes]);
    expect([...localSlots(three, { rpcNodes: false }).rpcNodes]).toEqual([]);
  });
  it("refuses a layout where authorities and RPC nodes would share a slot", () => {
    const many = Array.from({ length: 17 }, (_, i) => a(`n${i}`, { member: `m${i}` }));
    expect(() => localSlots(many)).toThrow(/do not fit the 32 node slots/);
    expect(() => localSlots(many, { rpcNodes: false })).not.toThrow();
  });
});
