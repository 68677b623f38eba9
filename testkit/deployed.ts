// A contract deployment's address once it is mined. Not ethers' waitForDeployment(): a geth started moments before
// may still be building its transaction index, answers receipt lookups with an error meanwhile, and ethers takes
// that as a failure; lib/eth/transactions.ts waits it out.
import type { BaseContract } from "ethers";
import { waitForReceipt } from "../lib/eth/transactions";

export async function deployedAddress(deployed: BaseContract, what: string): Promise<string> {
  const tx = deployed.deploymentTransaction();
  if (!tx || !deployed.runner?.provider) throw new Error(`${what}: not a contract being deployed through a provider`);
  await waitForReceipt(deployed.runner.provider, tx.hash, what);
  return deployed.getAddress();
}
