// A whole PoCo deployment in two rounds of blocks, whatever its size. Round one is a single burst: every contract
// still to create (its address follows from its nonce, so the Diamond's constructor, the linked facets and the setup
// can name contracts not mined yet) and every setup transaction but the handovers, run first in order in an EVM of
// our own (lib/eth/simulation.ts: their gas, and nothing sent if one would fail). Round two is the setup steps
// against the chain as it now is (lib/poco/steps.ts): they verify that round one took effect, finish what it did not,
// and hand ownership to the admin — only then, since a contract handed over half set up could not be finished.
// A run interrupted after broadcasting resumes: creations are journaled before they are sent (lib/eth/creationJournal.ts)
// and adopted by the next run, and the setup steps skip what the chain shows done.
import { ContractTransaction, getCreateAddress, Transaction } from "ethers";
import { sendSimulated } from "../eth/burst";
import { adoptJournaled, Creation, hasJournaled, journalCreation } from "../eth/creationJournal";
import type { SequencedWallet } from "../eth/sequencedWallet";
import type { PlannedTransaction } from "../eth/simulation";
import { settledNonce, withSenderLock } from "../eth/transactions";
import { codeHashAt } from "./contracts";
import { observePoco, PocoObservation } from "./observe";
import { CONTRACTS, ContractName, creationCode, DIAMOND_BASE, dependenciesOf, REGISTRIES, selectorsOf } from "./plan";
import { applyPocoSteps, pocoSteps, Send } from "./steps";
import { PocoSettings, pocoTarget } from "./target";

/** What one run of the deployment found, did and spent (tests and the benchmark read it; the resource keeps the contracts). */
export interface PocoDeploymentRun {
  contracts: Record<ContractName, string>;
  /** Contracts this run created (not found on chain, nor adopted from an interrupted run), and the setup steps that acted. */
  deployed: ContractName[];
  ran: string[];
  /** Gas of the contract creations and of the setup transactions this run sent. */
  gas: { contracts: bigint; setup: bigint };
  observation: PocoObservation;
}

const TX_TIMEOUT_MS = 120_000;
/** The handovers' wave (lib/poco/steps.ts): never in the burst. */
const HANDOVER_WAVE = 2;

/** The Diamond and registries this burst creates as their constructors leave them: owned by the deployer, bare. */
function asCreated(obs: PocoObservation, creating: Set<ContractName>, contracts: Record<ContractName, string>, deployer: string): PocoObservation {
  const registries = { ...obs.registries };
  for (const r of REGISTRIES) if (creating.has(r)) registries[r] = { hasCode: true, owner: deployer, initialized: false, baseURI: "" };
  if (!creating.has("Diamond")) return { ...obs, registries };
  const facets = Object.fromEntries(DIAMOND_BASE.map((f) => [contracts[f], selectorsOf(f)]));
  return { hasCode: true, owner: deployer, facets, configured: false, categories: [], registries };
}

/** The burst: the transactions in order, and what they make of the deployment. */
interface BurstPlan {
  txs: PlannedTransaction[];
  contracts: Record<ContractName, string>;
  /** Contracts the burst creates (the others are on chain, or adopted from an interrupted run). */
  creating: Set<ContractName>;
  adopted: Creation[];
  /** Setup steps the burst acts for. */
  steps: string[];
}

/**
 * Contracts in order, each on chain, adopted from an interrupted run, or created at the next nonce from `firstNonce`;
 * then the setup but the handovers, as the steps would send it on the chain as it will be once those creations are in.
 */
async function planBurst(signer: SequencedWallet, settings: PocoSettings, onChain: Partial<Record<ContractName, string>>, firstNonce: number): Promise<BurstPlan> {
  const plan: BurstPlan = { txs: [], contracts: {} as Record<ContractName, string>, creating: new Set(), adopted: [], steps: [] };
  for (const name of CONTRACTS) {
    const existing = onChain[name];
    if (existing) {
      plan.contracts[name] = existing;
      continue;
    }
    const data = creationCode(name, Object.fromEntries(dependenciesOf(name).map((d) => [d, plan.contracts[d]])), signer.address);
    const adopted = await adoptJournaled(signer, data, `deploying ${name}`, TX_TIMEOUT_MS);
    if (adopted) {
      plan.adopted.push(adopted);
      plan.contracts[name] = adopted.address;
      continue;
    }
    plan.contracts[name] = getCreateAddress({ from: signer.address, nonce: firstNonce + plan.txs.length });
    plan.creating.add(name);
    plan.txs.push({ what: `deploying ${name}`, data });
  }
  const target = pocoTarget(plan.contracts, settings);
  const obs = asCreated(await observePoco(signer.provider!, target), plan.creating, plan.contracts, signer.address);
  const requests: { what: string; request: Promise<ContractTransaction> }[] = [];
  const send: Send = async (what, request) => void requests.push({ what, request });
  for (const step of pocoSteps(target)) {
    if (step.wave === HANDOVER_WAVE || step.problems(obs).length === 0) continue;
    await step.run(signer, obs, send);
    plan.steps.push(step.name);
  }
  for (const { what, request } of requests) {
    const { to, data } = await request;
    plan.txs.push({ what, to, data });
  }
  return plan;
}

/**
 * Deploys PoCo from `signer` (sending to `rpcUrl`), or finishes a deployment: `known` holds contracts already on chain
 * (what a stack's state holds); one found without code is created again.
 */
export async function deployPocoStack(
  signer: SequencedWallet,
  rpcUrl: string,
  settings: PocoSettings,
  known: Partial<Record<ContractName, string>> = {},
): Promise<PocoDeploymentRun> {
  const provider = signer.provider!;
  return withSenderLock(settings.chainId, signer.address, async () => {
    // A resumed or repeated run first lets what an earlier run left in flight land, so that what it observes is final.
    if (Object.keys(known).length > 0 || (await hasJournaled(settings.chainId, signer.address))) await settledNonce(provider, signer.address, TX_TIMEOUT_MS);
    const withCode = await Promise.all(Object.entries(known).map(async ([name, address]) => ((await codeHashAt(provider, address)) ? [[name, address]] : [])));
    const onChain = Object.fromEntries(withCode.flat()) as Partial<Record<ContractName, string>>;

    let plan: BurstPlan | undefined;
    const journaled: (() => Promise<void>)[] = [];
    const burst = await sendSimulated(
      signer,
      rpcUrl,
      async (firstNonce) => (plan = await planBurst(signer, settings, onChain, firstNonce)).txs,
      async (tx, signed: Transaction) => {
        if (tx.to === undefined) journaled.push(await journalCreation(settings.chainId, signed, tx.data));
      },
    );
    const { contracts, creating, adopted, steps } = plan!;
    const gas = { contracts: 0n, setup: 0n };
    burst.txs.forEach((tx, i) => (tx.to === undefined ? (gas.contracts += burst.receipts[i].gasUsed) : (gas.setup += burst.receipts[i].gasUsed)));
    const codeless = (await Promise.all(CONTRACTS.map(async (c) => ((await codeHashAt(provider, contracts[c])) ? [] : [c])))).flat();
    if (codeless.length) throw new Error(`deploying ${codeless.join(", ")} left no code at ${codeless.map((c) => contracts[c]).join(", ")}`);
    // This run's transactions are all mined: what the steps observe now is final.
    const handover = await applyPocoSteps(signer, pocoTarget(contracts, settings), { settled: true });
    // The caller's state holds every contract from here: nothing is left to adopt.
    await Promise.all([...adopted.map((c) => c.recorded()), ...journaled.map((forget) => forget())]);
    return {
      contracts,
      deployed: CONTRACTS.filter((c) => creating.has(c)),
      ran: [...steps, ...handover.ran],
      gas: { contracts: gas.contracts, setup: gas.setup + handover.gasUsed },
      observation: handover.observation,
    };
  });
}
