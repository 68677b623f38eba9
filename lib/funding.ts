// Tops up an account's native balance on a dev chain, from geth --dev's developer account or from a funded key.
// Used only by dev stacks (validators of the dev bridge need gas on both chains).
import { fundFromDevAccount } from "./devChain";
import { withProvider } from "./eth/provider";
import { waitForReceipt, withSenderLock } from "./eth/transactions";
import { SequencedWallet } from "./eth/sequencedWallet";

/** Lock name of geth --dev's developer account (its address is only known to the node). */
const DEV_ACCOUNT = "geth-dev-account";

export interface FundingInputs {
  rpcUrl: string;
  chainId: number;
  to: string;
  /** Balance the account should hold at least, in wei (decimal string: state is JSON). */
  minimumWei: string;
  /** Secret: the funder's key; absent means the chain's geth --dev developer account. */
  funderKey?: string;
}

export type FundingState = Omit<FundingInputs, "funderKey">;

export function topUp(inputs: FundingInputs): Promise<FundingState> {
  return withProvider(inputs, async (provider) => {
    const funder = inputs.funderKey ? new SequencedWallet(inputs.funderKey, provider) : undefined;
    await withSenderLock(inputs.chainId, funder?.address ?? DEV_ACCOUNT, async () => {
      const missing = BigInt(inputs.minimumWei) - (await provider.getBalance(inputs.to));
      if (missing <= 0n) return;
      if (!funder) return fundFromDevAccount(inputs.rpcUrl, inputs.to, missing);
      const tx = await funder.sendTransaction({ to: inputs.to, value: missing });
      await waitForReceipt(provider, tx.hash, `funding ${inputs.to}`);
    });
    const { funderKey: _secret, ...state } = inputs;
    return state;
  });
}
