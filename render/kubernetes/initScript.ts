// The init container's shell script: copy the workload's files from the read-only ConfigMap/Secret mounts into its
// directory (on the PVC) with their modes, then run its init commands once per chain.
import { createHash } from "node:crypto";
import { Workload } from "../workload";
import { fileItems } from "./fileKeys";

export const FILES_MOUNT = "/etc/consortium/files";
export const KEYS_MOUNT = "/etc/consortium/keys";

/** POSIX single-quoting: the script never interprets a path or argument. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Marker of a completed init, named after a hash of the init commands and the node files they name (the chain
 * file): a changed genesis runs init again, and the client refuses it on an existing database (the pod stays in
 * Init, visibly) instead of silently keeping the old chain. Starting a new chain is deliberate: delete the PVC.
 */
export function initMarker(run: Pick<Workload, "init" | "files">): string {
  const read = run.init.flatMap((c) => c.args.filter((a) => a in run.files).map((a) => [a, run.files[a]]));
  return `.consortium-init-${createHash("sha256").update(JSON.stringify([run.init, read])).digest("hex").slice(0, 16)}`;
}

export function renderInitScript(run: Pick<Workload, "name" | "init" | "files" | "secretFiles">): string {
  const copy = (from: string, path: string, mode: string) => {
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    return [...(dir ? [`mkdir -p ${shellQuote(dir)}`] : []), `cp ${shellQuote(`${from}/${path}`)} ${shellQuote(path)}`, `chmod ${mode} ${shellQuote(path)}`];
  };
  const marker = shellQuote(initMarker(run));
  const init = run.init.map((c) => `  ${[c.command, ...c.args].map(shellQuote).join(" ")}`);
  return [
    "set -eu",
    // Nothing is ever readable by others, not even between a copy and its chmod.
    "umask 077",
    ...fileItems(Object.keys(run.files), run.name).flatMap((f) => copy(FILES_MOUNT, f.path, "0644")),
    ...fileItems(Object.keys(run.secretFiles), run.name).flatMap((f) => copy(KEYS_MOUNT, f.path, "0600")),
    ...(init.length > 0 ? [`if [ ! -e ${marker} ]; then`, ...init, `  touch ${marker}`, "fi"] : []),
    "",
  ].join("\n");
}
