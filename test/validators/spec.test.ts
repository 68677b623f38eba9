// settings/parse.ts for validator changes after genesis: accepted shapes, and each rejection naming its field and fix.
import { describe, expect, it } from "vitest";
import { SpecError } from "../../settings/errors";
import { parseConsortiumSpec } from "../../settings/parse";

const authorities = (extra: Record<string, unknown>[] = []) => [
  { name: "alpha", member: "a" },
  { name: "beta", member: "b" },
  { name: "gamma", member: "c" },
  ...extra,
];
const raw = (over: Record<string, unknown> = {}) => ({ name: "x", chainId: 31415, authorities: authorities(), ...over });

function issues(r: Record<string, unknown>) {
  try {
    parseConsortiumSpec(r);
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return (err as SpecError).issues;
  }
  throw new Error("expected a SpecError");
}

describe("validator changes in the spec", () => {
  it("accepts a joined and a retired authority on Clique (local target) and keeps the flags", () => {
    const spec = parseConsortiumSpec(raw({ authorities: [...authorities().slice(0, 2), { name: "gamma", member: "c", retired: true }, { name: "delta", member: "d", joinedAfterGenesis: true }] }));
    expect(spec.authorities.map((a) => [a.name, !!a.joinedAfterGenesis, !!a.retired])).toEqual([
      ["alpha", false, false],
      ["beta", false, false],
      ["gamma", false, true],
      ["delta", true, false],
    ]);
    // false is the same as absent: nothing is recorded.
    expect(parseConsortiumSpec(raw({ authorities: [{ name: "alpha", member: "a", retired: false }] })).authorities[0]).toEqual({ name: "alpha", member: "a" });
  });

  it("rejects flags that are not booleans", () => {
    expect(issues(raw({ authorities: authorities([{ name: "delta", member: "d", joinedAfterGenesis: "yes" }]) }))).toEqual([
      { field: "authorities[3].joinedAfterGenesis", problem: '"yes" is not a boolean', fix: "set true or false" },
    ]);
  });

  it("rejects a genesis without signer, and retiring everyone", () => {
    const all = (flag: string) => authorities().map((a) => ({ ...a, [flag]: true }));
    expect(issues(raw({ authorities: all("joinedAfterGenesis") }))[0]).toMatchObject({ field: "authorities", problem: expect.stringMatching(/genesis would have no signer/) });
    expect(issues(raw({ authorities: all("retired") }))).toContainEqual(expect.objectContaining({ field: "authorities", fix: expect.stringMatching(/keep at least one/) }));
  });

  it("rejects Clique changes on targets whose signers' IPC sockets the deployer cannot reach (no signer serves HTTP)", () => {
    const [issue] = issues(raw({ fleet: { target: "docker" }, authorities: authorities([{ name: "delta", member: "d", joinedAfterGenesis: true }]) }));
    expect(issue).toMatchObject({ field: "authorities", problem: expect.stringMatching(/IPC sockets.*docker/), fix: expect.stringMatching(/target "local"/) });
  });

  it("AuRa needs the transition block of each change, after the join for a retirement", () => {
    const aura = { engine: "aura", fleet: { target: "docker" } };
    expect(issues(raw({ ...aura, authorities: authorities([{ name: "delta", member: "d", joinedAfterGenesis: true }]) }))).toEqual([
      expect.objectContaining({ field: "authorities[3].joinedAtBlock", problem: expect.stringMatching(/validators\.multi/), fix: expect.stringMatching(/restart on the new chainspec/) }),
    ]);
    const ok = parseConsortiumSpec(raw({ ...aura, authorities: authorities([{ name: "delta", member: "d", joinedAfterGenesis: true, joinedAtBlock: 1000 }]) }));
    expect(ok.authorities[3]).toMatchObject({ joinedAfterGenesis: true, joinedAtBlock: 1000 });
    const backwards = issues(raw({ ...aura, authorities: authorities([{ name: "delta", member: "d", joinedAfterGenesis: true, joinedAtBlock: 1000, retired: true, retiredAtBlock: 900 }]) }));
    expect(backwards).toEqual([expect.objectContaining({ field: "authorities[3].retiredAtBlock", problem: "900 is not after joinedAtBlock 1000" })]);
  });

  it("rejects AuRa block settings elsewhere: Clique and QBFT changes are voted", () => {
    expect(issues(raw({ authorities: authorities([{ name: "delta", member: "d", joinedAfterGenesis: true, joinedAtBlock: 5 }]) }))).toEqual([
      { field: "authorities[3].joinedAtBlock", problem: "is an AuRa setting; clique validator changes are voted, not scheduled", fix: "remove joinedAtBlock" },
    ]);
    expect(issues(raw({ engine: "aura", fleet: { target: "docker" }, authorities: authorities([{ name: "delta", member: "d", retiredAtBlock: 5 }]) }))[0]).toMatchObject({
      field: "authorities[3].retiredAtBlock",
      fix: "set retired: true, or remove retiredAtBlock",
    });
  });

  it("accepts QBFT changes (votes rendered for the operator)", () => {
    const spec = parseConsortiumSpec(raw({ engine: "qbft", fleet: { target: "docker" }, authorities: authorities([{ name: "delta", member: "d", joinedAfterGenesis: true }]) }));
    expect(spec.authorities[3].joinedAfterGenesis).toBe(true);
  });
});
