// A file replaced whole or not at all: written beside its place, then renamed over it. A reader (or a process
// starting the file as a program) at the same moment sees the old content or the new, never a truncated file, and
// keeps reading the old one through a handle it already holds. A few fs calls: not worth a dependency.
import { randomBytes } from "node:crypto";
import { chmod, rename, rm, writeFile } from "node:fs/promises";

export async function writeFileAtomic(path: string, content: string | Uint8Array, mode: number): Promise<void> {
  // Unique per call: two writers of one path (processes or calls within one) each rename a whole file of their own.
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, content, { mode });
    await chmod(tmp, mode); // the umask may have narrowed it
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
