// One workload's container on a bare-metal host over SSH, idempotent, and its drift: its secret files written 0600
// (only those that changed), its network created when missing, its container (re)started only when what should run
// differs from what runs. The host's setup (./setup.ts) comes first.
import { canonicalJson } from "../../render/canonicalJson";
import { containerDigest, dockerRunArgs, HostContainer, HostFile, sha256 } from "../../render/sshHosts/container";
import { ContainerObservation, containerProbeScript, parseContainerProbe, shq, writeFileScript } from "../../render/sshHosts/hostScripts";
import { inTurn } from "../inTurn";
import { HostSession, SshConnection, withHost } from "./ssh";
import type { Log } from "./setup";

/** Everything one container resource is given; `files` holds secrets and never reaches the state. */
export interface ContainerInputs {
  connection: SshConnection;
  container: HostContainer;
  files: HostFile[];
}

/** Its state: the inputs without file contents, their digests, and what was last seen. */
export interface ContainerState extends Omit<ContainerInputs, "files"> {
  fileDigests: Record<string, string>;
  observed: ContainerObservation;
}

export const fileDigests = (files: HostFile[]) => Object.fromEntries(files.map((f) => [f.path, sha256(f.content)]));

async function observe(s: HostSession, name: string, files: string[]): Promise<ContainerObservation> {
  const req = { container: name, files };
  return parseContainerProbe(await s.run(`inspecting ${name}`, containerProbeScript(req)), req);
}

export async function applyContainer(inputs: ContainerInputs, log: Log = () => {}): Promise<ContainerState> {
  const { connection: c, container: ct } = inputs;
  const digests = fileDigests(inputs.files);
  return withHost(c, async (s) => {
    const before = await observe(s, ct.name, Object.keys(digests));
    for (const f of inputs.files) {
      if (before.files[f.path] !== digests[f.path]) await s.run(`writing ${f.path}`, writeFileScript(f.path, "0600"), f.content);
    }
    // The containers sharing a network are applied at once, and two `docker network create` of one name at once may
    // both succeed (Docker's name check is not atomic): two networks, which `docker run --network` then refuses.
    const net = shq(ct.network);
    await inTurn(`network ${c.address}:${c.port} ${ct.network}`, () =>
      s.run(`creating network ${ct.network}`, `docker network inspect ${net} >/dev/null 2>&1 || docker network create ${net} >/dev/null`),
    );
    const digest = containerDigest(ct, digests);
    const seen = before.container;
    if (seen?.digest === digest && !seen.running) await s.run(`starting ${ct.name}`, `docker start ${shq(ct.name)} >/dev/null`);
    else if (seen?.digest !== digest) {
      log(`${c.name}: (re)creating container ${ct.name}`);
      if (seen) await s.run(`removing ${ct.name}`, `docker rm -f ${shq(ct.name)} >/dev/null`);
      await s.run(`starting ${ct.name}`, ["docker", ...dockerRunArgs(ct, digest)].map(shq).join(" ") + " >/dev/null");
    }
    const { files: _files, ...rest } = inputs;
    return { ...rest, fileDigests: digests, observed: await observe(s, ct.name, Object.keys(digests)) };
  });
}

/** The state with a fresh observation (for `read`). */
export async function readContainer(state: ContainerState): Promise<ContainerState> {
  return { ...state, observed: await withHost(state.connection, (s) => observe(s, state.container.name, Object.keys(state.fileDigests))) };
}

/** How the container and its files differ from what apply left (empty: no drift). */
export function containerDrift(state: ContainerState): string[] {
  const { container: ct, observed: o } = state;
  const drift: string[] = [];
  for (const [path, digest] of Object.entries(state.fileDigests)) if (o.files[path] !== digest) drift.push(`${path} ${o.files[path] ? "changed" : "is gone"}`);
  const seen = o.container;
  if (!seen) drift.push(`container ${ct.name} is gone`);
  else if (!seen.running) drift.push(`container ${ct.name} is not running`);
  else if (seen.digest !== containerDigest(ct, state.fileDigests)) drift.push(`container ${ct.name} runs another configuration`);
  else if (seen.runtime !== ct.runtime) drift.push(`container ${ct.name} runs with runtime ${seen.runtime}, not ${ct.runtime}`);
  return drift;
}

/** Inputs that changed since the state was written (empty: none). */
export function containerChanges(state: ContainerState, inputs: ContainerInputs): string[] {
  // Key order aside: the state comes back from the engine with its object keys sorted.
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const changed: string[] = (["connection", "container"] as const).filter((k) => !same(state[k], inputs[k]));
  if (!same(state.fileDigests, fileDigests(inputs.files))) changed.push("files");
  return changed;
}

/** Removes the container; its secret files stay (keys survive a teardown). */
export async function removeContainer(state: ContainerState): Promise<void> {
  await withHost(state.connection, (s) => s.run(`removing ${state.container.name}`, `docker rm -f ${shq(state.container.name)} >/dev/null 2>&1 || true`));
}
