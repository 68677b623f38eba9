// The prepare step's helper image without a registry: Debian's statically linked busybox (busybox-static),
// alone in an imported root filesystem. (testkit/dockerd.ts's importBinaryImage expects a dynamically linked
// binary, and the helper must stay runnable as root.)
import { execa } from "execa";
import { readFile } from "node:fs/promises";
import { docker } from "./engine";
import { tarArchive } from "./tar";
import { installDebianPackages } from "../debianPackages";

/** The path of a statically linked busybox, installing Debian's busybox-static when there is none. */
export async function staticBusybox(log: (m: string) => void): Promise<string> {
  const isStatic = async (p: string) => (await execa("ldd", [p], { reject: false })).exitCode !== 0;
  const found = async () => (await execa("sh", ["-c", "command -v busybox"], { reject: false })).stdout.trim();
  let path = await found();
  if (!path || !(await isStatic(path))) {
    await installDebianPackages(["busybox-static"], log);
    path = await found();
  }
  if (!path || !(await isStatic(path))) throw new Error(`busybox at ${path || "(none)"} is not statically linked`);
  return path;
}

/** Imports `tag` (busybox as /bin/busybox, entrypoint busybox, user root) unless it exists. */
export async function importHelperImage(tag: string, log: (m: string) => void = () => {}): Promise<string> {
  if ((await docker(["image", "inspect", tag], { reject: false })).exitCode === 0) return tag;
  const busybox = await staticBusybox(log);
  log(`building helper image ${tag} from ${busybox} ...`);
  const rootfs = tarArchive([
    { name: "bin", content: "", mode: 0o755, uid: 0, gid: 0, type: "directory" },
    { name: "bin/busybox", content: await readFile(busybox), mode: 0o755, uid: 0, gid: 0 },
  ]);
  await docker(["import", "--change", 'ENTRYPOINT ["/bin/busybox"]', "-", tag], { input: rootfs, timeoutMs: 120_000 });
  return tag;
}
