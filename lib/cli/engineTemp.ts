// The temporary directory of the Pulumi engine and its plugins: private to this process, removed when it exits.
// pulumi-resource-kubernetes writes the kubeconfig it is configured with — the cluster's credentials, which the stack
// keeps as a secret — to a fresh file in $TMPDIR on every preview, up, refresh and destroy, and never removes it
// (provider/pkg/provider/util.go, writeKubeconfigToFile, for Helm). Under /tmp those copies pile up for good; here they
// live in `<project>/.work/engine-tmp/<pid>/` (0700) for the length of the command. A command killed before it could
// clean up leaves its folder to the next one, which removes the folders of processes no longer alive.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "../processAlive";

const created = new Map<string, string>();

export const engineTempRoot = (projectDir: string) => join(projectDir, ".work", "engine-tmp");

/** This process's engine temp folder for `projectDir`, made on first use (and the dead processes' removed). */
export function engineTempDir(projectDir: string): string {
  const known = created.get(projectDir);
  if (known) return known;
  const root = engineTempRoot(projectDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(root)) {
    if (!processAlive(Number(name))) rmSync(join(root, name), { recursive: true, force: true });
  }
  const dir = join(root, String(process.pid));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (created.size === 0) process.once("exit", removeEngineTempDirs);
  created.set(projectDir, dir);
  return dir;
}

/** Removes this process's folders now (also done at exit). */
export function removeEngineTempDirs(): void {
  for (const dir of created.values()) rmSync(dir, { recursive: true, force: true });
  created.clear();
}
