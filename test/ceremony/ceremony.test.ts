// The key ceremony end to end: three members in three separate key directories, assembly, verification, and
// every kind of tampered contribution rejected with the file and the problem named.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeAddress, getAddress, verifyMessage, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble, CeremonyError, ContributionText, readContributions } from "../../lib/ceremony/assemble";
import { canonicalJson } from "../../render/canonicalJson";
import { Contribution, possessionMessage, signContribution } from "../../lib/ceremony/contribution";
import { contribute, memberBridgeSecrets, memberIdentity, memberSecrets } from "../../lib/ceremony/member";
import { Ceremony, createCeremony, parseCeremony, readConsortiumYaml } from "../../lib/ceremony/params";
import { compareAssembly } from "../../lib/ceremony/verify";
import { randomPrivateKey } from "../../lib/keygen";
import { CONFIG_YAML } from "./fixtures";


const NAMES = ["alpha", "beta", "gamma"] as const;

describe("ceremony parameters", () => {
  it("canonical JSON sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: "x" }] })).toBe('{"a":[{"c":"x","d":2}],"b":1}');
  });

  it("hashes the same parameters the same regardless of key order, and detects edits", () => {
    const c = createCeremony(readConsortiumYaml(CONFIG_YAML));
    expect(c.ceremonyHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(c.parameters.authorities).toEqual([
      { name: "alpha", member: "org-a" },
      { name: "beta", member: "org-b" },
      { name: "gamma", member: "org-c" },
    ]);
    expect(c.parameters.settings.fleet).toBeUndefined();
    const reordered = JSON.stringify({ ceremonyHash: c.ceremonyHash, parameters: { authorities: c.parameters.authorities, settings: c.parameters.settings }, version: 1 });
    expect(parseCeremony(reordered).ceremonyHash).toBe(c.ceremonyHash);
    const edited = JSON.parse(JSON.stringify(c)) as Ceremony;
    edited.parameters.settings.chainId = 424243;
    expect(() => parseCeremony(JSON.stringify(edited), "ceremony.json")).toThrow(/ceremony.json: ceremonyHash .* does not match/);
  });

  it("reads Pulumi stack files too", () => {
    const raw = readConsortiumYaml(readFileSync(join(__dirname, "../../stacks/Pulumi.dev.yaml"), "utf8"));
    expect(raw.dev).toBe(true);
    expect(createCeremony(raw).parameters.authorities.map((a) => a.name)).toEqual(["alpha", "beta", "gamma"]);
  });

  it("rejects invalid settings and authorities that already carry keys", () => {
    expect(() => createCeremony(readConsortiumYaml(CONFIG_YAML.replace("chainId: 424242", "chainId: 1")))).toThrow(/chainId/);
    const withExternal = readConsortiumYaml(CONFIG_YAML);
    (withExternal.authorities as Record<string, unknown>[])[0].external = { address: "0x" + "11".repeat(20), nodePublicKey: "ab".repeat(64) };
    expect(() => createCeremony(withExternal)).toThrow(/remove "external"/);
  });
});

describe("a three-member ceremony", () => {
  const root = mkdtempSync(join(tmpdir(), "ceremony-"));
  const memberDirs = NAMES.map((n) => join(root, `member-${n}`));
  const contributionsDir = join(root, "contributions");
  const assembledDir = join(root, "assembled");
  let ceremony: Ceremony;
  let good: ContributionText[];

  beforeAll(async () => {
    ceremony = createCeremony(readConsortiumYaml(CONFIG_YAML));
    const ceremonyText = JSON.stringify(ceremony, null, 2);
    mkdirSync(contributionsDir);
    for (const [i, name] of NAMES.entries()) {
      // Each member reads only the ceremony file and writes only into its own directory.
      const r = await contribute({ ceremony: parseCeremony(ceremonyText), authority: name, endpoint: `127.0.0.1:${30303 + i}`, dir: memberDirs[i], scryptN: 2 ** 12 });
      copyFileSync(r.contributionFile, join(contributionsDir, `contribution-${name}.json`));
    }
    good = readContributions(contributionsDir);
    const a = assemble(ceremony, good);
    mkdirSync(assembledDir);
    for (const [f, c] of Object.entries(a.files)) writeFileSync(join(assembledDir, f), c);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("keeps private keys in 0700 directories with 0600 files", () => {
    for (const dir of memberDirs) {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const [ksDir, password] of [["keystore", "password"], ["bridge-keystore", "bridge-password"]]) {
        expect(statSync(join(dir, ksDir)).mode & 0o777).toBe(0o700);
        const [ks] = readdirSync(join(dir, ksDir));
        expect(ks).toMatch(/^UTC--.*--[0-9a-f]{40}$/);
        for (const f of [join(ksDir, ks), password]) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
        const ksJson = JSON.parse(readFileSync(join(dir, ksDir, ks), "utf8"));
        expect(ksJson.crypto.kdfparams.n).toBe(2 ** 12);
      }
      expect(statSync(join(dir, "nodekey")).mode & 0o777).toBe(0o600);
    }
  });

  // Every secret a member keeps: none of them may appear in anything that travels.
  const secretsOf = (dir: string): string[] => {
    const own = memberSecrets(dir);
    const bridge = memberBridgeSecrets(dir);
    return [own.nodeKey, own.password, bridge.password, JSON.parse(own.keystore).crypto.ciphertext, JSON.parse(bridge.keystore).crypto.ciphertext];
  };

  it("puts no private material in any contribution file", () => {
    for (const [i, dir] of memberDirs.entries()) {
      const secrets = memberSecrets(dir);
      const text = readFileSync(join(dir, `contribution-${NAMES[i]}.json`), "utf8");
      const doc = JSON.parse(text) as Contribution;
      expect(Object.keys(doc).sort()).toEqual(
        ["version", "ceremonyHash", "authority", "member", "address", "nodePublicKey", "endpoint", "signerSignature", "nodeSignature", "bridgeValidator", "bridgeSignature"].sort(),
      );
      const ks = JSON.parse(secrets.keystore);
      // The signer's identity matches its keystore; the node key differs from the signer key.
      expect(doc.address.toLowerCase()).toBe("0x" + ks.address);
      expect(computeAddress("0x04" + doc.nodePublicKey)).not.toBe(doc.address);
      for (const t of [text, ...readdirSync(contributionsDir).map((other) => readFileSync(join(contributionsDir, other), "utf8"))]) {
        for (const secret of secretsOf(dir)) expect(t.toLowerCase()).not.toContain(secret.toLowerCase());
      }
    }
  });

  it("proves possession of a separate bridge validator key, which stays in the member's directory", async () => {
    for (const [i, dir] of memberDirs.entries()) {
      const c = JSON.parse(readFileSync(join(dir, `contribution-${NAMES[i]}.json`), "utf8")) as Contribution;
      expect(c.bridgeValidator).toBe(getAddress(c.bridgeValidator!));
      expect(possessionMessage(c)).toContain(`\nbridgeValidator: ${c.bridgeValidator}`);
      expect(verifyMessage(possessionMessage(c), c.bridgeSignature!)).toBe(c.bridgeValidator);
      expect([c.address, computeAddress("0x04" + c.nodePublicKey)]).not.toContain(c.bridgeValidator);
      const bridge = memberBridgeSecrets(dir);
      expect((await Wallet.fromEncryptedJson(bridge.keystore, bridge.password)).address).toBe(c.bridgeValidator);
    }
    expect(() => memberBridgeSecrets(join(root, "no-such-member"))).toThrow(/holds no bridge validator key .*Fix: .*contribute again/);
  });

  it("assembles a Clique genesis with the three signers, static nodes and the genesis digest", () => {
    const files = readdirSync(assembledDir).sort();
    expect(files).toEqual(["authorities.json", "genesis.json", "genesis.sha256", "manifest.json", "static-nodes.json"]);
    const genesis = JSON.parse(readFileSync(join(assembledDir, "genesis.json"), "utf8"));
    expect(genesis.config.chainId).toBe(424242);
    const extra: string = genesis.extraData.toLowerCase();
    for (const dir of memberDirs) expect(extra).toContain(memberIdentity(dir).address.slice(2).toLowerCase());
    const enodes = JSON.parse(readFileSync(join(assembledDir, "static-nodes.json"), "utf8")) as string[];
    expect(enodes).toHaveLength(3);
    expect(enodes[1]).toBe(`enode://${memberIdentity(memberDirs[1]).nodePublicKey}@127.0.0.1:30304`);
    const digest = readFileSync(join(assembledDir, "genesis.sha256"), "utf8");
    expect(digest).toBe(`${createHash("sha256").update(readFileSync(join(assembledDir, "genesis.json"))).digest("hex")}  genesis.json\n`);
    // The authorities as every member's stack lists them: public parts only (the stack's settings accept them as they are).
    const authorities = JSON.parse(readFileSync(join(assembledDir, "authorities.json"), "utf8")) as { name: string; member: string; external: Record<string, string> }[];
    expect(authorities.map((a) => [a.name, a.member, Object.keys(a.external).sort()])).toEqual(
      ["alpha", "beta", "gamma"].map((name, i) => [name, `org-${"abc"[i]}`, ["address", "bridgeValidator", "endpoint", "nodePublicKey"]]),
    );
    const beta = memberIdentity(memberDirs[1]);
    const betaBridge = doc("beta").bridgeValidator;
    expect(authorities[1].external).toEqual({ address: getAddress(beta.address), nodePublicKey: beta.nodePublicKey, endpoint: "127.0.0.1:30304", bridgeValidator: betaBridge });
    const authoritiesText = readFileSync(join(assembledDir, "authorities.json"), "utf8").toLowerCase();
    for (const dir of memberDirs) for (const secret of secretsOf(dir)) expect(authoritiesText).not.toContain(secret.toLowerCase());
  });

  it("assembles the same bytes whatever the order of the contribution files", () => {
    expect(assemble(ceremony, [...good].reverse()).files).toEqual(assemble(ceremony, good).files);
  });

  it("lets every member verify the assembly and find its own keys in it", () => {
    for (const dir of memberDirs) {
      expect(compareAssembly(assemble(ceremony, readContributions(contributionsDir)), assembledDir, ceremony, memberIdentity(dir))).toEqual([]);
    }
  });

  it("verify reports a changed genesis and a member whose keys are missing", () => {
    const changed = join(root, "changed");
    mkdirSync(changed);
    for (const f of readdirSync(assembledDir)) copyFileSync(join(assembledDir, f), join(changed, f));
    writeFileSync(join(changed, "genesis.json"), readFileSync(join(changed, "genesis.json"), "utf8").replace('"chainId": 424242', '"chainId": 424243'));
    const a = assemble(ceremony, good);
    expect(compareAssembly(a, changed, ceremony)).toEqual([expect.stringMatching(/genesis.json differs/)]);
    const stranger = { address: new Wallet(randomPrivateKey()).address, nodePublicKey: "ab".repeat(64) };
    expect(compareAssembly(a, assembledDir, ceremony, stranger)).toEqual([expect.stringMatching(/your keys .* are not in the contributions/)]);
    // A member whose bridge key is not the one its contribution names (a swapped directory) is told so.
    const own = memberIdentity(memberDirs[0]);
    expect(own.bridgeValidator).toMatch(/^0x[0-9a-f]{40}$/);
    expect(compareAssembly(a, assembledDir, ceremony, { ...own, bridgeValidator: memberIdentity(memberDirs[1]).bridgeValidator })).toEqual([expect.stringMatching(/your bridge validator 0x.* is not the one your contribution names/)]);
  });

  // ---- tampering ----
  const doc = (name: string) => JSON.parse(good.find((g) => g.file === `contribution-${name}.json`)!.text) as Contribution;
  const replaced = (name: string, c: unknown): ContributionText[] =>
    good.map((g) => (g.file === `contribution-${name}.json` ? { file: g.file, text: JSON.stringify(c) } : g));
  const rejects = (inputs: ContributionText[], pattern: RegExp) => {
    let err: unknown;
    try {
      assemble(ceremony, inputs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CeremonyError);
    expect((err as CeremonyError).problems.join("\n")).toMatch(pattern);
  };

  it("rejects a changed address", () => {
    rejects(replaced("beta", { ...doc("beta"), address: new Wallet(randomPrivateKey()).address }), /contribution-beta.json: signerSignature was made by 0x[0-9a-fA-F]{40}, not by the claimed signer/);
  });

  it("rejects a changed node key or endpoint", () => {
    rejects(replaced("beta", { ...doc("beta"), nodePublicKey: doc("alpha").nodePublicKey }), /contribution-beta.json: .*(signerSignature|nodeSignature)/);
    rejects(replaced("gamma", { ...doc("gamma"), endpoint: "10.9.9.9:30303" }), /contribution-gamma.json: signerSignature was made by/);
  });

  it("rejects a swapped or unproven bridge validator", () => {
    const other = new Wallet(randomPrivateKey()).address;
    rejects(replaced("beta", { ...doc("beta"), bridgeValidator: other }), new RegExp(`contribution-beta.json: bridgeSignature was made by 0x[0-9a-fA-F]{40}, not by the claimed bridge validator ${other}`));
    const { bridgeSignature: _dropped, ...unproven } = doc("beta");
    rejects(replaced("beta", unproven), /contribution-beta.json: field "bridgeSignature" is missing or not a string \(bridgeValidator and bridgeSignature come together\)/);
    rejects(replaced("beta", { ...doc("beta"), bridgeValidator: "0x1234" }), /contribution-beta.json: bridgeValidator 0x1234 is not a valid address/);
    // Dropping both fields changes the signed message: the bridge validator cannot be removed either.
    const { bridgeValidator: _v, bridgeSignature: _s, ...stripped } = doc("beta");
    rejects(replaced("beta", stripped), /contribution-beta.json: signerSignature was made by/);
  });

  it("rejects a bridge validator key that is the signer key or the node key", async () => {
    const signer = randomPrivateKey();
    const node = randomPrivateKey();
    const claims = { ceremonyHash: ceremony.ceremonyHash, authority: "beta", member: "org-b", endpoint: "127.0.0.1:30304" };
    rejects(replaced("beta", await signContribution(claims, signer, node, signer)), /contribution-beta.json: the bridge validator key is the signer key; use a separate key/);
    rejects(replaced("beta", await signContribution(claims, signer, node, node)), /contribution-beta.json: the bridge validator key is the node key; use a separate key/);
  });

  it("accepts a contribution made before bridge validator keys, listing it without one", async () => {
    const claims = { ceremonyHash: ceremony.ceremonyHash, authority: "beta", member: "org-b", endpoint: "127.0.0.1:30304" };
    const older = await signContribution(claims, randomPrivateKey(), randomPrivateKey());
    expect(Object.keys(older)).not.toContain("bridgeValidator");
    expect(possessionMessage(older)).not.toContain("bridgeValidator");
    const authorities = JSON.parse(assemble(ceremony, replaced("beta", older)).files["authorities.json"]) as { external: Record<string, string> }[];
    expect(authorities.map((a) => "bridgeValidator" in a.external)).toEqual([true, false, true]);
  });

  it("rejects a signature by another key (with the address changed to match it)", async () => {
    const intruder = new Wallet(randomPrivateKey());
    const c = { ...doc("beta"), address: intruder.address };
    // Signed by the intruder's key, but the node signature still covers the original address.
    c.signerSignature = await intruder.signMessage(possessionMessage(c));
    rejects(replaced("beta", c), /contribution-beta.json: nodeSignature was not made by the claimed node key/);
    // A signer signature from a key other than the claimed address.
    const d = { ...doc("beta"), signerSignature: await intruder.signMessage(possessionMessage(doc("beta"))) };
    rejects(replaced("beta", d), new RegExp(`contribution-beta.json: signerSignature was made by ${intruder.address}`));
  });

  it("rejects a contribution made for another ceremony", async () => {
    const other = createCeremony(readConsortiumYaml(CONFIG_YAML.replace("blockPeriodSeconds: 1", "blockPeriodSeconds: 2")));
    const dir = join(root, "other-ceremony");
    const r = await contribute({ ceremony: other, authority: "beta", endpoint: "127.0.0.1:30304", dir, scryptN: 2 ** 12 });
    rejects(replaced("beta", r.contribution), /contribution-beta.json: ceremonyHash 0x[0-9a-f]+ is not this ceremony's/);
    // Changing the hash in the file breaks both signatures.
    rejects(replaced("gamma", { ...doc("gamma"), ceremonyHash: other.ceremonyHash }), /contribution-gamma.json: ceremonyHash/);
  });

  it("rejects a duplicate authority", () => {
    rejects([...good, { file: "contribution-beta-again.json", text: JSON.stringify(doc("beta")) }], /contribution-beta-again.json: authority "beta" already contributed in contribution-beta.json/);
  });

  it("rejects an unexpected authority and a wrong member", async () => {
    const stranger = await contribute({
      ceremony: { ...ceremony, parameters: { ...ceremony.parameters, authorities: [...ceremony.parameters.authorities, { name: "delta", member: "org-d" }] } },
      authority: "delta",
      endpoint: "127.0.0.1:30399",
      dir: join(root, "member-delta"),
      scryptN: 2 ** 12,
    });
    rejects([...good, { file: "contribution-delta.json", text: JSON.stringify(stranger.contribution) }], /contribution-delta.json: authority "delta" is not expected by the ceremony/);
    await expect(contribute({ ceremony, authority: "delta", endpoint: "127.0.0.1:1", dir: join(root, "member-delta-2"), scryptN: 2 ** 12 })).rejects.toThrow(/not expected/);
  });

  it("rejects a missing authority", () => {
    rejects(good.filter((g) => g.file !== "contribution-gamma.json"), /authority "gamma" \(member org-c\) has no valid contribution/);
  });

  it("rejects reused keys across authorities", () => {
    // A member submitting the same keys for two authorities: the copy's signatures fail (authority is signed),
    // and were they valid, the duplicate address would be named.
    rejects(replaced("gamma", { ...doc("beta"), authority: "gamma", member: "org-c" }), /contribution-gamma.json: /);
  });

  it("rejects one signer address or node key used by two authorities", async () => {
    const signer = randomPrivateKey();
    const nodeA = randomPrivateKey();
    const nodeB = randomPrivateKey();
    const base = { ceremonyHash: ceremony.ceremonyHash, endpoint: "127.0.0.1:30305" };
    const b = await signContribution({ ...base, authority: "beta", member: "org-b" }, signer, nodeA);
    const g = await signContribution({ ...base, authority: "gamma", member: "org-c" }, signer, nodeB);
    rejects(replaced("beta", b).map((x) => (x.file === "contribution-gamma.json" ? { file: x.file, text: JSON.stringify(g) } : x)), /contribution-gamma.json: signer address 0x[0-9a-fA-F]{40} is also used in contribution-beta.json/);
    const g2 = await signContribution({ ...base, authority: "gamma", member: "org-c" }, randomPrivateKey(), nodeA);
    rejects(replaced("beta", b).map((x) => (x.file === "contribution-gamma.json" ? { file: x.file, text: JSON.stringify(g2) } : x)), /contribution-gamma.json: node public key is also used in contribution-beta.json/);
    await expect(signContribution({ ...base, authority: "beta", member: "org-b" }, signer, signer)).rejects.toThrow(/must not be the node key/);
  });

  it("rejects one bridge validator used by two authorities, or as another authority's signer", async () => {
    const bridge = randomPrivateKey();
    const base = { ceremonyHash: ceremony.ceremonyHash, endpoint: "127.0.0.1:30305" };
    const b = await signContribution({ ...base, authority: "beta", member: "org-b" }, randomPrivateKey(), randomPrivateKey(), bridge);
    const withBeta = (gamma: Contribution) => replaced("beta", b).map((x) => (x.file === "contribution-gamma.json" ? { file: x.file, text: JSON.stringify(gamma) } : x));
    const g = await signContribution({ ...base, authority: "gamma", member: "org-c" }, randomPrivateKey(), randomPrivateKey(), bridge);
    rejects(withBeta(g), new RegExp(`contribution-gamma.json: bridge validator ${computeAddress(bridge)} is also used in contribution-beta.json \\(as its bridge validator\\)`));
    // gamma's signer key is beta's bridge validator key, and gamma's bridge validator key is alpha's signer key.
    const g2 = await signContribution({ ...base, authority: "gamma", member: "org-c" }, bridge, randomPrivateKey(), randomPrivateKey());
    rejects(withBeta(g2), new RegExp(`contribution-gamma.json: signer address ${computeAddress(bridge)} is also used in contribution-beta.json \\(as its bridge validator\\)`));
    const alphaSigner = memberSecrets(memberDirs[0]);
    const alphaKey = (await Wallet.fromEncryptedJson(alphaSigner.keystore, alphaSigner.password)).privateKey;
    const g3 = await signContribution({ ...base, authority: "gamma", member: "org-c" }, randomPrivateKey(), randomPrivateKey(), alphaKey);
    rejects(withBeta(g3), new RegExp(`contribution-gamma.json: bridge validator ${doc("alpha").address} is also used in contribution-alpha.json \\(as its signer address\\)`));
  });

  it("rejects fields that are not public parts, and malformed files", () => {
    rejects(replaced("alpha", { ...doc("alpha"), password: "oops" }), /contribution-alpha.json: unexpected field "password"/);
    rejects([...good.slice(1), { file: "contribution-alpha.json", text: "{not json" }], /contribution-alpha.json: not JSON/);
  });

  it("refuses to overwrite a member directory that holds keys", async () => {
    await expect(contribute({ ceremony, authority: "alpha", endpoint: "127.0.0.1:30303", dir: memberDirs[0], scryptN: 2 ** 12 })).rejects.toThrow(/already holds keys/);
    const bridgeOnly = join(root, "bridge-only");
    mkdirSync(bridgeOnly);
    writeFileSync(join(bridgeOnly, "bridge-password"), "kept", { mode: 0o600 });
    await expect(contribute({ ceremony, authority: "alpha", endpoint: "127.0.0.1:30303", dir: bridgeOnly, scryptN: 2 ** 12 })).rejects.toThrow(/already holds keys/);
    const fresh = join(root, "bad-endpoint");
    await expect(contribute({ ceremony, authority: "alpha", endpoint: "nohost", dir: fresh, scryptN: 2 ** 12 })).rejects.toThrow(/not host:port/);
    expect(() => statSync(fresh)).toThrow(); // nothing generated
  });
});
