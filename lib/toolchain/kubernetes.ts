// The Kubernetes part of the toolchain, built from the Go module proxy into the per-user cache like pulumi and geth:
// the real Pulumi Kubernetes provider plugin (what `pulumi up` of a stack on `fleet.target: kubernetes` runs), and a
// cluster's programs for the test cluster (testkit/kubernetes): etcd, the control plane, kubelet, kube-proxy,
// kubectl, CoreDNS and the pod sandbox's pause program. None is on npm or Debian (Debian's kubectl is 1.20).
// Each is built once into its own directory, renamed into place when complete; a warm cache builds nothing.
import { execa } from "execa";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildInWrapper, Log } from "./build";
import { toolsDir } from "./versions";

export const KUBERNETES_VERSION = "1.36.3";
export const ETCD_VERSION = "3.6.8";
export const COREDNS_VERSION = "1.14.7";
/**
 * The provider's Go module is served at this one pseudo-version only (tags are refused). Its schema's resources are
 * those of @pulumi/kubernetes 4.23.0–4.25.0 (whose SDKs are identical): package.json pins 4.25.0, and the plugin
 * reports that version, so the engine matches them.
 */
const PROVIDER_MODULE = "github.com/pulumi/pulumi-kubernetes/provider/v4";
const PROVIDER_COMMIT = "v4.0.0-20260115033456-f47bc2d6f199";
/** The provider module replaces its SDK with a sibling folder, absent from the module zip: a published SDK stands in. */
const PROVIDER_SDK_REPLACEMENT = "v4.22.2";

/** The @pulumi/kubernetes version the project is installed with: the plugin must report the same. */
export function kubernetesSdkVersion(repoRoot: string): string {
  return JSON.parse(readFileSync(join(repoRoot, "node_modules", "@pulumi", "kubernetes", "package.json"), "utf8")).version as string;
}

export const kubernetesProviderDir = (version: string) => join(toolsDir(), `pulumi-resource-kubernetes-v${version}`);
export const kubernetesBinDir = () => join(toolsDir(), `kubernetes-v${KUBERNETES_VERSION}`, "bin");
export const etcdBinDir = () => join(toolsDir(), `etcd-v${ETCD_VERSION}`, "bin");
export const corednsBinDir = () => join(toolsDir(), `coredns-v${COREDNS_VERSION}`, "bin");
export const pauseBinDir = () => join(toolsDir(), "pause-1", "bin");

/** The control plane, node and client programs built from k8s.io/kubernetes. */
export const KUBERNETES_COMMANDS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl"] as const;

/**
 * k8s.io/kubernetes requires its staging modules at v0.0.0 with `replace` lines to its own tree: a wrapper module
 * replaces each with its published version instead.
 */
const STAGING_MODULES = [
  "api", "apiextensions-apiserver", "apimachinery", "apiserver", "cli-runtime", "client-go", "cloud-provider",
  "cluster-bootstrap", "code-generator", "component-base", "component-helpers", "controller-manager", "cri-api",
  "cri-client", "cri-streaming", "csi-translation-lib", "dynamic-resource-allocation", "endpointslice", "externaljwt",
  "kms", "kube-aggregator", "kube-controller-manager", "kube-proxy", "kube-scheduler", "kubectl", "kubelet", "metrics",
  "mount-utils", "pod-security-admission", "sample-apiserver", "streaming",
];

// The go line is the oldest the modules need; -mod=mod raises it when a dependency asks for more.
const wrapperModule = (name: string, requires: string[], replaces: string[] = []) =>
  [`module consortium-deployer/${name}-build`, "", "go 1.24.7", "", ...requires.map((r) => `require ${r}`), "", ...replaces.map((r) => `replace ${r}`), ""].join("\n");

/**
 * The provider's command embeds a versioned schema that its `go generate` step writes (not in the module zip): the
 * command's files are copied from the module cache into the wrapper, and its generate.go run with the version.
 */
async function buildKubernetesProvider(version: string, log: Log): Promise<void> {
  const goMod = wrapperModule("pulumi-resource-kubernetes", [`${PROVIDER_MODULE} ${PROVIDER_COMMIT}`], [`github.com/pulumi/pulumi-kubernetes/sdk/v4 => github.com/pulumi/pulumi-kubernetes/sdk/v4 ${PROVIDER_SDK_REPLACEMENT}`]);
  const ldflags = `-s -w -X ${PROVIDER_MODULE}/pkg/version.Version=${version}`;
  log(`pulumi-resource-kubernetes v${version}: building the provider plugin from ${PROVIDER_MODULE}@${PROVIDER_COMMIT} (first time only; ~10 min cold on 2 cores) ...`);
  await buildInWrapper(kubernetesProviderDir(version), "pulumi-resource-kubernetes", goMod, [{ out: "pulumi-resource-kubernetes", pkg: "./cmd", ldflags }], log, { prepare: async (mod, go, env) => {
    const run = (args: string[], cwd = mod, extra: Record<string, string> = {}) => execa(go, args, { cwd, env: { ...env, ...extra }, stdout: "inherit", stderr: "inherit" });
    await run(["mod", "download", `${PROVIDER_MODULE}@${PROVIDER_COMMIT}`]);
    const { stdout } = await execa(go, ["list", "-m", "-f", "{{.Dir}}", PROVIDER_MODULE], { cwd: mod, env });
    const cmd = join(mod, "cmd");
    await mkdir(cmd, { recursive: true });
    for (const f of ["main.go", "generate.go", "schema.json", "terraform-mapping.json"]) {
      await writeFile(join(cmd, f), await readFile(join(stdout.trim(), "cmd", "pulumi-resource-kubernetes", f)));
    }
    await run(["run", "generate.go"], cmd, { VERSION: version });
  } });
}

async function buildKubernetes(log: Log): Promise<void> {
  const versionFlags = (pkg: string) => [`-X ${pkg}.gitVersion=v${KUBERNETES_VERSION}`, `-X ${pkg}.gitMajor=${KUBERNETES_VERSION.split(".")[0]}`, `-X ${pkg}.gitMinor=${KUBERNETES_VERSION.split(".")[1]}`];
  // kubectl reads the version from client-go's copy: both are set, or it cannot parse the server's.
  const ldflags = ["-s -w", ...versionFlags("k8s.io/component-base/version"), ...versionFlags("k8s.io/client-go/pkg/version")].join(" ");
  const goMod = wrapperModule("kubernetes", [`k8s.io/kubernetes v${KUBERNETES_VERSION}`], STAGING_MODULES.map((m) => `k8s.io/${m} => k8s.io/${m} v0.${KUBERNETES_VERSION.split(".").slice(1).join(".")}`));
  log(`kubernetes v${KUBERNETES_VERSION}: building ${KUBERNETES_COMMANDS.join(", ")} (first time only; ~10 min cold on 2 cores) ...`);
  await buildInWrapper(join(kubernetesBinDir(), ".."), "kubernetes", goMod, KUBERNETES_COMMANDS.map((c) => ({ out: c, pkg: `k8s.io/kubernetes/cmd/${c}`, ldflags })), log);
}

async function buildEtcd(log: Log): Promise<void> {
  const goMod = wrapperModule("etcd", [`go.etcd.io/etcd/server/v3 v${ETCD_VERSION}`]);
  await buildInWrapper(join(etcdBinDir(), ".."), "etcd", goMod, [{ out: "etcd", pkg: "go.etcd.io/etcd/server/v3", ldflags: "-s -w" }], log);
}

async function buildCoredns(log: Log): Promise<void> {
  const goMod = wrapperModule("coredns", [`github.com/coredns/coredns v${COREDNS_VERSION}`]);
  await buildInWrapper(join(corednsBinDir(), ".."), "coredns", goMod, [{ out: "coredns", pkg: "github.com/coredns/coredns", ldflags: "-s -w" }], log);
}

async function buildPause(repoRoot: string, log: Log): Promise<void> {
  await buildInWrapper(join(pauseBinDir(), ".."), "pause", "module consortium-deployer/pause\n\ngo 1.23\n", [{ out: "pause", pkg: ".", ldflags: "-s -w", static: true }], log, { prepare: async (mod) => {
    await copyFile(join(repoRoot, "templates", "pause", "main.go"), join(mod, "main.go"));
  } });
}

export interface KubernetesTools {
  /** The directory of pulumi-resource-kubernetes: put on PATH, the engine runs it as the kubernetes plugin. */
  providerDir: string;
  /** Absolute paths of the cluster's programs. */
  bin: Record<(typeof KUBERNETES_COMMANDS)[number] | "etcd" | "coredns" | "pause", string>;
}

/** The provider plugin's directory when built (a stack on Kubernetes needs it), undefined otherwise. */
export function builtKubernetesProvider(repoRoot: string): string | undefined {
  const dir = join(kubernetesProviderDir(kubernetesSdkVersion(repoRoot)), "bin");
  return existsSync(join(dir, "pulumi-resource-kubernetes")) ? dir : undefined;
}

const missing = (dir: string, names: readonly string[]) => names.some((n) => !existsSync(join(dir, n)));
const notBuilt = (names: readonly string[]) => new Error(`${names.join(", ")} not built yet: run \`npm run tools -- --kubernetes\`.`);

/** The provider plugin's directory (what a stack on Kubernetes needs), built when missing (`build`). */
export async function ensureKubernetesProvider(repoRoot: string, log: Log, build = true): Promise<string> {
  const version = kubernetesSdkVersion(repoRoot);
  const dir = join(kubernetesProviderDir(version), "bin");
  if (missing(dir, ["pulumi-resource-kubernetes"])) {
    if (!build) throw notBuilt(["pulumi-resource-kubernetes"]);
    await buildKubernetesProvider(version, log);
  }
  log(`pulumi-resource-kubernetes v${version}: ${dir}`);
  return dir;
}

/** Finds, or builds when missing (`build`), the provider plugin and the test cluster's programs. */
export async function ensureKubernetesTools(repoRoot: string, log: Log, build = true): Promise<KubernetesTools> {
  const providerDir = await ensureKubernetesProvider(repoRoot, log, build);
  const steps: [string, readonly string[], () => Promise<void>][] = [
    [etcdBinDir(), ["etcd"], () => buildEtcd(log)],
    [kubernetesBinDir(), KUBERNETES_COMMANDS, () => buildKubernetes(log)],
    [corednsBinDir(), ["coredns"], () => buildCoredns(log)],
    [pauseBinDir(), ["pause"], () => buildPause(repoRoot, log)],
  ];
  for (const [dir, names, make] of steps) {
    if (!missing(dir, names)) continue;
    if (!build) throw notBuilt(names);
    await make();
  }
  const bin = Object.fromEntries([
    ...KUBERNETES_COMMANDS.map((c) => [c, join(kubernetesBinDir(), c)]),
    ["etcd", join(etcdBinDir(), "etcd")],
    ["coredns", join(corednsBinDir(), "coredns")],
    ["pause", join(pauseBinDir(), "pause")],
  ]) as KubernetesTools["bin"];
  log(`test cluster: kubernetes v${KUBERNETES_VERSION}, etcd v${ETCD_VERSION}, coredns v${COREDNS_VERSION} in ${toolsDir()}`);
  return { providerDir, bin };
}
