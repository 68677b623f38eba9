// Transactions of one sender run in order in an EVM of our own process, on top of the chain's latest block, before
// any of them is sent: what each one costs and whether it would succeed, when every one of them depends on the state
// the ones before it leave (a contract created, then called). A node's eth_estimateGas sees only its latest block, so
// estimating such a chain of transactions there takes a mined block per link; here it takes none.
// @ethereumjs/vm is the EVM made for this (the Ethereum Foundation's JavaScript client); its RPCStateManager reads the
// accounts, code and storage the transactions touch from the node, pinned to one block.
import { createBlock } from "@ethereumjs/block";
import { createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { RPCStateManager } from "@ethereumjs/statemanager";
import { createLegacyTx } from "@ethereumjs/tx";
import { Account, Address, createAddressFromString } from "@ethereumjs/util";
import { createVM, runTx } from "@ethereumjs/vm";
import { getBytes, getCreateAddress, Interface, JsonRpcProvider, Wallet } from "ethers";

export interface PlannedTransaction {
  /** What it does, in words (errors name it). */
  what: string;
  /** Absent: a contract creation. */
  to?: string;
  data: string;
}

export interface SimulatedTransaction extends PlannedTransaction {
  nonce: number;
  /** Gas it used before refunds: what its gas limit must cover. */
  gasNeeded: bigint;
  /** The contract a creation makes. */
  created?: string;
}

/** Raised before anything is sent: the named transaction would fail on top of the ones before it. */
export class SimulatedFailure extends Error {}

type RawHeader = Record<string, string | undefined>;

/**
 * The node's state as of one block, read on demand, with what the simulation writes on top. An account without code
 * on the node (geth answers a missing one's code hash as zero) holds no storage there, so reading the slots of a
 * contract the simulation creates asks the node nothing (RPCStateManager would ask for every one: most of a
 * deployment's reads).
 */
class SimulationState extends RPCStateManager {
  private readonly absent = new Set<string>();

  override async getAccountFromProvider(address: Address): Promise<Account> {
    const account = await super.getAccountFromProvider(address);
    if (!account.isContract() || account.codeHash.every((b) => b === 0)) this.absent.add(address.toString());
    return account;
  }

  override async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    if (!this.absent.has(address.toString())) return super.getStorage(address, key);
    return this._caches.storage?.get(address, key) ?? new Uint8Array(0);
  }
}

/** The newest fork the block's header shows (fields each fork added); before London, Berlin's gas rules. */
function hardforkOf(header: RawHeader): Hardfork {
  if (header.requestsHash) return Hardfork.Prague;
  if (header.blobGasUsed) return Hardfork.Cancun;
  if (header.withdrawalsRoot) return Hardfork.Shanghai;
  if (header.baseFeePerGas) return Hardfork.London;
  return Hardfork.Berlin;
}

const ERROR_STRING = new Interface(["error Error(string)"]);

function revertReason(returned: Uint8Array): string {
  try {
    return ERROR_STRING.decodeErrorResult("Error", returned)[0] as string;
  } catch {
    return returned.length ? `0x${Buffer.from(returned).toString("hex")}` : "no reason given";
  }
}

/**
 * Runs `txs` from `signer`, the first with nonce `firstNonce`, each on the state the ones before it leave. The
 * sender's transactions still in flight are not part of that state; only their nonces are skipped. Throws
 * SimulatedFailure naming the first that would fail.
 */
export async function simulateInOrder(signer: Wallet, rpcUrl: string, firstNonce: number, txs: PlannedTransaction[]): Promise<SimulatedTransaction[]> {
  const provider = signer.provider as JsonRpcProvider;
  const header: RawHeader = await provider.send("eth_getBlockByNumber", ["latest", false]);
  const chainId = (await provider.getNetwork()).chainId;
  const hardfork = hardforkOf(header);
  const common = createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork });
  const stateManager = new SimulationState({ provider: rpcUrl, blockTag: BigInt(header.number!) });
  const vm = await createVM({ common, stateManager });
  const sender = createAddressFromString(signer.address);
  const account = (await stateManager.getAccount(sender)) ?? new Account();
  account.nonce = BigInt(firstNonce);
  await stateManager.putAccount(sender, account);
  const baseFee = header.baseFeePerGas ? BigInt(header.baseFeePerGas) : undefined;
  const block = createBlock(
    {
      header: {
        number: BigInt(header.number!) + 1n,
        timestamp: BigInt(header.timestamp!) + 1n,
        gasLimit: BigInt(header.gasLimit!),
        baseFeePerGas: baseFee,
        ...(hardfork === Hardfork.Cancun || hardfork === Hardfork.Prague ? { excessBlobGas: 0n, blobGasUsed: 0n } : {}),
      },
    },
    { common, skipConsensusFormatValidation: true },
  );
  const key = getBytes(signer.privateKey);
  const results: SimulatedTransaction[] = [];
  for (const [i, planned] of txs.entries()) {
    const nonce = firstNonce + i;
    // Signed with the sender's own key so that the EVM runs it as the sender; it never leaves this process.
    const tx = createLegacyTx({ nonce, gasPrice: baseFee ?? 0n, gasLimit: block.header.gasLimit, to: planned.to as `0x${string}` | undefined, data: getBytes(planned.data) }, { common }).sign(key);
    const result = await runTx(vm, { tx, block, skipBalance: true, skipBlockGasLimitValidation: true });
    const error = result.execResult.exceptionError;
    if (error) {
      throw new SimulatedFailure(`${planned.what} would fail (${error.error}: ${revertReason(result.execResult.returnValue)}); nothing was sent`);
    }
    const created = planned.to === undefined ? getCreateAddress({ from: signer.address, nonce }) : undefined;
    if (created && result.createdAddress?.toString().toLowerCase() !== created.toLowerCase()) {
      throw new SimulatedFailure(`${planned.what}: created ${result.createdAddress} in the simulation, not ${created}; nothing was sent`);
    }
    results.push({ ...planned, nonce, gasNeeded: result.totalGasSpent + result.gasRefund, created });
  }
  return results;
}
