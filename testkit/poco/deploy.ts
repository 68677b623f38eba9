// A whole PoCo deployment from one signer, outside Pulumi (benchmarks, tests): every contract in order, skipping
// those already known to be on chain, then the setup steps. The Pulumi component does the same through one
// resource per contract (so its state keeps each address the moment it exists) and one for the setup.
import { Signer } from "ethers";
import { codeHashAt, deployContract } from "../../lib/poco/contracts";
import { CONTRACTS, ContractName, dependenciesOf } from "../../lib/poco/plan";
import { applyPocoSteps } from "../../lib/poco/steps";
import { PocoSettings, pocoTarget } from "../../lib/poco/target";

export interface PocoDeployment {
  contracts: Record<ContractName, string>;
  /** Contracts created by this run, and the setup steps that acted. */
  deployed: ContractName[];
  ran: string[];
  /** Gas of the contract creations and of the setup transactions. */
  gas: { contracts: bigint; setup: bigint };
}

export async function deployPoco(
  signer: Signer,
  settings: PocoSettings,
  known: Partial<Record<ContractName, string>> = {},
): Promise<PocoDeployment> {
  const contracts: Partial<Record<ContractName, string>> = {};
  const deployed: ContractName[] = [];
  let contractGas = 0n;
  for (const name of CONTRACTS) {
    const existing = known[name];
    if (existing && (await codeHashAt(signer.provider!, existing))) {
      contracts[name] = existing;
      continue;
    }
    const deps = Object.fromEntries(dependenciesOf(name).map((d) => [d, contracts[d]!]));
    const result = await deployContract(signer, name, deps);
    contracts[name] = result.address;
    deployed.push(name);
    contractGas += result.gasUsed;
  }
  const all = contracts as Record<ContractName, string>;
  const setup = await applyPocoSteps(signer, pocoTarget(all, settings));
  return { contracts: all, deployed, ran: setup.ran, gas: { contracts: contractGas, setup: setup.gasUsed } };
}
