// The validators' signatures of a withdrawal as the vault accepts them: read from the gateway (where each validator
// posts its own), those of current foreign validators only, each once, in ascending signer order. Used by whoever
// executes the withdrawal on foreign: the recipient (npm run bridge), a relaying agent, the tests.
import { Contract, getAddress } from "ethers";

/** Addresses sorted ascending as numbers (the order the vault requires). */
export function sortAddresses(addresses: readonly string[]): string[] {
  return [...addresses].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}

/** The signatures to pass to `executeWithdrawal`, or undefined while fewer than the foreign threshold are posted. */
export async function executableSignatures(gateway: Contract, foreignValidatorSet: Contract, withdrawalId: bigint | string): Promise<string[] | undefined> {
  const [[signers, signatures], validators, threshold] = await Promise.all([
    gateway.withdrawalSignatures(withdrawalId) as Promise<[string[], string[]]>,
    foreignValidatorSet.validators() as Promise<string[]>,
    foreignValidatorSet.threshold() as Promise<bigint>,
  ]);
  const current = new Set(validators.map((v) => getAddress(v)));
  const bySigner = new Map<string, string>();
  signers.forEach((s, i) => current.has(getAddress(s)) && bySigner.set(getAddress(s), signatures[i]));
  if (BigInt(bySigner.size) < threshold) return undefined;
  return sortAddresses([...bySigner.keys()]).map((s) => bySigner.get(s)!);
}
