// A `pulumi up` killed in the middle of the PoCo deployment, for real: the engine and its provider host are
// SIGKILLed while contract creations are on their way (broadcast, not yet mined: lib/eth/creationJournal.ts holds
// them), then the stack's lock is cancelled and `up` runs again. It must finish the deployment without creating any
// contract a second time, and leave PoCo configured as wanted.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { getCreateAddress, JsonRpcProvider, keccak256 } from "ethers";
import { readdir, readFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UP_PARALLEL } from "../../lib/cli/env";
import { runPulumiCli } from "../../lib/cli/workspace";
import { JournalEntry, journalDir } from "../../lib/eth/creationJournal";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { settledNonce } from "../../lib/eth/transactions";
import { processesUnder } from "../../lib/localProcess";
import { observePoco } from "../../lib/poco/observe";
import { CONTRACTS, ContractName } from "../../lib/poco/plan";
import { pocoProblems } from "../../lib/poco/steps";
import { pocoTarget } from "../../lib/poco/target";
import { ensureTools } from "../../lib/toolchain/resolve";
import { defaultPocoSettings } from "../../render/poco/defaults";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { createScratchStack, oneAuthorityDevChain, ScratchStack } from "../../testkit/scratchStack";

const CHAIN_ID = 31_427;
// Long enough that creations wait in the pool for a while: the kill lands between broadcast and mining.
const BLOCK_PERIOD_SECONDS = 3;

/** Creations this chain's deployments have broadcast and not yet seen mined. */
async function journalEntries(): Promise<JournalEntry[]> {
  const files = await readdir(journalDir()).catch(() => [] as string[]);
  const entries = await Promise.all(files.map((f) => readFile(join(journalDir(), f), "utf8").then((t) => JSON.parse(t) as JournalEntry).catch(() => undefined)));
  return entries.filter((e): e is JournalEntry => e?.chainId === CHAIN_ID);
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
};
const parentOf = (pid: number) => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[1]);
  } catch {
    return -1;
  }
};

/**
 * The engine of this project's `pulumi up` and everything it started (language host, program, dynamic-provider
 * host), except the chain's geth processes, which are the world the deployment acts on.
 */
function engineProcesses(projectDir: string): number[] {
  const all = readdirSync("/proc").filter((e) => /^\d+$/.test(e)).map(Number);
  const roots = processesUnder(projectDir).filter((pid) => cmdline(pid)[0]?.endsWith("/pulumi") && cmdline(pid).includes("up"));
  const tree = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of all) if (!tree.has(pid) && tree.has(parentOf(pid))) (tree.add(pid), (grew = true));
  }
  return [...tree].filter((pid) => !cmdline(pid).some((a) => a.endsWith("/geth")));
}

describe("PoCo deployment resumed after the engine is killed (real engine, real geth)", () => {
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let provider: JsonRpcProvider;
  let deployer: SequencedWallet;
  let token: string;

  beforeAll(async () => {
    scratch = await createScratchStack({
      name: "pocoresume",
      tools: await ensureTools({ build: false, log: () => {} }),
      config: oneAuthorityDevChain("pocoresume", CHAIN_ID, BLOCK_PERIOD_SECONDS),
    });
    stack = scratch.stack;
    const up = await stack.up();
    provider = new JsonRpcProvider(up.outputs.rpcUrl.value, CHAIN_ID, { staticNetwork: true, pollingInterval: 250 });
    deployer = new SequencedWallet(up.outputs.devAccount.value.privateKey, provider);
    token = await (await deployDevRlc(deployer)).getAddress();
    await stack.setConfig("consortium:poco", { value: JSON.stringify({ token }) });
  }, 600_000);
  afterAll(async () => {
    provider?.destroy();
    await scratch?.dispose();
  });

  it("finishes after a kill mid-deployment, with no contract created twice", async () => {
    const interrupted = stack.up({ parallel: UP_PARALLEL }).then(
      () => "finished",
      () => "killed",
    );
    let inFlight: JournalEntry[] = [];
    for (const deadline = Date.now() + 300_000; inFlight.length === 0; ) {
      if (Date.now() > deadline) throw new Error("no contract creation was seen in flight");
      inFlight = await journalEntries();
      if (inFlight.length === 0) await new Promise((r) => setTimeout(r, 25));
    }
    const engine = engineProcesses(scratch.projectDir);
    expect(engine.some((pid) => cmdline(pid).some((a) => a.includes("dynamic-provider")))).toBe(true);
    for (const pid of engine) process.kill(pid, "SIGKILL");
    expect(await interrupted).toBe("killed");
    // What the killed engine had broadcast is still recorded: it is what the next run must adopt, not send again.
    expect((await journalEntries()).length).toBeGreaterThan(0);

    await runPulumiCli(stack, ["cancel", "--yes"], { stdout: "ignore" });
    await stack.up({ parallel: UP_PARALLEL });
    expect(await journalEntries()).toEqual([]);

    const resources = (await stack.exportStack()).deployment.resources ?? [];
    const contracts = Object.fromEntries(
      resources
        .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/poco:PocoContract")
        .map((r: { outputs: { contract: ContractName; address: string } }) => [r.outputs.contract, r.outputs.address]),
    ) as Record<ContractName, string>;
    expect(Object.keys(contracts).sort()).toEqual([...CONTRACTS].sort());

    // Every contract the deployer ever created, by its code: each PoCo contract's code exists exactly once.
    const created = await settledNonce(provider, deployer.address);
    const codes = await Promise.all(
      Array.from({ length: created }, async (_, nonce) => provider.getCode(getCreateAddress({ from: deployer.address, nonce }))),
    );
    const creations = new Map<string, number>();
    for (const code of codes) if (code !== "0x") creations.set(keccak256(code), (creations.get(keccak256(code)) ?? 0) + 1);
    for (const [name, address] of Object.entries(contracts)) {
      expect({ name, creations: creations.get(keccak256(await provider.getCode(address))) }).toEqual({ name, creations: 1 });
    }

    const target = pocoTarget(contracts, defaultPocoSettings(CHAIN_ID, token, deployer.address));
    expect(pocoProblems(target, await observePoco(provider, target))).toEqual([]);
  }, 900_000);
});
