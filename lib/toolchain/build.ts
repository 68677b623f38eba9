// Builds pinned tools from the Go module proxy into the cache. Each build goes to a temporary directory
// that is renamed into place at the end, so an interrupted or concurrent build never leaves a broken tool.
import { execa } from "execa";
import { copyFile, chmod, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
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

/**
 * pulumi's pkg/go.mod has `replace` lines, so `go install …@v` refuses it: build it from a throwaway
 * wrapper module that requires pkg and sdk at the pinned version.
 */
export async function buildPulumi(destRoot: string, pluginsSrc: string, log: Log): Promise<void> {
  const go = await findGo();
  await inTempDir(destRoot, async (tmp) => {
    const mod = join(tmp, "mod");
    const bin = join(tmp, "out", "bin");
    await mkdir(mod, { recursive: true });
    await mkdir(bin, { recursive: true });
    const env = goEnv(tmp);
    const run = (args: string[]) => execa(go, args, { cwd: mod, env, stdout: "inherit", stderr: "inherit" });
    log(`building pulumi v${PULUMI_VERSION} from the Go module proxy (first time only; takes a few minutes) ...`);
    await writeFile(join(mod, "go.mod"), "module consortium-deployer/pulumi-build\n\ngo 1.23\n");
    await run(["get", `github.com/pulumi/pulumi/pkg/v3@v${PULUMI_VERSION}`, `github.com/pulumi/pulumi/sdk/v3@v${PULUMI_VERSION}`]);
    await run([
      "build",
      "-o", join(bin, "pulumi"),
      "-ldflags", `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}`,
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    ]);
    await installPulumiPlugins(bin, pluginsSrc);
  });
}

/** Our language host and dynamic-provider launcher, beside the pulumi binary (where Pulumi looks first). */
export async function installPulumiPlugins(bin: string, pluginsSrc: string): Promise<void> {
  for (const f of ["pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "language-host.cjs"]) {
    await copyFile(join(pluginsSrc, f), join(bin, f));
    await chmod(join(bin, f), 0o755);
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
