// The program's wiring of validator changes, under pulumi.runtime.setMocks: what the genesis holds, which nodes
// run, what the signer set is asked for (Clique), the chainspec's transitions (AuRa) and the rendered votes (QBFT).
import { getAddress } from "ethers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import consortium from "../../program/index";
import { installMocks, Registered, runProgram, setConsortiumConfig } from "../support/pulumiMocks";

// A late member's public parts, as its ceremony contribution carries them.
const DELTA = {
  address: "0x00000000000000000000000000000000000000aa",
  nodePublicKey: "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
  endpoint: "node1.delta.example:30303",
};
const AUTHORITIES = [
  { name: "alpha", member: "a" },
  { name: "beta", member: "b" },
  { name: "gamma", member: "c", retired: true },
  { name: "delta", member: "d", joinedAfterGenesis: true, external: DELTA },
];

let registered: Registered[] = [];
beforeAll(() => {
  registered = installMocks();
});
beforeEach(() => {
  registered.length = 0;
});

function run(config: Record<string, unknown>): Promise<Record<string, any>> {
  setConsortiumConfig({ name: "mock", chainId: 4242, ...config });
  return runProgram(consortium);
}
const of = (type: string) => registered.filter((r) => r.type === type);
/** Every string anywhere in the declared inputs. */
const strings = (v: unknown): string[] =>
  typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(strings) : [];

describe("validator changes in the program", () => {
  it("Clique, local: genesis from the genesis authorities, nodes for the current ones, votes for the desired set", async () => {
    const out = await run({ authorities: AUTHORITIES, fleet: { target: "local", rpcNode: true, workDir: "/tmp/mock-work" } });
    const procs = of("pulumi-nodejs:dynamic/fleet:LocalNodeProcess");
    // gamma is retired (no node), delta runs on its member's machine (a static peer, no node here); the members of
    // alpha and beta each get their own RPC node, the others none.
    expect(procs.map((p) => p.name).sort()).toEqual(["fleet-alpha", "fleet-beta", "fleet-rpc-a", "fleet-rpc-b"]);
    // ...but gamma keeps its protected keys: it is in the genesis.
    expect(of("consortium:keys:AuthorityKeys").map((k) => k.name)).toEqual(["alpha", "beta", "gamma"]);

    const genesis = JSON.parse(procs[0].inputs.files["genesis.json"]);
    const sealers = (genesis.extraData as string).slice(66, -130).match(/.{40}/g)!.map((a) => getAddress("0x" + a));
    expect(sealers).toHaveLength(3);
    expect(sealers).not.toContain(getAddress(DELTA.address));

    const [votes] = of("pulumi-nodejs:dynamic/validators:SignerVotes");
    expect(votes.inputs.engine).toBe("clique");
    expect(votes.inputs.desired).toHaveLength(3);
    expect(votes.inputs.desired).toContain(getAddress(DELTA.address));
    expect(out.signers).toEqual(votes.inputs.desired);
    // Only gamma of the genesis sealers is left out of the desired set.
    expect(sealers.filter((s) => !votes.inputs.desired.includes(s))).toHaveLength(1);
    // Each signer votes on its own node over its IPC socket (it serves no HTTP).
    expect(votes.inputs.nodes).toEqual([
      { name: "alpha", address: expect.any(String), endpoint: "/tmp/mock-work/alpha/data/geth.ipc" },
      { name: "beta", address: expect.any(String), endpoint: "/tmp/mock-work/beta/data/geth.ipc" },
    ]);
    expect(of("consortium:validators:SignerSet")).toHaveLength(1);

    // Stable slots: the first member's RPC node keeps the old RPC node's slot 3 (gamma's slot 2 stays reserved), the
    // second member's takes the top slot 32; delta is a static peer.
    expect(procs.find((p) => p.name === "fleet-rpc-a")!.inputs.rpcUrl).toBe("http://127.0.0.1:30410");
    expect(procs.find((p) => p.name === "fleet-rpc-b")!.inputs.rpcUrl).toBe("http://127.0.0.1:30497");
    expect(out.rpcUrl).toBe("http://127.0.0.1:30410");
    expect(out.memberRpcUrls).toEqual({ a: "http://127.0.0.1:30410", b: "http://127.0.0.1:30497" });
    expect(procs.find((p) => p.name === "fleet-alpha")!.inputs.rpcUrl).toBe("/tmp/mock-work/alpha/data/geth.ipc");
    expect(procs[0].inputs.files["config.toml"]).toContain("@node1.delta.example:30303");
  });

  it("declares no signer set when nothing changed after genesis", async () => {
    await run({ authorities: AUTHORITIES.slice(0, 2), fleet: { target: "local", rpcNode: false, workDir: "/tmp/mock-work" } });
    expect(of("consortium:validators:SignerSet")).toEqual([]);
  });

  it("AuRa: the chainspec carries the validator list per transition block", async () => {
    const authorities = [AUTHORITIES[0], AUTHORITIES[1], { ...AUTHORITIES[2], retiredAtBlock: 2000 }, { ...AUTHORITIES[3], joinedAtBlock: 1000 }];
    await run({ engine: "aura", authorities, fleet: { target: "kubernetes" } });
    const chainspec = strings(registered.map((r) => r.inputs)).find((s) => s.startsWith("{") && s.includes('"authorityRound"'))!;
    const validators = JSON.parse(chainspec).engine.authorityRound.params.validators;
    expect(Object.keys(validators.multi)).toEqual(["0", "1000", "2000"]);
    expect(validators.multi["0"].list).toHaveLength(3);
    expect(validators.multi["1000"].list).toContain(getAddress(DELTA.address));
    expect(validators.multi["2000"].list).toHaveLength(3);
  });

  it("QBFT: the votes each genesis validator sends to its own node are a stack output", async () => {
    const out = await run({ engine: "qbft", authorities: AUTHORITIES, fleet: { target: "kubernetes" } });
    const requests = Object.values(out.validatorVotes as Record<string, { method: string; params: [string, boolean] }[]>);
    expect(requests).toHaveLength(2); // alpha and beta stay; gamma is voted out, delta in
    for (const list of requests) expect(list.map((r) => [r.method, r.params[1]])).toEqual([["qbft_proposeValidatorVote", true], ["qbft_proposeValidatorVote", false]]);
    expect(of("consortium:validators:SignerSet")).toEqual([]);
  });
});
