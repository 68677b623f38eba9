// Reads what monitor/bridgeStatus.ts needs from both chains and the agents. The monitor holds no key: view calls,
// balances, events (read incrementally: monitor/transferLog.ts) and the agents' own health endpoints.
import { Contract, JsonRpcProvider } from "ethers";
import { VALIDATOR_SET_ABI } from "../lib/bridge/abi";
import { executableSignatures } from "../lib/bridge/signatures";
import { BridgeContracts, bridgeContracts, contractDay } from "./bridgeContracts";
import type { AgentHealth, BridgeReadings } from "./bridgeStatus";
import type { BridgeMonitorConfig } from "./config";
import { depositConfirmedBy, withdrawalSignedBy } from "./transferFacts";
import type { PendingTransfer } from "./openTransfers";
import { TransferLog } from "./transferLog";
import type { Context } from "./transfers";

const AGENT_TIMEOUT_MS = 2_000;

async function agentHealth(url: string): Promise<AgentHealth | null> {
  try {
    // 503 is an answer too: the agent says which chain it cannot follow.
    return (await (await fetch(url, { signal: AbortSignal.timeout(AGENT_TIMEOUT_MS) })).json()) as AgentHealth;
  } catch {
    return null;
  }
}

export class BridgeReader {
  private readonly c: BridgeContracts;
  private readonly log: TransferLog;

  constructor(
    private readonly cfg: BridgeMonitorConfig,
    private readonly home: JsonRpcProvider,
    private readonly foreign: JsonRpcProvider,
  ) {
    this.c = bridgeContracts(cfg, home, foreign);
    this.log = new TransferLog(this.c.vault, this.c.gateway, foreign, home, { foreign: cfg.foreign.startBlock, home: cfg.home.startBlock }, cfg.foreign.confirmations);
  }

  async read(): Promise<BridgeReadings> {
    // Minted first, then locked: a deposit is locked before it is minted and a withdrawal burned before it is
    // released, so reading in this order can never show more minted than locked while the bridge is sound.
    const { vault, foreignToken, gateway, homeToken } = this.c;
    const minted = (await homeToken.totalSupply()) as bigint;
    const locked = (await foreignToken.balanceOf(this.cfg.foreign.vault)) as bigint;
    const day = contractDay();
    const [decimals, depositedToday, depositLimits, withdrawnToday, withdrawLimits] = await Promise.all([
      homeToken.decimals() as Promise<bigint>,
      vault.depositedOnDay(day) as Promise<bigint>,
      vault.depositLimits() as Promise<[bigint, bigint, bigint]>,
      gateway.withdrawSpentOnDay(day) as Promise<bigint>,
      gateway.withdrawLimits() as Promise<[bigint, bigint, bigint]>,
    ]);
    const balance = (p: JsonRpcProvider, address: string) => p.getBalance(address).catch(() => null);
    const [validators, agents, unrelayed, feeBps, feeRecipient] = await Promise.all([
      Promise.all(this.cfg.validators.map(async (v) => ({ ...v, homeWei: await balance(this.home, v.address), foreignWei: await balance(this.foreign, v.address) }))),
      Promise.all(this.cfg.agents.map(async (a) => ({ name: a.name, health: await agentHealth(a.healthUrl) }))),
      this.unrelayed(Number(decimals)),
      vault.feeBps() as Promise<bigint>,
      vault.feeRecipient() as Promise<string>,
    ]);
    return {
      decimals: Number(decimals),
      minted,
      locked,
      deposits: { today: depositedToday, dailyLimit: depositLimits[2] },
      withdrawals: { today: withdrawnToday, dailyLimit: withdrawLimits[2] },
      validators,
      agents,
      unrelayed: unrelayed.readings,
      refunds: { ...unrelayed.refunds, feeBps: Number(feeBps), feeRecipient },
    };
  }

  /** The transfers still owed, from the events since the last read; what the validators did of the oldest each way. */
  private async unrelayed(decimals: number) {
    const { foreignHead, deposits, withdrawals, refunds } = await this.log.update();
    const set = new Contract((await this.c.vault.validatorSet()) as string, VALIDATOR_SET_ABI, this.foreign);
    const context: Context = {
      decimals,
      threshold: Number(await set.threshold()),
      validators: this.cfg.validators.map((v) => v.name),
      confirmationsNeeded: this.cfg.foreign.confirmations,
      foreignHead,
    };
    const [oldestDeposit, oldestWithdrawal] = await Promise.all([deposits[0] && this.depositOwed(deposits[0]), withdrawals[0] && this.withdrawalOwed(withdrawals[0], set)]);
    return {
      readings: { context, deposits: deposits.length, withdrawals: withdrawals.length, oldestDeposit: oldestDeposit ?? null, oldestWithdrawal: oldestWithdrawal ?? null },
      refunds,
    };
  }

  /** A deposit not minted: who confirmed it, and when it was made. */
  private async depositOwed(d: PendingTransfer) {
    const [confirmedBy, block] = await Promise.all([depositConfirmedBy(this.c.gateway, this.cfg.validators, d.id, d.recipient, d.amount), this.foreign.getBlock(d.block)]);
    return { facts: { ...d, whitelisted: true, minted: false, confirmedBy }, timestamp: block!.timestamp };
  }

  /** A withdrawal not released: who signed it, whether enough did, and when it was asked for. */
  private async withdrawalOwed(w: PendingTransfer, foreignSet: Contract) {
    const [signedBy, executable, block] = await Promise.all([
      withdrawalSignedBy(this.c.gateway, this.cfg.validators, w.id),
      executableSignatures(this.c.gateway, foreignSet, w.id),
      this.home.getBlock(w.block),
    ]);
    // Not released, as far as the log has read: a release shows once the log reads past its block.
    return { facts: { ...w, signedBy, executable: executable ?? [], released: false }, timestamp: block!.timestamp };
  }
}
