// The settings behind the members' RPC nodes (settings/parse.ts, settings/fleet.ts, settings/consortium.ts): member names that
// name nodes, the names those nodes reserve, the local port budget, and a stack without RPC nodes, which has no RPC
// URL (no node holding a signer key serves HTTP), so what needs one must be given an endpoint.
import { computeAddress, SigningKey, toBeHex, zeroPadValue } from "ethers";
import { describe, expect, it } from "vitest";
import { rpcMembers, rpcNodeName } from "../../settings/consortium";
import { SpecError, SpecIssue } from "../../settings/errors";
import { parseConsortiumSpec } from "../../settings/parse";

const base = (over: Record<string, unknown> = {}) => ({
  name: "acme",
  chainId: 31415,
  dev: true,
  authorities: [
    { name: "alpha", member: "org-a" },
    { name: "beta", member: "org-b" },
  ],
  ...over,
});

function issues(raw: Record<string, unknown>): SpecIssue[] {
  try {
    parseConsortiumSpec(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as SpecError).issues;
  }
  return [];
}

describe("member names", () => {
  it("must be DNS labels short enough for rpc-<member>, reported with the field and the fix", () => {
    for (const member of ["Org A", "org_a", "acme.example", "-org", "a".repeat(29)]) {
      const [issue] = issues(base({ authorities: [{ name: "alpha", member }] }));
      expect(issue, member).toMatchObject({
        field: "authorities[0].member",
        problem: expect.stringMatching(/is not a DNS label: each member runs its own RPC node, named rpc-<member>/),
        fix: expect.stringMatching(/1-28 lower-case letters, digits and '-'/),
      });
    }
    expect(parseConsortiumSpec(base({ authorities: [{ name: "alpha", member: "a".repeat(28) }] })).authorities[0].member).toHaveLength(28);
  });

  it("reserve rpc-<member> as node names: no authority may take one", () => {
    expect(issues(base({ authorities: [{ name: "alpha", member: "org-a" }, { name: "rpc-org-a", member: "org-b" }] }))).toEqual([
      { field: "authorities[1].name", problem: '"rpc-org-a" is the name of a member\'s RPC node', fix: "give the authority another name (rpc-<member> is reserved)" },
    ]);
    expect(rpcNodeName("org-a")).toBe("rpc-org-a");
  });
});

describe("which members run an RPC node", () => {
  it("members with a non-retired authority this stack runs, in the order of their first authority", () => {
    const key = (i: number) => new SigningKey(zeroPadValue(toBeHex(0x500 + i), 32));
    const ext = (i: number) => ({ address: computeAddress(key(i).publicKey), nodePublicKey: key(100 + i).publicKey.slice(4) });
    const spec = parseConsortiumSpec(
      base({
        authorities: [
          { name: "alpha", member: "org-b" },
          { name: "beta", member: "org-a" },
          { name: "gamma", member: "org-b" },
          { name: "delta", member: "org-c", retired: true },
          { name: "eps", member: "org-d", external: ext(1) },
          { name: "zeta", member: "org-e", external: { ...ext(2), keyDir: "/k" } },
        ],
      }),
    );
    expect(rpcMembers(spec)).toEqual(["org-b", "org-a", "org-e"]);
    expect(rpcMembers({ ...spec, fleet: { ...spec.fleet, rpcNode: false } })).toEqual([]);
  });

  it("count against the local port block: authorities + members", () => {
    const many = (n: number, members: number) => Array.from({ length: n }, (_, i) => ({ name: `n${i}`, member: `m${i % members}` }));
    expect(parseConsortiumSpec(base({ authorities: many(16, 16) })).authorities).toHaveLength(16);
    expect(issues(base({ authorities: many(17, 16) }))).toEqual([
      expect.objectContaining({ field: "authorities", problem: "33 local nodes exceed the 32 one stack can run on one machine (17 authorities + 16 member RPC nodes)" }),
    ]);
    expect(parseConsortiumSpec(base({ authorities: many(32, 32), fleet: { rpcNode: false } })).authorities).toHaveLength(32);
  });
});

describe("Docker hosts' RPC bind address", () => {
  it("is per member host (each member's RPC node is published on its own host), refused when not an IPv4 address", () => {
    const hosts = { "org-a": { url: "ssh://d@a.example", address: "a.example", rpcBind: "10.0.0.1" }, "org-b": { url: "ssh://d@b.example", address: "b.example" } };
    const spec = parseConsortiumSpec(base({ fleet: { target: "docker", hosts } }));
    expect(spec.fleet.target === "docker" && spec.fleet.hosts).toEqual(hosts);
    expect(issues(base({ fleet: { target: "docker", hosts: { ...hosts, "org-b": { ...hosts["org-b"], rpcBind: "b.example" } } } }))).toEqual([
      expect.objectContaining({ field: "fleet.hosts.org-b.rpcBind", problem: '"b.example" is not an IPv4 address' }),
    ]);
    expect(issues(base({ fleet: { target: "docker", hosts: { ...hosts, "org-b": { ...hosts["org-b"], rpcbind: "10.0.0.2" } } } }))).toEqual([
      expect.objectContaining({ field: "fleet.hosts.org-b.rpcbind", problem: "is not a known setting of a Docker host" }),
    ]);
  });
});

describe("fleet.rpcNode: false", () => {
  const dev = { foreign: {}, home: {} };
  it("is fine for a chain alone: the stack then has no RPC URL", () => {
    expect(parseConsortiumSpec(base({ fleet: { rpcNode: false } })).fleet.rpcNode).toBe(false);
  });

  it("refuses a bridge without bridge.home.rpcUrl, naming the field and the fix", () => {
    expect(issues(base({ fleet: { rpcNode: false }, bridge: {} }))).toEqual([
      {
        field: "bridge.home.rpcUrl",
        problem: expect.stringMatching(/^is missing: fleet.rpcNode is false, so this stack runs no RPC node \(and no node holding a signer key serves HTTP\): it has no RPC URL/),
        fix: "give the JSON-RPC URL of a non-signing node of the home chain, or set fleet.rpcNode: true (the default)",
      },
    ]);
    expect(parseConsortiumSpec(base({ fleet: { rpcNode: false }, bridge: { ...dev, home: { rpcUrl: "http://10.0.0.2:8545" } } })).bridge?.home.rpcUrl).toBe("http://10.0.0.2:8545");
  });

  it("refuses PoCo (and worker pools) without an endpoint, and takes bridge.home.rpcUrl as it", () => {
    expect(issues(base({ fleet: { rpcNode: false }, poco: { token: "0x00000000000000000000000000000000000000cc" } }))).toEqual([
      expect.objectContaining({ field: "poco", problem: expect.stringMatching(/needs the home chain's RPC URL, but fleet.rpcNode is false/), fix: expect.stringMatching(/set fleet.rpcNode: true \(the default\), or give bridge.home.rpcUrl/) }),
    ]);
    const withEndpoint = base({ fleet: { rpcNode: false }, bridge: { home: { rpcUrl: "http://10.0.0.2:8545" } }, poco: {} });
    expect(parseConsortiumSpec(withEndpoint).poco).toBeDefined();
  });

  it("refuses a Kubernetes pool beside a Kubernetes fleet without chainRpcUrl: there is no RPC Service to default to", () => {
    const pool = { name: "kube", target: { kind: "kubernetes" } };
    const raw = base({ fleet: { target: "kubernetes", rpcNode: false }, bridge: { home: { rpcUrl: "http://10.0.0.2:8545" }, foreign: {} }, poco: {}, workerPools: [pool] });
    const poolIssues = (r: Record<string, unknown>) => issues(r).filter((i) => i.field.startsWith("workerPools"));
    expect(poolIssues(raw)).toEqual([expect.objectContaining({ field: "workerPools[0].chainRpcUrl", problem: expect.stringMatching(/no in-cluster RPC Service to default to/) })]);
    expect(poolIssues({ ...raw, workerPools: [{ ...pool, chainRpcUrl: "http://10.0.0.2:8545" }] })).toEqual([]);
  });
});
