// The project's Node.js images (templates/bridge-agent, templates/monitor) as their Dockerfiles lay them out: which
// package they install, which compiled folders they copy, how they start. Tests check the compiled program loads
// nothing else, and — since no base image can be pulled here — build a stand-in image with the same files, user,
// working directory and entrypoint on this machine's Node.js (a test double for the Dockerfile's build, named so).
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { REPO_ROOT } from "../lib/toolchain/resolve";
import { Log } from "../lib/toolchain/build";
import { importBinaryImage } from "./dockerd";

export interface NodeAppImage {
  /** The Dockerfile, relative to the repository. */
  dockerfile: string;
  /** The folder of the package.json and package-lock.json it installs (`agent`, `monitor`). */
  packageDir: string;
  /** The folders and files of dist/ it copies, relative to dist/ (`monitor`, `lib/bridge`, `lib/poco/abi.js`, …). */
  copies: string[];
  /** Its ENTRYPOINT and CMD, as written. */
  entrypoint: string[];
  cmd: string[];
  /** The ports it EXPOSEs. */
  expose: number[];
}

/** Reads the layout of an image from its Dockerfile (the final stage's COPY, ENTRYPOINT, CMD and EXPOSE lines). */
export function nodeAppImage(dockerfile: string): NodeAppImage {
  const text = readFileSync(join(REPO_ROOT, dockerfile), "utf8");
  const packageDir = /^COPY (\S+)\/package\.json /m.exec(text)?.[1];
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(text)?.[1];
  const cmd = /^CMD (\[.*\])$/m.exec(text)?.[1];
  if (!packageDir || !entrypoint || !cmd) throw new Error(`${dockerfile}: no package COPY, ENTRYPOINT or CMD line`);
  return {
    dockerfile,
    packageDir,
    copies: [...text.matchAll(/^COPY dist\/(\S+?)\/? \.\/dist\//gm)].map((m) => m[1]),
    entrypoint: JSON.parse(entrypoint),
    cmd: JSON.parse(cmd),
    expose: [...text.matchAll(/^EXPOSE (\d+)$/gm)].map((m) => Number(m[1])),
  };
}

/** The compiled modules (relative to dist/) reached from `entry` by relative requires, and the packages they require. */
export function moduleClosure(entry: string): { files: string[]; packages: Set<string> } {
  const dist = join(REPO_ROOT, "dist");
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/require\("([^"]+)"\)/g)) {
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        visit(existsSync(`${target}.js`) ? `${target}.js` : join(target, "index.js"));
      } else if (!spec.startsWith("node:") && !builtinModules.includes(spec)) {
        packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
      }
    }
  };
  visit(join(dist, entry));
  return { files: [...files].map((f) => relative(dist, f)).sort(), packages };
}

/** Whether a compiled module (relative to dist/) is among what the image copies. */
export const imageCopies = (image: NodeAppImage, file: string) => image.copies.some((c) => file === c || file.startsWith(`${c}/`));

/** The package lock the image installs. */
export const imageLock = (image: NodeAppImage) => JSON.parse(readFileSync(join(REPO_ROOT, image.packageDir, "package-lock.json"), "utf8"));

/**
 * The image's /app at `app`: its package.json, the dist/ folders it copies, and the packages of its lock as installed
 * for the deployer (same names; the image's `npm ci` installs the locked versions).
 */
export function layOutApp(image: NodeAppImage, app: string): void {
  cpSync(join(REPO_ROOT, image.packageDir, "package.json"), join(app, "package.json"));
  for (const path of image.copies) {
    mkdirSync(dirname(join(app, "dist", path)), { recursive: true });
    cpSync(join(REPO_ROOT, "dist", path), join(app, "dist", path), { recursive: true });
  }
  for (const p of Object.keys(imageLock(image).packages).filter((x) => x.startsWith("node_modules/"))) {
    if (existsSync(join(REPO_ROOT, p))) cpSync(join(REPO_ROOT, p), join(app, p), { recursive: true, dereference: true });
  }
}

/**
 * TEST DOUBLE for `docker build -f <dockerfile>`: an image of this machine's Node.js with /app laid out as the
 * Dockerfile lays it out, run as uid 10001 in /node with the Dockerfile's entrypoint and command; `fillMore` adds
 * files of the base image a consumer needs (a shell for a Kubernetes init container).
 */
export function importNodeAppImage(image: NodeAppImage, tag: string, log: Log, fillMore?: (root: string) => Promise<void>): Promise<string> {
  return importBinaryImage(process.execPath, tag, log, {
    fill: async (root) => {
      layOutApp(image, join(root, "app"));
      await fillMore?.(root);
    },
    changes: [
      "ENV PATH=/usr/local/bin:/usr/bin:/bin",
      "ENV NODE_ENV=production",
      "USER 10001:10001",
      "WORKDIR /node",
      `ENTRYPOINT ${JSON.stringify(image.entrypoint)}`,
      `CMD ${JSON.stringify(image.cmd)}`,
      ...image.expose.map((p) => `EXPOSE ${p}`),
    ],
  });
}
