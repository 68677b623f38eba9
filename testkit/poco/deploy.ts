// A whole PoCo deployment from one signer, outside Pulumi (benchmarks, tests), through the functions the providers
// run: the contracts as the engine creates them — all those whose dependencies exist at once, in dependency levels —,
// skipping those already known to be on chain, then the setup steps in their waves. `oneAtATime` is the old
// sequential path (each transaction mined before the next is sent), the benchmark's baseline.
import { codeHashAt, deployContract } from "../../lib/poco/contracts";
import { CONTRACTS, ContractName, dependenciesOf } from "../../lib/poco/plan";
import { applyPocoSteps } from "../../lib/poco/steps";
import { PocoSettings, pocoTarget } from "../../lib/poco/target";
import type { SequencedWallet } from "../../lib/eth/sequencedWallet";

export interface PocoDeployment {
  contracts: Record<ContractName, string>;
  /** Contracts created by this run, and the setup steps that acted. */
  deployed: ContractName[];
  ran: string[];
  /** Gas of the contract creations and of the setup transactions. */
  gas: { contracts: bigint; setup: bigint };
}

export interface DeployOptions {
  oneAtATime?: boolean;
}

/** The contracts in levels: each level's dependencies are all in earlier levels (what the engine creates at once). */
export function contractLevels(): ContractName[][] {
  const level = new Map<ContractName, number>();
  for (const name of CONTRACTS) level.set(name, Math.max(-1, ...dependenciesOf(name).map((d) => level.get(d)!)) + 1);
  const levels: ContractName[][] = [];
  for (const name of CONTRACTS) (levels[level.get(name)!] ??= []).push(name);
  return levels;
}

/**
 * Deploys PoCo. `known` holds the addresses of contracts already on chain (what a stack's state would hold) and gets
 * each new one as it is created, so an interrupted run leaves in it what exists; a level that fails throws once all
 * of its creations have ended.
 */
export async function deployPoco(
  signer: SequencedWallet,
  settings: PocoSettings,
  known: Partial<Record<ContractName, string>> = {},
  options: DeployOptions = {},
): Promise<PocoDeployment> {
  const deployed: ContractName[] = [];
  let contractGas = 0n;
  const ensure = async (name: ContractName) => {
    const existing = known[name];
    if (existing && (await codeHashAt(signer.provider!, existing))) return;
    const deps = Object.fromEntries(dependenciesOf(name).map((d) => [d, known[d]!]));
    const result = await deployContract(signer, name, deps);
    known[name] = result.address;
    deployed.push(name);
    contractGas += result.gasUsed;
  };
  for (const level of options.oneAtATime ? CONTRACTS.map((c) => [c]) : contractLevels()) {
    const failed = (await Promise.allSettled(level.map(ensure))).find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }
  const all = known as Record<ContractName, string>;
  const setup = await applyPocoSteps(signer, pocoTarget(all, settings), options);
  return { contracts: { ...all }, deployed, ran: setup.ran, gas: { contracts: contractGas, setup: setup.gasUsed } };
}
