// The consortium manifest a federated stack reads: the assembly writes it; a stack that names it gets the chain
// settings and the authorities from it after re-deriving the genesis and checking every proof, and refuses a
// manifest that does not match — each attack below names the field. The consortium stack's published version adds
// the bridge without any endpoint.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble } from "../../lib/ceremony/assemble";
import { contribute } from "../../lib/ceremony/member";
import { applyManifest, withBridge, withJoin, withRetired } from "../../lib/ceremony/manifest";
import { Manifest, MANIFEST_FILE } from "../../lib/ceremony/manifestFile";
import { Ceremony, createCeremony, createJoinCeremony, readConsortiumYaml } from "../../lib/ceremony/params";
import { SpecError } from "../../settings/errors";
import { parseConsortiumSpec } from "../../settings/parse";
import { CONFIG_YAML } from "../ceremony/fixtures";

const CONTRACTS = {
  home: { chainId: 424242, validatorSet: "0x" + "a2".repeat(20), token: "0x" + "a3".repeat(20), gateway: "0x" + "a1".repeat(20), startBlock: 12 },
  foreign: { chainId: 1, validatorSet: "0x" + "b2".repeat(20), token: "0x607F4C5BB672230e8672085532f7e901544a7375", vault: "0x" + "b1".repeat(20), startBlock: 7 },
};

/** The fields of every problem a SpecError names, or [] if `run` does not throw one. */
function refusedFields(run: () => unknown): string[] {
  try {
    run();
    return [];
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.issues.map((i) => `${i.field}: ${i.problem}`);
  }
}

describe("the consortium manifest", () => {
  let root: string;
  let manifest: Manifest;
  let ceremony: Ceremony;
  const files = new Map<string, string>();
  const read = (path: string) => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return text;
  };
  /** Applies `m` as the manifest file, with the stack's own settings. */
  const apply = (m: unknown, own: Record<string, unknown> = {}) => {
    files.set("manifest.json", JSON.stringify(m));
    return applyManifest({ manifest: "manifest.json", ...own }, read);
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "manifest-"));
    ceremony = createCeremony(readConsortiumYaml(CONFIG_YAML));
    const contributions = [];
    for (const [i, a] of ceremony.parameters.authorities.entries()) {
      const r = await contribute({ ceremony, authority: a.name, endpoint: `10.0.0.${i + 2}:30303`, dir: join(root, a.name), scryptN: 1024 });
      contributions.push({ file: r.contributionFile, text: JSON.stringify(r.contribution) });
    }
    manifest = JSON.parse(assemble(ceremony, contributions).files[MANIFEST_FILE]) as Manifest;
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("is written by the assembly: the ceremony, the contributions and the genesis digest", () => {
    expect(manifest.version).toBe(1);
    expect(manifest.contributions.map((c) => c.authority)).toEqual(["alpha", "beta", "gamma"]);
    expect(manifest.genesisSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("gives a member's stack the chain settings and the authorities, with its own key directory", () => {
    const { raw } = apply(manifest, { keyDirs: { beta: "/keys/beta" }, fleet: { target: "local" } });
    expect(raw.chainId).toBe(424242);
    const authorities = raw.authorities as { name: string; external: Record<string, string> }[];
    expect(authorities.map((a) => a.name)).toEqual(["alpha", "beta", "gamma"]);
    expect(authorities.map((a) => a.external.keyDir)).toEqual([undefined, "/keys/beta", undefined]);
    expect(authorities[1].external.bridgeValidator).toBe(manifest.contributions[1].bridgeValidator);
    const spec = parseConsortiumSpec(raw);
    expect(spec.authorities[1].external?.keyDir).toBe("/keys/beta");
  });

  it("a stack without a manifest is unchanged, and keyDirs without one are refused", () => {
    expect(applyManifest({ chainId: 5 }, read)).toEqual({ raw: { chainId: 5 } });
    expect(refusedFields(() => applyManifest({ keyDirs: { alpha: "/k" } }, read))).toEqual([expect.stringMatching(/^keyDirs: is set without a manifest/)]);
  });

  it("refuses a manifest that does not match its ceremony and contributions, naming the field", () => {
    const tampered = (change: (m: Manifest) => void) => {
      const m = structuredClone(manifest);
      change(m);
      return refusedFields(() => apply(m));
    };
    // The coordinator's digest is not that of the genesis the ceremony and contributions give.
    expect(tampered((m) => (m.genesisSha256 = "00".repeat(32)))).toEqual([expect.stringMatching(/^manifest\.genesisSha256: 0+ is not the genesis of its ceremony and contributions/)]);
    // Chain settings changed after the members contributed (a bigger gas limit, say).
    expect(tampered((m) => (m.ceremony.parameters.settings.gasLimit = "60000000"))).toContainEqual(expect.stringMatching(/^manifest\.ceremony\.ceremonyHash: .* does not match the ceremony's parameters/));
    // A member's endpoint redirected to another host: its signatures no longer cover it.
    expect(tampered((m) => (m.contributions[1].endpoint = "10.6.6.6:30303"))).toContainEqual(expect.stringMatching(/^manifest\.contributions: .*signerSignature was made by/));
    // A bridge validator swapped for an address nobody proved to hold.
    expect(tampered((m) => (m.contributions[2].bridgeValidator = "0x" + "66".repeat(20)))).toContainEqual(expect.stringMatching(/^manifest\.contributions: .*was made by/));
    // An authority dropped.
    expect(tampered((m) => m.contributions.pop())).toContainEqual(expect.stringMatching(/^manifest\.contributions: authority "gamma" .* has no valid contribution/));
    expect(tampered((m) => ((m as { version: number }).version = 2))).toEqual([expect.stringMatching(/^manifest\.version: 2 is not 1/)]);
  });

  it("refuses a setting given both here and by the manifest, an unknown key directory, and an unreadable file", () => {
    expect(refusedFields(() => apply(manifest, { chainId: 424243, authorities: [] }))).toEqual([
      expect.stringMatching(/^chainId: is set here and in the manifest manifest\.json/),
      expect.stringMatching(/^authorities: is set here and in the manifest/),
    ]);
    expect(refusedFields(() => apply(manifest, { keyDirs: { delta: "/k" } }))).toEqual([expect.stringMatching(/^keyDirs\.delta: is not an authority of the manifest/)]);
    expect(refusedFields(() => applyManifest({ manifest: "missing.json" }, read))).toEqual([expect.stringMatching(/^manifest: missing\.json cannot be read as JSON \(ENOENT/)]);
  });

  it("the consortium stack's published manifest adds the bridge without endpoints, which members' stacks take", () => {
    const bridge = {
      foreign: { rpcUrl: "https://eth.example/SECRET-KEY", chainId: 1, token: CONTRACTS.foreign.token },
      home: { rpcUrl: "http://10.0.0.2:18545", confirmations: 2 },
      roles: { owner: "0x" + "33".repeat(20) },
      depositLimits: { minPerTx: "1", maxPerTx: "10", dailyLimit: "100" },
    };
    const published = withBridge(manifest, bridge, CONTRACTS, { validators: ["alpha", "beta", "gamma"], threshold: 2 });
    expect(JSON.stringify(published)).not.toContain("SECRET-KEY");
    expect(JSON.stringify(published)).not.toContain("18545");
    expect(published.bridge).toMatchObject({ home: { confirmations: 2 }, foreign: { chainId: 1 }, contracts: CONTRACTS, validators: ["alpha", "beta", "gamma"], threshold: 2 });
    const { raw } = apply(published, { keyDirs: { beta: "/keys/beta" } });
    const spec = parseConsortiumSpec(raw, { bridgeEndpoints: { beta: { foreign: "https://eth.org-b.example/KEY" } } });
    expect(spec.bridge?.contracts?.home.startBlock).toBe(12);
    expect(spec.bridge?.validators).toEqual(["alpha", "beta", "gamma"]);
    // The bridge comes from the manifest alone, for a member (its keyDirs)…
    expect(refusedFields(() => apply(published, { keyDirs: { beta: "/keys/beta" }, bridge }))).toEqual([expect.stringMatching(/^bridge: is set here and in the manifest/)]);
    // …while the consortium stack (no keyDirs), its source, re-reads the manifest it published with its own settings.
    expect(apply(published, { bridge }).raw.bridge).toBe(bridge);
    // A retirement takes the leaver's validator out of the published set.
    expect(withRetired(published, ["gamma"]).bridge?.validators).toEqual(["alpha", "beta"]);
  });

  describe("later rounds", () => {
    let joined: Manifest;
    let round: Ceremony;
    beforeAll(async () => {
      round = createJoinCeremony(ceremony, [{ name: "delta", member: "org-d" }], ["alpha", "beta", "gamma"]);
      const { contribution } = await contribute({ ceremony: round, authority: "delta", endpoint: "10.0.0.5:30303", dir: join(root, "delta"), scryptN: 1024 });
      joined = withJoin(manifest, { ceremony: round, contributions: [contribution] });
    });

    it("a joining round admits an organisation after genesis: the genesis stays, its stack and the others' list it", () => {
      const { raw } = apply(joined, { keyDirs: { delta: "/keys/delta" } });
      const authorities = raw.authorities as { name: string; joinedAfterGenesis?: boolean; external: Record<string, string> }[];
      expect(authorities.map((a) => [a.name, a.joinedAfterGenesis ?? false])).toEqual([["alpha", false], ["beta", false], ["gamma", false], ["delta", true]]);
      expect(authorities[3].external.keyDir).toBe("/keys/delta");
      expect(parseConsortiumSpec(raw).authorities[3].joinedAfterGenesis).toBe(true);
      expect(joined.genesisSha256).toBe(manifest.genesisSha256);
    });

    it("refuses a joining round that changes the chain, extends another ceremony, or carries a forged contribution", () => {
      const tampered = (change: (m: Manifest) => void) => {
        const m = structuredClone(joined);
        change(m);
        return refusedFields(() => apply(m));
      };
      expect(tampered((m) => (m.joins![0].ceremony.parameters.settings.gasLimit = "90000000"))).toEqual([expect.stringMatching(/^manifest\.joins\[0\]\.ceremony\.parameters\.settings: differ from the consortium's/)]);
      expect(tampered((m) => (m.joins![0].ceremony.parameters.joins = "0x" + "ab".repeat(32)))).toEqual([expect.stringMatching(/^manifest\.joins\[0\]\.ceremony\.parameters\.joins: .* is not this consortium's ceremony/)]);
      expect(tampered((m) => (m.joins![0].contributions[0].endpoint = "10.6.6.6:30303"))).toContainEqual(expect.stringMatching(/^manifest\.joins\[0\]\.contributions: .*signerSignature was made by/));
      expect(() => createJoinCeremony(ceremony, [{ name: "beta", member: "org-e" }], ["alpha", "beta", "gamma"])).toThrow(/authority "beta" is already in the consortium/);
      expect(() => withJoin(joined, { ceremony: round, contributions: joined.joins![0].contributions })).toThrow(/authority "delta" is already in the consortium/);
    });

    it("a retirement marks the leaving authority retired for every stack; an unknown name is refused", () => {
      const { raw } = apply(withRetired(joined, ["gamma"]));
      expect((raw.authorities as { name: string; retired?: boolean }[]).filter((a) => a.retired).map((a) => a.name)).toEqual(["gamma"]);
      expect(() => withRetired(joined, ["zeta"])).toThrow(/authority "zeta" is not in the consortium/);
      expect(refusedFields(() => apply({ ...joined, retired: ["zeta"] }))).toEqual([expect.stringMatching(/^manifest\.retired\[0\]: "zeta" is not an authority of the consortium/)]);
    });
  });
});
