// Creating one PoCo contract, and fingerprinting the code at an address (what `read` compares).
import { Provider, Signer, keccak256 } from "ethers";
import { waitForReceipt } from "../eth/transactions";
import { ContractName, creationCode } from "./plan";

export interface DeployedContract {
  address: string;
  /** keccak256 of the runtime code at `address`; "" when there is none. */
  codeHash: string;
  gasUsed: bigint;
}

const TX_TIMEOUT_MS = 120_000;

export async function codeHashAt(provider: Provider, address: string): Promise<string> {
  const code = await provider.getCode(address);
  return code === "0x" ? "" : keccak256(code);
}

/** Deploys `name` from `signer`; `deps` holds the addresses named by `dependenciesOf(name)`. */
export async function deployContract(signer: Signer, name: ContractName, deps: Record<string, string>): Promise<DeployedContract> {
  const data = creationCode(name, deps, await signer.getAddress());
  const tx = await signer.sendTransaction({ data });
  const receipt = await waitForReceipt(signer.provider!, tx.hash, `deploying ${name}`, TX_TIMEOUT_MS);
  if (!receipt.contractAddress) throw new Error(`deploying ${name} created no contract (tx ${tx.hash})`);
  const codeHash = await codeHashAt(signer.provider!, receipt.contractAddress);
  if (!codeHash) throw new Error(`deploying ${name} left no code at ${receipt.contractAddress} (tx ${tx.hash})`);
  return { address: receipt.contractAddress, codeHash, gasUsed: receipt.gasUsed };
}
