// A one-node geth --dev chain started from a genesis of our own, for tests of contracts placed in a genesis (code and
// storage, no constructor: AuRa's transaction permission contract). geth runs such a contract as any other; it does
// not enforce it. Its ports come from a block of the per-user registry; `stop` removes everything.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { LocalProcessState, removeNode, startNode } from "../lib/localProcess";
import { ensureTools } from "../lib/toolchain/resolve";
import { reserveTestPortBlock } from "./portBlock";
import { renderGethDevChain } from "../render/geth/devChain";

export interface GenesisChain {
  rpcUrl: string;
  provider: JsonRpcProvider;
  stop(): Promise<void>;
}

/** The chain (Shanghai, as geth's dev genesis; the contracts are London) whose genesis allocates `alloc`. */
export async function startGenesisChain(name: string, chainId: number, alloc: Record<string, unknown>): Promise<GenesisChain> {
  const geth = (await ensureTools({ build: false, log: () => {} })).geth;
  const root = await mkdtemp(join(tmpdir(), `${name}-`));
  const block = await reserveTestPortBlock(name, root);
  const base = block.base;
  let state: LocalProcessState | undefined;
  let provider: JsonRpcProvider | undefined;
  const stop = async () => {
    provider?.destroy();
    if (state) await removeNode(state).catch(() => {});
    await block.release().catch(() => {});
    await rm(root, { recursive: true, force: true });
  };
  try {
    const run = renderGethDevChain({ name, geth, httpPort: base + 1, periodSeconds: 1 });
    // geth --dev keeps a genesis it finds in its datadir when the chain is post-merge from block 0.
    const forks = ["homestead", "eip150", "eip155", "eip158", "byzantium", "constantinople", "petersburg", "istanbul", "berlin", "london"];
    const genesis = {
      config: { chainId, ...Object.fromEntries(forks.map((f) => [`${f}Block`, 0])), shanghaiTime: 0, terminalTotalDifficulty: 0, terminalTotalDifficultyPassed: true },
      difficulty: "0x1",
      gasLimit: "0x1c9c380",
      baseFeePerGas: "0x3b9aca00",
      alloc,
    };
    state = await startNode({
      ...run,
      dir: join(root, run.name),
      readiness: "jsonrpc",
      ports: [run.ports.http, run.ports.authrpc],
      files: { "genesis.json": JSON.stringify(genesis) },
      init: [{ command: geth, args: ["init", "--datadir", "data", "genesis.json"] }],
      secretFiles: {},
      resetKey: name,
    });
    provider = new JsonRpcProvider(state.rpcUrl, chainId, { staticNetwork: true, pollingInterval: 250 });
    return { rpcUrl: state.rpcUrl, provider, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
