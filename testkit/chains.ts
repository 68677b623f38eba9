// Real chains for tests: a foreign geth --dev chain and a home Clique chain sealed by geth authorities, read through
// a non-signing RPC node (a sealer serves no HTTP: its key is unlocked). Each start reserves its own port block, runs
// geth as local processes, and `stop()` removes processes, ports and directory. Bounded: nodes must answer within the
// local-process ready timeout.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeAddress, JsonRpcProvider, Wallet } from "ethers";
import { fundFromDevAccount } from "../lib/devChain";
import { jsonRpcCall } from "../lib/ipc";
import { waitForBlock } from "./clique";
import { watchOnDemandSealing } from "./onDemandWatchdog";
import { randomPassword, randomPrivateKey } from "../lib/keygen";
import { LocalProcessState, removeNode, startNode } from "../lib/localProcess";
import { renderChainFile } from "../render/chain";
import { GETH_DEV_CHAIN_ID, renderGethDevChain } from "../render/geth/devChain";
import { fleetLayout } from "../render/fleet";
import { encryptKeystore } from "../lib/keygen";
import { renderLocalFleet } from "../render/local/fleet";
import { LocalProcessSpec } from "../render/local/process";
import { resolveSecretFiles } from "../render/secrets";
import { nodePublicKey } from "../render/keys/nodeKey";
import { ensureTools } from "../lib/toolchain/resolve";
import { reserveTestPortBlock, TestPortBlock } from "./portBlock";
import { parseConsortiumSpec } from "../settings/parse";
import { SequencedWallet } from "../lib/eth/sequencedWallet";

export interface TestChain {
  rpcUrl: string;
  chainId: number;
  /** Working directory of the chain's node (logs in node.log). */
  dir: string;
  /** A funded wallet connected to this chain, holding `ether` (a fresh key unless one is given: the same deployer on two chains). */
  fundedWallet(ether?: bigint, privateKey?: string): Promise<SequencedWallet>;
  provider(): JsonRpcProvider;
  /** Its sealing authorities (a Clique chain's signers; none for a --dev chain). */
  signers: { name: string; address: string }[];
  /** Each node's own Prometheus metrics (path included), by node name: a Clique chain's, rendered as a stack's are. */
  metricsUrls: Record<string, string>;
  /** Stops one of its nodes, by name (an authority: its signer stops sealing). */
  stopNode(name: string): Promise<void>;
  stop(): Promise<void>;
}

const ETHER = 10n ** 18n;

/**
 * The chain's processes with their secret files' contents (and metrics URL, if they serve metrics), started in order;
 * the last one serves HTTP JSON-RPC (the chain's URL).
 */
type ChainNodes = { proc: LocalProcessSpec; secretFiles: Record<string, string>; metricsUrl?: string }[];

async function startChain(
  label: string,
  chainId: number,
  /** `reserve` claims one more port block (released by `stop()`). */
  render: (geth: string, base: number, root: string, reserve: () => Promise<number>) => Promise<ChainNodes>,
  fund: (rpcUrl: string, to: string, wei: bigint) => Promise<void>,
  signers: TestChain["signers"] = [],
  /** For a chain sealing on demand: makes its first block through its first node's endpoint (see startOnDemandChain). */
  firstBlock?: (endpoint: string) => Promise<void>,
): Promise<TestChain> {
  const geth = (await ensureTools({ build: false, log: () => {} })).geth;
  const root = await mkdtemp(join(tmpdir(), `${label}-`));
  const blocks: TestPortBlock[] = [];
  const reserve = async () => {
    const block = await reserveTestPortBlock(label, root);
    blocks.push(block);
    return block.base;
  };
  const states: LocalProcessState[] = [];
  const providers: JsonRpcProvider[] = [];
  const metricsUrls: Record<string, string> = {};
  const stop = async () => {
    for (const p of providers) p.destroy();
    for (const state of states.reverse()) await removeNode(state).catch(() => {});
    for (const block of blocks) await block.release().catch(() => {});
    await rm(root, { recursive: true, force: true });
  };
  try {
    // A sealer answers over its IPC socket only; the chain's URL is its RPC node's.
    for (const { proc, secretFiles, metricsUrl } of await render(geth, await reserve(), root, reserve)) {
      states.push(await startNode({ ...proc, secretFiles, resetKey: label }));
      if (states.length === 1) await firstBlock?.(proc.rpcUrl);
      if (metricsUrl) metricsUrls[proc.name] = metricsUrl;
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const state = states[states.length - 1];
  const rpcUrl = state.rpcUrl;
  const provider = () => {
    // No cache of identical requests (ethers keeps each answer 250 ms): on a chain sealing on demand, the same call
    // made again after a transaction that changes its answer would get the old one.
    const p = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, pollingInterval: 250, cacheTimeout: -1 });
    providers.push(p);
    return p;
  };
  return {
    rpcUrl,
    chainId,
    dir: states[0].dir,
    provider,
    signers,
    metricsUrls,
    async stopNode(name) {
      const state = states.find((x) => x.name === name);
      if (!state) throw new Error(`no node named ${name} (nodes: ${states.map((x) => x.name).join(", ")})`);
      await removeNode(state);
      states.splice(states.indexOf(state), 1);
    },
    async fundedWallet(ether = 1000n, privateKey = Wallet.createRandom().privateKey) {
      const w = new SequencedWallet(privateKey, provider());
      await fund(rpcUrl, w.address, ether * ETHER);
      return w;
    },
    stop,
  };
}

/** A geth --dev chain (chain id 1337, 1 s blocks by default): the foreign side in tests. */
export function startForeignDevChain(periodSeconds = 1): Promise<TestChain> {
  return startChain(
    "foreign-dev",
    GETH_DEV_CHAIN_ID,
    async (geth, base, root) => {
      const run = renderGethDevChain({ name: "foreign", geth, httpPort: base + 1, periodSeconds });
      const proc = { ...run, dir: join(root, run.name), readiness: "jsonrpc" as const, ports: [run.ports.http, run.ports.authrpc] };
      return [{ proc, secretFiles: {} }];
    },
    fundFromDevAccount,
  );
}

/** Sends a signed transaction to a node sealing on demand and waits for the block it makes. */
async function makeFirstBlock(endpoint: string, signed: string): Promise<void> {
  await jsonRpcCall(endpoint, "eth_sendRawTransaction", [signed]);
  await waitForBlock(endpoint, 1, 30_000);
}

/** Clique's block period 0, refused by the settings (a consortium's chain would stall without traffic): see startOnDemandChain. */
const ON_DEMAND = 0;

/**
 * A Clique chain sealed by one authority on demand: a block as soon as a transaction arrives, none otherwise. For
 * tests of contracts, on either side of the bridge, which wait for their transactions but for no block to pass: each
 * takes milliseconds instead of one to two periods. (geth --dev's on-demand sealing can leave one of several
 * transactions sent at once pending until the next one comes: not used.)
 * geth at genesis answers receipt lookups with "transaction indexing is in progress" until its first block, and a
 * fresh node drops the blocks its peers push until it has synced with them: so the sealer makes block 1 (the faucet's
 * transfer to itself) before the RPC node starts, which then syncs on meeting it.
 */
export function startOnDemandChain(chainId: number): Promise<TestChain> {
  return startHomeCliqueChain({ chainId, periodSeconds: ON_DEMAND });
}

/**
 * A Clique chain (London, 1 s blocks by default) sealed by one authority ("solo"), or by `authorities` of them
 * (`signer-0`, …): the home side in tests, and a chain whose signers a test stops.
 */
export async function startHomeCliqueChain(opts: { chainId?: number; periodSeconds?: number; authorities?: number } = {}): Promise<TestChain> {
  const chainId = opts.chainId ?? 31_337_001;
  const count = opts.authorities ?? 1;
  const names = count === 1 ? ["solo"] : Array.from({ length: count }, (_, i) => `signer-${i}`);
  const keys = await Promise.all(
    names.map(async (name) => {
      const signerKey = randomPrivateKey();
      const password = randomPassword();
      const keystore = JSON.stringify(await encryptKeystore(signerKey, password, { scrypt: { n: 2 ** 12, r: 8, p: 1 } }));
      return { name, address: computeAddress(signerKey), password, keystore };
    }),
  );
  const keyOf = new Map(keys.map((k) => [k.name, k]));
  // The faucet is a plain prefunded account known only to this test process.
  const faucetKey = randomPrivateKey();
  const faucet = computeAddress(faucetKey);
  const onDemand = opts.periodSeconds === ON_DEMAND;
  // Sealing on demand, its first block holds the faucet's transfer to itself.
  const firstTransaction = onDemand
    ? await new Wallet(faucetKey).signTransaction({ type: 2, chainId, nonce: 0, to: faucet, value: 0, gasLimit: 21_000, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n })
    : undefined;
  const fund = async (rpcUrl: string, to: string, wei: bigint) => {
    const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, pollingInterval: 250 });
    try {
      const tx = await new SequencedWallet(faucetKey, provider).sendTransaction({ to, value: wei });
      await tx.wait(1, 60_000);
    } finally {
      provider.destroy();
    }
  };
  // Sealing on demand, a key of the watchdog's own (testkit/onDemandWatchdog.ts).
  const pokeKey = randomPrivateKey();
  const started = await startChain(
    "home-clique",
    chainId,
    async (geth, base, root, reserve) => {
      const settings = parseConsortiumSpec({
        name: "home-test",
        chainId,
        engine: "clique",
        blockPeriodSeconds: onDemand ? 1 : (opts.periodSeconds ?? 1),
        authorities: names.map((name) => ({ name, member: "test" })),
        fleet: { target: "local" },
      });
      const spec = onDemand ? { ...settings, blockPeriodSeconds: ON_DEMAND } : settings;
      const chain = renderChainFile(spec, { validators: keys.map((k) => k.address), extraAlloc: { [faucet]: 10n ** 9n * ETHER, ...(onDemand ? { [computeAddress(pokeKey)]: ETHER } : {}) } });
      // The sealers and their member's RPC node "rpc-test", as the local fleet lays them out.
      const nodeKeys = fleetLayout(spec, names).map((n) => ({ ...n, nodeKey: randomPrivateKey() }));
      const procs = renderLocalFleet({
        spec,
        geth,
        chain,
        basePort: base,
        metricsBasePort: await reserve(),
        externalPeers: [],
        workDir: root,
        nodes: nodeKeys.map((n) => {
          const k = keyOf.get(n.name);
          return { ...n, sealer: k !== undefined, nodePublicKey: nodePublicKey(n.nodeKey), ...(k ? { signer: { address: k.address, keystore: k.keystore } } : {}) };
        }),
      });
      return procs.map(({ run, metricsUrl, ...rendered }, i) => {
        const k = keyOf.get(nodeKeys[i].name);
        // geth drops the blocks peers push to a fresh node until its first sync, which waits for min(5, maxpeers) peers
        // or its forced sync (10 s): the RPC node of a one-sealer chain syncs on meeting it. (Not with more sealers:
        // geth keeps a third of maxpeers for its own dials, and would turn one of them away.)
        const oneSealer = keys.length === 1;
        const proc = k || !oneSealer ? rendered : { ...rendered, args: [...rendered.args, "--maxpeers", "1"] };
        return { proc, metricsUrl, secretFiles: resolveSecretFiles(run.secretFiles, { nodeKey: nodeKeys[i].nodeKey.slice(2), ...(k ? { password: k.password, keystore: k.keystore } : {}) }) };
      });
    },
    fund,
    keys.map(({ name, address }) => ({ name, address })),
    firstTransaction ? (sealer) => makeFirstBlock(sealer, firstTransaction) : undefined,
  );
  if (!onDemand) return started;
  const watchdog = watchOnDemandSealing(started.rpcUrl, chainId, pokeKey);
  return {
    ...started,
    async stop() {
      watchdog.stop();
      await started.stop();
    },
  };
}
