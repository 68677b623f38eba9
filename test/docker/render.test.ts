// render/docker: placement, container descriptions and the compose export, from fixed inputs (pure: no Docker).
// The descriptions' real consumer is test/docker/gethFleet.test.ts (a real dockerd).
import { computeAddress, toBeHex, zeroPadValue } from "ethers";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderChainFile } from "../../render/chain";
import { renderCompose } from "../../render/docker/compose";
import { renderContainer } from "../../render/docker/container";
import { renderDockerFleet } from "../../render/docker/fleet";
import { CLIENT_INIT_STEPS, SEALER_IPC_PATH } from "../../render/clients";
import { FleetNodeKeys, renderFleet } from "../../render/fleet";
import { staticIp } from "../../render/docker/placement";
import { nodePublicKey } from "../../render/keys/nodeKey";
import { RunSpec } from "../../render/runSpec";
import { rpcNodeName } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";
import { expectGolden } from "../render/golden";
import { nodeWorkload } from "../../render/nodeWorkload";
import type { ConsortiumSpec } from "../../settings/consortium";

const key = (i: number) => zeroPadValue(toBeHex(0x3000 + i), 32);
const address = (i: number) => "0x" + String(i).repeat(40);
const keystore = (i: number) => JSON.stringify({ version: 3, address: String(i).repeat(40) });

function fixture(fleet: Record<string, unknown> = {}, members = ["org-a", "org-b", "org-c"], engine: { engine?: string; client?: string } = {}) {
  const spec = parseConsortiumSpec({
    name: "acme",
    chainId: 31415,
    ...engine,
    authorities: members.map((member, i) => ({ name: ["alpha", "beta", "gamma"][i], member })),
    fleet: { target: "docker", ...fleet },
  });
  const qbft = spec.engine === "qbft";
  const nodes: FleetNodeKeys[] = spec.authorities.map((a, i) => ({
    name: a.name,
    member: a.member,
    nodePublicKey: nodePublicKey(key(i + 1)),
    sealer: true,
    ...(qbft ? {} : { signer: { address: address(i + 1), keystore: keystore(i + 1) } }),
  }));
  // Each member's RPC node, in member order (as the components declare them).
  if (spec.fleet.rpcNode) members.forEach((member, k) => nodes.push({ name: rpcNodeName(member), member, nodePublicKey: nodePublicKey(key(9 + k)), sealer: false }));
  const validators = qbft ? spec.authorities.map((_, i) => computeAddress(key(i + 1))) : nodes.filter((n) => n.signer).map((n) => n.signer!.address);
  const chain = renderChainFile(spec, { validators });
  return { spec, nodes, chain, plan: renderDockerFleet({ spec, chain, nodes, externalPeers: [] }) };
}

describe("staticIp", () => {
  it("numbers nodes from .10 of the subnet and refuses bad or full subnets", () => {
    expect(staticIp("10.213.7.0/24", 0)).toBe("10.213.7.10");
    expect(staticIp("10.213.0.0/16", 300)).toBe("10.213.1.54");
    expect(() => staticIp("10.213.7.5/24", 0)).toThrow(/not the network address/);
    expect(() => staticIp("10.213.7.0/28", 5)).toThrow(/no room/);
    expect(() => staticIp("10.213.7.0", 0)).toThrow(/CIDR/);
  });
});

describe("renderDockerFleet on one engine", () => {
  it("describes each node: name, image, user, restart, working dir, static IP, healthcheck, volume, files with modes", () => {
    const { plan } = fixture();
    expect(plan.multiHost).toBe(false);
    expect(plan.networks).toEqual([{ engine: { key: "local" }, name: "acme-net", subnet: "10.213.0.0/24", labels: { "consortium.name": "acme" } }]);
    const [alpha] = plan.containers;
    expect(alpha).toMatchObject({
      name: "acme-alpha",
      image: "ethereum/client-go:v1.13.15",
      user: "10001:10001",
      restart: "unless-stopped",
      workingDir: "/node",
      entrypoint: ["geth"],
      network: { name: "acme-net", ipv4Address: "10.213.0.10" },
      volume: { volume: "acme-alpha-data", target: "/node", noCopy: true },
      ports: [],
    });
    expect(alpha.command.join(" ")).toContain("--nat extip:10.213.0.10");
    // An authority serves no HTTP: its healthcheck goes over its IPC socket inside the container.
    expect(alpha.command.join(" ")).toContain("--ipcpath data/geth.ipc");
    expect(alpha.command.filter((a) => a.startsWith("--http") || a === "--allow-insecure-unlock")).toEqual([]);
    expect(alpha.healthcheck?.test).toEqual(["CMD", "geth", "attach", "--datadir", "/node/data", "--exec", "eth.blockNumber", "/node/data/geth.ipc"]);
    expect(plan.containers[3].healthcheck?.test).toEqual(["CMD", "geth", "attach", "--datadir", "data", "--exec", "eth.blockNumber", "http://127.0.0.1:8545"]);
    expect(alpha.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ["/node/genesis.json", "644"],
      ["/node/config.toml", "644"],
    ]);
    // Key files, the signer keystore included, are 0600 (owned by uid 10001 through the uploads / the export).
    expect(alpha.secretFiles).toEqual([
      { path: "/node/nodekey", source: "nodeKey", mode: 0o600 },
      { path: `/node/data/keystore/UTC--1970-01-01T00-00-00.000Z--${"1".repeat(40)}`, source: "keystore", mode: 0o600 },
      { path: "/node/password", source: "password", mode: 0o600 },
    ]);
    expect(alpha.prepare).toEqual({
      name: "acme-alpha-prepare",
      image: "busybox:1.36.1",
      user: "0:0",
      entrypoint: ["busybox"],
      command: ["chown", "10001:10001", "/node", "/node/data", "/node/data/keystore"],
      workingDir: "/",
    });
    expect(alpha.init).toEqual([{ name: "acme-alpha-init", image: "ethereum/client-go:v1.13.15", user: "10001:10001", entrypoint: ["geth"], command: ["--datadir", "data", "init", "genesis.json"], workingDir: "/node" }]);
    // Peers dial the static IPs of the shared network.
    expect(plan.enodes.map((e) => e.split("@")[1])).toEqual(["10.213.0.10:30303", "10.213.0.11:30304", "10.213.0.12:30305", "10.213.0.13:30306", "10.213.0.14:30307", "10.213.0.15:30308"]);
  });

  it("publishes only the members' RPC nodes' RPC, on fleet.rpcBind (loopback by default), one port each", () => {
    const { plan } = fixture();
    const rpc = (port: number) => [{ internal: 8545, external: port, ip: "127.0.0.1", protocol: "tcp" }];
    expect(plan.containers.map((c) => c.ports)).toEqual([[], [], [], rpc(8545), rpc(8546), rpc(8547)]);
    expect(plan.rpcNodes).toEqual([
      { node: "rpc-org-a", member: "org-a", url: "http://127.0.0.1:8545" },
      { node: "rpc-org-b", member: "org-b", url: "http://127.0.0.1:8546" },
      { node: "rpc-org-c", member: "org-c", url: "http://127.0.0.1:8547" },
    ]);
    expect(plan.rpcUrl).toBe("http://127.0.0.1:8545");
    const onPrivate = fixture({ rpcBind: "10.0.0.5" }).plan;
    expect(onPrivate.containers[3].ports[0].ip).toBe("10.0.0.5");
    expect(onPrivate.rpcUrl).toBe("http://10.0.0.5:8545");
    // Without RPC nodes nothing publishes RPC, and no authority becomes the RPC endpoint.
    const noRpcNode = fixture({ rpcNode: false }).plan;
    expect([noRpcNode.rpcNodes, noRpcNode.rpcUrl, noRpcNode.containers.map((c) => c.ports)]).toEqual([[], undefined, [[], [], []]]);
  });

  it("never publishes a sealer's RPC, whatever it is asked", () => {
    const { spec, plan } = fixture();
    const alpha = plan.containers[0];
    const { nodes, chain } = fixture();
    const run = renderFleet({ spec, chain, nodes, sites: nodes.map(() => ({ bindHost: "0.0.0.0", address: "10.0.0.1" })), externalPeers: [] })[0];
    const placement = { engine: { key: "local" }, advertisedHost: "h", publishP2p: false };
    const workload = nodeWorkload({ spec, run, member: "org-a", role: "authority", image: alpha.image });
    const published = { rpc: { ip: "0.0.0.0", hostPort: 8545 } };
    expect(() => renderContainer({ consortium: spec.name, workload, placement, published, helperImage: alpha.prepare.image })).toThrow(/workload alpha: its rpc port does not exist and is never published for clients/);
    // Nor its authrpc, which is for itself.
    expect(() => renderContainer({ consortium: spec.name, workload, placement, published: { authrpc: { ip: "0.0.0.0", hostPort: 8551 } }, helperImage: alpha.prepare.image })).toThrow(
      /alpha: its authrpc port is for itself only and is never published for clients/,
    );
  });

  it("keeps one engine (static IPs) when every member shares one remote host", () => {
    const host = { url: "ssh://deploy@box.example", address: "box.example" };
    const { plan } = fixture({ hosts: { "org-a": host, "org-b": host, "org-c": host } });
    expect(plan.multiHost).toBe(false);
    expect(plan.networks.map((n) => n.engine)).toEqual([{ key: "org-a", url: "ssh://deploy@box.example" }]);
    expect(plan.containers[1].network.ipv4Address).toBe("10.213.0.11");
  });

  it("refuses files outside the workload's directory", () => {
    const { spec, plan } = fixture();
    const run: RunSpec = { name: "x", command: "geth", args: [], env: {}, files: { "../etc/passwd": "" }, secretFiles: {}, init: [], ports: { p2p: 1, http: 2, authrpc: 3 }, rpcUrl: "" };
    const workload = nodeWorkload({ spec, run, member: "m", role: "rpc", image: "geth:x" });
    const placement = { engine: { key: "local" }, advertisedHost: "h", publishP2p: false };
    expect(() => renderContainer({ consortium: spec.name, workload, placement, published: { rpc: { ip: "127.0.0.1", hostPort: 1 } }, helperImage: plan.containers[0].prepare.image })).toThrow(
      /file \.\.\/etc\/passwd is outside its directory/,
    );
  });
});

describe("renderDockerFleet across member hosts", () => {
  const hosts = {
    "org-a": { url: "ssh://deploy@a.example", address: "a.example" },
    "org-b": { url: "tcp://b.example:2376", address: "198.51.100.7" },
  };

  it("publishes every node's p2p port and advertises its member's host address; no static IPs", () => {
    const { plan } = fixture({ hosts }, ["org-a", "org-b"]);
    expect(plan.multiHost).toBe(true);
    expect(plan.networks.map((n) => [n.engine.key, n.engine.url, n.subnet])).toEqual([
      ["org-a", "ssh://deploy@a.example", undefined],
      ["org-b", "tcp://b.example:2376", undefined],
    ]);
    // Each member's RPC node runs on that member's host, publishing 8545 there. No node publishes its metrics (6060):
    // they stay on the engine's network, for a Prometheus beside the nodes.
    expect(plan.containers.map((c) => [c.node, c.engine.key, c.network.ipv4Address, c.ports.map((p) => `${p.ip}:${p.external}`)])).toEqual([
      ["alpha", "org-a", undefined, ["0.0.0.0:30303"]],
      ["beta", "org-b", undefined, ["0.0.0.0:30304"]],
      ["rpc-org-a", "org-a", undefined, ["127.0.0.1:8545", "0.0.0.0:30305"]],
      ["rpc-org-b", "org-b", undefined, ["127.0.0.1:8545", "0.0.0.0:30306"]],
    ]);
    expect(plan.enodes.map((e) => e.split("@")[1])).toEqual(["a.example:30303", "198.51.100.7:30304", "a.example:30305", "198.51.100.7:30306"]);
    expect(fixture({ hosts, rpcBind: "0.0.0.0" }, ["org-a", "org-b"]).plan.rpcNodes.map((r) => r.url)).toEqual(["http://a.example:8545", "http://198.51.100.7:8545"]);
    // Each host publishes its member's RPC node on its own address (hosts.<member>.rpcBind), else on fleet.rpcBind.
    const own = fixture({ hosts: { ...hosts, "org-b": { ...hosts["org-b"], rpcBind: "10.0.1.2" } }, rpcBind: "10.0.0.1" }, ["org-a", "org-b"]).plan;
    expect(own.containers.slice(2).map((c) => c.ports[0].ip)).toEqual(["10.0.0.1", "10.0.1.2"]);
    expect(own.rpcNodes.map((r) => r.url)).toEqual(["http://10.0.0.1:8545", "http://10.0.1.2:8545"]);
  });

  it("refuses a member without a host when the fleet spans hosts", () => {
    expect(() => fixture({ hosts: { "org-a": hosts["org-a"] } }, ["org-a", "org-b"])).toThrow(/member org-b has no entry in fleet.hosts/);
  });
});

describe("what a target is told before any key exists", () => {
  it.each([
    ["clique", "geth"],
    ["aura", "nethermind"],
    ["aura", "openethereum"],
    ["qbft", "besu"],
  ])("matches the rendered nodes (%s on %s): init steps, and the socket a sealer listens on", (engine, client) => {
    const { spec, nodes, chain, plan } = fixture({}, undefined, { engine, client });
    expect(plan.containers.map((c) => c.init.length)).toEqual(nodes.map(() => CLIENT_INIT_STEPS[spec.client]));
    const runs = renderFleet({ spec, chain, nodes, sites: nodes.map(() => ({ bindHost: "0.0.0.0", address: "10.0.0.1" })), externalPeers: [] });
    expect(runs.filter((_, i) => nodes[i].sealer).map((r) => r.ipcPath)).toEqual(nodes.filter((n) => n.sealer).map(() => SEALER_IPC_PATH[spec.client]));
  });
});

describe("renderCompose", () => {
  it("exports the single-engine fleet as one compose project (golden), secrets only as paths under secrets/", () => {
    const { plan } = fixture();
    const out = renderCompose(plan);
    expectGolden("docker/compose-single-host.json", out.projects[""]);
    expect(parse(out.files["docker-compose.yml"])).toEqual(out.projects[""]);
    expect(Object.keys(out.files).sort()).toEqual(
      [
        "docker-compose.yml",
        ".env",
        "README.md",
        "secrets/.gitignore",
        "secrets/README.md",
        ...["alpha", "beta", "gamma", "rpc-org-a", "rpc-org-b", "rpc-org-c"].flatMap((n) => [`nodes/${n}/genesis.json`, `nodes/${n}/config.toml`]),
      ].sort(),
    );
    expect(out.files["secrets/.gitignore"]).toBe("*\n!.gitignore\n!README.md\n");
    expect(out.files["secrets/README.md"]).toMatch(/signer keystores and their passwords.*0600 and owned by uid 10001/);
    const keystore = (i: number) => `data/keystore/UTC--1970-01-01T00-00-00.000Z--${String(i).repeat(40)}`;
    expect(out.secretFiles).toEqual([
      ...["alpha", "beta", "gamma"].flatMap((n, i) => [
        { path: `secrets/${n}/nodekey`, node: n, source: "nodeKey" },
        { path: `secrets/${n}/${keystore(i + 1)}`, node: n, source: "keystore" },
        { path: `secrets/${n}/password`, node: n, source: "password" },
      ]),
      ...["rpc-org-a", "rpc-org-b", "rpc-org-c"].map((n) => ({ path: `secrets/${n}/nodekey`, node: n, source: "nodeKey" })),
    ]);
  });

  it("reads the same under compose v1 (YAML 1.1, no name/version keys, short port syntax) and v2 (YAML 1.2)", () => {
    const { plan } = fixture();
    const out = renderCompose(plan);
    const text = out.files["docker-compose.yml"];
    // PyYAML (compose v1) reads YAML 1.1, where a bare `no` is false and `restart` must be a string.
    expect(parse(text, { version: "1.1" })).toEqual(out.projects[""]);
    expect(text).toContain('restart: "no"');
    expect(Object.keys(out.projects[""]).filter((k) => !k.startsWith("x-")).sort()).toEqual(["networks", "secrets", "services", "volumes"]);
    const services = out.projects[""].services as Record<string, { ports?: unknown; depends_on?: unknown }>;
    expect(services["rpc-org-a"].ports).toEqual(["127.0.0.1:8545:8545/tcp"]);
    expect(services["rpc-org-c"].ports).toEqual(["127.0.0.1:8547:8545/tcp"]);
    for (const n of ["alpha", "beta", "gamma"]) expect(services[n].ports, n).toBeUndefined();
    expect(services["alpha-init"].depends_on).toEqual({ "alpha-prepare": { condition: "service_completed_successfully" } });
    expect(services.alpha.depends_on).toEqual({ "alpha-init": { condition: "service_completed_successfully" } });
    expect(out.files[".env"]).toBe("COMPOSE_PROJECT_NAME=acme\n");
    const readme = out.files["README.md"];
    for (const cmd of ["docker-compose up -d", "docker-compose down -v", "docker-compose down "]) expect(readme).toContain(`\n${cmd}`);
    expect(readme).toContain("docker-compose ≥ 1.29.0");
    expect(readme).toContain("`ethereum/client-go:v1.13.15`, `busybox:1.36.1`");
    expect(readme).toContain("JSON-RPC of member org-a: `http://127.0.0.1:8545` (node rpc-org-a).");
    expect(readme).toContain("JSON-RPC of member org-c: `http://127.0.0.1:8547` (node rpc-org-c).");
    expect(readme).toContain("The authorities serve no JSON-RPC port at all");
  });

  it("exports one project per host across member hosts, each with its own nodes", () => {
    const hosts = { "org-a": { url: "ssh://deploy@a.example", address: "a.example" }, "org-b": { url: "ssh://deploy@b.example", address: "b.example" } };
    const { plan } = fixture({ hosts }, ["org-a", "org-b"]);
    const out = renderCompose(plan);
    expect(Object.keys(out.projects)).toEqual(["org-a", "org-b"]);
    const services = (dir: string) => Object.keys(out.projects[dir].services as object);
    expect(services("org-a")).toEqual(["alpha-prepare", "alpha-init", "alpha", "rpc-org-a-prepare", "rpc-org-a-init", "rpc-org-a"]);
    expect(services("org-b")).toEqual(["beta-prepare", "beta-init", "beta", "rpc-org-b-prepare", "rpc-org-b-init", "rpc-org-b"]);
    expect(out.files["org-b/docker-compose.yml"]).toContain("- 0.0.0.0:30304:30304/tcp");
    expect(out.files["org-b/.env"]).toBe("COMPOSE_PROJECT_NAME=acme\n");
    expect(out.files["org-b/README.md"]).toContain("Copy this folder to the Docker host `ssh://deploy@b.example` and run the commands there");
    expect(out.files["org-b/README.md"]).toContain("JSON-RPC of member org-b: `http://127.0.0.1:8545` (node rpc-org-b, as seen from that Docker host).");
    expect(out.files["org-b/README.md"]).not.toContain("org-a");
    expect(out.files["org-a/README.md"]).toContain("JSON-RPC of member org-a: `http://127.0.0.1:8545` (node rpc-org-a, as seen from that Docker host).");
    expect(out.secretFiles.map((s) => s.path)).toContain("org-b/secrets/beta/nodekey");
  });
});

describe("healthchecks of the other clients", () => {
  it("use a TCP connect through bash for Nethermind and Besu (RPC where served, p2p on sealers), none for OpenEthereum", () => {
    const ports = { p2p: 30303, http: 8545, authrpc: 8551 };
    const base = { name: "n", command: "x", args: [], env: {}, files: {}, secretFiles: {}, init: [], ports };
    const rpcNode: RunSpec = { ...base, rpcUrl: "http://127.0.0.1:8545" };
    const sealer: RunSpec = base;
    const check = (client: string, run: RunSpec, role: "rpc" | "authority") => {
      const spec = { ...fixture().spec, client } as unknown as ConsortiumSpec;
      return nodeWorkload({ spec, run, member: "m", role, image: "i" }).execCheck;
    };
    expect(check("nethermind", rpcNode, "rpc")).toEqual(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8545"]);
    expect(check("besu", rpcNode, "rpc")).toEqual(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8545"]);
    expect(check("nethermind", sealer, "authority")).toEqual(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/30303"]);
    expect(check("openethereum", rpcNode, "rpc")).toBeUndefined();
  });

  it("publish no sealer's RPC port on any client", () => {
    for (const [engine, client] of [["aura", "nethermind"], ["aura", "openethereum"], ["qbft", "besu"]]) {
      const { plan } = fixture({}, undefined, { engine, client });
      for (const c of plan.containers.slice(0, 3)) expect(c.ports, `${client} ${c.node}`).toEqual([]);
      expect(plan.containers.slice(3).map((c) => c.ports[0]?.internal)).toEqual([8545, 8545, 8545]);
    }
  });
});
