// Wall time from `pulumi up` start to the first sealed block seen on the RPC node, for N authorities, side by side
// with a baseline in the same run: the same keys, genesis and run specs started directly (no Pulumi engine).
// The ratio is the cost of orchestration through Pulumi; both include key generation and geth start-up.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForBlock } from "../lib/clique";
import { generateKey } from "../lib/keygen";
import { LocalProcessState, removeNode, startNode } from "../lib/localProcess";
import { releasePortBlock, reservePortBlock } from "../lib/ports";
import { renderChainFile } from "../render/chain";
import { renderLocalFleet, RPC_NODE_NAME } from "../render/geth/localFleet";
import { resolveSecretFiles } from "../render/secrets";
import { createScratchStack } from "../scripts/lib/scratchStack";
import { Tools } from "../scripts/toolchain/resolve";
import { parseConsortiumSpec } from "../spec/parse";

export interface StartupRow {
  authorities: number;
  pulumiUpSeconds: number;
  directSeconds: number;
  ratio: number;
}

const FIRST_BLOCK_TIMEOUT_MS = 120_000;

function config(n: number) {
  return {
    name: "bench",
    dev: true,
    chainId: 31417,
    blockPeriodSeconds: 1,
    authorities: Array.from({ length: n }, (_, i) => ({ name: `a${i}`, member: `m${i}` })),
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
  const registry = await mkdtemp(join(tmpdir(), "bench-ports-"));
  const workDir = await mkdtemp(join(tmpdir(), "bench-direct-"));
  const owner = `bench-direct-${n}`;
  const started: LocalProcessState[] = [];
  let base: number | undefined;
  try {
    const t0 = performance.now();
    base = await reservePortBlock(registry, owner);
    const names = [...spec.authorities.map((a) => a.name), RPC_NODE_NAME];
    const keys = await Promise.all(
      names.map(async (name) => ({
        name,
        node: await generateKey({ kind: "node" }),
        signer: name === RPC_NODE_NAME ? undefined : await generateKey({ kind: "signer", scryptN: spec.keys.scryptN }),
      })),
    );
    const signers = keys.filter((k) => k.signer).map((k) => k.signer!.address!);
    const chain = renderChainFile(spec, { validators: signers });
    const specs = renderLocalFleet({
      spec,
      geth: tools.geth,
      chain,
      basePort: base,
      externalPeers: [],
      nodes: keys.map((k) => ({
        name: k.name,
        nodePublicKey: k.node.publicKey!,
        ...(k.signer ? { signer: { address: k.signer.address!, keystore: k.signer.keystore! } } : {}),
      })),
    });
    await Promise.all(
      specs.map(async (s, i) => {
        const secretFiles = resolveSecretFiles(s.secretFiles, { nodeKey: keys[i].node.privateKey!, password: keys[i].signer?.password });
        const p = s.ports;
        started.push(
          await startNode({ ...s, dir: join(workDir, s.name), secretFiles, ports: [p.p2p, p.http, p.authrpc], resetKey: "bench" }),
        );
      }),
    );
    await waitForBlock(specs[specs.length - 1].rpcUrl, 1, FIRST_BLOCK_TIMEOUT_MS);
    return (performance.now() - t0) / 1000;
  } finally {
    await Promise.all(started.map((s) => removeNode(s)));
    if (base !== undefined) await releasePortBlock(registry, base, owner);
    await rm(workDir, { recursive: true, force: true });
    await rm(registry, { recursive: true, force: true });
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
