// Shared by the PoCo tests: a wallet that fails mid-way, to interrupt a deployment.
import { Wallet } from "ethers";

/** A wallet whose transactions start failing after `allowed` sends: a deployment interrupted mid-way. */
export class FailingWallet extends Wallet {
  constructor(key: string, provider: Wallet["provider"], public allowed: number) {
    super(key, provider);
  }
  override async sendTransaction(tx: Parameters<Wallet["sendTransaction"]>[0]) {
    if (this.allowed-- <= 0) throw new Error("injected failure");
    return super.sendTransaction(tx);
  }
}
