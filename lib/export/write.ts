// Writes an export directory: plain files 0644, secret files 0600 (owned by the containers' user when we can),
// and a .gitignore that keeps the secrets out of version control.
import { chown, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface ExportFile {
  path: string;
  content: string | Buffer;
  secret: boolean;
}

export async function writeExport(outDir: string, files: ExportFile[], owner?: { uid: number; gid: number }): Promise<void> {
  for (const f of files) {
    const path = join(outDir, f.path);
    await mkdir(dirname(path), { recursive: true, mode: f.secret ? 0o700 : 0o755 });
    await writeFile(path, f.content, { mode: f.secret ? 0o600 : 0o644 });
    // Containers read their keys as uid 10001; only root may hand files to another user.
    if (f.secret && owner && process.getuid?.() === 0) await chown(path, owner.uid, owner.gid);
  }
}
