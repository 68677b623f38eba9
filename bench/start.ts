// `npm start` and a read-only command as a user waits for them, on the dev stack (taken down first with its keys
// kept, and left up): (1) from a fresh chain, keys and tools cached, against its goal; (2) with nothing to do,
// against the engine's own `pulumi up --refresh` of the same stack in the same run (the pinned pulumi binary called
// directly); (3) `bridge balance` end to end against the two balanceOf calls it makes, timed in this process; (4)
// `iexec wallet show` end to end against the iexec CLI run directly with the same chain.json and wallet; (5) `drift`
// end to end against the engine's own preview and preview-only refresh of the same stack.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { balances } from "../lib/bridge/client";
import { endpointsFromOutputs } from "../lib/bridge/endpoints";
import { DEV_STACK, PROJECT_DIR, pulumiEnv, UP_PARALLEL } from "../lib/cli/env";
import { readStackOutputs } from "../lib/cli/outputsCache";
import { encryptKeystore } from "../lib/keygen";
import { REPO_ROOT, Tools } from "../lib/toolchain/resolve";

const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

function timed(run: () => unknown): number {
  const t0 = process.hrtime.bigint();
  run();
  return seconds(t0);
}

async function medianOf(run: () => unknown | Promise<unknown>): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    all.push(seconds(t0));
  }
  return all.sort((a, b) => a - b)[Math.floor(all.length / 2)];
}

export async function benchStart(tools: Tools, log: (m: string) => void) {
  const consortium = (...args: string[]) => execFileSync(process.execPath, [join(REPO_ROOT, "bin", "consortium.mjs"), ...args], { cwd: REPO_ROOT, stdio: "ignore" });
  log("start: the dev stack down, keys kept ...");
  consortium("down", "--yes");
  log("start: npm start from a fresh chain ...");
  const freshSeconds = timed(() => consortium("start"));
  log(`start: npm start with nothing to do, and the engine's own up --refresh, ${ROUNDS} runs each ...`);
  const noopSeconds = await medianOf(() => consortium("start"));
  const env = { ...process.env, ...pulumiEnv(tools, DEV_STACK, PROJECT_DIR) };
  const pulumi = join(tools.pulumiRoot, "bin", "pulumi");
  const engine = ["up", "--yes", "--skip-preview", "--refresh", "--parallel", String(UP_PARALLEL), "--stack", DEV_STACK, "--non-interactive"];
  const engineSeconds = await medianOf(() => execFileSync(pulumi, engine, { cwd: PROJECT_DIR, env, stdio: "ignore" }));

  log("start: bridge balance end to end, and its two calls ...");
  const balanceSeconds = await medianOf(() => consortium("bridge", "balance"));
  const outputs = await readStackOutputs(DEV_STACK, { secrets: false });
  const holder = (outputs.devAccount?.value as { address: string }).address;
  const ep = endpointsFromOutputs(outputs);
  const callsSeconds = await medianOf(() => balances(ep, holder));

  log("start: iexec wallet show end to end, and the iexec CLI directly ...");
  const iexecSeconds = await medianOf(() => consortium("iexec", "wallet", "show"));
  // The same call the command makes, given a keystore of the dev key written here (the command writes its own).
  const iexecDir = join(REPO_ROOT, ".work", DEV_STACK, "iexec");
  const keysDir = await mkdtemp(join(tmpdir(), "bench-iexec-"));
  const devKey = ((await readStackOutputs(DEV_STACK, { secrets: true })).devAccount?.value as { privateKey: string }).privateKey;
  await writeFile(join(keysDir, "dev.json"), JSON.stringify(await encryptKeystore(devKey, "bench", { scrypt: { n: 2 ** 14, r: 8, p: 1 } })), { mode: 0o600 });
  const chain = (JSON.parse(await readFile(join(iexecDir, "chain.json"), "utf8")) as { default: string }).default;
  const iexecArgs = ["wallet", "show", "--chain", chain, "--quiet", "--keystoredir", keysDir, "--wallet-file", "dev.json", "--password", "bench"];
  const iexecDirectSeconds = await medianOf(() => execFileSync(join(REPO_ROOT, "node_modules", ".bin", "iexec"), iexecArgs, { cwd: iexecDir, stdio: "ignore" }));
  await rm(keysDir, { recursive: true, force: true });

  log("start: drift end to end, and the engine's own preview and preview-only refresh ...");
  const driftSeconds = await medianOf(() => consortium("drift"));
  const engineDriftSeconds = await medianOf(() => {
    execFileSync(pulumi, ["preview", "--diff", "--stack", DEV_STACK, "--non-interactive"], { cwd: PROJECT_DIR, env, stdio: "ignore" });
    execFileSync(pulumi, ["refresh", "--preview-only", "--stack", DEV_STACK, "--non-interactive"], { cwd: PROJECT_DIR, env, stdio: "ignore" });
  });
  return {
    freshSeconds,
    noopSeconds,
    engineSeconds,
    noopRatioToEngine: noopSeconds / engineSeconds,
    balanceSeconds,
    balanceCallsSeconds: callsSeconds,
    balanceOverheadSeconds: balanceSeconds - callsSeconds,
    iexecSeconds,
    iexecDirectSeconds,
    driftSeconds,
    engineDriftSeconds,
  };
}
