// Idempotent preparation of one bare-metal host and drift reading. Order: check (nothing written on a host that
// fails a check) → Kata → daemon.json (restart only when it changed) → wallet files → containers.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { canonicalJson } from "../../render/canonicalJson";
import { KATA_RUNTIME, mergeDaemonJson } from "../../render/workerPool/daemonJson";
import { containerDigest, dockerRunArgs, HostContainer, HostFile, HostPlan, LABELS, sha256 } from "../../render/workerPool/hostPlan";
import { HostObservation, hostProblems, installKataScript, parseProbe, probeScript, shq, waitForDockerScript, writeFileScript } from "../../render/workerPool/hostScripts";
import type { KataArtifact, SshHostSpec, SshTargetSpec } from "../../settings/workerPool";
import { HostError, HostSession, SshConnection, withHost } from "./ssh";

/** Everything one host resource is given; `files` holds secrets and never reaches the state. */
export interface HostInputs {
  pool: string;
  connection: SshConnection;
  daemonJsonPath: string;
  restartCommand: string;
  kataArtifact: KataArtifact;
  target: Pick<SshTargetSpec, "minDockerVersion" | "kataRuntime" | "vhostModules">;
  networks: string[];
  containers: HostContainer[];
  files: HostFile[];
}

/** The state of a host resource: its inputs without file contents, what was applied, and what was last seen. */
export interface HostState extends Omit<HostInputs, "files"> {
  fileDigests: Record<string, string>;
  kataSha256: string;
  /** sha256 of daemon.json as apply left it. */
  daemonJsonDigest: string;
  observed: HostObservation;
}

export type Log = (message: string) => void;

export const fileDigests = (files: HostFile[]) => Object.fromEntries(files.map((f) => [f.path, sha256(f.content)]));

/** The sha256 the installed Kata artifact must have. */
export async function kataSha256(artifact: KataArtifact): Promise<string> {
  if ("sha256" in artifact) return artifact.sha256;
  return createHash("sha256").update(await readFile(artifact.path)).digest("hex");
}

const probeRequest = (i: Omit<HostInputs, "files">, files: string[]) => ({ pool: i.pool, daemonJsonPath: i.daemonJsonPath, vhostModules: i.target.vhostModules, files });

async function observe(s: HostSession, i: Omit<HostInputs, "files">, files: string[]): Promise<HostObservation> {
  const req = probeRequest(i, files);
  return parseProbe(await s.run("probing the host", probeScript(req)), req);
}

/** Brings a host to its inputs; returns its state. Throws a HostError (naming the host) on any failure. */
export async function applyHost(inputs: HostInputs, log: Log = () => {}): Promise<HostState> {
  const { connection: c } = inputs;
  const digests = fileDigests(inputs.files);
  const kata = await kataSha256(inputs.kataArtifact).catch((e) => {
    throw new HostError(c.name, `cannot read the Kata artifact: ${(e as Error).message}. Fix: check kataArtifact.path`);
  });
  return withHost(c, async (s) => {
    const before = await observe(s, inputs, Object.keys(digests));
    const problems = hostProblems(before, inputs.target);
    if (problems.length > 0) throw new HostError(c.name, `not ready for Kata, nothing was changed:\n  - ${problems.join("\n  - ")}`);

    if (before.kata !== kata) {
      log(`${c.name}: installing Kata (${kata.slice(0, 12)})`);
      const shim = inputs.target.kataRuntime.runtimeType?.startsWith("/") ? inputs.target.kataRuntime.runtimeType : undefined;
      const upload = "path" in inputs.kataArtifact ? await readFile(inputs.kataArtifact.path) : undefined;
      await s.run("installing Kata", installKataScript(inputs.kataArtifact, kata, shim), upload);
    }

    const current = await s.exec(`cat ${shq(inputs.daemonJsonPath)}`);
    let merged;
    try {
      merged = mergeDaemonJson(current.code === 0 ? current.stdout : undefined, inputs.target.kataRuntime);
    } catch (e) {
      throw new HostError(c.name, `${inputs.daemonJsonPath}: ${(e as Error).message}`);
    }
    if (merged.changed || before.defaultRuntime !== KATA_RUNTIME) {
      if (merged.changed) {
        log(`${c.name}: writing ${inputs.daemonJsonPath} and restarting dockerd`);
        await s.run(`writing ${inputs.daemonJsonPath}`, writeFileScript(inputs.daemonJsonPath, "0644"), merged.text);
      }
      await s.run(`restarting dockerd (${inputs.restartCommand})`, inputs.restartCommand);
      await s.run("waiting for dockerd", waitForDockerScript());
    }

    for (const f of inputs.files) {
      if (before.files[f.path] !== digests[f.path]) await s.run(`writing ${f.path}`, writeFileScript(f.path, "0600"), f.content);
    }
    for (const n of inputs.networks) {
      await s.run(`creating network ${n}`, `docker network inspect ${shq(n)} >/dev/null 2>&1 || docker network create ${shq(n)} >/dev/null`);
    }
    // Observe again: a dockerd restart stops containers, and they are compared with what they should be now.
    const now = await observe(s, inputs, []);
    for (const ct of inputs.containers) {
      const digest = containerDigest(ct, digests);
      const seen = now.containers[ct.name];
      if (seen?.digest === digest && seen.running) continue;
      if (seen?.digest === digest) {
        await s.run(`starting ${ct.name}`, `docker start ${shq(ct.name)} >/dev/null`);
        continue;
      }
      log(`${c.name}: (re)creating container ${ct.name}`);
      if (seen) await s.run(`removing ${ct.name}`, `docker rm -f ${shq(ct.name)} >/dev/null`);
      await s.run(`starting ${ct.name}`, ["docker", ...dockerRunArgs(ct, digest)].map(shq).join(" ") + " >/dev/null");
    }
    const wanted = new Set(inputs.containers.map((ct) => ct.name));
    for (const name of Object.keys(now.containers).filter((n) => !wanted.has(n))) await s.run(`removing ${name}`, `docker rm -f ${shq(name)} >/dev/null`);

    const after = await observe(s, inputs, Object.keys(digests));
    const { files: _files, ...rest } = inputs;
    return { ...rest, fileDigests: digests, kataSha256: kata, daemonJsonDigest: after.daemonJson ?? "", observed: after };
  });
}

/** The state with a fresh observation (for `read`). */
export async function readHost(state: HostState): Promise<HostState> {
  return { ...state, observed: await withHost(state.connection, (s) => observe(s, state, Object.keys(state.fileDigests))) };
}

/** How the host differs from what apply left (empty: no drift). */
export function hostDrift(state: HostState): string[] {
  const o = state.observed;
  const drift: string[] = [];
  if (o.daemonJson !== state.daemonJsonDigest) drift.push(`${state.daemonJsonPath} changed`);
  if (o.defaultRuntime !== KATA_RUNTIME) drift.push(`dockerd's default runtime is ${o.defaultRuntime ?? "unknown (no engine answers)"}, not ${KATA_RUNTIME}`);
  if (o.kata !== state.kataSha256) drift.push("the installed Kata is not the configured artifact");
  for (const [path, digest] of Object.entries(state.fileDigests)) if (o.files[path] !== digest) drift.push(`${path} ${o.files[path] ? "changed" : "is gone"}`);
  for (const ct of state.containers) {
    const seen = o.containers[ct.name];
    if (!seen) drift.push(`container ${ct.name} is gone`);
    else if (!seen.running) drift.push(`container ${ct.name} is not running`);
    else if (seen.digest !== containerDigest(ct, state.fileDigests)) drift.push(`container ${ct.name} runs another configuration`);
    else if (seen.runtime !== ct.runtime) drift.push(`container ${ct.name} runs with runtime ${seen.runtime}, not ${ct.runtime}`);
  }
  for (const name of Object.keys(o.containers)) if (!state.containers.some((ct) => ct.name === name)) drift.push(`unexpected container ${name}`);
  return drift;
}

/** Inputs that changed since the state was written (empty: none). */
export async function configChanges(state: HostState, inputs: HostInputs): Promise<string[]> {
  // Key order aside: the state comes back from the engine with its object keys sorted.
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const keys = ["pool", "connection", "daemonJsonPath", "restartCommand", "kataArtifact", "target", "networks", "containers"] as const;
  const changed: string[] = keys.filter((k) => !same(state[k], inputs[k]));
  if (!same(state.fileDigests, fileDigests(inputs.files))) changed.push("files");
  if (state.kataSha256 !== (await kataSha256(inputs.kataArtifact).catch(() => ""))) changed.push("kataArtifact content");
  return changed;
}

/** Removes the pool's containers from a host. Wallet files, Kata and daemon.json stay (keys survive a teardown). */
export async function removeHost(state: HostState): Promise<void> {
  await withHost(state.connection, (s) =>
    s.run("removing the pool's containers", `docker ps -aq --filter ${shq(`label=${LABELS.pool}=${state.pool}`)} | xargs -r docker rm -f >/dev/null`),
  );
}

/** A host resource's inputs from the validated spec and its rendered plan. */
export function hostInputs(pool: string, target: SshTargetSpec, host: SshHostSpec, plan: HostPlan): HostInputs {
  const { name, address, port, user, sshKeyPath, hostKey } = host;
  return {
    pool,
    connection: { name, address, port, user, ...(sshKeyPath ? { sshKeyPath } : {}), hostKey },
    daemonJsonPath: host.dockerDaemonConfigPath,
    restartCommand: host.restartCommand,
    kataArtifact: host.kataArtifact,
    target: { minDockerVersion: target.minDockerVersion, kataRuntime: target.kataRuntime, vhostModules: target.vhostModules },
    ...plan,
  };
}
