// Shared by the PoCo tests: a wallet that fails mid-way, to interrupt a deployment.
import type { Transaction } from "ethers";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";

/** A wallet whose transactions stop reaching the node after `allowed` of them: a deployment interrupted mid-way. */
export class FailingWallet extends SequencedWallet {
  constructor(key: string, provider: SequencedWallet["provider"], public allowed: number) {
    super(key, provider);
  }
  protected override async broadcast(signed: Transaction) {
    if (this.allowed-- <= 0) throw new Error("injected failure");
    return super.broadcast(signed);
  }
}
