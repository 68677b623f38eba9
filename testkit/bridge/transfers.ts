// User-side bridge operations for the tests and the benchmark: a deposit on foreign and a withdrawal on home, each
// returning its contract-assigned id and the block that mined it. Calls may run concurrently from one sender when the
// signer is a SequencedWallet.
import { Contract, Signer } from "ethers";
import { executableSignatures } from "../../lib/bridge/signatures";
import { BridgeFixture } from "./fixture";

export interface Sent {
  id: bigint;
  block: number;
  minedAt: number;
}

function idFrom(contract: Contract, receipt: { logs: readonly { topics: readonly string[]; data: string }[] }, event: string, arg: string): bigint {
  for (const log of receipt.logs) {
    const parsed = contract.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name === event) return parsed.args.getValue(arg) as bigint;
  }
  throw new Error(`no ${event} event in the receipt`);
}

/** Approves the vault once for everything `user` will deposit. */
export async function approveVault(b: BridgeFixture, user: Signer, amount: bigint): Promise<void> {
  await (await (b.foreign.token.connect(user) as Contract).getFunction("approve")(b.addresses.vault, amount)).wait();
}

/** Deposits on foreign (vault allowance already given); the id is a Deposited or DepositRefundable event's. */
export async function deposit(b: BridgeFixture, user: Signer, amount: bigint, homeRecipient: string): Promise<Sent> {
  const vault = b.foreign.vault.connect(user) as Contract;
  const receipt = await (await vault.getFunction("deposit")(amount, homeRecipient)).wait();
  const minedAt = Date.now();
  let id: bigint;
  try {
    id = idFrom(vault, receipt, "Deposited", "depositId");
  } catch {
    id = idFrom(vault, receipt, "DepositRefundable", "depositId");
  }
  return { id, block: receipt.blockNumber, minedAt };
}

/** Withdraws on home: burns `user`'s bridged tokens and asks the validators to sign. */
export async function withdraw(b: BridgeFixture, user: Signer, amount: bigint, foreignRecipient: string): Promise<Sent> {
  const gateway = b.home.gateway.connect(user) as Contract;
  const receipt = await (await gateway.getFunction("withdraw")(amount, foreignRecipient)).wait();
  return { id: idFrom(gateway, receipt, "WithdrawalRequested", "withdrawalId"), block: receipt.blockNumber, minedAt: Date.now() };
}

/** Waits until the validators' signatures of withdrawal `id` reach the threshold, then executes it from `executor`. */
export async function executeWhenSigned(b: BridgeFixture, executor: Signer, id: bigint, recipient: string, amount: bigint, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let signatures: string[] | undefined;
  while (!(signatures = await executableSignatures(b.home.gateway, b.foreign.validatorSet, id))) {
    if (Date.now() > end) throw new Error(`withdrawal ${id}: fewer than the threshold of signatures after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await (await (b.foreign.vault.connect(executor) as Contract).getFunction("executeWithdrawal")(id, recipient, amount, signatures)).wait();
}
