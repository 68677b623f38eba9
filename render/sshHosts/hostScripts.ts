// Shell scripts run on a bare-metal host over SSH, and the parsing of what they print. Pure: the SSH layer only
// runs them. Each probe reads everything one apply or drift check needs in a single round trip: the host's setup,
// or one workload's container and files.
import type { KataArtifact, SshTargetSpec } from "../../settings/workerPool";
import { KATA_RUNTIME } from "./daemonJson";
import { LABELS } from "./container";

/** Single-quotes a word for POSIX sh. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Where a Kata static release lives, and the marker that records which artifact (sha256) was installed. */
export const KATA_DIR = "/opt/kata";
export const KATA_MARKER = `${KATA_DIR}/.consortium-artifact`;

export interface SetupProbeRequest {
  daemonJsonPath: string;
  vhostModules: string[];
}

const PROBE_HELPERS = [
  `yesno() { if "$@"; then echo yes; else echo no; fi; }`,
  `digest() { if [ -f "$1" ]; then sha256sum < "$1" | cut -c1-64; else echo none; fi; }`,
];

/** What the host's setup needs to know: KVM, modules, the engine, Kata and daemon.json. */
export function setupProbeScript(r: SetupProbeRequest): string {
  return [
    ...PROBE_HELPERS,
    `echo "kvm=$(yesno test -c /dev/kvm)"`,
    ...r.vhostModules.map((m) => `echo "module.${m}=$(yesno test -d /sys/module/${m})"`),
    `echo "docker=$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo none)"`,
    `echo "defaultRuntime=$(docker info --format '{{.DefaultRuntime}}' 2>/dev/null || echo none)"`,
    `echo "kata=$(cat ${KATA_MARKER} 2>/dev/null || echo none)"`,
    `echo "daemonJson=$(digest ${shq(r.daemonJsonPath)})"`,
  ].join("\n");
}

/** What a host looks like to its setup. */
export interface HostObservation {
  kvm: boolean;
  modules: Record<string, boolean>;
  /** Server version, undefined when no engine answers. */
  dockerVersion?: string;
  defaultRuntime?: string;
  /** sha256 of the installed Kata artifact, per the marker. */
  kata?: string;
  /** sha256 of daemon.json, undefined when there is none. */
  daemonJson?: string;
}

/** `key=value` lines; "none" reads as absent. */
function probeValues(output: string): (key: string) => string | undefined {
  const values = new Map<string, string>();
  for (const line of output.split("\n")) if (line.includes("=")) values.set(line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1).trim());
  return (k) => (values.get(k) && values.get(k) !== "none" ? values.get(k) : undefined);
}

export function parseSetupProbe(output: string, r: SetupProbeRequest): HostObservation {
  const known = probeValues(output);
  const obs: HostObservation = { kvm: known("kvm") === "yes", modules: {} };
  for (const m of r.vhostModules) obs.modules[m] = known(`module.${m}`) === "yes";
  for (const [k, v] of [["dockerVersion", known("docker")], ["defaultRuntime", known("defaultRuntime")], ["kata", known("kata")], ["daemonJson", known("daemonJson")]] as const) {
    if (v !== undefined) obs[k] = v;
  }
  return obs;
}

export interface ContainerProbeRequest {
  container: string;
  files: string[];
}

/** One workload's container (by name) and the digests of its secret files. */
export function containerProbeScript(r: ContainerProbeRequest): string {
  return [
    ...PROBE_HELPERS,
    ...r.files.map((f, i) => `echo "file.${i}=$(digest ${shq(f)})"`),
    `docker inspect --type container --format ${shq(`container={{index .Config.Labels "${LABELS.digest}"}} {{.State.Running}} {{.HostConfig.Runtime}}`)} ${shq(r.container)} 2>/dev/null || true`,
  ].join("\n");
}

export interface ObservedContainer {
  digest: string;
  running: boolean;
  runtime: string;
}

/** What a workload looks like on its host. */
export interface ContainerObservation {
  /** Absent: no container of that name. */
  container?: ObservedContainer;
  /** sha256 per secret file path (undefined: missing). */
  files: Record<string, string | undefined>;
}

export function parseContainerProbe(output: string, r: ContainerProbeRequest): ContainerObservation {
  const known = probeValues(output);
  const obs: ContainerObservation = { files: {} };
  const seen = /^container=(\S*) (true|false) (\S+)$/m.exec(output);
  if (seen) obs.container = { digest: seen[1], running: seen[2] === "true", runtime: seen[3] };
  r.files.forEach((f, i) => (obs.files[f] = known(`file.${i}`)));
  return obs;
}

/** Numeric comparison of dotted versions, ignoring suffixes ("20.10.24+dfsg1" → 20.10.24). */
export function versionAtLeast(version: string, min: string): boolean {
  const parts = (v: string) => (/^\d+(\.\d+)*/.exec(v)?.[0] ?? "0").split(".").map(Number);
  const [a, b] = [parts(version), parts(min)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Why a host cannot run Kata task containers (empty: it can), each with its fix. */
export function hostProblems(obs: HostObservation, target: Pick<SshTargetSpec, "minDockerVersion" | "vhostModules">): string[] {
  const problems: string[] = [];
  if (!obs.kvm) problems.push("/dev/kvm is missing: Kata runs each task in a VM. Fix: enable VT-x/AMD-V (or nested virtualisation) and load kvm_intel or kvm_amd");
  const missing = target.vhostModules.filter((m) => !obs.modules[m]);
  if (missing.length > 0) {
    problems.push(`kernel module(s) ${missing.join(", ")} not loaded (no /sys/module/<name>). Fix: modprobe ${missing.join(" ")} and list them in /etc/modules-load.d/kata.conf`);
  }
  if (!obs.dockerVersion) problems.push("no Docker engine answers `docker version`. Fix: install Docker and start dockerd");
  else if (!versionAtLeast(obs.dockerVersion, target.minDockerVersion)) {
    problems.push(`Docker ${obs.dockerVersion} is older than ${target.minDockerVersion} (Kata 4.x's containerd shim needs Docker ≥ 26). Fix: upgrade the Docker engine`);
  }
  return problems;
}

/** sha256 the Kata artifact must have: given for URLs, computed from the file for paths. */
export function installKataScript(artifact: KataArtifact, sha256: string, shim: string | undefined): string {
  // The tarball is unpacked aside and only its opt/kata tree is moved in place: nothing else on the host is written.
  const fetch = "path" in artifact ? `cat > "$tmp"` : `curl -fsSL --proto '=https' -o "$tmp" ${shq(artifact.url)}`;
  return [
    "set -eu",
    `tmp=$(mktemp); dir=$(mktemp -d); trap 'rm -rf "$tmp" "$dir"' EXIT`,
    fetch,
    `echo "${sha256}  $tmp" | sha256sum -c --quiet - || { echo "Kata artifact does not have sha256 ${sha256}" >&2; exit 1; }`,
    `tar -xf "$tmp" -C "$dir"`,
    `[ -d "$dir${KATA_DIR}" ] || { echo "the Kata artifact has no ${KATA_DIR.slice(1)} folder (not a Kata static release?)" >&2; exit 1; }`,
    `mkdir -p /opt && rm -rf ${KATA_DIR}.new && mv "$dir${KATA_DIR}" ${KATA_DIR}.new && rm -rf ${KATA_DIR} && mv ${KATA_DIR}.new ${KATA_DIR}`,
    ...(shim ? [`[ -x ${shq(shim)} ] || { echo "${shim} is missing after installing Kata" >&2; exit 1; }`] : []),
    `echo ${sha256} > ${KATA_MARKER}`,
  ].join("\n");
}

/** Waits until the Docker engine answers again (after a restart) with Kata as its default runtime. */
export function waitForDockerScript(timeoutSeconds = 60): string {
  return [
    `i=0; while [ $i -lt ${timeoutSeconds} ]; do`,
    `  [ "$(docker info --format '{{.DefaultRuntime}}' 2>/dev/null)" = ${KATA_RUNTIME} ] && exit 0`,
    `  i=$((i+1)); sleep 1`,
    `done; echo "dockerd did not come back with default runtime ${KATA_RUNTIME} within ${timeoutSeconds}s" >&2; exit 1`,
  ].join("\n");
}

/** Writes stdin to a file atomically, 0600 (or the given mode) in a folder created 0700 when missing. */
export function writeFileScript(path: string, mode: string): string {
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  return `set -eu; umask 077; mkdir -p ${shq(dir)}; cat > ${shq(path + ".tmp")}; chmod ${mode} ${shq(path + ".tmp")}; mv ${shq(path + ".tmp")} ${shq(path)}`;
}
