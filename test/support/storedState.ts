// The state of a stack as its file backend stores it (the Automation API's exportStack would decrypt its secrets).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** Every stack file under a file backend directory, concatenated. */
export async function storedState(backendDir: string): Promise<string> {
  const dir = join(backendDir, ".pulumi", "stacks");
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".json"));
  if (files.length === 0) throw new Error(`no stack state under ${dir}`);
  return (await Promise.all(files.map((f) => readFile(join(dir, f), "utf8")))).join("\n");
}
