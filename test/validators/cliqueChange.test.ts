// Validator changes on a running Clique network, with the real engine (Pulumi CLI, file backend) and real geth
// processes: 3 genesis authorities → a 4th joins (voted in by the others) → an original one retires (voted out,
// then its node removed). The chain keeps sealing throughout and its genesis never changes; a vote made out of
// band is drift for refresh, and up votes it back. The signers serve no HTTP: votes and signer reads go over their
// IPC sockets (the deployer's and this test's), clients read through the members' RPC nodes.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { getAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForSealingBy } from "../../testkit/clique";
import { jsonRpcCall } from "../../lib/ipc";
import { isOurProcess } from "../../lib/localProcess";
import { portFree } from "../../lib/ports";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { ensureTools } from "../../lib/toolchain/resolve";

const GENESIS = ["alpha", "beta", "gamma"].map((name, i) => ({ name, member: `org-${i}` }));
const DELTA = { name: "delta", member: "org-3", joinedAfterGenesis: true };
/**
 * Longest pause between two consecutive blocks tolerated during the changes, seconds (the period is 1 s). Each
 * change restarts the nodes one at a time (new static peers), each only after the previous one imports new blocks
 * again (lib/localProcess.ts restartNode), so enough sealers are always up: 1–2 s are seen; without that wait a
 * restarted geth caught up only at its 10 s forced-sync cycle and pauses of ~9 s were seen.
 */
const MAX_GAP_SECONDS = 5;

interface NodeState {
  name: string;
  pid: number;
  dir: string;
  ports: number[];
}
interface FleetNode {
  name: string;
  signer?: string;
  /** RPC nodes only. */
  rpcUrl?: string;
  /** Signers only: their IPC socket, the one way to their `clique` API. */
  ipcPath?: string;
}

/** A JSON-RPC call to an HTTP URL (RPC nodes) or an IPC socket path (signers). */
const rpc = <T>(endpoint: string, method: string, params: unknown[] = []): Promise<T> => jsonRpcCall<T>(endpoint, method, params, 10_000);
/** The signer set as a signer node (over its IPC socket; the RPC nodes serve no `clique`) sees it. */
const liveSigners = async (signerIpc: string) => (await rpc<string[]>(signerIpc, "clique_getSigners")).map((a) => getAddress(a));
const head = async (url: string) => Number(await rpc<string>(url, "eth_blockNumber"));

describe("validator changes on a running Clique network (real engine, real geth)", () => {
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let rpcUrl: string;
  let alphaUrl: string;
  let genesisHash: string;
  let startBlock: number;
  const signerOf: Record<string, string> = {};

  const setAuthorities = (authorities: object[]) => stack.setConfig("consortium:authorities", { value: JSON.stringify(authorities) });
  const nodes = async () => (await stack.outputs()).nodes.value as FleetNode[];
  const processes = async (): Promise<NodeState[]> =>
    ((await stack.exportStack()).deployment.resources ?? [])
      .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/fleet:LocalNodeProcess")
      .map((r: { outputs: NodeState }) => r.outputs);
  const upAndRecord = async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    for (const n of up.outputs.nodes.value as FleetNode[]) if (n.signer) signerOf[n.name] = n.signer;
    return up;
  };

  beforeAll(async () => {
    scratch = await createScratchStack({
      name: "vchange",
      tools: await ensureTools({ build: false, log: () => {} }),
      config: {
        name: "vchange",
        dev: true,
        chainId: 31431,
        blockPeriodSeconds: 1,
        scryptN: 2 ** 12,
        authorities: GENESIS,
        fleet: { target: "local", rpcNode: true },
      },
    });
    stack = scratch.stack;
    const up = await upAndRecord();
    rpcUrl = up.outputs.rpcUrl.value;
    alphaUrl = (up.outputs.nodes.value as FleetNode[]).find((n) => n.name === "alpha")!.ipcPath!;
    await waitForSealingBy(rpcUrl, Object.values(signerOf), 6, 90_000);
    genesisHash = (await rpc<{ hash: string }>(rpcUrl, "eth_getBlockByNumber", ["0x0", false])).hash;
    startBlock = await head(rpcUrl);
  });

  afterAll(async () => {
    await scratch?.dispose();
  });

  it("a 4th member joins: its node starts, the others vote it in, and it seals", async () => {
    await setAuthorities([...GENESIS, DELTA]);
    const up = await upAndRecord();
    const four = ["alpha", "beta", "gamma", "delta"].map((n) => signerOf[n]);
    expect(new Set(up.outputs.liveSigners.value)).toEqual(new Set(four));
    expect(new Set(await liveSigners(alphaUrl))).toEqual(new Set(four));
    expect(up.outputs.rpcUrl.value).toBe(rpcUrl); // no node moved to other ports
    const sealedBy = await waitForSealingBy(rpcUrl, four, 12, 90_000);
    expect(sealedBy).toContain(signerOf.delta);
    // Idempotent: the votes are done and withdrawn; nothing left to change.
    await stack.preview({ expectNoChanges: true });
    for (const n of (await nodes()).filter((x) => x.signer)) expect(await rpc(n.ipcPath!, "clique_proposals")).toEqual({});
  }, 300_000);

  it("an original member retires: it is voted out, then its node is removed", async () => {
    const gamma = (await processes()).find((p) => p.name === "gamma")!;
    await setAuthorities([GENESIS[0], GENESIS[1], { ...GENESIS[2], retired: true }, DELTA]);
    const up = await upAndRecord();
    const three = ["alpha", "beta", "delta"].map((n) => signerOf[n]);
    expect(new Set(up.outputs.liveSigners.value)).toEqual(new Set(three));
    expect(new Set(up.outputs.signers.value)).toEqual(new Set(three));
    expect(new Set(await liveSigners(alphaUrl))).toEqual(new Set(three));
    // gamma's member (org-2) has no authority left here: its RPC node goes too; the others' stay.
    expect((await processes()).map((p) => p.name).sort()).toEqual(["alpha", "beta", "delta", "rpc-org-0", "rpc-org-1", "rpc-org-3"]);
    expect(isOurProcess(gamma.pid, gamma.dir)).toBe(false);
    for (const port of gamma.ports) expect(await portFree(port)).toBe(true);
    await waitForSealingBy(rpcUrl, three, 6, 90_000);
    await stack.preview({ expectNoChanges: true });
  }, 300_000);

  it("the chain never stopped sealing, and its genesis never changed", async () => {
    const end = await head(rpcUrl);
    expect(end).toBeGreaterThan(startBlock + 20);
    const time = async (n: number) => Number((await rpc<{ timestamp: string }>(rpcUrl, "eth_getBlockByNumber", ["0x" + n.toString(16), false])).timestamp);
    let maxGap = 0;
    let previous = await time(startBlock);
    for (let n = startBlock + 1; n <= end; n++) {
      const t = await time(n);
      if (t - previous > 2) console.log(`block ${n} came ${t - previous}s after its parent`);
      maxGap = Math.max(maxGap, t - previous);
      previous = t;
    }
    console.log(`blocks ${startBlock}..${end} over ${previous - (await time(startBlock))}s: longest gap between consecutive blocks ${maxGap}s`);
    expect(maxGap).toBeLessThanOrEqual(MAX_GAP_SECONDS);
    expect((await rpc<{ hash: string }>(rpcUrl, "eth_getBlockByNumber", ["0x0", false])).hash).toBe(genesisHash);
  }, 300_000);

  it("an out-of-band vote is drift for refresh, and up votes the signer back in", async () => {
    // alpha and beta (2 of 3) vote delta out behind the stack's back.
    const byName = Object.fromEntries((await nodes()).map((n) => [n.name, n]));
    for (const voter of ["alpha", "beta"]) await rpc(byName[voter].ipcPath!, "clique_propose", [signerOf.delta, false]);
    const deadline = Date.now() + 60_000;
    while ((await liveSigners(alphaUrl)).includes(signerOf.delta)) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 500));
    }

    await expect(stack.refresh({ previewOnly: true, expectNoChanges: true })).rejects.toThrow();
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges?.update).toBe(1);

    const heal = await upAndRecord();
    const three = ["alpha", "beta", "delta"].map((n) => signerOf[n]);
    expect(new Set(heal.outputs.liveSigners.value)).toEqual(new Set(three));
    expect(new Set(await liveSigners(alphaUrl))).toEqual(new Set(three));
    // The out-of-band proposals were withdrawn, so delta is not voted out again later.
    for (const voter of ["alpha", "beta", "delta"]) expect(await rpc(byName[voter].ipcPath!, "clique_proposals")).toEqual({});
    await stack.preview({ expectNoChanges: true });
  }, 300_000);
});
