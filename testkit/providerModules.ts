// The modules under a folder that declare a dynamic provider reference (`projectProvider(__filename, …)`,
// components/projectResource.ts): the sources under components/ for tests, their build under dist/components/ for the
// benchmark. Each caller loads them and keeps the exports shaped as references (`isProjectProvider`).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ProjectProvider } from "../components/projectResource";

/** Files under `dir` ending in `extension` that call projectProvider with their own file (compiled or not). */
export function providerModules(dir: string, extension: ".ts" | ".js"): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return providerModules(path, extension);
    return path.endsWith(extension) && /projectProvider\)?\(__filename/.test(readFileSync(path, "utf8")) ? [path] : [];
  });
}

export const isProjectProvider = (value: unknown): value is ProjectProvider =>
  typeof value === "object" && value !== null && typeof (value as ProjectProvider).module === "string" && typeof (value as ProjectProvider).name === "string";
