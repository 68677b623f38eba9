// The federated model's two kinds of stack, as docs/examples/federated configures them, under pulumi.runtime.setMocks
// (a test double for the engine; the real engine runs them on separate hosts in test/federation/memberHosts.test.ts):
//  - the consortium stack: every authority a member's, by the public parts the ceremony gave (bridge validator
//    addresses included); it deploys the bridge's contracts and PoCo through a member's RPC node and runs no node,
//    no agent and no key but its deployer's;
//  - a member's stack: its own authority from its key directory, and its own bridge validator's agent — key from the
//    same directory — against the contracts the consortium stack deployed; it deploys no contract and needs no deployer.
// The test runs the examples' ceremony (consortium.yaml) and points the stacks at its manifest, and at the manifest
// the consortium stack publishes; org-b's key directory is that ceremony's.
import { getAddress } from "ethers";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { assemble, AUTHORITIES_FILE } from "../../lib/ceremony/assemble";
import { applyManifest, withBridge, withPoco } from "../../lib/ceremony/manifest";
import { Manifest, MANIFEST_FILE } from "../../lib/ceremony/manifestFile";
import { contribute, MEMBER_FILES } from "../../lib/ceremony/member";
import { createCeremony, readConsortiumYaml } from "../../lib/ceremony/params";
import consortium from "../../program/index";
import { parseConsortiumSpec } from "../../settings/parse";
import { SpecError } from "../../settings/errors";
import { installMocks, Registered, runProgram, SECRET_SIG, setConsortiumConfig } from "../support/pulumiMocks";

const EXAMPLES = join(__dirname, "..", "..", "docs", "examples", "federated");
const example = (file: string) => readConsortiumYaml(readFileSync(join(EXAMPLES, file), "utf8"));
const CEREMONY = example("consortium.yaml");
const CONSORTIUM = example("Pulumi.acme-consortium.yaml");
const MEMBER_B = example("Pulumi.acme-org-b.yaml");
const BRIDGE = CONSORTIUM.bridge as Record<string, any>;
const OWNER = BRIDGE.roles.owner as string;
/** The PoCo the consortium stack deployed (its `poco` output). */
const POCO = Object.fromEntries(["hub", "appRegistry", "datasetRegistry", "workerpoolRegistry", "token"].map((k, i) => [k, getAddress("0x" + `c${i}`.repeat(20))])) as Record<"hub" | "appRegistry" | "datasetRegistry" | "workerpoolRegistry" | "token", string>;
/** A member's bare-metal worker pool (mocks: no host is contacted). */
const METAL_POOL = {
  name: "metal",
  coreUrl: "http://10.0.0.5:13000",
  chainRpcUrl: "http://10.0.0.3:8545",
  target: {
    kind: "ssh",
    hosts: [{ name: "h1", address: "10.0.0.5", hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForMocksOnlyxxxxxxxxxxxxxxxxxxxx", kataArtifact: { url: "https://github.com/kata-containers/kata-containers/releases/download/3.18.0/kata-static-3.18.0-amd64.tar.xz", sha256: "a".repeat(64) } }],
    coreBind: "10.0.0.5",
  },
};
/** What the consortium stack deployed (its `bridge` output's home and foreign parts). */
const CONTRACTS = {
  home: { chainId: 424242, gateway: getAddress("0x" + "a1".repeat(20)), validatorSet: getAddress("0x" + "a2".repeat(20)), token: getAddress("0x" + "a3".repeat(20)), startBlock: 12 },
  foreign: { chainId: 1, vault: getAddress("0x" + "b1".repeat(20)), validatorSet: getAddress("0x" + "b2".repeat(20)), token: BRIDGE.foreign.token as string, startBlock: 7 },
};
const DEPLOYER_KEY = "0x" + "7d".repeat(32);

/** Inputs with secrets masked: what a reader of the state could see. */
const plain = (r: Registered) => JSON.stringify(r.inputs, (_k, v) => (v && typeof v === "object" && SECRET_SIG in v ? "[secret]" : v));
const ofType = (registered: Registered[], suffix: string) => registered.filter((r) => r.type.endsWith(suffix));

describe("federated stacks (mocks): a consortium stack and a member's stack from one ceremony", () => {
  let registered: Registered[];
  let root: string;
  /** authorities.json: every authority by its public parts. */
  let listed: { name: string; member: string; external: Record<string, string> }[];
  let keyDirB: string;
  /** The ceremony's manifest, and the one the consortium stack publishes (files). */
  let manifestFile: string;
  let publishedFile: string;

  beforeAll(async () => {
    registered = installMocks();
    root = await mkdtemp(join(tmpdir(), "federated-mock-"));
    const ceremony = createCeremony(CEREMONY);
    const contributions = [];
    for (const [i, a] of ceremony.parameters.authorities.entries()) {
      const r = await contribute({ ceremony, authority: a.name, endpoint: `10.0.0.${i + 2}:30303`, dir: join(root, a.member), scryptN: 1024 });
      contributions.push({ file: r.contributionFile, text: JSON.stringify(r.contribution) });
    }
    const assembly = assemble(ceremony, contributions);
    listed = JSON.parse(assembly.files[AUTHORITIES_FILE]);
    keyDirB = join(root, "org-b");
    manifestFile = join(root, MANIFEST_FILE);
    await writeFile(manifestFile, assembly.files[MANIFEST_FILE]);
    publishedFile = join(root, "published.json");
    const withContracts = withBridge(JSON.parse(assembly.files[MANIFEST_FILE]) as Manifest, BRIDGE, CONTRACTS, { validators: ["alpha", "beta", "gamma"], threshold: 2 });
    await writeFile(publishedFile, JSON.stringify(withPoco(withContracts, "acme", POCO)));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));
  beforeEach(() => {
    registered.length = 0;
  });

  const consortiumStack = (extra: Record<string, unknown> = {}) => setConsortiumConfig({ ...CONSORTIUM, manifest: manifestFile, ...extra }, { deployerKey: DEPLOYER_KEY });
  const memberB = (keyDirs: Record<string, string> = { beta: keyDirB }) =>
    setConsortiumConfig({ ...MEMBER_B, manifest: publishedFile, keyDirs }, { bridgeEndpoints: JSON.stringify({ beta: { foreign: "https://eth.org-b.example/KEY-B" } }) });

  it("authorities.json carries each member's bridge validator address, apart from its signer", () => {
    for (const a of listed) {
      expect(a.external.bridgeValidator).toMatch(/^0x[0-9a-fA-F]{40}$/);
      expect(a.external.bridgeValidator).not.toBe(a.external.address);
    }
  });

  it("the consortium stack deploys the bridge for the ceremony's validator addresses and PoCo, and runs nothing", async () => {
    consortiumStack();
    const outputs = await runProgram(consortium);
    const contracts = ofType(registered, "bridge:BridgeContract");
    expect(contracts.map((c) => c.inputs.kind).sort()).toEqual(["foreignVault", "homeGateway", "validatorSet", "validatorSet"]);
    for (const set of contracts.filter((c) => c.inputs.kind === "validatorSet")) {
      expect(set.inputs.settings).toEqual({ validators: listed.map((a) => a.external.bridgeValidator), threshold: 2 });
      expect(set.inputs.roles).toEqual({ owner: [OWNER] });
    }
    // Every role with the consortium's multisigs: none stays with the deployer.
    const vault = contracts.find((c) => c.inputs.kind === "foreignVault")!;
    expect(vault.inputs.roles).toEqual(Object.fromEntries(["owner", "pauser", "limitsManager", "whitelistManager"].map((r) => [r, [BRIDGE.roles[r]]])));
    expect(ofType(registered, "poco:PocoStack")).toHaveLength(1);
    // No node, no agent, no key of its own but the deployer's (a config secret, never a resource).
    for (const kind of ["LocalNodeProcess", "keys:GeneratedKey", "keys:AuthorityKeys", "fleet:Fleet", "DevFunding"]) expect(ofType(registered, kind)).toEqual([]);
    expect(outputs.bridge.validators).toEqual(listed.map((a) => a.external.bridgeValidator));
    expect(outputs.bridge.agents).toEqual({});
    expect(outputs.rpcUrl).toBeUndefined();
    for (const r of registered) expect(plain(r)).not.toContain(DEPLOYER_KEY.slice(2));
    // The manifest it publishes: the ceremony's, plus the bridge's settings and the contracts it deployed, no endpoint.
    const published = outputs.manifest as Manifest;
    expect(published.genesisSha256).toBe((JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest).genesisSha256);
    expect(published.bridge?.contracts).toEqual({ home: outputs.bridge.home, foreign: outputs.bridge.foreign });
    const { chainId: _chainId, ...pocoAddresses } = outputs.poco;
    expect(published.poco).toEqual({ chainName: "acme", deployed: pocoAddresses });
    expect(JSON.stringify(published)).not.toContain(BRIDGE.home.rpcUrl);
    expect(JSON.stringify(published)).not.toContain(BRIDGE.foreign.rpcUrl);
    // A member's stack takes it as it is.
    const { raw } = applyManifest({ manifest: "published.json", keyDirs: { beta: keyDirB }, fleet: { target: "local" } }, () => JSON.stringify(published));
    const spec = parseConsortiumSpec(raw, { bridgeEndpoints: { beta: { foreign: "https://eth.org-b.example/KEY-B" } } });
    expect(spec.bridge?.contracts?.home.gateway).toBe(outputs.bridge.home.gateway);
  });

  it("refuses what a consortium stack cannot do, naming the field and the fix, before any resource", async () => {
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ bridge: { ...BRIDGE, home: {} } }, /consortium:bridge\.home\.rpcUrl: is missing: this stack runs no node .*Fix: give the JSON-RPC URL of a member's RPC node/],
      [{ bridge: { ...BRIDGE, contracts: CONTRACTS } }, /consortium:bridge\.contracts: is set, but this stack runs no node.*Fix: remove bridge\.contracts/],
      [{ monitoring: {} }, /consortium:monitoring: is a member's part.*Fix: remove monitoring here/],
      [{ bridge: undefined, poco: undefined }, /consortium:authorities: every authority is external .*no contract to deploy/],
    ];
    for (const [extra, message] of refusals) {
      registered.length = 0;
      consortiumStack(extra);
      await expect(consortium()).rejects.toThrow(message);
      expect(registered).toEqual([]);
    }
  });

  it("a member's stack runs its own validator's agent, key from its own directory, against the given contracts", async () => {
    memberB();
    const outputs = await runProgram(consortium);
    expect(ofType(registered, "bridge:BridgeContract")).toEqual([]);
    expect(ofType(registered, "poco:PocoStack")).toEqual([]);
    const processes = ofType(registered, "LocalNodeProcess").map((r) => r.name);
    expect(processes.filter((n) => n.includes("agent"))).toEqual(["bridge-agent-beta"]);
    const agent = registered.find((r) => r.name === "bridge-agent-beta")!;
    // Its key is the member's ceremony key: the keystore's address is beta's bridgeValidator; the password a secret.
    const secrets = agent.inputs.secretFiles;
    expect(secrets[SECRET_SIG]).toBeDefined();
    const beta = listed.find((a) => a.name === "beta")!;
    const keystore = JSON.parse(Object.values(secrets.value as Record<string, string>).find((v) => v.includes('"crypto"'))!);
    expect("0x" + keystore.address).toBe(beta.external.bridgeValidator.toLowerCase());
    const config = JSON.parse(Object.values(agent.inputs.files as Record<string, string>)[0]);
    expect(config.home).toMatchObject({ gateway: CONTRACTS.home.gateway, validatorSet: CONTRACTS.home.validatorSet, startBlock: CONTRACTS.home.startBlock });
    expect(config.foreign).toMatchObject({ vault: CONTRACTS.foreign.vault, validatorSet: CONTRACTS.foreign.validatorSet, startBlock: CONTRACTS.foreign.startBlock });
    expect(config.validatorAddress).toBe(beta.external.bridgeValidator);
    expect(plain(agent)).not.toContain("KEY-B");
    expect(ofType(registered, "keys:GeneratedKey").filter((r) => r.name.includes("bridge"))).toEqual([]);
    expect(outputs.bridge.home.gateway).toBe(CONTRACTS.home.gateway);
    expect(outputs.bridge.validators).toEqual(listed.map((a) => a.external.bridgeValidator));
  });

  it("a member's stack registers its own worker pool in the consortium's PoCo (from the manifest), deploying no PoCo", async () => {
    setConsortiumConfig(
      { ...MEMBER_B, manifest: publishedFile, keyDirs: { beta: keyDirB }, workerPools: [METAL_POOL] },
      { deployerKey: DEPLOYER_KEY, bridgeEndpoints: JSON.stringify({ beta: { foreign: "https://eth.org-b.example/KEY-B" } }) },
    );
    const outputs = await runProgram(consortium);
    expect(ofType(registered, "poco:PocoStack")).toEqual([]);
    expect(ofType(registered, "poco:PocoContract")).toEqual([]);
    const registration = ofType(registered, "workerpool:WorkerpoolRegistration");
    expect(registration).toHaveLength(1);
    expect(registration[0].inputs).toMatchObject({ registry: POCO.workerpoolRegistry, chainId: 424242 });
    expect(outputs.poco).toEqual({ ...POCO, chainId: 424242 });
    expect(JSON.parse(outputs.chainJson).chains.acme.hub).toBe(POCO.hub);
    for (const r of registered) expect(plain(r)).not.toContain(DEPLOYER_KEY.slice(2));
  });

  it("a member's directory whose bridge key is not the listed validator is refused before anything runs", async () => {
    // org-b's signer and node keys, with org-c's bridge validator key beside them.
    const mixed = join(root, "mixed");
    await cp(keyDirB, mixed, { recursive: true });
    await rm(join(mixed, MEMBER_FILES.bridgeKeystoreDir), { recursive: true });
    await cp(join(root, "org-c", MEMBER_FILES.bridgeKeystoreDir), join(mixed, MEMBER_FILES.bridgeKeystoreDir), { recursive: true });
    memberB({ beta: mixed });
    await expect(consortium()).rejects.toThrow(/authorities\[1\]\.external\.keyDir: the bridge validator keystore in .* is for 0x[0-9a-f]{40}, not 0x.*Fix: use this authority's own key directory/);
  });

  it("settings: an external validator without its address, and contracts for another chain, are refused", () => {
    const problems = (raw: Record<string, unknown>) => {
      try {
        parseConsortiumSpec(raw);
        return [];
      } catch (e) {
        return (e as SpecError).issues.map((i) => `${i.field}: ${i.problem}`);
      }
    };
    const withoutAddress = listed.map((a) => ({ ...a, external: { ...a.external, bridgeValidator: undefined } }));
    expect(problems({ ...CEREMONY, authorities: withoutAddress, bridge: { ...BRIDGE, validators: ["alpha"] } })).toContainEqual(expect.stringMatching(/^bridge\.validators\[0\]: "alpha" is run by its member elsewhere .*bridge validator address is not given/));
    const foreignContracts = { ...CONTRACTS, home: { ...CONTRACTS.home, chainId: 5 } };
    expect(problems({ ...CEREMONY, authorities: listed, bridge: { ...BRIDGE, contracts: foreignContracts } })).toContainEqual(expect.stringMatching(/^bridge\.contracts\.home\.chainId: 5 is not this stack's home chain \(424242\)/));
    expect(problems({ ...CEREMONY, authorities: listed, dev: true, bridge: { contracts: CONTRACTS } })).toContainEqual(expect.stringMatching(/^bridge\.contracts: is set without bridge\.foreign\.rpcUrl/));
    // A retired authority's validator leaves with it: not a default, refused when listed.
    const retired = listed.map((a, i) => (i === 2 ? { ...a, retired: true } : a));
    expect(parseConsortiumSpec({ ...CEREMONY, authorities: retired, bridge: BRIDGE }).bridge?.validators).toEqual(["alpha", "beta"]);
    expect(problems({ ...CEREMONY, authorities: retired, bridge: { ...BRIDGE, validators: ["alpha", "gamma"] } })).toContainEqual(expect.stringMatching(/^bridge\.validators\[1\]: "gamma" is retired/));
    const reused = listed.map((a, i) => (i === 1 ? { ...a, external: { ...a.external, bridgeValidator: listed[0].external.bridgeValidator } } : a));
    expect(problems({ ...CEREMONY, authorities: reused })).toContainEqual(expect.stringMatching(/^authorities\[1\]\.external\.bridgeValidator: .* is also used by authorities\[0\]\.external\.bridgeValidator/));
  });
});
