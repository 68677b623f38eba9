// Real "bare-metal hosts" for the SSH path, made by the test on this machine: each host is a private mount namespace
// (unshare) running its own sshd on a loopback port and its own dockerd (in its own network namespace, so its
// bridges and containers touch no network of this machine). Per host, these are bind-mounted over the usual paths,
// so the deployer talks to the host exactly as to a real one (default paths, `docker` CLI, /var/run/docker.sock):
//   /etc/docker (daemon.json), /var/lib/docker, /run (docker.sock, pidfiles), /opt (Kata), /sys/module (see below).
// Stand-ins, named as such:
//   - /sys/module holds only the modules the test declares: this machine has no vhost modules, and a host without
//     vhost_vsock is how a failing host is made.
//   - /dev is the host's own view (dev-view.sh): this machine's /dev without kvm, plus, when the test declares it, a
//     /dev/kvm TEST DOUBLE. Whether this machine has KVM never matters: some machines of this kind do, some do not.
//   - `restartCommand` is this host's restart-dockerd script (no systemd here).
//   - the Kata artifact is a test-made tarball with a stub shim; daemon.json's `kata` runtime points at runc
//     (tests only), since no Kata binaries exist here.
//   - images are built locally (no registry): test doubles of iexec-worker and of the scheduler side's images.
import { execa } from "execa";
import { staticBusybox } from "../../testkit/docker/helperImage";
import { ensurePrograms } from "../../testkit/debianPackages";
import { spawn, ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../testkit/freePort";

export type Log = (m: string) => void;
const defaultLog: Log = (m) => console.log(`[ssh-hosts] ${m}`);

/** Debian packages the hosts need: sshd (openssh-server, with ssh-keygen) and dockerd (docker.io); busybox comes from staticBusybox. */
const PACKAGES: Record<string, string> = { sshd: "openssh-server", "ssh-keygen": "openssh-client", dockerd: "docker.io", unshare: "util-linux" };

/** Installs what is missing with apt-get (root only). */
export async function ensureHostTools(log: Log = defaultLog): Promise<void> {
  await staticBusybox(log);
  await ensurePrograms(PACKAGES, log);
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = connect(port, "127.0.0.1", () => (c.end(), resolve(true)));
    c.once("error", () => resolve(false));
  });

export interface TestHost {
  name: string;
  address: "127.0.0.1";
  port: number;
  user: "root";
  sshKeyPath: string;
  /** The host's real ed25519 key, `ssh-ed25519 AAAA…` (pinned by the deployer). */
  hostKey: string;
  /** Restarts this host's dockerd (its `restartCommand`). */
  restartCommand: string;
  baseDir: string;
  secretsDir: string;
  /** This host's folder on this machine (the paths above are under it). */
  root: string;
  /** Runs a shell command inside the host (its mounts), on this machine; for assertions and out-of-band edits. */
  sh(script: string): Promise<string>;
  stop(): Promise<void>;
}

export interface HostOptions {
  name: string;
  /** Kernel modules the host declares under /sys/module. */
  modules: string[];
  /** Whether the host's /dev has the /dev/kvm stand-in. */
  kvm: boolean;
  log?: Log;
}

const DOCKERD_FLAGS = "--iptables=false --ip-masq=false";

/** Builds a /dev view in the current mount namespace (see the script). */
const DEV_VIEW = join(__dirname, "dev-view.sh");

/** Starts one test host (sshd + dockerd), ready when both answer. */
export async function startTestHost(opts: HostOptions): Promise<TestHost> {
  const log = opts.log ?? defaultLog;
  const root = await mkdtemp(join(tmpdir(), `wp-host-${opts.name}-`));
  const dirs = ["etc-docker", "var-lib-docker", "run", "opt", "sys-module", "dev", "ssh", "bin", "base", "secrets"];
  for (const d of dirs) await mkdir(join(root, d), { recursive: true, mode: 0o700 });
  for (const m of opts.modules) await mkdir(join(root, "sys-module", m));
  const ssh = join(root, "ssh");
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(ssh, "host_ed25519")]);
  await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(ssh, "client_ed25519")]);
  await writeFile(join(ssh, "authorized_keys"), await readFile(join(ssh, "client_ed25519.pub")), { mode: 0o600 });
  const port = await freePort();
  await writeFile(
    join(ssh, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${ssh}/host_ed25519`,
      `AuthorizedKeysFile ${ssh}/authorized_keys`,
      "PidFile /run/sshd.pid",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "",
    ].join("\n"),
  );
  // dockerd in a network namespace of its own (lo only); detached from whoever started it (an SSH session).
  const startDockerd = join(root, "bin", "start-dockerd");
  await writeFile(
    startDockerd,
    `#!/bin/sh\nsetsid unshare --net --fork sh -c 'ip link set lo up; exec dockerd ${DOCKERD_FLAGS}' </dev/null >>${root}/dockerd.log 2>&1 &\n` +
      `i=0; while [ $i -lt 120 ]; do docker version >/dev/null 2>&1 && exit 0; i=$((i+1)); sleep 0.5; done; echo "dockerd did not start, see ${root}/dockerd.log" >&2; exit 1\n`,
  );
  const restart = join(root, "bin", "restart-dockerd");
  await writeFile(restart, `#!/bin/sh\npid=$(cat /run/docker.pid 2>/dev/null) && kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done\nexec ${startDockerd}\n`);
  const init = join(root, "bin", "init");
  await writeFile(
    init,
    [
      "#!/bin/sh",
      "set -e",
      `mount --bind ${root}/etc-docker /etc/docker`,
      `mount --bind ${root}/var-lib-docker /var/lib/docker`,
      `mount --bind ${root}/run /run`,
      `mount --bind ${root}/opt /opt`,
      `mount --bind ${root}/sys-module /sys/module`,
      `sh ${DEV_VIEW} ${root}/dev ${opts.kvm ? "kvm" : "none"}`,
      // sshd runs each command through root's login shell, and bash started by sshd reads ~/.bashrc: the host gets a
      // fresh server's (empty), not this machine's, whose pyenv set-up alone was 40% of the SSH tests' CPU.
      `if [ -f /root/.bashrc ]; then : > ${root}/bashrc; mount --bind ${root}/bashrc /root/.bashrc; fi`,
      "mkdir -p /run/sshd",
      startDockerd,
      `exec /usr/sbin/sshd -D -e -f ${ssh}/sshd_config`,
      "",
    ].join("\n"),
  );
  for (const f of [startDockerd, restart, init]) await chmod(f, 0o755);
  await mkdir("/etc/docker", { recursive: true });
  await mkdir("/var/lib/docker", { recursive: true, mode: 0o710 });

  log(`starting host ${opts.name} (sshd on 127.0.0.1:${port}, root ${root})`);
  const proc: ChildProcess = spawn("unshare", ["--mount", "--propagation", "private", init], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  const nsPid = proc.pid!;
  const sh = async (script: string) => (await execa("nsenter", ["-t", String(nsPid), "-m", "--", "sh", "-c", script])).stdout;

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`host ${opts.name} did not start: ${stderr}`);
    if (await listening(port)) break;
    if (Date.now() > deadline) throw new Error(`host ${opts.name}: sshd did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const hostKey = (await readFile(join(ssh, "host_ed25519.pub"), "utf8")).split(" ").slice(0, 2).join(" ");
  return {
    name: opts.name,
    address: "127.0.0.1",
    port,
    user: "root",
    sshKeyPath: join(ssh, "client_ed25519"),
    hostKey,
    restartCommand: restart,
    baseDir: join(root, "base"),
    secretsDir: join(root, "secrets"),
    root,
    sh,
    async stop() {
      // Containers first (inside the host), then dockerd and sshd; the namespace goes with its last process.
      await sh(`docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1; pid=$(cat /run/docker.pid 2>/dev/null) && kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; true`).catch(() => undefined);
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await new Promise<void>((r) => proc.once("exit", () => r()));
      }
      await rm(root, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** Test doubles of the iExec images: names say so. */
export const TEST_DOUBLE_IMAGES = {
  worker: "consortium-test-double/iexec-worker:stand-in",
  task: "consortium-test-double/task:stand-in",
  idle: "consortium-test-double/idle:stand-in",
};

/**
 * TEST DOUBLE of iexec-worker: like the real worker it needs IEXEC_CORE_URL and a wallet, and starts a task container
 * through the Docker API socket (here with the docker CLI) without asking for a runtime, then stays up.
 */
const WORKER_DOUBLE = `#!/bin/sh
[ -n "$IEXEC_CORE_URL" ] && [ -s "$IEXEC_WORKER_WALLET_PATH" ] || { echo "stand-in worker: IEXEC_CORE_URL or wallet missing" >&2; exit 1; }
docker ps -q --filter "label=test-double.worker=$IEXEC_WORKER_NAME" | grep -q . ||
  docker run -d --label "test-double.worker=$IEXEC_WORKER_NAME" --network none -v "$IEXEC_WORKER_BASE_DIR:$IEXEC_WORKER_BASE_DIR" ${TEST_DOUBLE_IMAGES.task} >/dev/null
exec sleep 2147483647
`;

/** Imports the test-double images into a host's dockerd (from busybox and the static docker CLI on this machine). */
export async function loadTestDoubleImages(host: TestHost, extraIdleTags: string[]): Promise<void> {
  const rootfs = await mkdtemp(join(tmpdir(), "wp-image-"));
  try {
    await mkdir(join(rootfs, "bin"), { recursive: true });
    await mkdir(join(rootfs, "tmp"));
    // Static: the image has no C library for a dynamically linked one.
    const busybox = await staticBusybox(() => {});
    await execa("cp", [busybox, join(rootfs, "bin", "busybox")]);
    for (const tool of ["sh", "sleep", "grep", "cat", "uname"]) await execa("ln", ["-s", "busybox", join(rootfs, "bin", tool)]);
    const docker = (await execa("sh", ["-c", "command -v docker"])).stdout.trim();
    await execa("cp", [docker, join(rootfs, "bin", "docker")]);
    await writeFile(join(rootfs, "bin", "worker"), WORKER_DOUBLE, { mode: 0o755 });
    const env = { ...process.env, DOCKER_HOST: `unix://${host.root}/run/docker.sock` };
    const imp = (tag: string, change: string) =>
      execa("sh", ["-c", `tar -C "${rootfs}" --owner=0 --group=0 -cf - . | docker import --change '${change}' - ${tag}`], { env });
    await imp(TEST_DOUBLE_IMAGES.worker, 'CMD ["/bin/worker"]');
    await imp(TEST_DOUBLE_IMAGES.task, 'CMD ["/bin/sleep", "2147483647"]');
    await imp(TEST_DOUBLE_IMAGES.idle, 'CMD ["/bin/sleep", "2147483647"]');
    for (const tag of extraIdleTags) await execa("docker", ["tag", TEST_DOUBLE_IMAGES.idle, tag], { env });
  } finally {
    await rm(rootfs, { recursive: true, force: true });
  }
}

/** A test-made "Kata artifact": a tarball shaped like a Kata static release, with a stub shim (never run). */
export async function makeKataArtifactStandIn(dir: string): Promise<string> {
  const tree = join(dir, "kata-tree");
  await mkdir(join(tree, "opt", "kata", "bin"), { recursive: true });
  await writeFile(join(tree, "opt", "kata", "bin", "containerd-shim-kata-v2"), "#!/bin/sh\necho 'test double: no Kata here' >&2; exit 1\n", { mode: 0o755 });
  const file = join(dir, "kata-static-test-double.tar.xz");
  await execa("tar", ["-C", tree, "-cJf", file, "./opt"]);
  return file;
}
