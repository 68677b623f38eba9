// A workload as a container on a bare-metal host reached over SSH (components/targets/sshHosts/): its `docker run`
// description and the 0600 secret files it mounts. Started with runc: only the task containers a workload starts
// through the Docker API get the daemon's default runtime (kata, set by the host's setup: lib/sshHosts/setup.ts).
import { createHash } from "node:crypto";
import { canonicalJson } from "../canonicalJson";
import { CONTAINER_NODE_DIR, refusal, Workload } from "../workload";

export interface HostContainer {
  name: string;
  image: string;
  /** Always runc: only the containers a workload starts get the daemon's default (kata). */
  runtime: "runc";
  network: string;
  env: Record<string, string>;
  /** `source:target[:ro]`, host paths. */
  binds: string[];
  /** `address:hostPort:containerPort`. */
  publish: string[];
  labels: Record<string, string>;
}

/** A file written on the host, 0600 in a 0700 folder; `content` is secret. */
export interface HostFile {
  path: string;
  content: string;
}

/** Labels of the containers the target starts: which pool owns them, and the digest of what was started. */
export const LABELS = { pool: "org.consortium.workerpool", digest: "org.consortium.digest" };
export const DOCKER_SOCKET = "/var/run/docker.sock";

/** Where a workload runs: its host's folders, the network of its group, the address its clients' ports publish on. */
export interface HostSite {
  /** The target's owner (a pool's name): labels its containers, so a teardown finds them all. */
  owner: string;
  /** The host's folder of workload directories, and of their secret files (one 0700 folder each). */
  baseDir: string;
  secretsDir: string;
  network: string;
  publishOn: string;
}

/** The container and the secret files of a workload on its host. */
export interface HostWorkload {
  container: HostContainer;
  /** Where each secret file goes on the host, by its path in the workload (its content's key in the apply layer). */
  secretFiles: { path: string; hostPath: string }[];
}

const hostDirOf = (site: HostSite, name: string) => `${site.baseDir}/${name}`;

export function renderHostWorkload(w: Workload, site: HostSite): HostWorkload {
  const refused = refusal(w, "ssh", ["imageEntrypoint", "dir", "secretsDir", "tasks"]);
  const fail = (why: string) => new Error(`workload ${w.name}: ${why}`);
  if (refused) throw new Error(refused);
  // Packaged services only: a program the deployer configures by files and init steps runs on the other targets.
  if (!w.imageEntrypoint) throw fail("the ssh target runs images' own entrypoints only (imageEntrypoint). Fix: place it on the docker target");
  if (Object.keys(w.files).length > 0 || w.init.length > 0) throw fail("the ssh target writes no public files and runs no init steps. Fix: configure the service by its environment");
  if (Object.keys(w.secretFiles).length > 0 && !w.secretsDir) throw fail("its secret files need a secretsDir on the ssh target (a host folder is mounted read-only there)");

  const hostDir = hostDirOf(site, w.name);
  const dir = w.dir ?? CONTAINER_NODE_DIR;
  // The engine binds a task's folders by host path: the workload must name them as the host does.
  if (w.tasks && dir !== hostDir) throw fail(`it starts task containers, so it must see its directory at its host path ${hostDir}, not ${dir}`);
  const binds = [`${hostDir}:${dir}`];
  if (w.tasks) binds.push(`${DOCKER_SOCKET}:${DOCKER_SOCKET}`);
  const secrets = `${site.secretsDir}/${w.name}`;
  if (w.secretsDir) binds.push(`${secrets}:${w.secretsDir}:ro`);
  const secretFiles = Object.keys(w.secretFiles).map((path) => ({ path, hostPath: `${secrets}/${path}` }));
  const publish = w.ports.filter((p) => p.reach === "clients").map((p) => `${site.publishOn}:${p.port}:${p.port}`);
  const container: HostContainer = { name: w.name, image: w.image, runtime: "runc", network: site.network, env: w.env, binds, publish, labels: { [LABELS.pool]: site.owner } };
  return { container, secretFiles };
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The digest a container is labelled with: its description plus the digests of the files under its bind sources,
 * so a changed wallet restarts exactly the containers that mount it.
 */
export function containerDigest(c: HostContainer, fileDigests: Record<string, string>): string {
  const sources = c.binds.map((b) => b.split(":")[0]);
  const mounted = Object.keys(fileDigests)
    .filter((p) => sources.some((s) => p.startsWith(s + "/")))
    .sort()
    .map((p) => [p, fileDigests[p]]);
  // Canonical: a description read back from Pulumi's state has its keys in another order than a fresh render.
  return sha256(canonicalJson({ ...c, labels: undefined, mounted }));
}

/** `docker run` arguments for a container (the digest label marks what was started). */
export function dockerRunArgs(c: HostContainer, digest: string): string[] {
  const labels = { ...c.labels, [LABELS.digest]: digest };
  return [
    "run", "--detach", "--name", c.name, "--runtime", c.runtime, "--restart", "unless-stopped", "--network", c.network,
    ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...Object.entries(c.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    ...c.binds.flatMap((b) => ["--volume", b]),
    ...c.publish.flatMap((p) => ["--publish", p]),
    c.image,
  ];
}
