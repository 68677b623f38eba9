// `npm run contracts`: writes contracts/build/<Name>.json; `--check` compiles in memory and exits 1 naming every
// committed build file that differs (CI proves the committed build is what the sources compile to).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { BRIDGE_BUILD_DIR as BUILD_DIR } from "../../lib/bridge/artifacts";
import { REPO_ROOT } from "../../lib/toolchain/resolve";
import { compileBridgeContracts } from "./compile";

function main(): number {
  const check = process.argv.includes("--check");
  const files = compileBridgeContracts((line) => console.log(line));
  if (check) {
    const stale = [...files].filter(([name, text]) => {
      const path = join(BUILD_DIR, name);
      return !existsSync(path) || readFileSync(path, "utf8") !== text;
    });
    for (const [name] of stale) console.error(`${relative(REPO_ROOT, join(BUILD_DIR, name))} differs from a fresh build (run npm run contracts)`);
    if (stale.length > 0) return 1;
    console.log(`contracts/build is up to date (${files.size} files)`);
    return 0;
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  for (const [name, text] of files) {
    writeFileSync(join(BUILD_DIR, name), text);
    console.log(`wrote ${relative(REPO_ROOT, join(BUILD_DIR, name))}`);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
}
