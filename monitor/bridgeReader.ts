// Reads what monitor/bridgeStatus.ts needs from both chains and the agents. The monitor holds no key: view calls,
// balances, and the agents' own health endpoints.
import { JsonRpcProvider } from "ethers";
import { BridgeContracts, bridgeContracts, contractDay } from "./bridgeContracts";
import type { AgentHealth, BridgeReadings } from "./bridgeStatus";
import type { BridgeMonitorConfig } from "./config";

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

  constructor(
    private readonly cfg: BridgeMonitorConfig,
    private readonly home: JsonRpcProvider,
    private readonly foreign: JsonRpcProvider,
  ) {
    this.c = bridgeContracts(cfg, home, foreign);
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
    const [validators, agents] = await Promise.all([
      Promise.all(this.cfg.validators.map(async (v) => ({ ...v, homeWei: await balance(this.home, v.address), foreignWei: await balance(this.foreign, v.address) }))),
      Promise.all(this.cfg.agents.map(async (a) => ({ name: a.name, health: await agentHealth(a.healthUrl) }))),
    ]);
    return {
      decimals: Number(decimals),
      minted,
      locked,
      deposits: { today: depositedToday, dailyLimit: depositLimits[2] },
      withdrawals: { today: withdrawnToday, dailyLimit: withdrawLimits[2] },
      validators,
      agents,
    };
  }
}
