// Creating one PoCo contract, and fingerprinting the code at an address (what `read` compares).
import { Provider, keccak256 } from "ethers";
import { createOnce } from "../eth/creationJournal";
import type { SequencedWallet } from "../eth/sequencedWallet";
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

/**
 * Deploys `name` from `signer` (`deps` holds the addresses named by `dependenciesOf(name)`), or adopts the contract an
 * interrupted attempt created (lib/eth/creationJournal.ts). Creations from one signer may run concurrently: the
 * signer numbers them, and they are mined together.
 */
export async function deployContract(signer: SequencedWallet, name: ContractName, deps: Record<string, string>): Promise<DeployedContract> {
  const data = creationCode(name, deps, signer.address);
  const { address, receipt, recorded } = await createOnce(signer, data, `deploying ${name}`, TX_TIMEOUT_MS);
  const codeHash = await codeHashAt(signer.provider!, address);
  if (!codeHash) throw new Error(`deploying ${name} left no code at ${address} (tx ${receipt.hash})`);
  // Returned to the engine, which records it: nothing is left to do on this creation.
  await recorded();
  return { address, codeHash, gasUsed: receipt.gasUsed };
}
