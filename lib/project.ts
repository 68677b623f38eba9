// The project being run, found at run time — never where some file was compiled.
//
// A dynamic resource's state holds the code that finds its provider: ours name a module of the project
// (components/projectResource.ts); earlier versions' resources hold a serialised copy of the provider's functions. A
// provider that loaded its implementation from `join(__dirname, …)` stored the absolute path of the clone that created
// the resource, so a `refresh`, `destroy` or drift check from another clone (a CI runner, a colleague's checkout, a
// moved folder) loaded code from a path that does not exist there, or stale code from the old one. Pulumi runs the
// program and the dynamic-provider host with the Pulumi project folder as working directory (scripts/pulumi-plugins),
// so the code to load is the `consortium-deployer` package enclosing `process.cwd()`: the repository root, which is
// also the Pulumi project (Pulumi.yaml), or the root above a scratch project folder under `.work/`.
//
// These functions are carried by value in that code (projectRoot's text in every `__provider`; all of them in earlier
// serialised copies): they use nothing but `require` of Node's own modules inside their bodies, and their arguments.
// Providers call `projectModule(...)` inside their methods.
//
// Paths of data work the same way: a path inside the project folder (the default work dir `.work/<stack>`) is stored
// relative to it and resolved against the provider's working directory when used (lib/localProcess.ts, lib/ports.ts);
// an operator's absolute path (`fleet.workDir: /var/lib/...`) stays as given. Paths into the package's own code in a
// process's command line (the bridge agent's `dist/agent/main.js`) are stored as `packagePath(...)`.

/** The closest directory at or above `from` (default: the working directory) holding the consortium-deployer package.json. */
export function projectRoot(from?: string): string {
  const { existsSync, readFileSync } = require("node:fs") as typeof import("node:fs");
  const { dirname, join, resolve } = require("node:path") as typeof import("node:path");
  const start = resolve(from ?? process.cwd());
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "consortium-deployer") return dir;
      } catch {
        // not a readable package.json: keep looking above
      }
    }
    if (dir === dirname(dir)) break;
  }
  throw new Error(
    `no consortium-deployer package at or above ${start}: Pulumi runs this project's dynamic providers from the Pulumi project folder, ` +
      "which must be the project's root (or a folder inside it). Run pulumi there (npm run pulumi -- …).",
  );
}

/** Loads a compiled module of the project being run: `projectModule("lib/localProcess")` is `<root>/dist/lib/localProcess`. */
export function projectModule<T = any>(path: string): T {
  const { join } = require("node:path") as typeof import("node:path");
  return require(join(projectRoot(), "dist", path)) as T;
}

/** How a path inside the package appears in a process's command line in the state; `expandPackagePath` resolves it. */
export const PACKAGE_PATH_PREFIX = "{consortium-deployer}/";

/** `packagePath("dist/agent/main.js")`: that file of whichever checkout runs the provider. */
export function packagePath(path: string): string {
  return "{consortium-deployer}/" + path.replace(/^\/+/, "");
}

/** An argument written with `packagePath`, resolved in the project enclosing the working directory; others unchanged. */
export function expandPackagePath(arg: string): string {
  const prefix = "{consortium-deployer}/";
  if (!arg.startsWith(prefix)) return arg;
  const { join } = require("node:path") as typeof import("node:path");
  return join(projectRoot(), arg.slice(prefix.length));
}

/**
 * The Pulumi project folder, which stored relative paths (the default work dir `.work/<stack>`) are relative to. The
 * program runs there, but the engine starts plugins — the dynamic-provider host among them — in the directory of
 * the program's `main` (`dist/program/` for this project), so a provider resolving `.work/dev` against its own working
 * directory put a stack's chain data inside the build output. Our commands name the folder in CONSORTIUM_PROJECT_DIR
 * (lib/cli/env.ts); a plain `pulumi` run finds the nearest Pulumi.yaml at or above the working directory.
 */
export function pulumiProjectDir(from = process.cwd(), env: Record<string, string | undefined> = process.env): string {
  const { existsSync } = require("node:fs") as typeof import("node:fs");
  const { dirname, join, resolve } = require("node:path") as typeof import("node:path");
  if (env.CONSORTIUM_PROJECT_DIR) return resolve(env.CONSORTIUM_PROJECT_DIR);
  const start = resolve(from);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dir === dirname(dir)) return start;
  }
}

/** A stored path as this machine sees it: a relative one is in the Pulumi project folder (pulumiProjectDir). */
export function resolveStoredPath(path: string): string {
  const { isAbsolute, join } = require("node:path") as typeof import("node:path");
  return isAbsolute(path) ? path : join(pulumiProjectDir(), path);
}

/** A stack's work dir when `fleet.workDir` is not set, relative to the project folder (where it is stored so). */
export function defaultWorkDir(stack: string): string {
  return `.work/${stack}`;
}

/**
 * How a directory the program chose is stored: a path given relative (to the project folder, the program's working
 * directory) stays relative, normalised (`.work/dev`); an absolute one stays absolute (an operator's `/var/lib/...`).
 */
export function storedPath(path: string): string {
  const { normalize } = require("node:path") as typeof import("node:path");
  const p = normalize(path);
  return p.length > 1 ? p.replace(/\/+$/, "") : p;
}
