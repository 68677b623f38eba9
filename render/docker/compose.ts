// The same Docker fleet as Compose projects (one per Docker host) for the export command: the services, the
// non-secret files they bind-mount, and where the secret files go. Secret values never pass through here: the
// export writes `secrets/<node>/<file>` itself (0600, owned by the node user; git-ignored).
//
// One file for both compose implementations: docker-compose ≥ 1.29 (Python, compose v1; Debian's 1.29.2 is the
// one the tests run) and Compose v2 (`docker compose`). What that takes:
// - YAML 1.1 output: v1 reads YAML 1.1 (PyYAML), where a bare `no`/`yes`/`on`/`off` is a boolean (`restart: no`
//   fails its schema) and `0:0`-like values may be numbers; emitting with YAML 1.1 rules quotes every such string,
//   and the result means the same under YAML 1.2 (v2).
// - no `version:` key (v1 ≥ 1.27 reads version-less files as the Compose Specification; v2 calls the key obsolete);
// - no top-level `name:` (v1's schema refuses it): the project name comes from `.env` (COMPOSE_PROJECT_NAME),
//   which v1 and v2 both read from the project directory;
// - ports in the short syntax ("ip:published:target/proto"): v1's long syntax has no `host_ip`, and the RPC port
//   must stay on loopback;
// - one-shot prepare → init → node ordering with `depends_on: {condition: service_completed_successfully}`
//   (v1 since 1.29.0, v2 since 2.0); a plain `up -d` runs them in order and stops if one fails;
// - secrets as file secrets with absolute targets: both implementations bind-mount the file read-only at the
//   target (no uid/gid/mode given, which v1 would ignore with a warning), so the export's 0600 / uid 10001 holds.
import { posix } from "node:path";
import { stringify } from "yaml";
import { CONTAINER_NODE_DIR } from "../workload";
import { SecretSource } from "../runSpec";
import { ContainerDescription, LABELS, OneShotContainer } from "./container";
import { DockerFleetPlan, NetworkPlan } from "./fleet";

export const COMPOSE_FILE = "docker-compose.yml";
export const ENV_FILE = ".env";
export const README_FILE = "README.md";
export const SECRETS_DIR = "secrets";
/** Oldest docker-compose (v1) that reads the rendered file: `service_completed_successfully` came with 1.29.0. */
export const MIN_COMPOSE_V1 = "1.29.0";
const NETWORK_KEY = "consortium";

const SECRETS_NOTE =
  `${SECRETS_DIR}/ holds node keys, signer keystores and their passwords, written by the export: each file 0600 and owned by uid 10001 ` +
  `(the containers' user, who reads them through read-only bind mounts), ignored by git (${SECRETS_DIR}/.gitignore). Never commit them.`;

export interface ComposeSecretFile {
  /** Path relative to the export directory. */
  path: string;
  node: string;
  source: SecretSource;
}

export interface ComposeExport {
  /** Compose object per project directory ("" for a single host, the engine key per host otherwise). */
  projects: Record<string, Record<string, unknown>>;
  /** Every non-secret file to write, relative to the export directory (compose files included, as YAML). */
  files: Record<string, string>;
  secretFiles: ComposeSecretFile[];
}

const rel = (path: string) => posix.relative(CONTAINER_NODE_DIR, path);
const key = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "-");
const seconds = (n: number) => `${n}s`;

/** Mounts shared by every service of a node, so that all mount points exist before the prepare step. */
function nodeMounts(c: ContainerDescription) {
  return {
    volumes: [
      { type: "volume", source: `${c.node}-data`, target: c.volume.target, volume: { nocopy: c.volume.noCopy } },
      ...c.files.map((f) => ({ type: "bind", source: `./nodes/${c.node}/${rel(f.path)}`, target: f.path, read_only: true })),
    ],
    secrets: c.secretFiles.map((f) => ({ source: key(`${c.node}-${rel(f.path)}`), target: f.path })),
  };
}

function oneShotService(c: ContainerDescription, s: OneShotContainer, role: string, after?: string) {
  return {
    image: s.image,
    user: s.user,
    entrypoint: s.entrypoint,
    command: s.command,
    working_dir: s.workingDir,
    network_mode: "none",
    restart: "no",
    labels: { ...c.labels, [LABELS.role]: role },
    ...nodeMounts(c),
    ...(after ? { depends_on: { [after]: { condition: "service_completed_successfully" } } } : {}),
  };
}

function nodeServices(c: ContainerDescription): Record<string, unknown> {
  const prepare = `${c.node}-prepare`;
  const inits = c.init.map((s, k) => [c.init.length > 1 ? `${c.node}-init-${k}` : `${c.node}-init`, s] as const);
  const services: Record<string, unknown> = { [prepare]: oneShotService(c, c.prepare, "prepare") };
  let last = prepare;
  for (const [name, s] of inits) {
    services[name] = oneShotService(c, s, "init", last);
    last = name;
  }
  const h = c.healthcheck;
  services[c.node] = {
    container_name: c.name,
    image: c.image,
    user: c.user,
    entrypoint: c.entrypoint,
    command: c.command,
    working_dir: c.workingDir,
    ...(Object.keys(c.env).length ? { environment: c.env } : {}),
    restart: c.restart,
    labels: { ...c.labels, [LABELS.role]: "node" },
    ...(h
      ? { healthcheck: { test: h.test, interval: seconds(h.intervalSeconds), timeout: seconds(h.timeoutSeconds), retries: h.retries, start_period: seconds(h.startPeriodSeconds) } }
      : {}),
    networks: { [NETWORK_KEY]: c.network.ipv4Address ? { ipv4_address: c.network.ipv4Address } : {} },
    // Short syntax: compose v1's long syntax has no host_ip.
    ...(c.ports.length ? { ports: c.ports.map((p) => `${p.ip}:${p.external}:${p.internal}/${p.protocol}`) } : {}),
    ...nodeMounts(c),
    depends_on: { [last]: { condition: "service_completed_successfully" } },
  };
  return services;
}

const projectName = (network: NetworkPlan) => network.name.replace(/-net$/, "");

function project(network: NetworkPlan, containers: ContainerDescription[]): Record<string, unknown> {
  return {
    "x-secrets-note": SECRETS_NOTE,
    services: Object.assign({}, ...containers.map(nodeServices)),
    networks: {
      [NETWORK_KEY]: { name: network.name, driver: "bridge", labels: network.labels, ...(network.subnet ? { ipam: { config: [{ subnet: network.subnet }] } } : {}) },
    },
    volumes: Object.fromEntries(containers.map((c) => [`${c.node}-data`, { name: c.volume.volume, labels: c.labels }])),
    secrets: Object.fromEntries(
      containers.flatMap((c) => c.secretFiles.map((f) => [key(`${c.node}-${rel(f.path)}`), { file: `./${SECRETS_DIR}/${c.node}/${rel(f.path)}` }])),
    ),
  };
}

/** How to run one project: the commands are the same for compose v1 and v2 (`docker-compose` ↔ `docker compose`). */
function readme(plan: DockerFleetPlan, network: NetworkPlan, containers: ContainerDescription[]): string {
  const nodes = containers.map((c) => c.node);
  const images = [...new Set(containers.flatMap((c) => [c.image, c.prepare.image, ...c.init.map((s) => s.image)]))];
  return [
    `# Compose project \`${projectName(network)}\`${plan.multiHost ? ` (Docker host of ${network.engine.key})` : ""}`,
    "",
    `Nodes: ${nodes.join(", ")}. Rendered by the consortium deployer's export; edit the stack and export again rather than this folder.`,
    "",
    "## Requirements",
    "",
    `- A Docker engine${network.engine.url ? ` at \`${network.engine.url}\`` : ""} and a compose tool: Compose v2 (\`docker compose\`) or docker-compose ≥ ${MIN_COMPOSE_V1} (v1).`,
    `- The images ${images.map((i) => `\`${i}\``).join(", ")} (pulled on first use, or loaded/tagged locally).`,
    "",
    "## Run",
    "",
    ...(network.engine.url
      ? [
          `Copy this folder to the Docker host \`${network.engine.url}\` and run the commands there, not through DOCKER_HOST:`,
          "the files and secrets are bind mounts, which the engine resolves on its own file system. Keep the secrets' owner",
          "and mode when copying (uid 10001, 0600: e.g. `tar` or `rsync -a` as root).",
          "",
        ]
      : []),
    "From this folder (the project name comes from `.env` unless COMPOSE_PROJECT_NAME is set; the commands are the same",
    "with `docker compose`):",
    "",
    "```sh",
    `docker-compose up -d       # create and start: per node <node>-prepare → <node>-init (client init, if any) → <node>`,
    `docker-compose ps          # -prepare and -init services: "Exit 0" / "Exited (0)"; nodes: "Up … (healthy)"`,
    `docker-compose logs -f ${nodes[0] ?? "<node>"}`,
    `docker-compose restart ${nodes[0] ?? "<node>"}  # restart one node`,
    `docker-compose down        # stop: removes the containers and the network; the chain data stays in the volumes`,
    `docker-compose up -d       # start again on the same chain`,
    `docker-compose down -v     # remove everything, chain data included`,
    "```",
    "",
    "`up -d` orders the steps itself (`depends_on` with `condition: service_completed_successfully`): a node starts",
    "only after its prepare and init steps exited 0; if one fails, `up` stops with its exit code and",
    "`docker-compose logs <node>-prepare` / `<node>-init` tell why. Run `up -d` while the fleet is down only: it runs",
    "the one-shot steps again, and an init step fails while its node runs (geth: \"datadir already used by another",
    "process\"; the node keeps running). After a `down`, init on the existing data directory with the same genesis",
    "changes nothing.",
    ...rpcLines(plan, network, nodes),
    "",
    "## Secrets",
    "",
    SECRETS_NOTE,
    "",
  ].join("\n");
}

/** The README's lines on the RPC nodes of this project: the only nodes clients talk to (sealers serve no HTTP). */
function rpcLines(plan: DockerFleetPlan, network: NetworkPlan, nodes: string[]): string[] {
  const here = plan.rpcNodes.filter((r) => nodes.includes(r.node));
  const seen = network.engine.url ? ", as seen from that Docker host" : "";
  const sealers = "The authorities serve no JSON-RPC port at all (their signer key is unlocked): clients use the RPC nodes.";
  if (here.length === 0) return ["", sealers];
  return ["", ...here.map((r) => `JSON-RPC of member ${r.member}: \`${r.url}\` (node ${r.node}${seen}).`), "", sealers];
}

export function renderCompose(plan: DockerFleetPlan): ComposeExport {
  const out: ComposeExport = { projects: {}, files: {}, secretFiles: [] };
  for (const network of plan.networks) {
    const dir = plan.multiHost ? network.engine.key : "";
    const at = (p: string) => (dir ? `${dir}/${p}` : p);
    const containers = plan.containers.filter((c) => c.engine.key === network.engine.key);
    const compose = project(network, containers);
    out.projects[dir] = compose;
    // YAML 1.1 quoting rules, for compose v1 (see the top of this file).
    out.files[at(COMPOSE_FILE)] = stringify(compose, { version: "1.1" });
    out.files[at(ENV_FILE)] = `COMPOSE_PROJECT_NAME=${projectName(network)}\n`;
    out.files[at(README_FILE)] = readme(plan, network, containers);
    out.files[at(`${SECRETS_DIR}/.gitignore`)] = "*\n!.gitignore\n!README.md\n";
    out.files[at(`${SECRETS_DIR}/README.md`)] = SECRETS_NOTE + "\n";
    for (const c of containers) {
      for (const f of c.files) out.files[at(`nodes/${c.node}/${rel(f.path)}`)] = f.content;
      for (const f of c.secretFiles) out.secretFiles.push({ path: at(`${SECRETS_DIR}/${c.node}/${rel(f.path)}`), node: c.node, source: f.source });
    }
  }
  return out;
}
