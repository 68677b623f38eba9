// `npm run bench`: (a) keystore generation, ours vs ethers at the same scrypt parameters, with the native scrypt
// floor; (b) `pulumi up` to first sealed block for 3, 7, 15 and 21 authorities against a direct start, with the slope,
// and the whole dev stack for 3 and 7 authorities (bench/devStack.ts); (c) bridge relay
// latency against its floor (confirmations × block period) and throughput with 3 agents (2-of-3); (d) gas and wall
// time of a full PoCo deployment, pipelined vs sequential vs the gas floor, and of a re-run; (e) command overhead
// (bench/commands.ts); (f) `npm start` fresh and with nothing to do, and the overhead of `bridge balance`, `iexec wallet
// show` and `drift` over what they run (bench/start.ts); (g) a whole
// bridge deployment against its gas floor and one transaction at a time (bench/bridgeDeploy.ts). Each comparison is
// measured side by side in the same run and reported as ratios; results go to bench/results.json.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ensureTools, REPO_ROOT } from "../lib/toolchain/resolve";
import { benchBridge } from "./bridge";
import { benchBridgeDeploy } from "./bridgeDeploy";
import { benchCommands } from "./commands";
import { benchKeystores } from "./keystore";
import { benchPoco } from "./poco";
import { benchStart } from "./start";
import { benchDevStack } from "./devStack";
import { benchStartup, startupGrowth } from "./startup";

const KEYSTORE_N = 2 ** 18;
const KEYSTORE_ROUNDS = Number(process.env.BENCH_KEYSTORE_ROUNDS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? "3,7,15,21").split(",").map(Number);
const DEV_STACK_SIZES = [3, 7];
/** `BENCH_ONLY=d,e` runs only those sections (default: all); results.json then holds only theirs. */
const ONLY = process.env.BENCH_ONLY?.split(",").map((x) => x.trim());
const wanted = (section: string) => !ONLY || ONLY.includes(section);

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === "number" ? c.toFixed(3) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r: (string | number)[]) => r.map((c, i) => String(c).padEnd(widths[i])).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

async function main(): Promise<void> {
  const tools = await ensureTools({ log: () => {} });
  const log = (m: string) => console.error(`[bench] ${m}`);

  const results: Record<string, unknown> = {};
  if (wanted("a")) {
    log(`keystores at scrypt N=2^18, r=8, p=1, ${KEYSTORE_ROUNDS} rounds ...`);
    const keystores = await benchKeystores({ n: KEYSTORE_N, rounds: KEYSTORE_ROUNDS });
    results.keystores = keystores;
    console.log("\n(a) keystore generation (seconds per key; ratio = time / ours)\n");
    console.log(table(["implementation", "s/key", "ratio"], keystores.map((r) => [r.name, r.secondsPerKey, r.ratioToOurs])));
  }

  if (wanted("b")) {
    const startup = await benchStartup(SIZES, tools, log);
    results.startup = startup;
    console.log("\n(b) wall time to the first sealed block (seconds; tools cached; ratio = pulumi up / direct start)\n");
    console.log(
      table(
        ["authorities", "pulumi up", "direct start", "ratio"],
        startup.map((r) => [String(r.authorities), r.pulumiUpSeconds, r.directSeconds, r.ratio]),
      ),
    );
    const growth = startupGrowth(startup);
    results.startupGrowth = growth;
    console.log(
      `\nfitted slope (least squares): pulumi up ${growth.pulumiUpSecondsPerAuthority.toFixed(2)} s per authority, direct ${growth.directSecondsPerAuthority.toFixed(2)} s; ` +
        `from ${growth.fromAuthorities} to ${growth.toAuthorities} authorities (${growth.sizeRatio.toFixed(1)}× as many) pulumi up takes ${growth.pulumiUpTimeRatio.toFixed(2)}× as long (linear: ${growth.sizeRatio.toFixed(1)}×; goal: far slower than linear)`,
    );
    const devStack = await benchDevStack(DEV_STACK_SIZES, tools, log);
    results.devStack = devStack;
    const [small, large] = devStack;
    console.log(
      `\nthe whole dev stack (fleet, bridge with an agent per authority, PoCo), pulumi up: ${small.upSeconds.toFixed(1)} s for ${small.authorities} authorities, ` +
        `${large.upSeconds.toFixed(1)} s for ${large.authorities} (${(large.upSeconds / small.upSeconds).toFixed(2)}× for ${(large.authorities / small.authorities).toFixed(2)}× as many)`,
    );
  }

  if (wanted("c")) {
    const bridge = await benchBridge(log);
    results.bridge = bridge;
    console.log("\n(c) bridge relay with 3 agents, 2-of-3 (seconds from the user's transaction mined; floor = confirmations × block period; goal ≤ floor + 1 block)\n");
    const goal = (k: "depositLatency" | "withdrawalLatency") => bridge[k].floorSeconds + bridge.blockPeriodSeconds;
    console.log(
      table(
        ["relay", "median", "max", "floor", "goal", "ratio to floor"],
        (["depositLatency", "withdrawalLatency"] as const).map((k) => [k === "depositLatency" ? "deposit → minted" : "withdraw → released", bridge[k].medianSeconds, bridge[k].maxSeconds, bridge[k].floorSeconds, goal(k), bridge[k].ratioToFloor]),
      ),
    );
    console.log(`\nsustained: ${bridge.throughput.transfers} transfers in ${bridge.throughput.seconds.toFixed(1)} s = ${bridge.throughput.transfersPerMinute.toFixed(0)} transfers/minute`);
  }

  if (wanted("d")) {
    const poco = await benchPoco(log);
    results.poco = poco;
    console.log(`\n(d) PoCo deployment on a ${poco.blockPeriodSeconds} s Clique chain (floor = ⌈gas / block gas limit ${poco.blockGasLimit}⌉ blocks; goal ≤ 3× the floor)\n`);
    console.log(
      table(
        ["run", "contracts", "steps", "gas", "seconds", "ratio to floor"],
        [
          ["one burst (ours)", String(poco.contractsDeployed), String(poco.setupSteps), String(poco.gasTotal), poco.deploySeconds, poco.ratioToFloor],
          ["one burst + handovers (ours)", String(poco.contractsDeployed), String(poco.handedOverSteps), String(poco.handedOverGas), poco.handedOverSeconds, poco.handedOverRatioToFloor],
          ["sequential (baseline)", String(poco.contractsDeployed), String(poco.setupSteps), String(poco.sequentialGas), poco.sequentialSeconds, poco.sequentialSeconds / poco.floorSeconds],
          ["floor", "", "", "", poco.floorSeconds, 1],
          ["re-run (idempotent)", "0", "0", String(poco.rerunGas), poco.rerunSeconds, ""],
        ],
      ),
    );
    console.log(`\nspeedup of the one-burst deployment over the sequential one: ${poco.speedupOverSequential.toFixed(1)}×`);
  }

  if (wanted("e")) {
    const commands = benchCommands(log);
    results.commands = commands;
    console.log("\n(e) command overhead, nothing to rebuild (median seconds; speedup = baseline / ours)\n");
    console.log(table(["what", "ours", "baseline", "speedup"], commands.map((c) => [c.what, c.ours, c.baseline, c.speedup])));
  }

  if (wanted("f")) {
    const start = await benchStart(tools, log);
    results.start = start;
    console.log("\n(f) what a user waits for on the dev stack (seconds; medians; goals: fresh ≤ 45 s, nothing to do ≤ 10 s, balance overhead ≤ 1 s)\n");
    console.log(
      table(
        ["what", "ours", "baseline", "ratio"],
        [
          ["npm start, fresh chain (keys, tools cached)", start.freshSeconds, "goal 45", start.freshSeconds / 45],
          ["npm start, nothing to do  vs  pulumi up --refresh", start.noopSeconds, start.engineSeconds, start.noopRatioToEngine],
          ["bridge balance end to end  vs  its two calls", start.balanceSeconds, start.balanceCallsSeconds, start.balanceSeconds / start.balanceCallsSeconds],
          ["iexec wallet show  vs  the iexec CLI directly", start.iexecSeconds, start.iexecDirectSeconds, start.iexecSeconds / start.iexecDirectSeconds],
          ["drift  vs  the engine's preview + refresh --preview-only", start.driftSeconds, start.engineDriftSeconds, start.driftSeconds / start.engineDriftSeconds],
        ],
      ),
    );
    console.log(
      `\noverheads: bridge balance ${start.balanceOverheadSeconds.toFixed(2)} s, iexec ${(start.iexecSeconds - start.iexecDirectSeconds).toFixed(2)} s, drift ${(start.driftSeconds - start.engineDriftSeconds).toFixed(2)} s`,
    );
  }

  if (wanted("g")) {
    const deploy = await benchBridgeDeploy(log);
    results.bridgeDeploy = deploy;
    const { ours, sequential } = deploy;
    console.log(`\n(g) bridge deployment on two ${deploy.blockPeriodSeconds} s chains (floor = ⌈gas / block gas limit⌉ blocks on the busier chain; goal ≤ 3× the floor)\n`);
    console.log(
      table(
        ["run", "gas foreign", "gas home", "seconds", "ratio to floor"],
        [
          ["one burst per chain, then the binding (ours)", String(ours.gas.foreign), String(ours.gas.home), ours.seconds, ours.ratioToFloor],
          ["one transaction at a time", String(sequential.gas.foreign), String(sequential.gas.home), sequential.seconds, sequential.ratioToFloor],
          ["floor", "", "", ours.floorSeconds, 1],
        ],
      ),
    );
    console.log(`\nspeedup over one transaction at a time: ${deploy.speedupOverSequential.toFixed(2)}×`);
  }

  const out = join(REPO_ROOT, "bench", "results.json");
  await writeFile(out, JSON.stringify({ at: new Date().toISOString(), ...results }, null, 2) + "\n");
  console.log(`\nwritten to ${out}`);
}

main().catch((err: Error) => {
  console.error(`[bench] ${err.stack ?? err.message}`);
  process.exit(1);
});
