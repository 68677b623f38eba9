#!/usr/bin/env node
// Installs the locked npm dependencies when node_modules is missing or older than the lockfile,
// so `npm start` / `npm test` work on a fresh clone. Plain JS: it runs before anything is installed.
import { existsSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "node_modules", ".package-lock.json");
const lock = join(root, "package-lock.json");

if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log("[deps] installing npm dependencies (npm ci) ...");
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error("[deps] npm ci failed; check your access to the npm registry.");
    process.exit(r.status ?? 1);
  }
}
