// REAL: the compose export of the dev network under a real compose tool (Debian's docker-compose 1.29.2 here, or
// whichever `ensureCompose` finds) on a real dockerd. exportFleet writes the project; the test runs the commands of
// the README it writes, from its folder, and proves through the first member's published RPC port that every signer
// seals (the signers publish nothing; their keystores are 0600 secrets like their passwords).
// No registry: the images the compose file names (the pinned ethereum/client-go and busybox tags) are tagged from
// images built here from local binaries, so compose never pulls; tags that already existed are left alone.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { waitForSealingBy } from "../../testkit/clique";
import { docker } from "../../testkit/docker/engine";
import { importHelperImage } from "../../testkit/docker/helperImage";
import { removeFleet } from "../../testkit/docker/runner";
import { exportFleet } from "../../lib/export";
import { FleetKeys, NodeKeys } from "../../lib/export/fleetKeys";
import { generateKey } from "../../lib/keygen";
import { COMPOSE_FILE, README_FILE } from "../../render/docker/compose";
import { LABELS } from "../../render/docker/container";
import { rpcMembers, rpcNodeName } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";
import { ComposeTool, DockerEngine, ensureCompose, ensureDocker, importBinaryImage } from "../../testkit/dockerd";
import { ensureTools } from "../../lib/toolchain/resolve";
import { freePorts } from "./fleetHarness";

const AUTHORITIES = ["alpha", "beta", "gamma"];

interface ComposeService {
  image: string;
  labels: Record<string, string>;
}

/** /24 subnets under 10.213.0.0/16 that no Docker network on this engine uses yet. */
async function freeSubnet(): Promise<string> {
  const ids = (await docker(["network", "ls", "-q"])).stdout.split("\n").filter(Boolean);
  const used = ids.length ? (await docker(["network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}} {{end}}", ...ids])).stdout : "";
  for (;;) {
    const subnet = `10.213.${1 + Math.floor(Math.random() * 254)}.0/24`;
    if (!used.includes(subnet)) return subnet;
  }
}

describe("compose export of the dev network under a real compose tool", () => {
  const id = randomBytes(3).toString("hex");
  const name = `composetest-${id}`;
  const gethBuild = `consortium-test/geth:compose-${id}`;
  const helperBuild = `consortium-test/helper:compose-${id}`;
  /** Pinned tags this test created (and removes); tags that existed before stay. */
  const createdTags: string[] = [];
  let engine: DockerEngine | undefined;
  let compose: ComposeTool;
  let dir: string | undefined;
  let signers: string[];
  let rpcUrl: string;
  /** The members' RPC nodes, in order; the first is the fleet's RPC URL. */
  let rpcNodes: string[];
  let services: Record<string, ComposeService>;
  let readme: string;

  /** A command of the export's README, with `docker-compose` replaced by the compose tool found here. */
  const readmeCommand = (args: string): string[] => {
    const line = `docker-compose ${args}`;
    const found = readme.split("\n").some((l) => l === line || l.startsWith(`${line} `));
    if (!found) throw new Error(`the export's README has no \`${line}\` command:\n${readme}`);
    return [...compose.command, ...args.split(" ")];
  };
  /** Runs a compose command in the project folder, with no COMPOSE_* from this environment overriding its .env. */
  const runCompose = (argv: string[], timeout = 90_000) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COMPOSE_")));
    return execa(argv[0], argv.slice(1), { cwd: dir, env, extendEnv: false, reject: false, all: true, timeout });
  };
  const byLabel = async (kind: "ps -a" | "volume ls" | "network ls", extra: string[] = []) =>
    (await docker([...kind.split(" "), "-q", "--filter", `label=${LABELS.consortium}=${name}`, ...extra])).stdout.split("\n").filter(Boolean);

  beforeAll(async () => {
    engine = await ensureDocker(() => {});
    compose = await ensureCompose(() => {});
    const { geth } = await ensureTools({ build: false, log: () => {} });

    const spec = parseConsortiumSpec({
      name,
      chainId: 31419,
      dev: true,
      scryptN: 2 ** 12,
      blockPeriodSeconds: 1,
      authorities: AUTHORITIES.map((a, i) => ({ name: a, member: `org-${i}` })),
      fleet: { target: "docker", rpcNode: true },
    });
    const nodes: NodeKeys[] = [];
    for (const a of spec.authorities) {
      const signer = await generateKey({ kind: "signer", scryptN: spec.keys.scryptN });
      const node = await generateKey({ kind: "node" });
      nodes.push({ name: a.name, nodeKey: node.privateKey!, nodePublicKey: node.publicKey!, signer: { address: signer.address!, keystore: signer.keystore!, password: signer.password! } });
    }
    rpcNodes = rpcMembers(spec).map(rpcNodeName);
    for (const name of rpcNodes) {
      const rpc = await generateKey({ kind: "node" });
      nodes.push({ name, nodeKey: rpc.privateKey!, nodePublicKey: rpc.publicKey! });
    }
    const keys: FleetKeys = { nodes, extraAlloc: {} };
    signers = nodes.flatMap((n) => (n.signer ? [n.signer.address] : []));

    const rpcHostPort = await freePorts(rpcNodes.length);
    rpcUrl = `http://127.0.0.1:${rpcHostPort}`;
    dir = await mkdtemp(join(tmpdir(), "compose-export-"));
    await exportFleet(spec, keys, "compose", dir, { rpcHostPort, subnet: await freeSubnet() });
    services = (parse(await readFile(join(dir, COMPOSE_FILE), "utf8")) as { services: Record<string, ComposeService> }).services;
    readme = await readFile(join(dir, README_FILE), "utf8");

    // The exact images the compose file names: busybox for the prepare steps, geth for the rest.
    const wanted = new Map<string, "helper" | "geth">();
    for (const s of Object.values(services)) wanted.set(s.image, s.labels[LABELS.role] === "prepare" ? "helper" : "geth");
    expect([...wanted.keys()].sort()).toEqual(["busybox:1.36.1", "ethereum/client-go:v1.13.15"]);
    for (const [image, kind] of wanted) {
      if ((await docker(["image", "inspect", image], { reject: false })).exitCode === 0) continue;
      const source = kind === "helper" ? await importHelperImage(helperBuild) : await importBinaryImage(geth, gethBuild, () => {});
      await docker(["tag", source, image]);
      createdTags.push(image);
    }
    // On a fresh machine this installs docker.io and docker-compose (apt-get) and builds both images first.
  }, 600_000);

  afterAll(async () => {
    if (dir && compose) await runCompose([...compose.command, "down", "-v", "--remove-orphans"], 60_000);
    await removeFleet(name).catch(() => {}); // whatever compose left (labels carry the consortium name)
    await docker(["rmi", ...createdTags, gethBuild, helperBuild], { reject: false });
    if (dir) await rm(dir, { recursive: true, force: true });
    await engine?.stop();
  }, 90_000);

  it("starts with the README's `docker-compose up -d`: prepare and init steps exit 0 before their node runs", async () => {
    const up = await runCompose(readmeCommand("up -d"));
    expect(up.exitCode, up.all).toBe(0);
    const states = JSON.parse((await docker(["inspect", ...(await byLabel("ps -a"))])).stdout) as {
      Name: string;
      Config: { Labels: Record<string, string>; User: string };
      State: { Status: string; ExitCode: number; StartedAt: string; FinishedAt: string };
      HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[]> };
      Mounts: { Type: string; Source: string; Destination: string; RW: boolean }[];
    }[];
    const role = (r: string) => states.filter((s) => s.Config.Labels[LABELS.role] === r);
    const nodeNames = [...AUTHORITIES, ...rpcNodes];
    for (const r of ["prepare", "init"]) {
      expect(role(r).map((s) => [s.Config.Labels[LABELS.node], s.State.Status, s.State.ExitCode]).sort()).toEqual(nodeNames.map((n) => [n, "exited", 0]).sort());
    }
    const running = role("node");
    const at = (node: string, r: string) => states.find((s) => s.Config.Labels[LABELS.node] === node && s.Config.Labels[LABELS.role] === r)!.State;
    for (const n of nodeNames) {
      expect(Date.parse(at(n, "prepare").FinishedAt)).toBeLessThanOrEqual(Date.parse(at(n, "init").StartedAt));
      expect(Date.parse(at(n, "init").FinishedAt)).toBeLessThanOrEqual(Date.parse(at(n, "node").StartedAt));
    }
    expect(running.map((s) => [s.Name, s.State.Status, s.Config.User]).sort()).toEqual(nodeNames.map((n) => [`/${name}-${n}`, "running", "10001:10001"]).sort());
    // Only the members' RPC nodes publish, on loopback; secrets arrive as read-only bind mounts of the export's files.
    const ports = running.map((s) => [s.Config.Labels[LABELS.node], Object.values(s.HostConfig.PortBindings ?? {}).flat()]);
    const first = Number(rpcUrl.split(":").pop());
    expect(ports.filter(([, b]) => (b as unknown[]).length).sort()).toEqual(rpcNodes.map((n, k) => [n, [{ HostIp: "127.0.0.1", HostPort: String(first + k) }]]));
    const alpha = running.find((s) => s.Config.Labels[LABELS.node] === "alpha")!;
    const nodekey = alpha.Mounts.find((m) => m.Destination === "/node/nodekey")!;
    expect([nodekey.Type, nodekey.Source, nodekey.RW]).toEqual(["bind", join(dir!, "secrets", "alpha", "nodekey"), false]);
    // The signer keystore too is a secret: a 0600 file of uid 10001, mounted read-only where geth reads it.
    const keystore = alpha.Mounts.find((m) => m.Destination.startsWith("/node/data/keystore/UTC--"))!;
    expect([keystore.Type, keystore.RW]).toEqual(["bind", false]);
    expect(keystore.Source.startsWith(join(dir!, "secrets", "alpha", "data", "keystore", "UTC--"))).toBe(true);
    const st = await stat(keystore.Source);
    expect([st.mode & 0o777, ...(process.getuid?.() === 0 ? [st.uid] : [])]).toEqual([0o600, ...(process.getuid?.() === 0 ? [10001] : [])]);
  }, 60_000);

  it("every signer seals, seen through the published RPC port", async () => {
    const sealedBy = await waitForSealingBy(rpcUrl, signers, 6, 45_000);
    expect(new Set(sealedBy.map((a) => a.toLowerCase()))).toEqual(new Set(signers.map((a) => a.toLowerCase())));
  }, 50_000);

  it("the README's `docker-compose down -v` removes the containers, the network and the chain data", async () => {
    const down = await runCompose(readmeCommand("down -v"));
    expect(down.exitCode, down.all).toBe(0);
    expect([await byLabel("ps -a"), await byLabel("volume ls"), await byLabel("network ls")]).toEqual([[], [], []]);
  }, 60_000);
});
