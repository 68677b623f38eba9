// Shared by the PoCo tests: a wallet that fails mid-way, to interrupt a deployment.
import type { TransactionRequest } from "ethers";
import { BeforeBroadcast, SequencedWallet } from "../../lib/eth/sequencedWallet";

/** A wallet whose transactions start failing after `allowed` sends: a deployment interrupted mid-way. */
export class FailingWallet extends SequencedWallet {
  constructor(key: string, provider: SequencedWallet["provider"], public allowed: number) {
    super(key, provider);
  }
  override async sendTransaction(tx: TransactionRequest, beforeBroadcast?: BeforeBroadcast) {
    if (this.allowed-- <= 0) throw new Error("injected failure");
    return super.sendTransaction(tx, beforeBroadcast);
  }
}
