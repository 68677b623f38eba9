// Debian packages the tests start (dockerd, sshd, prometheus, …), installed with apt-get when missing: a fresh
// machine needs nothing installed by hand. Root only; otherwise the error says which command to run.
import { execa } from "execa";

export type Log = (message: string) => void;

const APT_LOCK = "/var/lock/consortium-deployer-apt.lock";
const APT_WAIT_SECONDS = 900;

/** Whether a program is on PATH (or in /usr/sbin, where Debian puts daemons). */
export async function hasProgram(name: string): Promise<boolean> {
  return (await execa("sh", ["-c", `command -v ${name} || test -x /usr/sbin/${name}`], { reject: false })).exitCode === 0;
}

/** Installs the packages (names as apt knows them), failing with apt-get's output. */
export async function installDebianPackages(packages: string[], log: Log): Promise<void> {
  if (packages.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing ${packages.join(", ")}: run \`sudo apt-get install ${packages.join(" ")}\` (Debian/Ubuntu) and retry.`);
  log(`installing ${packages.join(", ")} (apt-get) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // `npm test`'s two lanes may install at the same moment, and apt-get fails at once on a lock another apt-get holds:
  // ours take turns on a lock file of their own (flock), and wait for anyone else's dpkg lock.
  const apt = async (args: string[]) => {
    const r = await execa("flock", ["--wait", String(APT_WAIT_SECONDS), APT_LOCK, "apt-get", "-o", `DPkg::Lock::Timeout=${APT_WAIT_SECONDS}`, ...args], { env, reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${r.exitCode}); install ${packages.join(" ")} by hand and retry:\n${r.all ?? ""}`);
  };
  await apt(["update", "-qq"]);
  await apt(["install", "-y", "-qq", "--no-install-recommends", ...packages]);
}

/** Installs the package of each program that is missing: `{ program: package }`. */
export async function ensurePrograms(programs: Record<string, string>, log: Log): Promise<void> {
  const missing: string[] = [];
  for (const [program, pkg] of Object.entries(programs)) if (!(await hasProgram(program)) && !missing.includes(pkg)) missing.push(pkg);
  await installDebianPackages(missing, log);
}
