// Finds or builds the pinned tools: on PATH → in the per-user cache → built from the Go module proxy.
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildGeth, buildPulumi, installPulumiPlugins, Log } from "./build";
import { builtKubernetesProvider, ensureKubernetesProvider, ensureKubernetesTools, KubernetesTools } from "./kubernetes";
import { REPO_ROOT } from "./repoRoot";
import { GETH_VERSION, gethDir, PULUMI_VERSION, pulumiRoot } from "./versions";

export interface Tools {
  /** Directory holding bin/pulumi (Automation API's PulumiCommand root). */
  pulumiRoot: string;
  /** Directories to put first on PATH: pulumi and its plugins, geth. */
  path: string[];
  geth: string;
  /** The Kubernetes provider plugin and the test cluster's programs, when asked for (`kubernetes: "cluster"`). */
  kubernetes?: KubernetesTools;
}

export { REPO_ROOT };
const PLUGINS_SRC = join(REPO_ROOT, "scripts", "pulumi-plugins");

async function onPath(cmd: string, versionArgs: string[], expect: RegExp): Promise<string | undefined> {
  try {
    const { stdout } = await execa("sh", ["-c", `command -v ${cmd}`]);
    const found = stdout.trim();
    const v = await execa(found, versionArgs);
    return expect.test(v.stdout) ? found : undefined;
  } catch {
    return undefined;
  }
}

function checkSdkVersion(): void {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"));
  if (pkg.version !== PULUMI_VERSION) {
    throw new Error(`@pulumi/pulumi ${pkg.version} is installed but the CLI is pinned at ${PULUMI_VERSION}: run npm ci (or bump both together).`);
  }
}

async function resolvePulumi(log: Log, build: boolean): Promise<{ root: string; path: string[] }> {
  const escaped = PULUMI_VERSION.replace(/\./g, "\\.");
  const system = await onPath("pulumi", ["version"], new RegExp(`^v${escaped}\\b`));
  if (system) {
    log(`pulumi v${PULUMI_VERSION}: ${system} (on PATH)`);
    // Our plugins stay on PATH as a fallback for installs that lack the Node.js language host.
    return { root: dirname(dirname(system)), path: [dirname(system), PLUGINS_SRC] };
  }
  const root = pulumiRoot();
  const bin = join(root, "bin");
  if (!existsSync(join(bin, "pulumi"))) {
    if (!build) throw new Error(`pulumi v${PULUMI_VERSION} is not built yet: run \`npm run tools\`.`);
    await buildPulumi(root, PLUGINS_SRC, log);
  } else {
    await installPulumiPlugins(bin, PLUGINS_SRC); // keep the launchers in step with this checkout
  }
  log(`pulumi v${PULUMI_VERSION}: ${join(bin, "pulumi")}`);
  return { root, path: [bin] };
}

/** The pinned geth: on PATH, else in the per-user cache, built there first when `build` (else an error saying how). */
export async function resolveGeth(log: Log, build: boolean): Promise<string> {
  const system = await onPath("geth", ["version"], new RegExp(`Version: ${GETH_VERSION.replace(/\./g, "\\.")}-stable`));
  if (system) {
    log(`geth ${GETH_VERSION}: ${system} (on PATH)`);
    return system;
  }
  const geth = join(gethDir(), "bin", "geth");
  if (!existsSync(geth)) {
    if (!build) throw new Error(`geth ${GETH_VERSION} is not built yet: run \`npm run tools\`.`);
    await buildGeth(gethDir(), log);
  }
  log(`geth ${GETH_VERSION}: ${geth}`);
  return geth;
}

/**
 * Resolves (building when needed) pulumi with its Node.js plugins and geth; with `kubernetes: "provider"` the
 * Kubernetes provider plugin (a stack on Kubernetes needs it), with "cluster" that and the test cluster's programs
 * (lib/toolchain/kubernetes.ts). Idempotent. A provider plugin built earlier is on the engine's PATH either way.
 */
export async function ensureTools(opts: { log?: Log; build?: boolean; kubernetes?: "provider" | "cluster" } = {}): Promise<Tools> {
  // Progress goes to stderr, so commands that print data (stack output --json, drift --json) stay parseable.
  const log = opts.log ?? ((m: string) => console.error(`[tools] ${m}`));
  const build = opts.build ?? true;
  checkSdkVersion();
  const pulumi = await resolvePulumi(log, build);
  const geth = await resolveGeth(log, build);
  const kubernetes = opts.kubernetes === "cluster" ? await ensureKubernetesTools(REPO_ROOT, log, build) : undefined;
  const provider = kubernetes?.providerDir ?? (opts.kubernetes === "provider" ? await ensureKubernetesProvider(REPO_ROOT, log, build) : builtKubernetesProvider(REPO_ROOT));
  return { pulumiRoot: pulumi.root, path: [...pulumi.path, dirname(geth), ...(provider ? [provider] : [])], geth, ...(kubernetes ? { kubernetes } : {}) };
}
