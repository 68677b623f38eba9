// Applies a Docker fleet plan (render/docker) to the local engine for real, in the order the DockerTarget
// has the Pulumi provider follow: network → per node: volume → prepare (files copied in with owner and mode, like
// the provider's uploads, then the helper chowns their directories) → init → node. The tests use it to prove the
// container descriptions against a real dockerd; deployments go through Pulumi.
import { ContainerDescription, LABELS } from "../../render/docker/container";
import { NetworkPlan } from "../../render/docker/fleet";
import { resolveSecretFiles, SecretValues } from "../../render/secrets";
import { nodeBody, oneShotBody } from "./createBody";
import { docker, dockerBytes, engineApi } from "./engine";
import { readTar, tarArchive, TarItem } from "./tar";

const labelArgs = (labels: Record<string, string>) => Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);

export async function createNetwork(n: NetworkPlan): Promise<void> {
  await docker(["network", "create", "--driver", "bridge", ...(n.subnet ? ["--subnet", n.subnet] : []), ...labelArgs(n.labels), n.name]);
}

async function createContainer(name: string, body: unknown): Promise<void> {
  await engineApi("POST", `/containers/create?name=${encodeURIComponent(name)}`, body);
}

/** Starts a one-shot container and waits for it; removes it on success, throws with its last log lines otherwise. */
async function runOnce(name: string, timeoutMs: number): Promise<void> {
  await docker(["start", name]);
  const code = Number((await docker(["wait", name], { timeoutMs })).stdout.trim());
  if (code !== 0) {
    const logs = await docker(["logs", "--tail", "20", name], { reject: false });
    throw new Error(`${name} exited with ${code}: ${`${logs.stdout}\n${logs.stderr}`.trim()}`);
  }
  await docker(["rm", name]);
}

/** The node's files and secret files as one archive rooted at "/", owned by the node user, with their modes. */
export function nodeFilesArchive(c: ContainerDescription, secrets: SecretValues): Buffer {
  const [uid, gid] = c.user.split(":").map(Number);
  const secretValues = resolveSecretFiles(Object.fromEntries(c.secretFiles.map((f) => [f.path, f.source])), secrets);
  return tarArchive([
    ...c.files.map((f) => ({ name: f.path.slice(1), content: f.content, mode: f.mode, uid, gid })),
    ...c.secretFiles.map((f) => ({ name: f.path.slice(1), content: secretValues[f.path], mode: f.mode, uid, gid })),
  ]);
}

/** Creates one node: volume, prepare, init, then starts the node container. */
export async function runNode(c: ContainerDescription, secrets: SecretValues): Promise<void> {
  await docker(["volume", "create", ...labelArgs(c.labels), c.volume.volume]);
  await createContainer(c.prepare.name, oneShotBody(c.prepare, c.volume, c.labels, "prepare"));
  await docker(["cp", "-", `${c.prepare.name}:/`], { input: nodeFilesArchive(c, secrets) });
  await runOnce(c.prepare.name, 30_000);
  for (const s of c.init) {
    await createContainer(s.name, oneShotBody(s, c.volume, c.labels, "init"));
    await runOnce(s.name, 60_000);
  }
  await createContainer(c.name, nodeBody(c));
  await docker(["start", c.name]);
}

export async function stopContainer(name: string, graceSeconds = 10): Promise<void> {
  await docker(["stop", "-t", String(graceSeconds), name], { timeoutMs: (graceSeconds + 20) * 1000 });
}

export async function startContainer(name: string): Promise<void> {
  await docker(["start", name]);
}

export interface ContainerState {
  Running: boolean;
  Status: string;
  Health?: { Status: string };
}

export async function containerState(name: string): Promise<ContainerState> {
  return JSON.parse((await docker(["inspect", "--format", "{{json .State}}", name])).stdout) as ContainerState;
}

/** The container's health status once "healthy", or its last status when `deadline` (epoch ms) passes. */
export async function healthBy(name: string, deadline: number): Promise<string> {
  for (;;) {
    const health = (await containerState(name)).Health?.Status ?? "none";
    if (health === "healthy" || Date.now() > deadline) return health;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** A file as the container holds it (name, mode, owner, content), read back through `docker cp`. */
export async function readContainerFile(name: string, path: string): Promise<TarItem> {
  const [item] = readTar(await dockerBytes(["cp", `${name}:${path}`, "-"]));
  if (!item) throw new Error(`${name}:${path}: empty archive`);
  return item;
}

/** Removes every container, volume and network labelled with this consortium's name (and nothing else). */
export async function removeFleet(consortium: string): Promise<void> {
  const filter = ["--filter", `label=${LABELS.consortium}=${consortium}`];
  const ids = async (args: string[]) => (await docker([...args, ...filter], { reject: false })).stdout.split("\n").filter(Boolean);
  const containers = await ids(["ps", "-aq"]);
  if (containers.length) await docker(["rm", "-f", "-v", ...containers], { reject: false, timeoutMs: 120_000 });
  const volumes = await ids(["volume", "ls", "-q"]);
  if (volumes.length) await docker(["volume", "rm", "-f", ...volumes], { reject: false });
  const networks = await ids(["network", "ls", "-q"]);
  if (networks.length) await docker(["network", "rm", ...networks], { reject: false });
}
