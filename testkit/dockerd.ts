// A Docker engine for the tests that need one: Debian's docker.io, dockerd started on demand (and stopped by
// whoever started it). No registry is reachable, so images are built locally from binaries on this machine.
import { execa } from "execa";
import { spawn } from "node:child_process";
import { mkdirSync, openSync, closeSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { MIN_COMPOSE_V1 } from "../render/docker/compose";
import { Log } from "../lib/toolchain/build";
import { ensurePrograms, installDebianPackages } from "./debianPackages";
import { cacheRoot } from "../lib/toolchain/versions";

export interface DockerEngine {
  /** True when this call started dockerd (and `stop` will stop it). */
  started: boolean;
  stop(): Promise<void>;
}

async function serverVersion(): Promise<string | undefined> {
  const r = await execa("docker", ["version", "--format", "{{.Server.Version}}"], { reject: false, timeout: 10_000 });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

const installDockerIo = (log: Log) => ensurePrograms({ dockerd: "docker.io" }, log);

/** A reachable Docker engine: the running one, or dockerd started now (installed first if needed). */
export async function ensureDocker(log: Log = (m) => console.log(`[docker] ${m}`)): Promise<DockerEngine> {
  const running = await serverVersion();
  if (running) {
    log(`using the running Docker engine ${running}`);
    return { started: false, stop: async () => {} };
  }
  await installDockerIo(log);
  const logDir = cacheRoot();
  mkdirSync(logDir, { recursive: true });
  const out = openSync(join(logDir, "dockerd.log"), "a");
  const daemon = spawn("dockerd", [], { detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  daemon.unref();
  log(`started dockerd (pid ${daemon.pid}, log ${join(logDir, "dockerd.log")})`);
  const deadline = Date.now() + 60_000;
  while (!(await serverVersion())) {
    if (daemon.exitCode !== null || Date.now() > deadline) {
      throw new Error(`dockerd did not come up; see ${join(logDir, "dockerd.log")}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    started: true,
    async stop() {
      if (daemon.pid && daemon.exitCode === null) {
        process.kill(daemon.pid, "SIGTERM");
        await new Promise<void>((resolve) => daemon.once("exit", () => resolve()));
      }
    },
  };
}

export interface ComposeTool {
  /** Command and leading arguments: ["docker-compose"] (compose v1 or a v2 standalone) or ["docker", "compose"] (v2 plugin). */
  command: string[];
  version: string;
}

/** Compose v1 before 1.29.0 lacks `depends_on: {condition: service_completed_successfully}`, which the export uses. */
function composeTooOld(version: string): boolean {
  const [major, minor] = version.split(".").map((n) => parseInt(n, 10));
  const [, minMinor] = MIN_COMPOSE_V1.split(".").map((n) => parseInt(n, 10));
  return major === 1 && minor < minMinor;
}

async function composeVersion(command: string[]): Promise<string | undefined> {
  const r = await execa(command[0], [...command.slice(1), "version", "--short"], { reject: false, timeout: 30_000 });
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim().replace(/^v/, "") : undefined;
}

/**
 * A compose tool: `docker-compose` on PATH, else the `docker compose` plugin, else Debian's docker-compose (1.29.2,
 * compose v1; installed with apt-get when running as root). The compose export runs under both v1 and v2.
 */
export async function ensureCompose(log: Log = (m) => console.log(`[compose] ${m}`)): Promise<ComposeTool> {
  let tooOld: string | undefined;
  for (const command of [["docker-compose"], ["docker", "compose"]]) {
    const version = await composeVersion(command);
    if (version && !composeTooOld(version)) {
      log(`using ${command.join(" ")} ${version}`);
      return { command, version };
    }
    if (version) tooOld ??= `${command.join(" ")} ${version}`;
  }
  if (tooOld) {
    throw new Error(`${tooOld} is too old for the compose export (it needs docker-compose ≥ ${MIN_COMPOSE_V1} or Compose v2): upgrade it and retry.`);
  }
  // Neither `docker-compose` nor `docker compose`: Debian's docker-compose (or install the Compose v2 plugin by hand).
  await installDebianPackages(["docker-compose"], log);
  const version = await composeVersion(["docker-compose"]);
  if (!version) throw new Error("docker-compose was installed with apt-get but `docker-compose version` fails; check the installation and retry.");
  log(`installed docker-compose ${version}`);
  return { command: ["docker-compose"], version };
}

/** Shared libraries a dynamically linked binary loads (from ldd), absolute paths. */
async function sharedLibraries(binary: string): Promise<string[]> {
  // ldd exits 1 on a static binary ("not a dynamic executable"): it simply has no libraries to copy.
  const { stdout } = await execa("ldd", [binary], { reject: false });
  return stdout
    .split("\n")
    .map((l) => /(\/\S+)\s+\(0x/.exec(l)?.[1])
    .filter((p): p is string => !!p);
}

/** What an image built on a binary's root file system adds (a program's files, its own entrypoint). */
export interface ImageExtras {
  /** Adds files under the root file system before it is imported. */
  fill?: (root: string) => Promise<void>;
  /** `docker import --change` instructions; default: the binary as entrypoint, uid 10001, in its home. */
  changes?: string[];
}

/**
 * Imports a minimal image holding one binary, its shared libraries and a non-root user (uid 10001), with the
 * binary as entrypoint unless `extras` says otherwise. Reuses the image when the tag exists.
 */
export async function importBinaryImage(binary: string, tag: string, log: Log, extras: ImageExtras = {}): Promise<string> {
  if ((await execa("docker", ["image", "inspect", tag], { reject: false })).exitCode === 0) return tag;
  log(`building image ${tag} from ${binary} (no registry: docker import of a minimal root filesystem) ...`);
  const root = await mkdtemp(join(tmpdir(), "image-root-"));
  try {
    const name = basename(binary);
    await mkdir(join(root, "usr", "local", "bin"), { recursive: true });
    await copyFile(binary, join(root, "usr", "local", "bin", name));
    for (const lib of await sharedLibraries(binary)) {
      await mkdir(join(root, dirname(lib)), { recursive: true });
      await copyFile(lib, join(root, lib));
    }
    await mkdir(join(root, "etc"), { recursive: true });
    await writeFile(join(root, "etc", "passwd"), "root:x:0:0:root:/root:/sbin/nologin\nnode:x:10001:10001:node:/home/node:/sbin/nologin\n");
    await writeFile(join(root, "etc", "group"), "root:x:0:\nnode:x:10001:\n");
    await mkdir(join(root, "home", "node"), { recursive: true });
    await mkdir(join(root, "tmp"), { recursive: true });
    await extras.fill?.(root);
    const changes = extras.changes ?? [`ENTRYPOINT ["/usr/local/bin/${name}"]`, "USER 10001", "WORKDIR /home/node"];
    await execa("sh", ["-c", `tar -C "${root}" --owner=0 --group=0 -cf - . | docker import ${changes.map((c) => `--change '${c}'`).join(" ")} - ${tag}`]);
    return tag;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
