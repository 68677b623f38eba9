// What the bridge app for token holders reads, served by the monitor (it holds no key): the bridge's public settings
// (chains, contracts, limits, fee, pause state) and one account's balances, whitelist state and transfers with their
// stages, read from chain events and contract state. The page signs with the holder's own wallet; nothing here does.
import { Contract, formatUnits, getAddress, JsonRpcProvider } from "ethers";
import { VALIDATOR_SET_ABI } from "../lib/bridge/abi";
import { executableSignatures } from "../lib/bridge/signatures";
import { bridgeContracts, contractDay } from "./bridgeContracts";
import type { BridgeMonitorConfig } from "./config";
import { depositConfirmedBy, withdrawalSignedBy } from "./transferFacts";
import { Context, depositView, DepositView, withdrawalView, WithdrawalView } from "./transfers";

export interface LimitsView {
  min: string;
  max: string;
  daily: string;
  /** What today's counter leaves of the daily limit. */
  leftToday: string;
}

/** Everything the page needs to show limits and fees before a signature, and to talk to the wallet. */
export interface BridgeAppSettings {
  chainName: string;
  /** The bridged token's symbol on home, and the foreign token's. */
  symbol: string;
  foreignSymbol: string;
  decimals: number;
  threshold: number;
  validators: string[];
  /** `keyRequired`: the holder's read key goes into the wallet's RPC URL (monitor/config.ts, walletKeyRequired). */
  home: { chainId: number; rpcUrl: string; keyRequired: boolean; gateway: string; token: string; paused: boolean; withdraw: LimitsView };
  foreign: { chainId: number; walletRpcUrl?: string; vault: string; token: string; paused: boolean; deposit: LimitsView; feeBps: number; confirmations: number };
}

export interface AccountView {
  address: string;
  whitelisted: boolean;
  balances: { foreign: string; home: string };
  /** The vault's allowance from this account: a deposit above it needs an approval first. */
  allowance: string;
  deposits: DepositView[];
  withdrawals: WithdrawalView[];
}

export class BridgeApp {
  private readonly vault: Contract;
  private readonly foreignToken: Contract;
  private readonly gateway: Contract;
  private readonly homeToken: Contract;

  constructor(
    private readonly cfg: BridgeMonitorConfig,
    private readonly homeRpcUrl: string,
    home: JsonRpcProvider,
    private readonly foreign: JsonRpcProvider,
  ) {
    ({ vault: this.vault, foreignToken: this.foreignToken, gateway: this.gateway, homeToken: this.homeToken } = bridgeContracts(cfg, home, foreign));
  }

  private async limits(read: () => Promise<[bigint, bigint, bigint]>, spent: (day: bigint) => Promise<bigint>, decimals: number): Promise<LimitsView> {
    const day = contractDay();
    const [[min, max, daily], today] = await Promise.all([read(), spent(day)]);
    const f = (v: bigint) => formatUnits(v, decimals);
    return { min: f(min), max: f(max), daily: f(daily), leftToday: f(daily > today ? daily - today : 0n) };
  }

  async settings(): Promise<BridgeAppSettings> {
    const [symbol, foreignSymbol, decimals] = await Promise.all([
      this.homeToken.symbol() as Promise<string>,
      // ERC-20 leaves symbol() optional: a token without one is named by its address.
      (new Contract(this.cfg.foreign.token, ["function symbol() view returns (string)"], this.foreign).symbol() as Promise<string>).catch(() => this.cfg.foreign.token),
      this.homeToken.decimals() as Promise<bigint>,
    ]);
    const d = Number(decimals);
    const [homePaused, foreignPaused, withdraw, deposit, feeBps, threshold] = await Promise.all([
      this.gateway.paused() as Promise<boolean>,
      this.vault.paused() as Promise<boolean>,
      this.limits(() => this.gateway.withdrawLimits(), (day) => this.gateway.withdrawSpentOnDay(day), d),
      this.limits(() => this.vault.depositLimits(), (day) => this.vault.depositedOnDay(day), d),
      this.vault.feeBps() as Promise<bigint>,
      this.foreignValidatorSet().then((set) => set.threshold() as Promise<bigint>),
    ]);
    const { foreign, home } = this.cfg;
    return {
      chainName: this.cfg.chainName,
      symbol,
      foreignSymbol,
      decimals: d,
      threshold: Number(threshold),
      validators: this.cfg.validators.map((v) => v.name),
      home: { chainId: home.chainId, rpcUrl: this.homeRpcUrl, keyRequired: home.walletKeyRequired ?? false, gateway: home.gateway, token: home.token, paused: homePaused, withdraw },
      foreign: {
        chainId: foreign.chainId,
        ...(foreign.walletRpcUrl ? { walletRpcUrl: foreign.walletRpcUrl } : {}),
        vault: foreign.vault,
        token: foreign.token,
        paused: foreignPaused,
        deposit,
        feeBps: Number(feeBps),
        confirmations: foreign.confirmations,
      },
    };
  }

  private async foreignValidatorSet(): Promise<Contract> {
    return new Contract((await this.vault.validatorSet()) as string, VALIDATOR_SET_ABI, this.foreign);
  }

  async account(raw: string): Promise<AccountView> {
    const address = getAddress(raw);
    const [decimals, whitelisted, foreignBalance, homeBalance, allowance, foreignHead, set] = await Promise.all([
      this.homeToken.decimals() as Promise<bigint>,
      this.vault.isWhitelisted(address) as Promise<boolean>,
      this.foreignToken.balanceOf(address) as Promise<bigint>,
      this.homeToken.balanceOf(address) as Promise<bigint>,
      this.foreignToken.allowance(address, this.cfg.foreign.vault) as Promise<bigint>,
      this.foreign.getBlockNumber(),
      this.foreignValidatorSet(),
    ]);
    const threshold = Number(await set.threshold());
    const ctx: Context = { decimals: Number(decimals), threshold, validators: this.cfg.validators.map((v) => v.name), confirmationsNeeded: this.cfg.foreign.confirmations, foreignHead };
    const [deposits, withdrawals] = await Promise.all([this.deposits(address, ctx), this.withdrawals(address, ctx, set)]);
    const f = (v: bigint) => formatUnits(v, ctx.decimals);
    return { address, whitelisted, balances: { foreign: f(foreignBalance), home: f(homeBalance) }, allowance: f(allowance), deposits, withdrawals };
  }

  private async deposits(sender: string, ctx: Context): Promise<DepositView[]> {
    const from = this.cfg.foreign.startBlock;
    const [bridged, refundable] = await Promise.all([
      this.vault.queryFilter(this.vault.filters.Deposited(null, sender), from),
      this.vault.queryFilter(this.vault.filters.DepositRefundable(null, sender), from),
    ]);
    const views = await Promise.all([
      ...bridged.map(async (e) => {
        const { depositId: id, homeRecipient, amount } = (e as unknown as { args: { depositId: bigint; homeRecipient: string; amount: bigint } }).args;
        const minted = (await this.gateway.depositMinted(id)) as boolean;
        const confirmedBy = minted ? this.cfg.validators.map((v) => v.name) : await depositConfirmedBy(this.gateway, this.cfg.validators, id, homeRecipient, amount);
        return depositView({ id, block: e.blockNumber, txHash: e.transactionHash, amount, whitelisted: true, minted, confirmedBy }, ctx);
      }),
      ...refundable.map(async (e) => {
        const { depositId: id, amount } = (e as unknown as { args: { depositId: bigint; amount: bigint } }).args;
        const [, left] = (await this.vault.refundable(id)) as [string, bigint];
        const refunded = left === 0n ? await this.vault.queryFilter(this.vault.filters.Refunded(id), e.blockNumber) : [];
        const fee = refunded.length ? ((refunded[0] as unknown as { args: { fee: bigint } }).args.fee as bigint) : undefined;
        return depositView({ id, block: e.blockNumber, txHash: e.transactionHash, amount, whitelisted: false, minted: false, confirmedBy: [], refundable: left > 0n, ...(fee !== undefined ? { fee } : {}) }, ctx);
      }),
    ]);
    return views.sort((a, b) => Number(BigInt(b.id) - BigInt(a.id)));
  }

  private async withdrawals(sender: string, ctx: Context, set: Contract): Promise<WithdrawalView[]> {
    const requested = await this.gateway.queryFilter(this.gateway.filters.WithdrawalRequested(null, sender), this.cfg.home.startBlock);
    const views = await Promise.all(
      requested.map(async (e) => {
        const { withdrawalId: id, foreignRecipient, amount } = (e as unknown as { args: { withdrawalId: bigint; foreignRecipient: string; amount: bigint } }).args;
        const [signedBy, released] = await Promise.all([withdrawalSignedBy(this.gateway, this.cfg.validators, id), this.vault.withdrawalProcessed(id) as Promise<boolean>]);
        const executable = released ? [] : ((await executableSignatures(this.gateway, set, id)) ?? []);
        return withdrawalView({ id, block: e.blockNumber, txHash: e.transactionHash, amount, recipient: foreignRecipient, signedBy, executable, released }, ctx);
      }),
    );
    return views.sort((a, b) => Number(BigInt(b.id) - BigInt(a.id)));
  }
}
