// User-side bridge operations for the tests and the benchmark: a deposit on foreign and a withdrawal on home, each
// returning its contract-assigned id and the block that mined it. Calls may run concurrently from one sender when the
// signer is a SequencedWallet.
import { Contract, Signer } from "ethers";
import { executableSignatures } from "../../lib/bridge/signatures";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
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

/**
 * Withdrawals `withdrawMany` sends at once: fewer than the 64 transactions geth holds per account ahead of a nonce
 * gap (sent all together, they reach the node out of order and those past the gap are dropped).
 */
const WITHDRAWAL_BURST = 50;

/**
 * `count` withdrawals of `amount` each from `user`, signed with consecutive nonces and sent in bursts, each out before
 * the next (one by one, each send would wait for the node's gas estimate and fee quote: 1000 of them take a minute on
 * 2 cores). One not mined within two minutes fails the call, naming it.
 */
export async function withdrawMany(b: BridgeFixture, user: SequencedWallet, count: number, amount: bigint, foreignRecipient: string): Promise<Sent[]> {
  const gateway = b.home.gateway.connect(user) as Contract;
  const provider = user.provider!;
  const [gas, fees, { chainId }] = await Promise.all([gateway.getFunction("withdraw").estimateGas(amount, foreignRecipient), provider.getFeeData(), provider.getNetwork()]);
  const request = {
    type: 2,
    chainId,
    to: await gateway.getAddress(),
    data: gateway.interface.encodeFunctionData("withdraw", [amount, foreignRecipient]),
    // Each withdrawal burns from the same balance: later ones cost what the first does, give or take a warm slot.
    gasLimit: (gas * 3n) / 2n,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  };
  const sent = [];
  for (let left = count; left > 0; left -= WITHDRAWAL_BURST) {
    sent.push(...(await user.sendPlanned(async () => Array.from({ length: Math.min(left, WITHDRAWAL_BURST) }, () => ({ request })))));
  }
  return Promise.all(
    sent.map(async (tx) => {
      const receipt = await tx.wait(1, 120_000).catch((e: Error) => {
        throw new Error(`withdrawal ${tx.hash} (nonce ${tx.nonce}) not mined: ${e.message}`);
      });
      return { id: idFrom(gateway, receipt!, "WithdrawalRequested", "withdrawalId"), block: receipt!.blockNumber, minedAt: Date.now() };
    }),
  );
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
