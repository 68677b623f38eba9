// A bare-metal host's setup for the SSH-hosts target, idempotent, and its drift. Order: check (nothing written on a
// host that fails a check) → Kata → daemon.json (dockerd restarted only when it changed). The workloads' containers
// are resources of their own (./container.ts), placed once this is done.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { canonicalJson } from "../../render/canonicalJson";
import { LABELS } from "../../render/sshHosts/container";
import { KATA_RUNTIME, mergeDaemonJson } from "../../render/sshHosts/daemonJson";
import { HostObservation, hostProblems, installKataScript, parseSetupProbe, setupProbeScript, shq, waitForDockerScript, writeFileScript } from "../../render/sshHosts/hostScripts";
import type { KataArtifact, SshHostSpec, SshTargetSpec } from "../../settings/workerPool";
import { HostError, HostSession, SshConnection, withHost } from "./ssh";

/** Everything one host's setup is given. */
export interface HostInputs {
  /** The target's owner (a pool's name): a teardown removes the containers it labelled. */
  pool: string;
  connection: SshConnection;
  daemonJsonPath: string;
  restartCommand: string;
  kataArtifact: KataArtifact;
  target: Pick<SshTargetSpec, "minDockerVersion" | "kataRuntime" | "vhostModules">;
}

/** The state of a host's setup: its inputs, what was applied, and what was last seen. */
export interface HostState extends HostInputs {
  kataSha256: string;
  /** sha256 of daemon.json as apply left it. */
  daemonJsonDigest: string;
  observed: HostObservation;
}

export type Log = (message: string) => void;

/** The sha256 the installed Kata artifact must have. */
export async function kataSha256(artifact: KataArtifact): Promise<string> {
  if ("sha256" in artifact) return artifact.sha256;
  return createHash("sha256").update(await readFile(artifact.path)).digest("hex");
}

async function observe(s: HostSession, i: HostInputs): Promise<HostObservation> {
  const req = { daemonJsonPath: i.daemonJsonPath, vhostModules: i.target.vhostModules };
  return parseSetupProbe(await s.run("probing the host", setupProbeScript(req)), req);
}

/** Brings a host to its inputs; returns its state. Throws a HostError (naming the host) on any failure. */
export async function applyHost(inputs: HostInputs, log: Log = () => {}): Promise<HostState> {
  const { connection: c } = inputs;
  const kata = await kataSha256(inputs.kataArtifact).catch((e) => {
    throw new HostError(c.name, `cannot read the Kata artifact: ${(e as Error).message}. Fix: check kataArtifact.path`);
  });
  return withHost(c, async (s) => {
    const before = await observe(s, inputs);
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
      // Containers started `unless-stopped` come back with the engine.
      await s.run(`restarting dockerd (${inputs.restartCommand})`, inputs.restartCommand);
      await s.run("waiting for dockerd", waitForDockerScript());
    }
    const after = await observe(s, inputs);
    return { ...inputs, kataSha256: kata, daemonJsonDigest: after.daemonJson ?? "", observed: after };
  });
}

/** The state with a fresh observation (for `read`). */
export async function readHost(state: HostState): Promise<HostState> {
  return { ...state, observed: await withHost(state.connection, (s) => observe(s, state)) };
}

/** How the host differs from what apply left (empty: no drift). */
export function hostDrift(state: HostState): string[] {
  const o = state.observed;
  const drift: string[] = [];
  if (o.daemonJson !== state.daemonJsonDigest) drift.push(`${state.daemonJsonPath} changed`);
  if (o.defaultRuntime !== KATA_RUNTIME) drift.push(`dockerd's default runtime is ${o.defaultRuntime ?? "unknown (no engine answers)"}, not ${KATA_RUNTIME}`);
  if (o.kata !== state.kataSha256) drift.push("the installed Kata is not the configured artifact");
  return drift;
}

/** Inputs that changed since the state was written (empty: none). */
export async function configChanges(state: HostState, inputs: HostInputs): Promise<string[]> {
  // Key order aside: the state comes back from the engine with its object keys sorted.
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const keys = ["pool", "connection", "daemonJsonPath", "restartCommand", "kataArtifact", "target"] as const;
  const changed: string[] = keys.filter((k) => !same(state[k], inputs[k]));
  // Earlier versions' host resource also ran the containers: its state is rewritten without them (they are adopted
  // by their workloads' own resources).
  if ("containers" in state) changed.push("containers");
  if (state.kataSha256 !== (await kataSha256(inputs.kataArtifact).catch(() => ""))) changed.push("kataArtifact content");
  return changed;
}

/**
 * Removes whatever containers the owner left on the host (each workload's own resource removes its container first;
 * this catches those of earlier versions). Secret files, Kata and daemon.json stay: keys survive a teardown.
 */
export async function removeHost(state: Pick<HostState, "pool" | "connection">): Promise<void> {
  await withHost(state.connection, (s) =>
    s.run("removing the pool's containers", `docker ps -aq --filter ${shq(`label=${LABELS.pool}=${state.pool}`)} | xargs -r docker rm -f >/dev/null`),
  );
}

/** The SSH connection to a host, as its spec gives it. */
export function connectionOf(host: SshHostSpec): SshConnection {
  const { name, address, port, user, sshKeyPath, hostKey } = host;
  return { name, address, port, user, ...(sshKeyPath ? { sshKeyPath } : {}), hostKey };
}

/** A host's setup inputs from the validated spec. */
export function hostInputs(pool: string, target: SshTargetSpec, host: SshHostSpec): HostInputs {
  return {
    pool,
    connection: connectionOf(host),
    daemonJsonPath: host.dockerDaemonConfigPath,
    restartCommand: host.restartCommand,
    kataArtifact: host.kataArtifact,
    target: { minDockerVersion: target.minDockerVersion, kataRuntime: target.kataRuntime, vhostModules: target.vhostModules },
  };
}
