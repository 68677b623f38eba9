// One bridge agent (one validator): watches both chains, runs the actions their events imply, and keeps its
// transactions moving. Each round: scan both chains, settle/re-send/bump transactions, run due actions.
import { BaseWallet, Contract, getAddress, Interface, isError, JsonRpcProvider } from "ethers";
import { FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI, VALIDATOR_SET_ABI } from "../lib/bridge/abi";
import { actionsFor, ActionRunner } from "./actions";
import { AgentConfig, ChainConfig } from "./config";
import { Health } from "./health";
import { errField, Logger } from "./log";
import { Metrics } from "./metrics";
import { ReorgTooDeepError } from "./reorg";
import { Side, Store } from "./store";
import { TxSender } from "./txSender";
import { Watcher } from "./watcher";

/** The agent must not run: the chains or contracts are not the ones it was set up for. */
export class StartupCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupCheckError";
  }
}

const SIDES: Side[] = ["foreign", "home"];

/** Only the events that imply actions are scanned. */
function eventsInterface(abi: readonly string[], names: string[]): Interface {
  return new Interface(abi.filter((f) => names.some((n) => f.startsWith(`event ${n}(`))));
}

interface ChainStatus {
  lastOkAt: number;
  cursorMovedAt: number;
  cursor?: number;
  safeHead?: number;
  lastError?: string;
}

export interface AgentOptions {
  cfg: AgentConfig;
  wallet: BaseWallet;
  store: Store;
  log: Logger;
  metrics: Metrics;
}

export class BridgeAgent {
  private readonly providers: Record<Side, JsonRpcProvider>;
  private readonly senders: Record<Side, TxSender>;
  private readonly watchers: Record<Side, Watcher>;
  private readonly runner: ActionRunner;
  private readonly gateway: Contract;
  private readonly vault: Contract;
  private readonly status: Record<Side, ChainStatus>;
  private readonly chains: Record<Side, ChainConfig>;

  constructor(private readonly o: AgentOptions) {
    const { cfg, wallet, store, log, metrics } = o;
    this.chains = { home: cfg.home, foreign: cfg.foreign };
    const provider = (c: ChainConfig) => new JsonRpcProvider(c.rpcUrl, c.chainId, { staticNetwork: true });
    this.providers = { home: provider(cfg.home), foreign: provider(cfg.foreign) };
    const sender = (side: Side) =>
      new TxSender({
        side,
        chainId: this.chains[side].chainId,
        provider: this.providers[side],
        wallet,
        store,
        txTimeoutMs: cfg.txTimeoutMs,
        maxFeePerGas: BigInt(this.chains[side].maxFeePerGasWei),
        onBroadcastError: (e, err) => log.warn({ side, nonce: e.nonce, action: e.actionKey, err: errField(err) }, "broadcast failed; will retry"),
      });
    this.senders = { home: sender("home"), foreign: sender("foreign") };
    const started = Date.now();
    this.status = { home: { lastOkAt: 0, cursorMovedAt: started }, foreign: { lastOkAt: 0, cursorMovedAt: started } };
    this.gateway = new Contract(cfg.home.gateway, HOME_GATEWAY_ABI, this.providers.home);
    const vault = new Contract(cfg.foreign.vault, FOREIGN_VAULT_ABI, this.providers.foreign);
    this.vault = vault;
    const watchSpec = (side: Side, addresses: string[], iface: Interface) => ({
      side,
      addresses,
      iface,
      actionsFor: actionsFor(cfg.relayForeign),
      confirmations: this.chains[side].confirmations,
      startBlock: this.chains[side].startBlock,
      maxBlockRange: cfg.maxBlockRange,
    });
    this.watchers = {
      // DepositRefundable is scanned even without relayForeign: the store keeps every deposit the vault announced.
      foreign: new Watcher(watchSpec("foreign", [cfg.foreign.vault], eventsInterface(FOREIGN_VAULT_ABI, ["Deposited", "DepositRefundable"])), this.providers.foreign, store),
      home: new Watcher(watchSpec("home", [cfg.home.gateway], eventsInterface(HOME_GATEWAY_ABI, ["WithdrawalRequested"])), this.providers.home, store),
    };
    this.runner = new ActionRunner({
      store,
      wallet,
      senders: this.senders,
      gateway: this.gateway,
      vault,
      foreignValidatorSet: new Contract(cfg.foreign.validatorSet, VALIDATOR_SET_ABI, this.providers.foreign),
      foreignChainId: cfg.foreign.chainId,
      homeChainId: cfg.home.chainId,
      safeBlock: async (side) => Number(await this.providers[side].send("eth_blockNumber", [])) - this.chains[side].confirmations,
      pollIntervalMs: cfg.pollIntervalMs,
      fallbackDelayMs: cfg.fallbackDelayMs,
      log,
      metrics,
    });
  }

  /**
   * Refuses to run against the wrong chains (replay after a chain split) or a gateway set up for another foreign
   * side. Waits, logging, while a node is unreachable.
   */
  async checkChains(stopping: () => boolean): Promise<void> {
    const { cfg } = this.o;
    for (const side of SIDES) {
      const expected = this.chains[side].chainId;
      const checked = await this.untilAnswered(`${side} chain id`, stopping, async () => {
        const live = Number(await this.providers[side].send("eth_chainId", []));
        // The URL is not named: it may carry an API key.
        if (live !== expected) throw new StartupCheckError(`${side} chain: the node reports chain id ${live}, the bridge was set up for ${expected}`);
        return true;
      });
      if (!checked) return;
    }
    const read = await this.untilAnswered("bridge contracts", stopping, () =>
      Promise.all([
        this.gateway.foreignChainId() as Promise<bigint>,
        this.gateway.foreignVault() as Promise<string>,
        this.vault.homeChainId() as Promise<bigint>,
        this.vault.homeGateway() as Promise<string>,
      ]).catch((err: unknown) => {
        // The node answered, and not as a bridge contract would (no code there, another contract): a wrong address.
        if (isError(err, "CALL_EXCEPTION") || isError(err, "BAD_DATA")) {
          throw new StartupCheckError(`the configured gateway ${cfg.home.gateway} or vault ${cfg.foreign.vault} is not a bridge contract: ${(err as Error).message.split(" (")[0]}`);
        }
        throw err;
      }),
    );
    if (!read) return;
    const [foreignChainId, foreignVault, homeChainId, homeGateway] = read;
    if (Number(foreignChainId) !== cfg.foreign.chainId || getAddress(foreignVault) !== cfg.foreign.vault) {
      throw new StartupCheckError(`home gateway ${cfg.home.gateway} is set up for vault ${foreignVault} on chain ${foreignChainId}, the configuration says ${cfg.foreign.vault} on chain ${cfg.foreign.chainId}`);
    }
    // A vault serves the one gateway it is bound to: an agent of any other gateway (a replaced one) would mint the
    // vault's history again, so it does not run.
    if (Number(homeChainId) !== cfg.home.chainId || getAddress(homeGateway) !== cfg.home.gateway) {
      throw new StartupCheckError(`foreign vault ${cfg.foreign.vault} is bound to gateway ${homeGateway} on chain ${homeChainId}, the configuration says ${cfg.home.gateway} on chain ${cfg.home.chainId}`);
    }
  }

  /**
   * `fn`'s result once the nodes answer it; undefined if a stop was asked first. A node that does not answer yet, or
   * an answer lost on a loaded machine, is retried with backoff — only a failed check (StartupCheckError) ends the
   * agent, which must not exit over a transient error before its first round.
   */
  private async untilAnswered<T>(what: string, stopping: () => boolean, fn: () => Promise<T>): Promise<T | undefined> {
    for (let delay = 500; !stopping(); delay = Math.min(delay * 2, 10_000)) {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof StartupCheckError) throw err;
        this.o.log.warn({ what, err: errField(err) }, "chain unreachable at start; retrying");
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    return undefined;
  }

  /** Re-sends the signed transactions a previous run left pending. */
  async resendPending(): Promise<void> {
    for (const side of SIDES) await this.senders[side].resendPending();
  }

  /** One round; returns true if a chain is still behind or due actions are left (go on without sleeping). */
  async round(stopping: () => boolean): Promise<boolean> {
    const { store, log, metrics } = this.o;
    let behind = false;
    for (const side of SIDES) {
      if (stopping()) return false;
      const st = this.status[side];
      try {
        const r = await this.watchers[side].step();
        const now = Date.now();
        st.lastOkAt = now;
        if (r.rewoundTo !== undefined) {
          metrics.reorgs.inc({ side });
          log.warn({ side, rewoundTo: r.rewoundTo }, "reorg: cursor rewound to the newest canonical checkpoint");
        }
        for (const a of r.reorgedActions ?? []) {
          metrics.alerts.inc({ kind: "reorgBelowDoneAction" });
          log.error({ side, action: a.key, sourceBlock: a.sourceBlock }, "ALERT: a reorg replaced the block of an action already carried out; check the bridge's invariants");
        }
        if (r.cursor !== st.cursor || r.cursor >= r.safeHead) st.cursorMovedAt = now;
        Object.assign(st, { cursor: r.cursor, safeHead: r.safeHead, lastError: undefined });
        metrics.cursor.set({ side }, r.cursor);
        metrics.head.set({ side }, r.head);
        metrics.lag.set({ side }, Math.max(0, r.safeHead - r.cursor));
        behind ||= r.cursor < r.safeHead;
      } catch (err) {
        if (err instanceof ReorgTooDeepError) throw err;
        this.fail(side, err, "scan failed");
      }
    }
    for (const side of SIDES) {
      if (stopping()) return false;
      try {
        for (const s of await this.senders[side].poll()) {
          metrics.txs.inc({ side, status: s.status });
          if (s.status === "reverted") {
            const kind = store.action(s.entry.actionKey)?.kind;
            if (kind) metrics.actions.inc({ kind, result: "failed" });
            log.warn({ side, action: s.entry.actionKey, nonce: s.entry.nonce }, "transaction reverted; the action re-checks on-chain state");
          }
        }
        metrics.outboxPending.set({ side }, this.senders[side].pendingCount());
      } catch (err) {
        this.fail(side, err, "transaction poll failed");
      }
    }
    behind ||= await this.runner.runDue(Date.now(), stopping);
    metrics.actionsPending.set(store.countActions("pending"));
    return behind;
  }

  private fail(side: Side, err: unknown, msg: string): void {
    this.status[side].lastError = errField(err).message;
    this.o.metrics.lastError.setToCurrentTime();
    this.o.log.warn({ side, err: errField(err) }, msg);
  }

  /** Healthy when both chains answered recently and each cursor moved recently or is caught up. */
  health(): Health {
    const now = Date.now();
    const staleMs = Math.max(10 * this.o.cfg.pollIntervalMs, 30_000);
    const chains = Object.fromEntries(
      SIDES.map((side) => {
        const st = this.status[side];
        const reachable = now - st.lastOkAt < staleMs;
        const moving = now - st.cursorMovedAt < staleMs;
        return [side, { reachable, moving, cursor: st.cursor ?? null, safeHead: st.safeHead ?? null, lastError: st.lastError ?? null }];
      }),
    );
    const ok = Object.values(chains).every((c) => c.reachable && c.moving);
    const { store } = this.o;
    return {
      ok,
      validator: this.o.wallet.address,
      chains,
      actionsPending: store.countActions("pending"),
      outboxPending: store.countPendingOutbox(),
      alertCount: store.countAlerts(),
      alerts: store.alerts(10),
    };
  }

  destroy(): void {
    for (const side of SIDES) this.providers[side].destroy();
  }
}
