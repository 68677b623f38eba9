// Which test files each vitest mode runs (vitest.config.ts): `npm test` every file, in two lanes side by side (the
// "stacks" lane and the "chains" lane's two modes, scripts/test.mjs), `npm run test:unit` the unit tests (the "unit" and "unit-isolated"
// modes, one after the other), `npm run golden` the golden-file tests.
//
// The unit tests (the edit loop, a minute or two) are the tests that start nothing but Node and the shell: no geth,
// no real chain, no dockerd or docker CLI, no sshd, no Pulumi engine or CLI, no solc build. Membership:
//  - every `*.mock.test.ts` is one, by its name: name a test so when it runs under pulumi.runtime.setMocks and fits
//    the rule;
//  - any other unit test is listed by path in UNIT_FILES below: add a new test there when it fits the rule.
// A test in neither still runs in `npm test`. unitTestFiles() checks both, refusing a listed path that does not exist
// and a unit test that imports one of the HEAVY helpers (what starts real chains, dockerd, sshd, the engine or solc),
// so the list cannot silently rot or let a slow test into the edit loop.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const ROOT = join(__dirname, "..", "..");
const TEST_DIR = join(ROOT, "test");

/** Unit tests not named *.mock.test.ts, by path from the repository root. */
export const UNIT_FILES = [
  "test/settings/bridge.test.ts",
  "test/settings/parse.test.ts",
  "test/settings/rpcNodes.test.ts",
  "test/settings/kubeconfig.test.ts",
  "test/settings/plaintextSecrets.test.ts",
  "test/render/aura.test.ts",
  "test/render/auraPermissions.test.ts",
  "test/render/clients/besu.test.ts",
  "test/render/clients/cliqueChainspec.test.ts",
  "test/render/clients/common.test.ts",
  "test/render/clients/nethermind.test.ts",
  "test/render/clients/openethereum.test.ts",
  "test/render/clients/qbft.test.ts",
  "test/keys/keygen.test.ts",
  "test/agent/config.test.ts",
  "test/agent/keys.test.ts",
  "test/agent/policy.test.ts",
  "test/agent/reorg.test.ts",
  "test/agent/store.test.ts",
  "test/bridge-targets/render.test.ts",
  "test/kubernetes/export.test.ts",
  "test/kubernetes/render.test.ts",
  "test/kubernetes/schema.test.ts",
  "test/docker/render.test.ts",
  "test/docker/tar.test.ts",
  "test/validators/plan.test.ts",
  "test/validators/render.test.ts",
  "test/validators/spec.test.ts",
  "test/workerPool/render.test.ts",
  "test/ceremony/ceremony.test.ts",
  "test/poco/plan.test.ts",
  "test/bridge/deploymentPlan.test.ts",
  "test/lib/ipc.test.ts",
  "test/lib/localProcess.test.ts",
  "test/lib/ports.test.ts",
  "test/lib/engineTemp.test.ts",
  "test/lib/eventResults.test.ts",
  "test/lib/eventLog.test.ts",
  "test/drift/report.test.ts",
  "test/scripts/env.test.ts",
  "test/images/packages.test.ts",
  "test/permissions/onChainPolicyCalls.test.ts",
  "test/permissions/policy.test.ts",
  "test/lib/project.test.ts",
  "test/scripts/legacy.test.ts",
  "test/scripts/build.test.ts",
  "test/scripts/cli.test.ts",
  "test/scripts/outputsCache.test.ts",
  "test/scripts/nodeLogs.test.ts",
  "test/scripts/pulumiPlugins.test.ts",
  "test/components/projectResource.test.ts",
  "test/scripts/lanes.test.ts",
  "test/monitoring/chainStatus.test.ts",
  "test/monitoring/bridgeStatus.test.ts",
  "test/monitoring/transfers.test.ts",
  "test/monitoring/openTransfers.test.ts",
  "test/monitoring/pocoStatus.test.ts",
  "test/monitoring/monitorConfig.test.ts",
  "test/web/checks.test.ts",
  "test/federation/memberEndpoint.test.ts",
  "test/federation/manifest.test.ts",
  "test/toolchain/pulumiLaunchers.test.ts",
];

/** Modules whose (value) import makes a test file a full-suite test: they start what the unit tests must not. */
const HEAVY = [
  "testkit/chains", // real geth chains
  "testkit/genesisChain", // a geth chain from a genesis of our own
  "testkit/clique", // reads the seals of a real chain
  "testkit/bridge/agentFleet", // agent processes on real chains
  "testkit/poco/", // PoCo on a real chain
  "testkit/scratchStack", // the Pulumi engine
  "testkit/dockerd", // a real dockerd
  "testkit/docker/engine",
  "testkit/docker/runner",
  "testkit/docker/helperImage",
  "@pulumi/pulumi/automation", // the Pulumi engine
  "lib/cli/workspace",
  "lib/toolchain/resolve", // ensureTools: the geth and pulumi binaries
  "scripts/contracts/compile", // solc
  "/gethUnlock", // geth
  "support/sshHosts", // sshd + dockerd test hosts
  "/fleetHarness", // dockerd
  "testkit/prometheus", // Debian's prometheus and promtool
  "testkit/browser", // Debian's chromium (testkit/browserWallet matches too)
  "testkit/kubernetes/", // the test cluster: etcd, control plane, containerd, kubelet
  "testkit/memberHosts", // network namespaces and a bridge
];

/**
 * What a machine has one of, which several test files share: the Docker engine (started by whichever test needs it
 * first, stopped by it), the sshd and dockerd "member hosts" of the worker pool tests (which build their images with
 * it) and the test Kubernetes cluster (its interfaces and address ranges are fixed; its images come from that engine).
 * A test file importing one of these runs in the "stacks" lane, where files run one after another.
 * The federated tests' member hosts (testkit/memberHosts) are one set per machine too, but one file uses them and
 * their lock refuses a second set: that file runs in the chains lane, beside the others (its namespaces, bridge and
 * FORWARD rule are names and addresses of its own).
 */
const HOST_BOUND = ["testkit/dockerd", "testkit/docker/engine", "testkit/docker/runner", "testkit/docker/helperImage", "support/sshHosts", "/fleetHarness", "testkit/kubernetes/"];
/**
 * Files that need nothing exclusive but run in the "stacks" lane to balance the two lanes' times: a file moved there
 * takes its time to the stacks lane (where it runs faster, alone beside two files) and half of it from the chains lane
 * (two files at a time). Measured in the CI runs of 2026-12-06: the stacks lane 20.2 min, the chains lane 23.5 min
 * (its files' times summed: 46 min over two workers) → cliqueChange.test.ts (1.9 min there); later 23.3 and 26.1 min
 * → adopt.test.ts (0.9 min in the chains lane, 0.6 in the stacks lane); then 23.1 and 24.9 min (48.4 min of files)
 * → pocoResume.test.ts (1.3 min in the chains lane).
 */
export const BALANCING_FILES = ["test/validators/cliqueChange.test.ts", "test/integration/adopt.test.ts", "test/integration/pocoResume.test.ts"];
/** What runs the Pulumi engine: the tests that import one of these are the longest (0.5 to 5 minutes each). */
const ENGINE = ["testkit/scratchStack", "@pulumi/pulumi/automation", "lib/cli/workspace", "testkit/memberHosts"];

const allTestFiles = (): string[] =>
  (readdirSync(TEST_DIR, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => relative(ROOT, join(TEST_DIR, f)).split(sep).join("/"))
    .sort();

/** The module specifiers a test file imports at run time (`import type` excluded). */
function valueImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const imports = [...text.matchAll(/^import\s+(?:(?!type\s)[^;"]*?from\s+)?"([^"]+)"/gm)].map((m) => m[1]);
  const requires = [...text.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]);
  return [...imports, ...requires];
}

/** The unit tests: every *.mock.test.ts and UNIT_FILES, checked against the rule (throws with every problem). */
export function unitTestFiles(): string[] {
  const all = allTestFiles();
  const files = [...new Set([...all.filter((f) => f.endsWith(".mock.test.ts")), ...UNIT_FILES])].sort();
  const problems: string[] = [];
  for (const f of UNIT_FILES) if (!all.includes(f)) problems.push(`${f} is listed in UNIT_FILES but does not exist (renamed? update the list)`);
  for (const f of files.filter((f) => all.includes(f))) {
    const heavy = valueImports(f).filter((spec) => HEAVY.some((h) => spec.includes(h)));
    if (heavy.length) problems.push(`${f} imports ${heavy.join(", ")}: not a unit test (rename it or take it out of UNIT_FILES)`);
  }
  if (problems.length) throw new Error(`test/support/suites.ts: the unit test set breaks its rule:\n  - ${problems.join("\n  - ")}`);
  return files;
}

/**
 * A test that changes, for whatever runs after it in its worker, a module (vi.mock), the working directory, or the
 * environment written directly (what vi.stubEnv and vi.stubGlobal change is put back after each file:
 * test/support/strictSetup.ts).
 */
function replacesShared(file: string): boolean {
  const text = readFileSync(join(ROOT, file), "utf8");
  return /\bvi\.(?:do)?[mM]ock\(|\bprocess\.chdir\(|\bprocess\.env(?:\.\w+|\[[^\]]+\])?\s*(?:\?\?|\|\||&&)?=(?!=)|\bdelete process\.env\b/.test(text);
}

/** The unit tests that change what others would share: each runs in a module cache of its own ("unit-isolated" mode). */
export function isolatedUnitFiles(): string[] {
  return unitTestFiles().filter(replacesShared);
}

/**
 * The other unit tests, which share a module cache per worker ("unit" mode): importing the project once per worker,
 * not once per file, is most of what the unit run would cost otherwise.
 */
export function sharedUnitFiles(): string[] {
  return unitTestFiles().filter((f) => !replacesShared(f));
}

/** Every test file that compares with a golden file (calls expectGolden): what `npm run golden` runs. */
export function goldenTestFiles(): string[] {
  return allTestFiles().filter((f) => /\bexpectGolden\(/.test(readFileSync(join(ROOT, f), "utf8")));
}

const inStacksLane = (file: string) => BALANCING_FILES.includes(file) || valueImports(file).some((spec) => HOST_BOUND.some((h) => spec.includes(h)));

/** The "stacks" lane: every file that uses what several files share of the machine (HOST_BOUND), and BALANCING_FILES. */
export function stacksLaneFiles(): string[] {
  const all = allTestFiles();
  const missing = BALANCING_FILES.filter((f) => !all.includes(f));
  if (missing.length) throw new Error(`test/support/suites.ts: BALANCING_FILES lists ${missing.join(", ")}, which does not exist (renamed? update the list)`);
  return all.filter(inStacksLane);
}

/** The "chains" lane: every other file (each starts what it needs on ports and in folders of its own). */
export function chainLaneFiles(): string[] {
  return allTestFiles().filter((f) => !inStacksLane(f));
}

/** The chains lane's files that change what the next file would share: each in a module cache of its own, first. */
export function isolatedChainLaneFiles(): string[] {
  return chainLaneFiles().filter(replacesShared);
}

/** The rest of the chains lane, in one module cache. */
export function sharedChainLaneFiles(): string[] {
  return chainLaneFiles().filter((f) => !replacesShared(f));
}

/**
 * How long a file is expected to run, as a rank: 2 for what runs the Pulumi engine, 1 for what starts other real
 * things (chains, agents, solc, a browser), 0 for the rest. The chains lane runs two files at a time and starts the
 * longest first (test/support/sequencer.ts), so that neither worker is left with a long file at the end.
 */
export function expectedLength(file: string): number {
  const imports = valueImports(file);
  if (imports.some((spec) => ENGINE.some((h) => spec.includes(h)))) return 2;
  return imports.some((spec) => HEAVY.some((h) => spec.includes(h))) ? 1 : 0;
}
