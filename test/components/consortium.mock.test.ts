// Pulumi components and the program under pulumi.runtime.setMocks (a test double for the engine: the resource
// graph, parenting and secrecy are checked without running anything). The real engine runs in test/integration.
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthorityKeys } from "../../components/keys/AuthorityKeys";
import { Fleet } from "../../components/fleet/Fleet";
import { ForeignDevChain } from "../../components/bridge/ForeignDevChain";
import { declareTarget } from "../../components/targets/declareTarget";
import { LocalTarget } from "../../components/targets/local/LocalTarget";
import type { ConsortiumSpec } from "../../settings/consortium";
import { renderChainFile } from "../../render/chain";
import { parseConsortiumSpec } from "../../settings/parse";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contribute } from "../../lib/ceremony/member";
import { createCeremony } from "../../lib/ceremony/params";
import consortium from "../../program/index";
import { installMocks, Registered, SECRET_SIG, settle, value } from "../support/pulumiMocks";

let registered: Registered[] = [];

beforeAll(() => {
  registered = installMocks();
});

beforeEach(() => {
  registered.length = 0;
});

const urn = (r: pulumi.Resource) => value(r.urn);

const spec = () =>
  parseConsortiumSpec({
    name: "mock",
    chainId: 4242,
    dev: true,
    scryptN: 1024,
    authorities: [
      { name: "alpha", member: "a" },
      { name: "beta", member: "b" },
    ],
  });

describe("AuthorityKeys", () => {
  it("creates a signer key and a separate node key as children, with secret outputs", async () => {
    const keys = new AuthorityKeys("alpha", { scryptN: 2 ** 17 });
    expect(await urn(keys)).toContain("consortium:keys:AuthorityKeys::alpha");
    await value(keys.address);
    const children = registered.filter((r) => r.type === "pulumi-nodejs:dynamic/keys:GeneratedKey");
    expect(children.map((c) => [c.name, c.inputs.kind]).sort()).toEqual([
      ["alpha-node", "node"],
      ["alpha-signer", "signer"],
    ]);
    expect(await pulumi.isSecret(keys.password)).toBe(true);
    expect(await pulumi.isSecret(keys.nodeKey)).toBe(true);
    expect(await pulumi.isSecret(keys.address)).toBe(false);
    expect(await value(keys.nodePublicKey)).toMatch(/^[0-9a-f]{128}$/);
  });

  it("refuses a weak keystore outside dev stacks with a ResourceError", () => {
    expect(() => new AuthorityKeys("weak", { scryptN: 1024 })).toThrow(/scryptN 1024 is below 131072/);
    expect(() => new AuthorityKeys("weak-dev", { scryptN: 1024, dev: true })).not.toThrow();
  });
});

/** A local target and a fleet on it, as the program declares them. */
function localFleet(s: ConsortiumSpec, workDir: string, opts?: pulumi.ComponentResourceOptions): Fleet {
  const authorities = s.authorities.map((a) => {
    const keys = new AuthorityKeys(a.name, { scryptN: s.keys.scryptN, dev: true });
    return { name: a.name, address: keys.address, keystore: keys.keystore, password: keys.password, nodeKey: keys.nodeKey, nodePublicKey: keys.nodePublicKey };
  });
  const chain = pulumi.all(authorities.map((a) => a.address)).apply((validators) => renderChainFile(s, { validators }));
  const target = declareTarget("fleet", s, () => ({ local: { workDir, portRegistry: "/tmp/ports", owner: "mock/mock" } }));
  return new Fleet("fleet", { spec: s, target, authorities, chain, clientCommand: "/opt/geth" }, opts);
}

describe("Fleet on the local target", () => {
  const fleet = (workDir = "/tmp/fleet-mock") => localFleet(spec(), workDir);

  it("declares a port block and one process per node (each member's RPC node too), parented to the fleet", async () => {
    const f = fleet();
    const nodes = await value(f.nodes);
    expect(nodes.map((n) => [n.name, n.member, n.role, n.rpcUrl, n.ipcPath])).toEqual([
      ["alpha", "a", "authority", undefined, "/tmp/fleet-mock/alpha/data/geth.ipc"],
      ["beta", "b", "authority", undefined, "/tmp/fleet-mock/beta/data/geth.ipc"],
      ["rpc-a", "a", "rpc", "http://127.0.0.1:30407", undefined],
      ["rpc-b", "b", "rpc", "http://127.0.0.1:30497", undefined],
    ]);
    // The stack's RPC URL: the first authority's member's RPC node, on the slot of the old single RPC node.
    expect(await value(f.rpcUrl!)).toBe("http://127.0.0.1:30407");
    expect(await value(f.memberRpcUrls)).toEqual({ a: "http://127.0.0.1:30407", b: "http://127.0.0.1:30497" });
    const procs = registered.filter((r) => r.type === "pulumi-nodejs:dynamic/fleet:LocalNodeProcess").sort((a, b) => a.name.localeCompare(b.name));
    expect(procs.map((p) => p.name)).toEqual(["fleet-alpha", "fleet-beta", "fleet-rpc-a", "fleet-rpc-b"]);
    // The nodes' block, and the block of their metrics ports (one per slot: the nodes' block is full).
    expect(registered.filter((r) => r.type === "pulumi-nodejs:dynamic/fleet:PortBlock").map((r) => r.name).sort()).toEqual(["fleet-metrics-ports", "fleet-ports"]);
    expect(procs.map((p) => p.inputs.dir)).toEqual(["/tmp/fleet-mock/alpha", "/tmp/fleet-mock/beta", "/tmp/fleet-mock/rpc-a", "/tmp/fleet-mock/rpc-b"]);
    // RPC nodes: no signer flags; authorities: --mine with their own address, no HTTP, readiness over IPC.
    expect(procs[2].inputs.args).not.toContain("--mine");
    expect(procs[0].inputs.args).toContain("--mine");
    expect(procs[0].inputs.args.filter((a: string) => a.startsWith("--http") || a === "--allow-insecure-unlock")).toEqual([]);
    expect(procs[0].inputs.rpcUrl).toBe("/tmp/fleet-mock/alpha/data/geth.ipc");
    // An authority listens on p2p, the JWT-guarded authrpc and its metrics only; an RPC node on its HTTP port too. The
    // mock starts every block at 30400: a node's metrics port is 30400 + its slot (rpc-b's slot is 32, from the top).
    expect(procs[0].inputs.ports).toEqual([30400, 30402, 30400]);
    expect(procs[2].inputs.ports).toEqual([30406, 30407, 30408, 30402]);
    expect(nodes.map((n) => n.metricsUrl)).toEqual([30400, 30401, 30402, 30432].map((port) => `http://127.0.0.1:${port}/debug/metrics/prometheus`));
    expect(procs[3].inputs.args).toEqual(expect.arrayContaining(["--metrics", "--metrics.addr", "127.0.0.1", "--metrics.port", "30432"]));
    // Static peers: every other node of the fleet.
    expect((procs[0].inputs.files["config.toml"] as string).match(/enode:\/\//g)).toHaveLength(3);
  });

  it("keeps the old single RPC node's names as aliases of the first member's RPC node (same enode, ports freed first)", async () => {
    const aliases = new Map<string, unknown>();
    const transformations: pulumi.ResourceTransformation[] = [(a) => (aliases.set(a.name, a.opts.aliases), undefined)];
    const f = localFleet(spec(), "/tmp/fleet-mock", { transformations });
    await value(f.nodes);
    // Processes were named after their node alone; the first member's RPC node was the single RPC node "rpc".
    expect(aliases.get("fleet-alpha")).toEqual([{ name: "alpha" }]);
    expect(aliases.get("fleet-rpc-a")).toEqual([{ name: "rpc-a" }, { name: "rpc" }]);
    expect(aliases.get("fleet-rpc-a-node")).toEqual([{ name: "fleet-rpc-node" }]);
    expect(aliases.get("fleet-rpc-b")).toEqual([{ name: "rpc-b" }]);
    // The fleet (and with it its children) answers to the local fleet class of earlier versions.
    expect(aliases.get("fleet")).toEqual([{ type: "consortium:fleet:NodeFleet" }]);
  });

  it("keeps the port blocks' earlier parents: the fleet's under the old fleet class, the bridge's under the stack", async () => {
    const aliases = new Map<string, pulumi.Alias[]>();
    const transformations: pulumi.ResourceTransformation[] = [(a) => (aliases.set(a.name, (a.opts.aliases ?? []) as pulumi.Alias[]), undefined)];
    const target = declareTarget("fleet", spec(), () => ({ local: { workDir: "/tmp/fleet-mock", portRegistry: "/tmp/fleet-mock-ports", owner: "consortium/test" } }), {
      transformations,
    });
    if (!(target instanceof LocalTarget)) throw new Error("expected the local target");
    target.portBlock("fleet");
    target.portBlock("bridge");
    await settle();
    const [fleetAlias] = aliases.get("fleet-ports") ?? [];
    expect(await value(pulumi.output(fleetAlias.parent as pulumi.Input<string>))).toMatch(/::consortium:fleet:NodeFleet::fleet$/);
    // No parent, said explicitly (`parent: undefined`): the bridge's block was the stack's child (a missing key would mean "same parent").
    const bridgeAliases = aliases.get("bridge-ports") ?? [];
    expect(bridgeAliases).toHaveLength(1);
    expect(Object.hasOwn(bridgeAliases[0], "parent") && bridgeAliases[0].parent === undefined).toBe(true);
  });

  it("places a dev stack's foreign chain through the target, in the bridge's port block, keeping its earlier top-level state", async () => {
    const aliases = new Map<string, pulumi.Alias[]>();
    const transformations: pulumi.ResourceTransformation[] = [(a) => (aliases.set(a.name, (a.opts.aliases ?? []) as pulumi.Alias[]), undefined)];
    const target = declareTarget("fleet", spec(), () => ({ local: { workDir: ".work/mock", portRegistry: "/tmp/fleet-mock-ports", owner: "consortium/test" } }));
    const chain = new ForeignDevChain("foreign", { target, member: "a", geth: "/opt/geth", periodSeconds: 1 }, { transformations });
    // The mocked block starts at 30400: HTTP at block offset 1, authrpc after it, as before it was a workload.
    expect(await value(chain.rpcUrl)).toBe("http://127.0.0.1:30401");
    await settle();
    const proc = registered.find((r) => r.type.endsWith("fleet:LocalNodeProcess"))!;
    expect(proc.name).toBe("foreign-dev-chain");
    expect(proc.inputs.dir).toBe(".work/mock/foreign-dev-chain");
    expect(proc.inputs.ports).toEqual([30401, 30402]);
    expect(proc.inputs.args).toEqual(expect.arrayContaining(["--dev", "--http.port", "30401", "--authrpc.port", "30402"]));
    expect(proc.inputs.resetKey).toBe("geth --dev");
    expect(registered.filter((r) => r.type.endsWith("fleet:PortBlock")).map((r) => r.name)).toEqual(["bridge-ports"]);
    // Its process was the stack's child: "no parent", said explicitly.
    const [alias] = aliases.get("foreign-dev-chain") ?? [];
    expect(Object.hasOwn(alias, "parent") && alias.parent === undefined).toBe(true);
  });

  it("passes key material only through the secret channel", async () => {
    const f = fleet();
    await value(f.nodes);
    const procs = registered.filter((r) => r.type.endsWith("LocalNodeProcess"));
    expect(procs).toHaveLength(4);
    for (const proc of procs) {
      // The engine receives secretFiles as a secret (Pulumi's secret signature wraps the value).
      const wrapped = proc.inputs.secretFiles as { [SECRET_SIG]: string; value: Record<string, string> };
      expect(wrapped[SECRET_SIG], proc.name).toBeDefined();
      // The signer keystore is a secret file like the password (written 0600): never among the plain files.
      const keystore = Object.keys(wrapped.value).filter((k) => k.startsWith("data/keystore/"));
      expect(Object.keys(wrapped.value).sort(), proc.name).toEqual(proc.name.startsWith("fleet-rpc-") ? ["nodekey"] : [...keystore, "nodekey", "password"]);
      expect(keystore, proc.name).toHaveLength(proc.name.startsWith("fleet-rpc-") ? 0 : 1);
      expect(Object.keys(proc.inputs.files).filter((k) => k.includes("keystore")), proc.name).toEqual([]);
      const visible = JSON.stringify({ ...proc.inputs, secretFiles: undefined });
      for (const secret of Object.values(wrapped.value)) expect(visible.includes(secret), proc.name).toBe(false);
    }
  });

  it("keeps a relative work dir relative (to the project folder) in what it declares, so the state names no clone", async () => {
    const f = fleet(".work/mock");
    const nodes = await value(f.nodes);
    expect(nodes.find((n) => n.name === "alpha")!.ipcPath).toBe(".work/mock/alpha/data/geth.ipc");
    const procs = registered.filter((r) => r.type.endsWith("LocalNodeProcess"));
    expect(procs.map((p) => p.inputs.dir).sort()).toEqual([".work/mock/alpha", ".work/mock/beta", ".work/mock/rpc-a", ".work/mock/rpc-b"]);
    expect(registered.find((r) => r.type.endsWith("fleet:PortBlock"))!.inputs.holderDir).toBe(".work/mock");
  });

  it("refuses, before declaring anything but its target, a work dir whose IPC socket paths would not fit a unix socket", async () => {
    expect(() => fleet("/" + "w".repeat(100))).toThrow(/longer than the 107 bytes of a unix socket path/);
    await settle();
    expect(registered.filter((r) => !r.type.startsWith("consortium:") && !r.type.endsWith("AuthorityKeys") && !r.type.endsWith("GeneratedKey")).map((r) => r.name)).toEqual([]);
  });
});

describe("the consortium program", () => {
  it("fails on bad configuration with every problem named, before any resource exists", async () => {
    pulumi.runtime.setAllConfig({
      "consortium:name": "Bad Name",
      "consortium:chainId": "1",
      "consortium:blockPeriodSeconds": "0",
      "consortium:authorities": "[]",
    });
    await expect(consortium()).rejects.toThrow(/consortium:name:[\s\S]*consortium:chainId: 1 is the chain id of Ethereum mainnet[\s\S]*consortium:blockPeriodSeconds[\s\S]*consortium:authorities/);
    expect(registered).toEqual([]);
  });

  it("declares keys, a protected dev account and the fleet for a valid dev config", async () => {
    pulumi.runtime.setAllConfig({
      "consortium:name": "mock",
      "consortium:dev": "true",
      "consortium:chainId": "4242",
      "consortium:scryptN": "1024",
      "consortium:authorities": JSON.stringify([{ name: "alpha", member: "a" }]),
      "consortium:fleet": JSON.stringify({ target: "local", rpcNode: false, workDir: "/tmp/mock-work" }),
    });
    const outputs = await consortium();
    // fleet.rpcNode false: no RPC node, and no authority serves HTTP, so the stack has no RPC URL.
    expect(outputs.rpcUrl).toBeUndefined();
    expect(await value(outputs.memberRpcUrls as pulumi.Output<Record<string, string>>)).toEqual({});
    await settle();
    const types = registered.map((r) => `${r.type}::${r.name}`);
    expect(types).toEqual(
      expect.arrayContaining([
        "consortium:keys:AuthorityKeys::alpha",
        "pulumi-nodejs:dynamic/keys:GeneratedKey::dev-account",
        "consortium:target:LocalTarget::fleet",
        "consortium:fleet:Fleet::fleet",
        "pulumi-nodejs:dynamic/fleet:LocalNodeProcess::fleet-alpha",
      ]),
    );
    const devAccount = outputs.devAccount as { privateKey: pulumi.Output<string> };
    expect(await pulumi.isSecret(devAccount.privateKey)).toBe(true);
  });

  it("uses a member's public parts without generating keys for it, in the genesis and as a static peer", async () => {
    const external = {
      address: "0x00000000000000000000000000000000000000aa",
      nodePublicKey: "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
      endpoint: "node1.member.example:30303",
    };
    pulumi.runtime.setAllConfig({
      "consortium:name": "mock",
      "consortium:chainId": "4242",
      "consortium:authorities": JSON.stringify([{ name: "alpha", member: "a" }, { name: "ext", member: "b", external }]),
      "consortium:fleet": JSON.stringify({ target: "local", rpcNode: false, workDir: "/tmp/mock-work" }),
    });
    const outputs = await consortium();
    const signers = await value(outputs.signers as pulumi.Output<string[]>);
    expect(signers).toContain("0x00000000000000000000000000000000000000AA");
    expect(registered.filter((r) => r.type === "consortium:keys:AuthorityKeys").map((r) => r.name)).toEqual(["alpha"]);
    expect(registered.some((r) => r.name === "ext")).toBe(false);
    await value(outputs.nodes as pulumi.Output<unknown[]>);
    await settle();
    const alpha = registered.find((r) => r.type.endsWith("LocalNodeProcess") && r.name === "fleet-alpha")!;
    expect(alpha.inputs.files["genesis.json"]).toContain("00000000000000000000000000000000000000aa");
    expect(alpha.inputs.files["config.toml"]).toContain(`enode://${external.nodePublicKey}@node1.member.example:30303`);
  });

  it("runs a ceremony member's authority from its own key directory, keys only through secrets", async () => {
    const ceremony = createCeremony({ name: "mock", chainId: 4242, authorities: [{ name: "alpha", member: "a" }, { name: "beta", member: "b" }] });
    const keyDir = await mkdtemp(join(tmpdir(), "member-"));
    await rm(keyDir, { recursive: true });
    try {
      const { contribution } = await contribute({ ceremony, authority: "beta", endpoint: "127.0.0.1:30303", dir: keyDir, scryptN: 1024 });
      const external = { address: contribution.address, nodePublicKey: contribution.nodePublicKey, keyDir };
      const config = (ext: object) => ({
        "consortium:name": "mock",
        "consortium:chainId": "4242",
        "consortium:authorities": JSON.stringify([{ name: "alpha", member: "a" }, { name: "beta", member: "b", external: ext }]),
        "consortium:fleet": JSON.stringify({ target: "local", rpcNode: false, workDir: "/tmp/mock-work" }),
      });
      pulumi.runtime.setAllConfig(config(external));
      const outputs = await consortium();
      await value(outputs.nodes as pulumi.Output<unknown[]>);
      await settle();
      expect(registered.filter((r) => r.type === "consortium:keys:AuthorityKeys").map((r) => r.name)).toEqual(["alpha"]);
      const beta = registered.find((r) => r.type.endsWith("LocalNodeProcess") && r.name === "fleet-beta")!;
      expect(beta.inputs.args).toContain(contribution.address);
      const password = await readFile(join(keyDir, "password"), "utf8");
      expect(beta.inputs.secretFiles[SECRET_SIG]).toBeDefined();
      expect(beta.inputs.secretFiles.value.password).toBe(password);
      expect(JSON.stringify({ ...beta.inputs, secretFiles: undefined })).not.toContain(password);

      // Another authority's directory is refused before anything runs, naming the field and the fix.
      registered.length = 0;
      pulumi.runtime.setAllConfig(config({ ...external, address: "0x00000000000000000000000000000000000000aa" }));
      await expect(consortium()).rejects.toThrow(/authorities\[1\]\.external\.keyDir: the signer keystore in .* is for 0x.*Fix: use this authority's own key directory/);
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  });
});
