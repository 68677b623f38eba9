// Fleet on a DockerTarget under pulumi.runtime.setMocks — a test double for the engine and the Docker provider (its plugin
// cannot be downloaded here): the resource graph, parenting, providers per member host, pinned images and the
// secrecy of key material are checked without running anything. test/docker/gethFleet.test.ts runs the same
// container descriptions on a real dockerd.
import * as pulumi from "@pulumi/pulumi";
import { createHash, randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Fleet } from "../../components/fleet/Fleet";
import { DockerTarget } from "../../components/targets/docker/DockerTarget";
import { renderChainFile } from "../../render/chain";
import { parseConsortiumSpec } from "../../settings/parse";
import { settle } from "../support/pulumiMocks";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  provider?: string;
}
let registered: Registered[] = [];
let parents: Record<string, string | undefined> = {};
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const isWrapped = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && SECRET_SIG in v;
const imageId = (name: string) => "sha256:" + createHash("sha256").update(name).digest("hex");

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        const state: Record<string, any> = { ...args.inputs };
        // A member's RPC node key (fleet-rpc-<member>-node): random public part, a marker naming the node as private key.
        if (args.type === "pulumi-nodejs:dynamic/keys:GeneratedKey") Object.assign(state, { publicKey: randomBytes(64).toString("hex"), privateKey: `MARKER-nodekey-${args.name.replace(/^fleet-|-node$/g, "")}` });
        if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = imageId(args.inputs.name);
        if (args.type === "docker:index/container:Container") state.exitCode = 0;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "consortium-mock",
    "mock",
    false,
  );
});

beforeEach(() => {
  registered = [];
  parents = {};
});

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
const byType = (suffix: string) => registered.filter((r) => r.type.endsWith(suffix));
const one = (name: string) => registered.find((r) => r.name === name)!;

/** Inputs with every secret-wrapped value replaced by a placeholder: what is visible in plaintext. */
function visible(v: unknown): unknown {
  if (isWrapped(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(visible);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visible(x)]));
  return v;
}

function fleet(raw: { hosts?: Record<string, { url: string; address: string }>; members?: string[] } = {}) {
  const members = raw.members ?? ["org-a", "org-b", "org-c"];
  const spec = parseConsortiumSpec({
    name: "acme",
    chainId: 4242,
    dev: true,
    scryptN: 1024,
    authorities: ["alpha", "beta", "gamma"].slice(0, members.length).map((name, i) => ({ name, member: members[i] })),
    fleet: { target: "docker", ...(raw.hosts ? { hosts: raw.hosts } : {}) },
  });
  const authorities = spec.authorities.map((a, i) => ({
    name: a.name,
    address: "0x" + String(i + 1).repeat(40),
    keystore: JSON.stringify({ version: 3, address: String(i + 1).repeat(40) }),
    password: pulumi.secret(`MARKER-password-${a.name}`),
    nodeKey: pulumi.secret(`MARKER-nodekey-${a.name}`),
    nodePublicKey: randomBytes(64).toString("hex"),
  }));
  const chain = renderChainFile(spec, { validators: authorities.map((a) => a.address) });
  const transformations: pulumi.ResourceTransformation[] = [
    (a) => {
      parents[a.name] = a.opts.parent ? (a.opts.parent as any).__name : undefined;
      return undefined;
    },
  ];
  const target = new DockerTarget("fleet", { spec }, { transformations });
  return { spec, f: new Fleet("fleet", { spec, target, authorities, chain }, { transformations }) };
}

describe("Fleet on the docker target (under mocks)", () => {
  it("declares network, pinned images, and per node a volume, prepare, init and node container, all parented to the fleet or its target", async () => {
    const { f } = fleet();
    expect((await value(f.nodes)).map((n) => [n.name, n.member, n.role, n.rpcUrl])).toEqual([
      ["alpha", "org-a", "authority", undefined],
      ["beta", "org-b", "authority", undefined],
      ["gamma", "org-c", "authority", undefined],
      ["rpc-org-a", "org-a", "rpc", "http://127.0.0.1:8545"],
      ["rpc-org-b", "org-b", "rpc", "http://127.0.0.1:8546"],
      ["rpc-org-c", "org-c", "rpc", "http://127.0.0.1:8547"],
    ]);
    expect(byType("container:Container").filter((r) => !/-(init|prepare)$/.test(r.name)).map((r) => r.inputs.name)).toEqual([
      "acme-alpha",
      "acme-beta",
      "acme-gamma",
      "acme-rpc-org-a",
      "acme-rpc-org-b",
      "acme-rpc-org-c",
    ]);
    // The bridge agents beside them reach each member's RPC node by container name on the network.
    expect(await value(f.memberStackRpcUrls)).toEqual({ "org-a": "http://acme-rpc-org-a:8545", "org-b": "http://acme-rpc-org-b:8545", "org-c": "http://acme-rpc-org-c:8545" });
    // One engine: the RPC nodes' ports count up from 8545; the stack's RPC URL is the first authority's member's.
    expect(await value(f.rpcUrl!)).toBe("http://127.0.0.1:8545");
    expect(await value(f.memberRpcUrls)).toEqual({ "org-a": "http://127.0.0.1:8545", "org-b": "http://127.0.0.1:8546", "org-c": "http://127.0.0.1:8547" });
    expect(await value(f.enodes)).toHaveLength(6);
    const nodes = ["alpha", "beta", "gamma", "rpc-org-a", "rpc-org-b", "rpc-org-c"];
    expect(byType("container:Container").map((r) => r.name).sort()).toEqual(
      nodes.flatMap((n) => [`fleet-${n}`, `fleet-${n}-init`, `fleet-${n}-prepare`]).sort(),
    );
    expect(byType("volume:Volume").map((r) => r.inputs.name).sort()).toEqual(nodes.map((n) => `acme-${n}-data`));
    const [network] = byType("network:Network");
    expect(network.inputs).toMatchObject({ name: "acme-net", driver: "bridge", ipamConfigs: [{ subnet: "10.213.0.0/24" }] });
    // Images pinned per client, and containers use exactly those images.
    expect(byType("remoteImage:RemoteImage").map((r) => r.inputs.name).sort()).toEqual(["busybox:1.36.1", "ethereum/client-go:v1.13.15"]);
    expect(one("fleet-alpha").inputs.image).toBe(imageId("ethereum/client-go:v1.13.15"));
    expect(one("fleet-alpha-init").inputs.image).toBe(imageId("ethereum/client-go:v1.13.15"));
    expect(one("fleet-alpha-prepare").inputs.image).toBe(imageId("busybox:1.36.1"));
    // Single engine: default provider, no provider resource of ours.
    expect(byType("providers:docker").filter((r) => r.name.startsWith("fleet"))).toEqual([]);
    for (const r of registered.filter((x) => x.name !== "fleet")) expect(parents[r.name], r.name).toBe("fleet");
  });

  it("renders node containers as the description says: user, restart, healthcheck over IPC, static IP, only RPC nodes published on loopback", async () => {
    const { f } = fleet();
    await value(f.nodes);
    const alpha = one("fleet-alpha").inputs;
    expect(alpha).toMatchObject({ name: "acme-alpha", user: "10001:10001", restart: "unless-stopped", workingDir: "/node", mustRun: true, wait: true });
    expect(alpha.entrypoints).toEqual(["geth"]);
    expect(alpha.command).toContain("--mine");
    // An authority serves no HTTP: checked over its IPC socket inside the container.
    expect(alpha.command).not.toContain("--http");
    expect(alpha.command).not.toContain("--allow-insecure-unlock");
    expect(alpha.healthcheck.tests).toEqual(["CMD", "geth", "attach", "--datadir", "/node/data", "--exec", "eth.blockNumber", "/node/data/geth.ipc"]);
    expect(one("fleet-rpc-org-a").inputs.healthcheck.tests).toEqual(["CMD", "geth", "attach", "--datadir", "data", "--exec", "eth.blockNumber", "http://127.0.0.1:8545"]);
    expect(alpha.networksAdvanced).toEqual([{ name: "acme-net", ipv4Address: "10.213.0.10" }]);
    expect(alpha.mounts).toEqual([{ type: "volume", target: "/node", source: "acme-alpha-data", volumeOptions: { noCopy: true } }]);
    for (const name of ["alpha", "beta", "gamma"]) expect(one(`fleet-${name}`).inputs.ports, name).toEqual([]);
    expect(one("fleet-rpc-org-a").inputs.ports).toEqual([{ internal: 8545, external: 8545, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(one("fleet-rpc-org-c").inputs.ports).toEqual([{ internal: 8545, external: 8547, ip: "127.0.0.1", protocol: "tcp" }]);
    // One-shots: no network, never restarted; each step labelled with the one before.
    const init = one("fleet-alpha-init").inputs;
    expect(init).toMatchObject({ user: "10001:10001", networkMode: "none", restart: "no", attach: true, mustRun: false, entrypoints: ["geth"] });
    expect(init.command).toEqual(["--datadir", "data", "init", "genesis.json"]);
    expect(init.labels).toContainEqual({ label: "consortium.after", value: "fleet-alpha-prepare-id" });
    expect(alpha.labels).toContainEqual({ label: "consortium.after", value: "fleet-alpha-init-id" });
    expect(one("fleet-alpha-prepare").inputs).toMatchObject({ user: "0:0", entrypoints: ["busybox"], command: ["chown", "10001:10001", "/node", "/node/data", "/node/data/keystore"] });
  });

  it("passes key material only as secrets: uploads are secret, 0600 and owned by the node user, signer keystores included", async () => {
    const { f } = fleet();
    await value(f.nodes);
    for (const r of registered) {
      const plain = JSON.stringify(visible(r.inputs));
      expect(plain, r.name).not.toMatch(/MARKER-/);
    }
    for (const node of ["alpha", "rpc-org-a"]) {
      const wrapped = one(`fleet-${node}-prepare`).inputs.uploads;
      expect(isWrapped(wrapped), node).toBe(true);
      const files = Object.fromEntries((wrapped.value as any[]).map((u) => [u.file, u]));
      expect(files["/node/nodekey"]).toMatchObject({ content: `MARKER-nodekey-${node}`, owner: "10001", group: "10001", permissions: "0600" });
      expect(files["/node/genesis.json"]).toMatchObject({ owner: "10001", permissions: "0644" });
      if (node === "alpha") {
        expect(files["/node/password"]).toMatchObject({ content: "MARKER-password-alpha", permissions: "0600" });
        const keystore = Object.values(files).find((u: any) => u.file.startsWith("/node/data/keystore/"));
        expect(keystore).toMatchObject({ content: JSON.stringify({ version: 3, address: "1".repeat(40) }), owner: "10001", group: "10001", permissions: "0600" });
      }
    }
  });

  it("spans member hosts with a provider each, p2p published on the host address, each member's RPC node on its own host", async () => {
    const hosts = {
      "org-a": { url: "ssh://deploy@a.example", address: "a.example" },
      "org-b": { url: "ssh://deploy@b.example", address: "198.51.100.7" },
    };
    const { f } = fleet({ hosts, members: ["org-a", "org-b"] });
    await value(f.nodes);
    const providers = byType("providers:docker").filter((r) => r.name.startsWith("fleet-"));
    expect(providers.map((p) => [p.name, p.inputs.host]).sort()).toEqual([
      ["fleet-org-a", "ssh://deploy@a.example"],
      ["fleet-org-b", "ssh://deploy@b.example"],
    ]);
    const providerOf = (name: string) => one(name).provider ?? "";
    expect(providerOf("fleet-alpha")).toContain("fleet-org-a");
    expect(providerOf("fleet-beta-prepare")).toContain("fleet-org-b");
    expect(providerOf("fleet-rpc-org-a")).toContain("fleet-org-a");
    expect(providerOf("fleet-rpc-org-b")).toContain("fleet-org-b");
    // One RPC node per host: each publishes 8545 on loopback of its own host.
    expect(one("fleet-rpc-org-b").inputs.ports).toEqual([
      { internal: 8545, external: 8545, ip: "127.0.0.1", protocol: "tcp" },
      { internal: 30306, external: 30306, ip: "0.0.0.0", protocol: "tcp" },
    ]);
    expect(byType("network:Network").map((n) => [n.name, n.inputs.ipamConfigs])).toEqual([
      ["fleet-org-a-net", undefined],
      ["fleet-org-b-net", undefined],
    ]);
    expect(one("fleet-beta").inputs.ports).toEqual([{ internal: 30304, external: 30304, ip: "0.0.0.0", protocol: "tcp" }]);
    expect(one("fleet-beta").inputs.networksAdvanced).toEqual([{ name: "acme-net" }]);
    expect(await value(f.enodes)).toEqual([
      expect.stringMatching(/@a\.example:30303$/),
      expect.stringMatching(/@198\.51\.100\.7:30304$/),
      expect.stringMatching(/@a\.example:30305$/),
      expect.stringMatching(/@198\.51\.100\.7:30306$/),
    ]);
    expect(one("fleet-beta").inputs.command).toContain("extip:198.51.100.7");
  });

  it("keeps the old single RPC node's resource names as aliases of the first member's, so the upgrade replaces it in place", async () => {
    const aliases = new Map<string, unknown>();
    const spec = fleet().spec;
    await settle(); // that fleet's registrations land before the slate is cleaned
    registered = [];
    const authorities = spec.authorities.map((a, i) => ({
      name: a.name,
      address: "0x" + String(i + 1).repeat(40),
      keystore: JSON.stringify({ version: 3, address: String(i + 1).repeat(40) }),
      password: "p",
      nodeKey: "k",
      nodePublicKey: randomBytes(64).toString("hex"),
    }));
    const transformations: pulumi.ResourceTransformation[] = [(a) => (aliases.set(a.name, a.opts.aliases), undefined)];
    const target = new DockerTarget("fleet", { spec });
    const f = new Fleet("fleet", { spec, target, authorities, chain: renderChainFile(spec, { validators: authorities.map((a) => a.address) }) }, { transformations });
    await value(f.nodes);
    for (const [name, old] of [["fleet-rpc-org-a", "fleet-rpc"], ["fleet-rpc-org-a-prepare", "fleet-rpc-prepare"], ["fleet-rpc-org-a-init", "fleet-rpc-init"], ["fleet-rpc-org-a-data", "fleet-rpc-data"], ["fleet-rpc-org-a-node", "fleet-rpc-node"]]) {
      expect(aliases.get(name), name).toEqual([{ name: old }]);
    }
    expect(aliases.get("fleet-rpc-org-b")).toBeUndefined();
    // The fleet component itself answers to the type of the Docker fleet of earlier versions (and its children with it).
    expect(aliases.get("fleet")).toContainEqual({ type: "consortium:fleet:DockerFleet" });
  });

  it("runs no RPC node and publishes nothing but p2p without fleet.rpcNode: no RPC URL at all", async () => {
    const spec = parseConsortiumSpec({ name: "acme", chainId: 4242, dev: true, scryptN: 1024, authorities: [{ name: "alpha", member: "org-a" }], fleet: { target: "docker", rpcNode: false } });
    const authorities = [{ name: "alpha", address: "0x" + "1".repeat(40), keystore: JSON.stringify({ version: 3, address: "1".repeat(40) }), password: "p", nodeKey: "k", nodePublicKey: randomBytes(64).toString("hex") }];
    const f = new Fleet("fleet", { spec, target: new DockerTarget("fleet", { spec }), authorities, chain: renderChainFile(spec, { validators: [authorities[0].address] }) });
    expect((await value(f.nodes)).map((n) => n.name)).toEqual(["alpha"]);
    await settle();
    expect(f.rpcUrl).toBeUndefined();
    expect(await value(f.memberRpcUrls)).toEqual({});
    expect(one("fleet-alpha").inputs.ports).toEqual([]);
    expect(byType("keys:GeneratedKey")).toEqual([]);
  });

  it("refuses a multi-host fleet where a member has no host, a non-docker spec, and a fleet on another target, before declaring any child", async () => {
    expect(() => fleet({ hosts: { "org-a": { url: "ssh://deploy@a.example", address: "a.example" } } })).toThrow(/member org-b has no entry in fleet.hosts/);
    const local = parseConsortiumSpec({ name: "acme", chainId: 4242, authorities: [{ name: "alpha", member: "a" }] });
    expect(() => new DockerTarget("local", { spec: local })).toThrow(/fleet target is local, not docker/);
    const docker = fleet().spec;
    await settle();
    registered = [];
    const chain = { path: "genesis.json", content: "{}" };
    expect(() => new Fleet("other", { spec: local, target: new DockerTarget("other", { spec: docker }), authorities: [], chain })).toThrow(/the spec's fleet target is local, but the target given is docker/);
    await settle();
    expect(registered.filter((r) => !r.type.startsWith("consortium:"))).toEqual([]);
  });
});
