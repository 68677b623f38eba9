// Reads what monitor/bridgeStatus.ts needs from both chains and the agents. The monitor holds no key: view calls,
// balances, and the agents' own health endpoints.
import { Contract, JsonRpcProvider } from "ethers";
import { BRIDGED_TOKEN_ABI, ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../lib/bridge/abi";
import type { AgentHealth, BridgeReadings } from "./bridgeStatus";
import type { BridgeMonitorConfig } from "./config";

const AGENT_TIMEOUT_MS = 2_000;
const DAY_SECONDS = 86_400;

async function agentHealth(url: string): Promise<AgentHealth | null> {
  try {
    // 503 is an answer too: the agent says which chain it cannot follow.
    return (await (await fetch(url, { signal: AbortSignal.timeout(AGENT_TIMEOUT_MS) })).json()) as AgentHealth;
  } catch {
    return null;
  }
}

export class BridgeReader {
  private readonly foreign: JsonRpcProvider;
  private readonly vault: Contract;
  private readonly foreignToken: Contract;
  private readonly gateway: Contract;
  private readonly homeToken: Contract;

  constructor(
    private readonly cfg: BridgeMonitorConfig,
    private readonly home: JsonRpcProvider,
  ) {
    this.foreign = new JsonRpcProvider(cfg.foreign.rpcUrl, undefined, { staticNetwork: true, polling: false });
    this.vault = new Contract(cfg.foreign.vault, FOREIGN_VAULT_ABI, this.foreign);
    this.foreignToken = new Contract(cfg.foreign.token, ERC20_ABI, this.foreign);
    this.gateway = new Contract(cfg.home.gateway, HOME_GATEWAY_ABI, home);
    this.homeToken = new Contract(cfg.home.token, BRIDGED_TOKEN_ABI, home);
  }

  async read(): Promise<BridgeReadings> {
    // Minted first, then locked: a deposit is locked before it is minted and a withdrawal burned before it is
    // released, so reading in this order can never show more minted than locked while the bridge is sound.
    const minted = (await this.homeToken.totalSupply()) as bigint;
    const locked = (await this.foreignToken.balanceOf(this.cfg.foreign.vault)) as bigint;
    // The contracts' day: block.timestamp / 1 days (UTC).
    const day = BigInt(Math.floor(Date.now() / 1000 / DAY_SECONDS));
    const [decimals, depositedToday, depositLimits, withdrawnToday, withdrawLimits] = await Promise.all([
      this.homeToken.decimals() as Promise<bigint>,
      this.vault.depositedOnDay(day) as Promise<bigint>,
      this.vault.depositLimits() as Promise<[bigint, bigint, bigint]>,
      this.gateway.withdrawSpentOnDay(day) as Promise<bigint>,
      this.gateway.withdrawLimits() as Promise<[bigint, bigint, bigint]>,
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

  destroy(): void {
    this.foreign.destroy();
  }
}
