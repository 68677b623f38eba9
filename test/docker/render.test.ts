// render/docker: placement, container descriptions and the compose export, from fixed inputs (pure: no Docker).
// The descriptions' real consumer is test/docker/gethFleet.test.ts (a real dockerd).
import { computeAddress, toBeHex, zeroPadValue } from "ethers";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderChainFile } from "../../render/chain";
import { ContainerNode } from "../../render/containerFleet";
import { renderCompose } from "../../render/docker/compose";
import { renderContainer } from "../../render/docker/container";
import { dockerFleetLayout, planShape, renderDockerFleet } from "../../render/docker/fleet";
import { clientHealthcheck } from "../../render/docker/healthcheck";
import { staticIp } from "../../render/docker/placement";
import { nodePublicKey } from "../../render/keys/nodeKey";
import { RunSpec } from "../../render/runSpec";
import { parseConsortiumSpec } from "../../spec/parse";
import { expectGolden } from "../render/golden";

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
  const nodes: ContainerNode[] = spec.authorities.map((a, i) => ({
    name: a.name,
    member: a.member,
    nodePublicKey: nodePublicKey(key(i + 1)),
    sealer: true,
    ...(qbft ? {} : { signer: { address: address(i + 1), keystore: keystore(i + 1) } }),
  }));
  if (spec.fleet.rpcNode) nodes.push({ name: "rpc", member: members[0], nodePublicKey: nodePublicKey(key(9)), sealer: false });
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
    expect(alpha.healthcheck?.test).toEqual(["CMD", "geth", "attach", "--datadir", "data", "--exec", "eth.blockNumber", "http://127.0.0.1:8545"]);
    expect(alpha.files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ["/node/genesis.json", "644"],
      ["/node/config.toml", "644"],
      [`/node/data/keystore/UTC--1970-01-01T00-00-00.000Z--${"1".repeat(40)}`, "644"],
    ]);
    expect(alpha.secretFiles).toEqual([
      { path: "/node/nodekey", source: "nodeKey", mode: 0o600 },
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
    expect(plan.enodes.map((e) => e.split("@")[1])).toEqual(["10.213.0.10:30303", "10.213.0.11:30304", "10.213.0.12:30305", "10.213.0.13:30306"]);
  });

  it("publishes only the RPC node's RPC, on fleet.rpcBind (loopback by default)", () => {
    const { plan } = fixture();
    expect(plan.containers.map((c) => c.ports)).toEqual([[], [], [], [{ internal: 8545, external: 8545, ip: "127.0.0.1", protocol: "tcp" }]]);
    expect([plan.rpcNode, plan.rpcUrl]).toEqual(["rpc", "http://127.0.0.1:8545"]);
    const onPrivate = fixture({ rpcBind: "10.0.0.5" }).plan;
    expect(onPrivate.containers[3].ports[0].ip).toBe("10.0.0.5");
    expect(onPrivate.rpcUrl).toBe("http://10.0.0.5:8545");
    const noRpcNode = fixture({ rpcNode: false }).plan;
    expect([noRpcNode.rpcNode, noRpcNode.containers[0].ports.length]).toEqual(["alpha", 1]);
  });

  it("keeps one engine (static IPs) when every member shares one remote host", () => {
    const host = { url: "ssh://deploy@box.example", address: "box.example" };
    const { plan } = fixture({ hosts: { "org-a": host, "org-b": host, "org-c": host } });
    expect(plan.multiHost).toBe(false);
    expect(plan.networks.map((n) => n.engine)).toEqual([{ key: "org-a", url: "ssh://deploy@box.example" }]);
    expect(plan.containers[1].network.ipv4Address).toBe("10.213.0.11");
  });

  it("refuses files outside the node directory", () => {
    const { spec, plan } = fixture();
    const run: RunSpec = { name: "x", command: "geth", args: [], env: {}, files: { "../etc/passwd": "" }, secretFiles: {}, init: [], ports: { p2p: 1, http: 2, authrpc: 3 }, rpcUrl: "" };
    expect(() => renderContainer({ spec, run, member: "m", placement: { engine: { key: "local" }, advertisedHost: "h", publishP2p: false }, helperImage: plan.containers[0].prepare.image })).toThrow(/outside the node directory/);
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
    expect(plan.containers.map((c) => [c.node, c.engine.key, c.network.ipv4Address, c.ports.map((p) => `${p.ip}:${p.external}`)])).toEqual([
      ["alpha", "org-a", undefined, ["0.0.0.0:30303"]],
      ["beta", "org-b", undefined, ["0.0.0.0:30304"]],
      ["rpc", "org-a", undefined, ["127.0.0.1:8545", "0.0.0.0:30305"]],
    ]);
    expect(plan.enodes.map((e) => e.split("@")[1])).toEqual(["a.example:30303", "198.51.100.7:30304", "a.example:30305"]);
  });

  it("refuses a member without a host when the fleet spans hosts", () => {
    expect(() => fixture({ hosts: { "org-a": hosts["org-a"] } }, ["org-a", "org-b"])).toThrow(/member org-b has no entry in fleet.hosts/);
  });
});

describe("dockerFleetLayout", () => {
  it.each([
    ["clique", "geth"],
    ["aura", "nethermind"],
    ["aura", "openethereum"],
    ["qbft", "besu"],
  ])("has the shape of the real plan (%s on %s), without key material", (engine, client) => {
    const { spec, nodes, plan } = fixture({}, undefined, { engine, client });
    const layout = dockerFleetLayout({ spec, nodes: nodes.map(({ name, member, sealer }) => ({ name, member, sealer })) });
    expect(planShape(layout)).toEqual(planShape(plan));
    expect(layout.containers.map((c) => c.image)).toEqual(plan.containers.map((c) => c.image));
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
        ...["alpha", "beta", "gamma"].flatMap((n, i) => [`nodes/${n}/genesis.json`, `nodes/${n}/config.toml`, `nodes/${n}/data/keystore/UTC--1970-01-01T00-00-00.000Z--${String(i + 1).repeat(40)}`]),
        "nodes/rpc/genesis.json",
        "nodes/rpc/config.toml",
      ].sort(),
    );
    expect(out.files["secrets/.gitignore"]).toBe("*\n!.gitignore\n!README.md\n");
    expect(out.files["secrets/README.md"]).toMatch(/0600 and owned by uid 10001/);
    expect(out.secretFiles).toEqual([
      { path: "secrets/alpha/nodekey", node: "alpha", source: "nodeKey" },
      { path: "secrets/alpha/password", node: "alpha", source: "password" },
      { path: "secrets/beta/nodekey", node: "beta", source: "nodeKey" },
      { path: "secrets/beta/password", node: "beta", source: "password" },
      { path: "secrets/gamma/nodekey", node: "gamma", source: "nodeKey" },
      { path: "secrets/gamma/password", node: "gamma", source: "password" },
      { path: "secrets/rpc/nodekey", node: "rpc", source: "nodeKey" },
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
    expect(services.rpc.ports).toEqual(["127.0.0.1:8545:8545/tcp"]);
    expect(services["alpha-init"].depends_on).toEqual({ "alpha-prepare": { condition: "service_completed_successfully" } });
    expect(services.alpha.depends_on).toEqual({ "alpha-init": { condition: "service_completed_successfully" } });
    expect(out.files[".env"]).toBe("COMPOSE_PROJECT_NAME=acme\n");
    const readme = out.files["README.md"];
    for (const cmd of ["docker-compose up -d", "docker-compose down -v", "docker-compose down "]) expect(readme).toContain(`\n${cmd}`);
    expect(readme).toContain("docker-compose ≥ 1.29.0");
    expect(readme).toContain("`ethereum/client-go:v1.13.15`, `busybox:1.36.1`");
    expect(readme).toContain("JSON-RPC of the fleet: `http://127.0.0.1:8545` (node rpc)");
  });

  it("exports one project per host across member hosts, each with its own nodes", () => {
    const hosts = { "org-a": { url: "ssh://deploy@a.example", address: "a.example" }, "org-b": { url: "ssh://deploy@b.example", address: "b.example" } };
    const { plan } = fixture({ hosts }, ["org-a", "org-b"]);
    const out = renderCompose(plan);
    expect(Object.keys(out.projects)).toEqual(["org-a", "org-b"]);
    const services = (dir: string) => Object.keys(out.projects[dir].services as object);
    expect(services("org-a")).toEqual(["alpha-prepare", "alpha-init", "alpha", "rpc-prepare", "rpc-init", "rpc"]);
    expect(services("org-b")).toEqual(["beta-prepare", "beta-init", "beta"]);
    expect(out.files["org-b/docker-compose.yml"]).toContain("- 0.0.0.0:30304:30304/tcp");
    expect(out.files["org-b/.env"]).toBe("COMPOSE_PROJECT_NAME=acme\n");
    expect(out.files["org-b/README.md"]).toContain("Copy this folder to the Docker host `ssh://deploy@b.example` and run the commands there");
    expect(out.files["org-b/README.md"]).not.toContain("JSON-RPC");
    expect(out.files["org-a/README.md"]).toContain("JSON-RPC of the fleet: `http://127.0.0.1:8545` (node rpc, as seen from that Docker host)");
    expect(out.secretFiles.map((s) => s.path)).toContain("org-b/secrets/beta/nodekey");
  });
});

describe("healthchecks of the other clients", () => {
  it("use a TCP connect to RPC through bash for Nethermind and Besu, none for OpenEthereum", () => {
    const run = { command: "x", ports: { p2p: 30303, http: 8545, authrpc: 8551 } } as Parameters<typeof clientHealthcheck>[1];
    expect(clientHealthcheck("nethermind", run)?.test).toEqual(["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8545"]);
    expect(clientHealthcheck("besu", run)?.test).toEqual(["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8545"]);
    expect(clientHealthcheck("openethereum", run)).toBeUndefined();
  });
});
