// A file backend that survives a `pulumi up` killed at any moment (OOM killer, CI timeout, power loss).
//
// Pulumi's file backend (gocloud's fileblob) writes each checkpoint to a temporary file and renames it into place, but
// it also writes a `<file>.attrs` sidecar (content type, MD5) in place: create, then encode. A kill between the two
// leaves an empty sidecar, and every later command on that stack, `cancel` and `destroy` included, fails with
// "failed to load checkpoint: EOF" until someone finds and deletes it by hand. `metadata=skip` (a fileblob URL
// option) writes no sidecar at all; reading never needs one.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FILE = "file://";
/** Pulumi's own history of updates: large, and never read by up, refresh, cancel or destroy. */
const NOT_SCANNED = new Set(["backups", "history"]);

/** A file backend's URL with sidecar writing off, unless the URL already chooses; other backends unchanged. */
export function crashSafeBackendUrl(url: string): string {
  if (!url.startsWith(FILE)) return url;
  const [base, query = ""] = url.split("?", 2) as [string, string?];
  const params = new URLSearchParams(query);
  if (params.has("metadata")) return url;
  params.set("metadata", "skip");
  return `${base}?${params.toString()}`;
}

/** Sidecars under the backend's `.pulumi/` that are not whole JSON: what a killed write leaves behind. */
export function brokenSidecars(dir: string): string[] {
  const root = join(dir, ".pulumi");
  if (!existsSync(root)) return [];
  const broken: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_SCANNED.has(entry.name)) walk(path);
      } else if (entry.name.endsWith(".attrs") && !parsesAsJson(path)) broken.push(path);
    }
  };
  walk(root);
  return broken;
}

function parsesAsJson(path: string): boolean {
  try {
    JSON.parse(readFileSync(path, "utf8"));
    return true;
  } catch {
    return false;
  }
}

/**
 * Readies the backend for the project's Pulumi calls and returns the URL to give them: a file backend's folder is
 * made, sidecars a killed write left broken are removed (they hold only a content type and a checksum nothing reads;
 * `log` says which), and sidecars are no longer written.
 */
export function prepareBackend(url: string, log: (line: string) => void = console.error): string {
  if (!url.startsWith(FILE)) return url;
  const dir = fileURLToPath(url);
  mkdirSync(dir, { recursive: true });
  for (const sidecar of brokenSidecars(dir)) {
    rmSync(sidecar);
    log(`[backend] removed ${sidecar}: a killed write left it unreadable, and Pulumi could not load the stack past it`);
  }
  return crashSafeBackendUrl(url);
}
