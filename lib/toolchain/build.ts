// Builds pinned tools from the Go module proxy into the cache. Each build goes to a temporary directory
// that is renamed into place at the end, so an interrupted or concurrent build never leaves a broken tool.
import { execa } from "execa";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../writeFileAtomic";
import { GETH_VERSION, PULUMI_VERSION, toolsDir } from "./versions";

export type Log = (msg: string) => void;

export async function findGo(): Promise<string> {
  for (const candidate of ["go", "/usr/local/go/bin/go"]) {
    try {
      const { stdout } = await execa(candidate, ["version"]);
      const m = /go(\d+)\.(\d+)/.exec(stdout);
      if (m && (Number(m[1]) > 1 || Number(m[2]) >= 23)) return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(
    "Go ≥ 1.23 is needed to build the pinned tools (pulumi, geth) and was not found. " +
      `Install Go (https://go.dev/dl/), or put pulumi v${PULUMI_VERSION} and geth ${GETH_VERSION} on PATH.`,
  );
}

export async function inTempDir<T>(finalDir: string, build: (tmp: string) => Promise<T>): Promise<void> {
  await mkdir(toolsDir(), { recursive: true });
  const tmp = await mkdtemp(join(toolsDir(), ".build-"));
  try {
    await build(tmp);
    await rm(finalDir, { recursive: true, force: true });
    await rename(join(tmp, "out"), finalDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export function goEnv(tmp: string): Record<string, string> {
  // GOFLAGS=-mod=mod lets `go build` record the wrapper module's go.sum; the module cache is Go's own.
  return { GOFLAGS: "-mod=mod", GOWORK: "off", GOTOOLCHAIN: "local", GOBIN: join(tmp, "out", "bin") };
}

export interface GoBuild {
  /** The output binary's name. */
  out: string;
  pkg: string;
  ldflags?: string;
  /** Without cgo: a program for an image that holds nothing else (the pause image). */
  static?: boolean;
}

/** What a wrapper build does besides its builds: `prepare` adds files to the module first, `finish` adds to `bin` last. */
export interface WrapperHooks {
  prepare?: (mod: string, go: string, env: Record<string, string>) => Promise<void>;
  finish?: (bin: string) => Promise<void>;
}

/**
 * Builds `builds` in a throwaway wrapper module (`goMod`), into `<finalDir>/bin`, renamed into place when complete.
 * A wrapper, because the modules built (pulumi's pkg, Kubernetes, the provider) carry `replace` lines that `go install
 * …@v` refuses.
 */
export async function buildInWrapper(finalDir: string, what: string, goMod: string, builds: GoBuild[], log: Log, hooks: WrapperHooks = {}): Promise<void> {
  const go = await findGo();
  await inTempDir(finalDir, async (tmp) => {
    const mod = join(tmp, "mod");
    const bin = join(tmp, "out", "bin");
    await mkdir(mod, { recursive: true });
    await mkdir(bin, { recursive: true });
    await writeFile(join(mod, "go.mod"), goMod);
    const env = goEnv(tmp);
    await hooks.prepare?.(mod, go, env);
    for (const [i, b] of builds.entries()) {
      const started = Date.now();
      log(`${what}: building ${b.out} (${i + 1} of ${builds.length}) ...`);
      await execa(go, ["build", "-o", join(bin, b.out), ...(b.ldflags ? ["-ldflags", b.ldflags] : []), b.pkg], { cwd: mod, env: { ...env, ...(b.static ? { CGO_ENABLED: "0" } : {}) }, stdout: "inherit", stderr: "inherit" });
      log(`${what}: ${b.out} built in ${Math.round((Date.now() - started) / 1000)} s`);
    }
    await hooks.finish?.(bin);
  });
}


/** pulumi, and our Node.js plugins beside it; pulumi's pkg module has `replace` lines (see buildInWrapper). */
export async function buildPulumi(destRoot: string, pluginsSrc: string, log: Log): Promise<void> {
  log(`building pulumi v${PULUMI_VERSION} from the Go module proxy (first time only; takes a few minutes) ...`);
  const goMod = "module consortium-deployer/pulumi-build\n\ngo 1.23\n";
  const ldflags = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`;
  await buildInWrapper(destRoot, "pulumi", goMod, [{ out: "pulumi", pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", ldflags }], log, {
    prepare: async (mod, go, env) => {
      await execa(go, ["get", `github.com/pulumi/pulumi/pkg/v3@v${PULUMI_VERSION}`, `github.com/pulumi/pulumi/sdk/v3@v${PULUMI_VERSION}`], { cwd: mod, env, stdout: "inherit", stderr: "inherit" });
    },
    finish: (bin) => installPulumiPlugins(bin, pluginsSrc),
  });
}

/**
 * Our language host and dynamic-provider launcher, beside the pulumi binary (where Pulumi looks first). Every command
 * and test run calls this (to keep the launchers in step with the checkout) while another may be starting them: a
 * launcher is rewritten only when it differs, and then replaced whole — rewritten in place, an engine starting it at
 * that moment read an empty script ("could not read plugin ...: EOF", seen in CI with three test files at once).
 */
export async function installPulumiPlugins(bin: string, pluginsSrc: string): Promise<void> {
  for (const f of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "language-host.cjs", "dynamic-provider-host.cjs", "lazy-sdk-deps.cjs"]) {
    const wanted = await readFile(join(pluginsSrc, f));
    const installed = await readFile(join(bin, f)).catch(() => undefined);
    const executable = installed !== undefined && ((await stat(join(bin, f))).mode & 0o777) === 0o755;
    if (!installed?.equals(wanted) || !executable) await writeFileAtomic(join(bin, f), wanted, 0o755);
  }
}

/** geth ≥ 1.13 uses go:linkname tricks that Go ≥ 1.23 only links with -checklinkname=0. */
export async function buildGeth(destDir: string, log: Log): Promise<void> {
  const go = await findGo();
  await inTempDir(destDir, async (tmp) => {
    await mkdir(join(tmp, "out", "bin"), { recursive: true });
    log(`building geth ${GETH_VERSION} from the Go module proxy (first time only; takes a few minutes) ...`);
    await execa(go, ["install", "-ldflags=-checklinkname=0", `github.com/ethereum/go-ethereum/cmd/geth@v${GETH_VERSION}`], {
      cwd: tmp,
      env: { ...goEnv(tmp), GOFLAGS: "" },
      stdout: "inherit",
      stderr: "inherit",
    });
  });
}
