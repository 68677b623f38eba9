// A whole PoCo deployment from one signer, outside Pulumi (benchmarks, tests): what the deployment resource runs
// (lib/poco/deployment.ts), or `oneAtATime`, the sequential path it replaced and the benchmark's baseline — each
// contract created and each setup transaction sent only once the one before it is mined.
import type { JsonRpcProvider } from "ethers";
import { codeHashAt, deployContract } from "../../lib/poco/contracts";
import { deployPocoStack, PocoDeploymentRun } from "../../lib/poco/deployment";
import { CONTRACTS, ContractName, dependenciesOf } from "../../lib/poco/plan";
import { applyPocoSteps } from "../../lib/poco/steps";
import { PocoSettings, pocoTarget } from "../../lib/poco/target";
import type { SequencedWallet } from "../../lib/eth/sequencedWallet";

export type { PocoDeploymentRun };

export interface DeployOptions {
  oneAtATime?: boolean;
}

/** Deploys PoCo, or finishes a deployment: `known` holds the addresses of contracts already on chain. */
export async function deployPoco(
  signer: SequencedWallet,
  settings: PocoSettings,
  known: Partial<Record<ContractName, string>> = {},
  options: DeployOptions = {},
): Promise<PocoDeploymentRun> {
  if (!options.oneAtATime) return deployPocoStack(signer, (signer.provider as JsonRpcProvider)._getConnection().url, settings, known);
  const contracts = { ...known };
  const deployed: ContractName[] = [];
  let contractGas = 0n;
  for (const name of CONTRACTS) {
    const existing = contracts[name];
    if (existing && (await codeHashAt(signer.provider!, existing))) continue;
    const result = await deployContract(signer, name, Object.fromEntries(dependenciesOf(name).map((d) => [d, contracts[d]!])));
    contracts[name] = result.address;
    deployed.push(name);
    contractGas += result.gasUsed;
  }
  const all = contracts as Record<ContractName, string>;
  const setup = await applyPocoSteps(signer, pocoTarget(all, settings), { oneAtATime: true });
  return { contracts: all, deployed, ran: setup.ran, gas: { contracts: contractGas, setup: setup.gasUsed }, observation: setup.observation };
}
