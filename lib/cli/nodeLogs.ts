// The last lines of each local process's log in a stack's work dir: what `npm start` shows when its `up` fails, so a
// chain that stopped sealing or a node that never peered is seen without digging (the logs hold no secret: geth and
// the agents never print keys or passwords).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { LOG_FILE, logTail } from "../localProcess";

/** `== <dir>/node.log` and its last `lines` lines, for every process directory of `workDir` that has a log. */
export function nodeLogTails(workDir: string, lines: number): string {
  if (!existsSync(workDir)) return "";
  return readdirSync(workDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(workDir, entry.name, LOG_FILE)))
    .map((entry) => `== ${join(workDir, entry.name, LOG_FILE)}\n${logTail(join(workDir, entry.name), lines)}`)
    .join("\n");
}
