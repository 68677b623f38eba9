// The transactions the holder signs in their wallet: approve + deposit on foreign, withdraw on home, and on foreign
// the release of a signed withdrawal or the refund of a non-whitelisted deposit. Each resolves once mined.
import { Contract } from "ethers";
import { ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../../lib/bridge/abi";
import type { BridgeAppSettings } from "../../monitor/bridgeApp";
import type { WithdrawalView } from "../../monitor/transfers";
import { ChainToAdd, foreignChain } from "./chains";
import { Eip1193, signerOn } from "./wallet";

type Progress = (step: string) => void;

export async function deposit(w: Eip1193, s: BridgeAppSettings, units: bigint, progress: Progress): Promise<void> {
  const signer = await signerOn(w, foreignChain(s));
  const token = new Contract(s.foreign.token, ERC20_ABI, signer);
  const vault = new Contract(s.foreign.vault, FOREIGN_VAULT_ABI, signer);
  if (((await token.allowance(await signer.getAddress(), s.foreign.vault)) as bigint) < units) {
    progress("Approve the vault to take the tokens, in your wallet…");
    await (await token.approve(s.foreign.vault, units)).wait();
  }
  progress("Sign the deposit in your wallet…");
  await (await vault.deposit(units, await signer.getAddress())).wait();
}

/** `home`: the consortium chain as the wallet adds it (wallet.ts homeChain: with the holder's read key where needed). */
export async function withdraw(w: Eip1193, s: BridgeAppSettings, home: ChainToAdd, units: bigint, progress: Progress): Promise<void> {
  const signer = await signerOn(w, home);
  progress("Sign the withdrawal in your wallet…");
  await (await new Contract(s.home.gateway, HOME_GATEWAY_ABI, signer).withdraw(units, await signer.getAddress())).wait();
}

export async function release(w: Eip1193, s: BridgeAppSettings, x: WithdrawalView, progress: Progress): Promise<void> {
  const signer = await signerOn(w, foreignChain(s));
  progress("Sign the release in your wallet…");
  const vault = new Contract(s.foreign.vault, FOREIGN_VAULT_ABI, signer);
  await (await vault.executeWithdrawal(x.id, x.recipient, BigInt(x.amountUnits), x.signatureList ?? [])).wait();
}

export async function refund(w: Eip1193, s: BridgeAppSettings, depositId: string, progress: Progress): Promise<void> {
  const signer = await signerOn(w, foreignChain(s));
  progress("Sign the refund in your wallet…");
  await (await new Contract(s.foreign.vault, FOREIGN_VAULT_ABI, signer).refund(depositId)).wait();
}
