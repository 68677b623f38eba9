// Who of the validators has done their part for one transfer, read from the home gateway (view calls): the bridge app
// shows it per account, the dashboard for the oldest transfer still waiting.
import { Contract, getAddress } from "ethers";
import type { SignerRef } from "./chainStatus";

/** The validators (by name) whose confirmation of the deposit the gateway holds. */
export async function depositConfirmedBy(gateway: Contract, validators: readonly SignerRef[], id: bigint, recipient: string, amount: bigint): Promise<string[]> {
  const confirmed = await Promise.all(validators.map(async (v) => ((await gateway.depositConfirmedBy(id, recipient, amount, v.address)) as boolean) && v.name));
  return confirmed.filter((v): v is string => v !== false);
}

/** The validators (by name; an unknown signer by address) whose signature of the withdrawal the gateway holds. */
export async function withdrawalSignedBy(gateway: Contract, validators: readonly SignerRef[], id: bigint): Promise<string[]> {
  const names = new Map(validators.map((v) => [getAddress(v.address), v.name]));
  const [signers] = (await gateway.withdrawalSignatures(id)) as [string[], string[]];
  return signers.map((s) => names.get(getAddress(s)) ?? s);
}
