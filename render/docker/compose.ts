// The same Docker fleet as Compose projects (one per Docker host) for the export command: the services, the
// non-secret files they bind-mount, and where the secret files go. Secret values never pass through here: the
// export writes `secrets/<node>/<file>` itself (0600, owned by the node user; git-ignored).
import { posix } from "node:path";
import { stringify } from "yaml";
import { CONTAINER_NODE_DIR } from "../containerFleet";
import { SecretSource } from "../runSpec";
import { ContainerDescription, LABELS, OneShotContainer } from "./container";
import { DockerFleetPlan, NetworkPlan } from "./fleet";

export const COMPOSE_FILE = "docker-compose.yml";
export const SECRETS_DIR = "secrets";
const NETWORK_KEY = "consortium";

const SECRETS_NOTE =
  `${SECRETS_DIR}/ holds node keys and keystore passwords, written by the export: each file 0600 and owned by uid 10001 ` +
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
    ...(c.ports.length
      ? { ports: c.ports.map((p) => ({ target: p.internal, published: String(p.external), host_ip: p.ip, protocol: p.protocol })) }
      : {}),
    ...nodeMounts(c),
    depends_on: { [last]: { condition: "service_completed_successfully" } },
  };
  return services;
}

function project(network: NetworkPlan, containers: ContainerDescription[]): Record<string, unknown> {
  return {
    name: network.name.replace(/-net$/, ""),
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

export function renderCompose(plan: DockerFleetPlan): ComposeExport {
  const out: ComposeExport = { projects: {}, files: {}, secretFiles: [] };
  for (const network of plan.networks) {
    const dir = plan.multiHost ? network.engine.key : "";
    const at = (p: string) => (dir ? `${dir}/${p}` : p);
    const containers = plan.containers.filter((c) => c.engine.key === network.engine.key);
    const compose = project(network, containers);
    out.projects[dir] = compose;
    out.files[at(COMPOSE_FILE)] = stringify(compose);
    out.files[at(`${SECRETS_DIR}/.gitignore`)] = "*\n!.gitignore\n!README.md\n";
    out.files[at(`${SECRETS_DIR}/README.md`)] = SECRETS_NOTE + "\n";
    for (const c of containers) {
      for (const f of c.files) out.files[at(`nodes/${c.node}/${rel(f.path)}`)] = f.content;
      for (const f of c.secretFiles) out.secretFiles.push({ path: at(`${SECRETS_DIR}/${c.node}/${rel(f.path)}`), node: c.node, source: f.source });
    }
  }
  return out;
}
