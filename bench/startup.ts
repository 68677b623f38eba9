// Wall time from `pulumi up` start to the first sealed block seen on the stack's RPC node, for N authorities (spread
// over at most 7 members, each with its RPC node), side by side with a baseline in the same run: the same layout, keys,
// genesis and run specs started directly (no Pulumi engine). The ratio is the cost of orchestration through Pulumi;
// both include key generation and geth start-up (authorities answer over IPC, RPC nodes over HTTP).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForBlock } from "../testkit/clique";
import { generateKey } from "../lib/keygen";
import { LocalProcessState, removeNode, startNode } from "../lib/localProcess";
import { renderChainFile } from "../render/chain";
import { fleetLayout } from "../render/fleet";
import { renderLocalFleet } from "../render/local/fleet";
import { resolveSecretFiles } from "../render/secrets";
import { reserveTestPortBlock, TestPortBlock } from "../testkit/portBlock";
import { createScratchStack } from "../testkit/scratchStack";
import { Tools } from "../lib/toolchain/resolve";
import { parseConsortiumSpec } from "../settings/parse";

export interface StartupRow {
  authorities: number;
  pulumiUpSeconds: number;
  directSeconds: number;
  ratio: number;
}

const FIRST_BLOCK_TIMEOUT_MS = 120_000;
const MAX_MEMBERS = 7;

function config(n: number) {
  return {
    name: "bench",
    dev: true,
    chainId: 31417,
    blockPeriodSeconds: 1,
    // At most 7 members: each member adds an RPC node, and one machine runs at most 32 local nodes (21 + 7 fit).
    authorities: Array.from({ length: n }, (_, i) => ({ name: `a${i}`, member: `m${i % MAX_MEMBERS}` })),
    fleet: { target: "local", rpcNode: true },
  };
}

async function viaPulumi(n: number, tools: Tools): Promise<number> {
  const scratch = await createScratchStack({ name: `bench${n}`, config: config(n), tools });
  try {
    const t0 = performance.now();
    const up = await scratch.stack.up();
    await waitForBlock(up.outputs.rpcUrl.value, 1, FIRST_BLOCK_TIMEOUT_MS);
    return (performance.now() - t0) / 1000;
  } finally {
    await scratch.dispose();
  }
}

async function direct(n: number, tools: Tools): Promise<number> {
  const spec = parseConsortiumSpec(config(n));
  const workDir = await mkdtemp(join(tmpdir(), "bench-direct-"));
  const started: LocalProcessState[] = [];
  // The nodes' block and their metrics ports' block (render/fleet.ts NODE_METRICS_GROUP).
  const blocks: TestPortBlock[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < 2; i++) blocks.push(await reserveTestPortBlock(`bench-direct-${n}`, workDir));
    const layout = fleetLayout(spec, spec.authorities.map((a) => a.name));
    const keys = await Promise.all(
      layout.map(async (n) => ({
        ...n,
        node: await generateKey({ kind: "node" }),
        signer: n.role === "rpc" ? undefined : await generateKey({ kind: "signer", scryptN: spec.keys.scryptN }),
      })),
    );
    const signers = keys.filter((k) => k.signer).map((k) => k.signer!.address!);
    const chain = renderChainFile(spec, { validators: signers });
    const procs = renderLocalFleet({
      spec,
      geth: tools.geth,
      chain,
      basePort: blocks[0].base,
      metricsBasePort: blocks[1].base,
      externalPeers: [],
      workDir,
      nodes: keys.map((k) => ({
        name: k.name,
        member: k.member,
        role: k.role,
        slot: k.slot,
        sealer: k.role === "authority",
        nodePublicKey: k.node.publicKey!,
        ...(k.signer ? { signer: { address: k.signer.address!, keystore: k.signer.keystore! } } : {}),
      })),
    });
    await Promise.all(
      procs.map(async ({ run, ...proc }, i) => {
        const signer = keys[i].signer;
        const secretFiles = resolveSecretFiles(run.secretFiles, { nodeKey: keys[i].node.privateKey!, ...(signer ? { password: signer.password, keystore: signer.keystore } : {}) });
        started.push(await startNode({ ...proc, secretFiles, resetKey: "bench" }));
      }),
    );
    // The stack's RPC URL: the first member's RPC node (the first RPC node of the layout).
    await waitForBlock(procs[layout.findIndex((n) => n.role === "rpc")].rpcUrl, 1, FIRST_BLOCK_TIMEOUT_MS);
    return (performance.now() - t0) / 1000;
  } finally {
    await Promise.all(started.map((s) => removeNode(s)));
    for (const block of blocks) await block.release();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Interleaves the two paths per size so machine load affects both alike. */
export async function benchStartup(sizes: number[], tools: Tools, log: (m: string) => void): Promise<StartupRow[]> {
  const rows: StartupRow[] = [];
  for (const n of sizes) {
    log(`startup: ${n} authorities, direct baseline ...`);
    const directSeconds = await direct(n, tools);
    log(`startup: ${n} authorities, pulumi up ...`);
    const pulumiUpSeconds = await viaPulumi(n, tools);
    rows.push({ authorities: n, pulumiUpSeconds, directSeconds, ratio: pulumiUpSeconds / directSeconds });
  }
  return rows;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const mean = (f: (p: [number, number]) => number) => points.reduce((a, p) => a + f(p), 0) / points.length;
  const mx = mean((p) => p[0]);
  const my = mean((p) => p[1]);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

/** How the cost grows with the fleet: seconds per added authority, and the time ratio of the largest to the smallest. */
export function startupGrowth(rows: StartupRow[]) {
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    pulumiUpSecondsPerAuthority: slope(rows.map((r) => [r.authorities, r.pulumiUpSeconds])),
    directSecondsPerAuthority: slope(rows.map((r) => [r.authorities, r.directSeconds])),
    fromAuthorities: first.authorities,
    toAuthorities: last.authorities,
    sizeRatio: last.authorities / first.authorities,
    pulumiUpTimeRatio: last.pulumiUpSeconds / first.pulumiUpSeconds,
  };
}
