// The whole dev stack — the fleet with an RPC node per member, the bridge (foreign dev chain, contracts, one agent per
// validator) and PoCo — brought up by `pulumi up` on a scratch stack with the dev stack's settings, for 3 and for 7
// authorities (each its own member): how the cost of everything a stack deploys grows with the consortium.
import { createScratchStack } from "../testkit/scratchStack";
import type { Tools } from "../lib/toolchain/resolve";

export interface DevStackRow {
  authorities: number;
  upSeconds: number;
}

function devConfig(n: number) {
  return {
    name: `benchdev${n}`,
    dev: true,
    chainId: 31_500 + n,
    engine: "clique",
    blockPeriodSeconds: 1,
    forkLevel: "london",
    gasLimit: 30_000_000,
    authorities: Array.from({ length: n }, (_, i) => ({ name: `a${i}`, member: `m${i}` })),
    fleet: { target: "local", rpcNode: true },
    bridge: { feeBps: 50 },
    poco: { chainName: "dev" },
  };
}

export async function benchDevStack(sizes: number[], tools: Tools, log: (m: string) => void): Promise<DevStackRow[]> {
  const rows: DevStackRow[] = [];
  for (const n of sizes) {
    log(`dev stack: ${n} authorities, pulumi up ...`);
    const scratch = await createScratchStack({ name: `benchdev${n}`, config: devConfig(n), tools });
    try {
      const t0 = performance.now();
      await scratch.stack.up();
      rows.push({ authorities: n, upSeconds: (performance.now() - t0) / 1000 });
    } finally {
      await scratch.dispose();
    }
  }
  return rows;
}
