// Binds the foreign vault to its home gateway, once: what the VaultBinding dynamic provider runs. The vault accepts
// deposits and releases only once bound, and serves that one gateway forever (contracts/README.md, "Migration").
import { Contract, getAddress, ZeroAddress } from "ethers";
import { withProvider } from "../eth/provider";
import { SequencedWallet } from "../eth/sequencedWallet";
import { waitForReceipt, withSenderLock } from "../eth/transactions";
import { FOREIGN_VAULT_ABI } from "./abi";

export interface VaultBindingInputs {
  /** The foreign chain. */
  rpcUrl: string;
  chainId: number;
  /** Secret: the vault's binder (the deployer that created it). */
  deployerKey: string;
  vault: string;
  gateway: string;
}

export interface VaultBindingState extends Omit<VaultBindingInputs, "deployerKey"> {
  /** The gateway the vault is bound to, as last observed ("" when unbound). */
  boundGateway: string;
}

async function boundGateway(vault: Contract): Promise<string> {
  const bound: string = await vault.homeGateway();
  return bound === ZeroAddress ? "" : getAddress(bound);
}

/** Binds when unbound; accepts a binding to this gateway; refuses any other (the binding is permanent). */
export function bindVault(inputs: VaultBindingInputs): Promise<VaultBindingState> {
  const { deployerKey, ...state } = inputs;
  return withProvider(inputs, async (provider) => {
    const binder = new SequencedWallet(deployerKey, provider);
    const vault = new Contract(inputs.vault, FOREIGN_VAULT_ABI, binder);
    const bound = await boundGateway(vault);
    if (bound && bound !== getAddress(inputs.gateway)) {
      throw new Error(
        `foreign vault ${inputs.vault} is bound to gateway ${bound} for good; it cannot serve ${inputs.gateway}. ` +
          'Fix: deploy a new vault with the new gateway (contracts/README.md, "Migration").',
      );
    }
    if (!bound) {
      const allowed = getAddress(await vault.binder());
      if (allowed !== binder.address) throw new Error(`foreign vault ${inputs.vault}: only its binder ${allowed} may bind it, not the deployer ${binder.address}`);
      await withSenderLock(inputs.chainId, binder.address, async () => {
        const tx = await vault.bindGateway(inputs.gateway);
        await waitForReceipt(provider, tx.hash, `binding vault ${inputs.vault} to gateway ${inputs.gateway}`);
      });
    }
    return { ...state, boundGateway: await boundGateway(vault) };
  });
}

export function observeBinding(state: VaultBindingState): Promise<VaultBindingState> {
  return withProvider(state, async (provider) => ({ ...state, boundGateway: await boundGateway(new Contract(state.vault, FOREIGN_VAULT_ABI, provider)) }));
}
