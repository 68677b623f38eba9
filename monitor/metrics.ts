// The chain's status as Prometheus metrics, on their own registry (served at /metrics): what the alert rules
// (render/monitoring/rules.ts) read.
import { Gauge, Registry } from "prom-client";
import type { BridgeStatus } from "./bridgeStatus";
import type { ChainStatus } from "./chainStatus";

export function createMonitorMetrics() {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const m = {
    rpcUp: gauge("consortium_monitor_rpc_up", "1 when the last read of the chain succeeded"),
    head: gauge("consortium_head_block", "Head block number"),
    headAge: gauge("consortium_head_age_seconds", "Seconds since the head block's timestamp"),
    blockTime: gauge("consortium_block_time_seconds", "Mean seconds between the window's blocks"),
    signers: gauge("consortium_signers", "Configured signers"),
    live: gauge("consortium_signers_live", "Signers that sealed recently"),
    needed: gauge("consortium_signers_needed", "Signers the chain needs to go on sealing"),
    sinceSealed: gauge("consortium_signer_blocks_since_sealed", "Blocks since the signer last sealed", ["signer", "address"]),
    share: gauge("consortium_signer_sealed_share", "The signer's share of the window's blocks", ["signer", "address"]),
    missedTurns: gauge("consortium_signer_missed_turns", "Clique: the signer's turns in the window that another signer sealed", ["signer", "address"]),
    peers: gauge("consortium_node_peers", "Peers of a node that serves JSON-RPC", ["node"]),
    nodeUp: gauge("consortium_node_up", "1 when the node answered the last poll", ["node"]),
    bridgeUp: gauge("consortium_bridge_read_up", "1 when the last read of the bridge succeeded"),
    invariant: gauge("consortium_bridge_invariant_holds", "1 while the bridged token minted on home is backed by the vault on foreign"),
    minted: gauge("consortium_bridge_minted_tokens", "Bridged tokens minted on home (whole tokens)"),
    locked: gauge("consortium_bridge_locked_tokens", "Tokens the foreign vault holds (whole tokens)"),
    dailyUse: gauge("consortium_bridge_daily_limit_used_ratio", "Today's share of the daily limit used", ["direction"]),
    gas: gauge("consortium_bridge_validator_balance_ether", "A validator's native balance for gas", ["validator", "address", "side"]),
    agentUp: gauge("consortium_bridge_agent_healthy", "1 when the validator's agent says both chains are followed", ["validator"]),
    oldestUnrelayed: gauge("consortium_bridge_oldest_unrelayed_seconds", "Age of the oldest deposit not minted or withdrawal not released (0 when none)"),
  };
  return {
    registry,
    chain(s: ChainStatus) {
      m.head.set(s.head);
      m.headAge.set(s.headAgeSeconds);
      if (s.blockTimeSeconds !== null) m.blockTime.set(s.blockTimeSeconds);
      m.signers.set(s.signers.length);
      m.live.set(s.liveSigners);
      m.needed.set(s.neededSigners);
      for (const x of s.signers) {
        m.sinceSealed.set({ signer: x.name, address: x.address }, x.blocksSinceSealed);
        m.share.set({ signer: x.name, address: x.address }, x.share);
        if (x.missedTurns !== null) m.missedTurns.set({ signer: x.name, address: x.address }, x.missedTurns);
      }
    },
    rpc: (up: boolean) => m.rpcUp.set(up ? 1 : 0),
    bridge(s: BridgeStatus | undefined) {
      m.bridgeUp.set(s ? 1 : 0);
      if (!s) return;
      m.invariant.set(s.invariantHolds ? 1 : 0);
      m.minted.set(Number(s.minted));
      m.locked.set(Number(s.locked));
      m.dailyUse.set({ direction: "deposit" }, s.deposits.share);
      m.dailyUse.set({ direction: "withdraw" }, s.withdrawals.share);
      for (const v of s.validators) {
        if (v.homeBalance !== null) m.gas.set({ validator: v.name, address: v.address, side: "home" }, Number(v.homeBalance));
        if (v.foreignBalance !== null) m.gas.set({ validator: v.name, address: v.address, side: "foreign" }, Number(v.foreignBalance));
      }
      for (const a of s.agents) m.agentUp.set({ validator: a.name }, a.up ? 1 : 0);
      m.oldestUnrelayed.set(s.unrelayed.oldest?.ageSeconds ?? 0);
    },
    node(name: string, peers: number | null) {
      m.nodeUp.set({ node: name }, peers === null ? 0 : 1);
      if (peers !== null) m.peers.set({ node: name }, peers);
    },
  };
}
