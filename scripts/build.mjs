#!/usr/bin/env node
// The project's one build: `npm run build`, vitest's global setup (test/support/buildSetup.ts, so every test run, the
// whole suite or one file) and testkit/agentBuild.ts all run this script, so nothing ever runs a stale dist/:
//  1. an incremental TypeScript build of tsconfig.json in build mode (`tsc -b`: sources are checked against
//     dist/tsconfig.tsbuildinfo, a no-op takes about a second), which fails on any compiler error;
//  2. a prune of dist/: every file there that is not an output of a file of the program just built is deleted, with
//     the folders left empty (the old outputs of moved or removed modules, which Node would otherwise still load);
//  3. the web faces (web/, Vite: web/vite.config.ts) into dist/web/, when a file under web/ or the installed packages
//     changed since their last build (dist/.web-stamp); the prune leaves both alone.
// One build at a time per checkout (a lock folder in dist/): several test runs may start together.
// Before any of that, a fast check (no TypeScript loaded, a few milliseconds): when no source file or folder, no
// tsconfig/package file and no installed package changed since the last successful build began (dist/.build-stamp),
// there is nothing to do. Folders count by their own mtime, which a deleted or renamed file changes. `--full` skips
// that check.
// Silent when it succeeds with nothing to prune (its caller's stdout may be piped, e.g. `npm run pulumi -- stack
// output`); compiler errors and pruned files go to stderr. Plain JS: it runs before anything is compiled.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CONFIG = join(ROOT, "tsconfig.json");
const STAMP = join(ROOT, "dist", ".build-stamp");
/** What the build reads besides node_modules' types: tsconfig.json's `include` folders and the files configuring it. */
const INPUT_FILES = ["tsconfig.json", "package.json", "package-lock.json", join("node_modules", ".package-lock.json")];

const WEB_CONFIG = join(ROOT, "web", "vite.config.ts");
const WEB_OUT = join(ROOT, "dist", "web");
const WEB_STAMP = join(ROOT, "dist", ".web-stamp");

/** The newest mtime of `paths` (from the root) and, in folders, of files whose names match `files`. */
function newestOf(paths, files) {
  let newest = 0;
  const see = (path) => {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    newest = Math.max(newest, st.mtimeMs);
    if (!st.isDirectory()) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist") continue;
      if (entry.isDirectory() || files.test(entry.name)) see(join(path, entry.name));
    }
  };
  for (const f of paths) see(join(ROOT, f));
  return newest;
}

/** The newest mtime under the compiler's inputs (folders included), or Infinity when tsconfig.json cannot be read. */
function newestInput() {
  let include;
  try {
    include = JSON.parse(readFileSync(CONFIG, "utf8")).include;
  } catch {
    return Infinity; // not plain JSON (comments?): let TypeScript read it
  }
  if (!Array.isArray(include)) return Infinity;
  return newestOf([...INPUT_FILES, ...include], /\.(ts|mts|cts|json)$/);
}

/** The newest mtime under the web faces' inputs: web/ (sources, styles, pages, its config) and the installed packages. */
const newestWebInput = () => newestOf([...INPUT_FILES, "web"], /\.(ts|tsx|css|html|json|svg|png)$/);

const builtSince = (stampFile, newest) => {
  const stamp = statSync(stampFile, { throwIfNoEntry: false });
  return !!stamp && newest < stamp.mtimeMs;
};

/** Whether dist/ is as the last successful build left it and no input changed since that build began. */
export function upToDate() {
  return builtSince(STAMP, newestInput()) && (!existsSync(WEB_CONFIG) || builtSince(WEB_STAMP, newestWebInput()));
}
const LOCK_WAIT_MS = 10 * 60_000;

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => "\n",
};
const format = (diagnostics) => ts.formatDiagnostics(diagnostics, formatHost).trimEnd();

class BuildError extends Error {}

function parseConfig() {
  const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new BuildError(format([d]));
    },
  });
  if (parsed.errors.length) throw new BuildError(format(parsed.errors));
  const { outDir, tsBuildInfoFile } = parsed.options;
  if (!outDir || !tsBuildInfoFile || !parsed.options.incremental) {
    throw new BuildError(`${CONFIG} must set outDir, incremental and tsBuildInfoFile (the build and its prune rely on them)`);
  }
  return parsed;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
};

/** Runs `fn` holding `<outDir>/.build.lock`; a lock left by a dead process is taken over. */
async function withLock(outDir, fn) {
  mkdirSync(outDir, { recursive: true });
  const lock = join(outDir, ".build.lock");
  const pidFile = join(lock, "pid");
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(pidFile, String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    let owner = 0;
    try {
      owner = Number(readFileSync(pidFile, "utf8"));
    } catch {
      // Just created by its owner (pid not written yet), or left empty by a crash: stale after a minute.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // removed meanwhile
      }
    }
    if (owner && !alive(owner)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new BuildError(`another build (pid ${owner || "?"}) has held ${lock} for 10 minutes; remove it if no build is running`);
    sleep(200);
  }
  try {
    return await fn(lock);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `tsc -b tsconfig.json`, forced when the installed packages changed since the last build (their types count too). */
function compile(parsed) {
  const diagnostics = [];
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, (d) => diagnostics.push(d), () => {}, () => {});
  const installed = join(ROOT, "node_modules", ".package-lock.json");
  const info = parsed.options.tsBuildInfoFile;
  const force = existsSync(info) && existsSync(installed) && statSync(installed).mtimeMs > statSync(info).mtimeMs;
  const status = ts.createSolutionBuilder(host, [CONFIG], { force }).build();
  if (status !== ts.ExitStatus.Success) {
    throw new BuildError(diagnostics.length ? format(diagnostics) : `tsc -b ${relative(ROOT, CONFIG)} failed (exit status ${status})`);
  }
}

/** The files the build writes: the outputs of every non-declaration file of the program (read from its build info). */
function expectedOutputs(parsed) {
  const infoFile = parsed.options.tsBuildInfoFile;
  let fileNames;
  try {
    fileNames = JSON.parse(readFileSync(infoFile, "utf8")).fileNames;
  } catch (e) {
    throw new BuildError(`cannot read ${infoFile}: ${e.message}`);
  }
  if (!Array.isArray(fileNames) || !fileNames.length) {
    throw new BuildError(`${infoFile} lists no files (has TypeScript ${ts.version} changed its format? scripts/build.mjs reads "fileNames")`);
  }
  const keep = new Set([resolve(infoFile)]);
  const ignoreCase = !ts.sys.useCaseSensitiveFileNames;
  for (const name of fileNames) {
    const file = resolve(dirname(infoFile), name);
    if (file.endsWith(".d.ts") || file.split(sep).includes("node_modules")) continue;
    for (const out of ts.getOutputFileNames(parsed, file, ignoreCase)) keep.add(resolve(out));
  }
  // Sanity: every root file's output is there (a wrong mapping would otherwise prune the whole build).
  for (const root of parsed.fileNames) {
    if (root.endsWith(".d.ts")) continue;
    const [js] = ts.getOutputFileNames(parsed, root, ignoreCase);
    if (!keep.has(resolve(js))) throw new BuildError(`${relative(ROOT, root)} is not in ${infoFile}: refusing to prune`);
  }
  return keep;
}

/** Deletes every file under outDir that the build does not write (build info files at its top are kept). */
function prune(parsed, lock) {
  const outDir = resolve(parsed.options.outDir);
  const keep = expectedOutputs(parsed);
  const pruned = [];
  const walk = (dir) => {
    let left = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === lock || path === WEB_OUT || path === WEB_STAMP) {
        left++;
      } else if (entry.isDirectory()) {
        if (walk(path)) left++;
        else rmdirSync(path);
      } else if (keep.has(path) || (dir === outDir && entry.name.endsWith(".tsbuildinfo"))) {
        left++;
      } else {
        unlinkSync(path);
        pruned.push(relative(ROOT, path));
      }
    }
    return left;
  };
  walk(outDir);
  return pruned;
}

let ts;

/**
 * Vite's production build of the web faces when web/ changed since the last one, stamped with the time it began (as
 * the compiler's build is). Also under `--full`, whose baseline is the compiler's own no-op, not a bundler run.
 */
async function buildWeb() {
  if (!existsSync(WEB_CONFIG) || builtSince(WEB_STAMP, newestWebInput())) return;
  const began = new Date();
  const { build: vite } = await import("vite");
  rmSync(WEB_STAMP, { force: true });
  try {
    await vite({ configFile: WEB_CONFIG });
  } catch (e) {
    throw new BuildError(`the web faces (web/) do not build: ${e.message}`);
  }
  writeFileSync(WEB_STAMP, "");
  utimesSync(WEB_STAMP, began, began);
}

/** `full`: skip the fast check (`node scripts/build.mjs --full`; the benchmark's baseline). */
export async function build({ full = false } = {}) {
  if (!full && upToDate()) return [];
  ts = (await import("typescript")).default;
  const began = new Date();
  const parsed = parseConfig();
  return withLock(resolve(parsed.options.outDir), async (lock) => {
    rmSync(STAMP, { force: true });
    compile(parsed);
    const pruned = prune(parsed, lock);
    await buildWeb();
    // Stamped with the time the build began: a source saved while it ran is newer, so the next run builds again.
    writeFileSync(STAMP, "");
    utimesSync(STAMP, began, began);
    return pruned;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const pruned = await build({ full: process.argv.includes("--full") });
    if (pruned.length) {
      const shown = pruned.slice(0, 20).map((f) => `  ${f}`);
      if (pruned.length > 20) shown.push(`  ... and ${pruned.length - 20} more`);
      console.error(`[build] removed ${pruned.length} compiled file(s) whose source is gone:\n${shown.join("\n")}`);
    }
  } catch (e) {
    console.error(e instanceof BuildError ? e.message : e);
    console.error("[build] failed");
    process.exit(1);
  }
}
