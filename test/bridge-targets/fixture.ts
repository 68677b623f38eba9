// A 3-authority consortium with a bridge on the container targets, and fixed agent parameters. Secret values are
// obvious markers, never real keys: the golden file is committed.
import type { AgentParams, AgentSecrets } from "../../render/bridge/agent";
import { ConsortiumSpec } from "../../settings/consortium";
import { parseConsortiumSpec } from "../../settings/parse";

export const VALIDATORS = ["alpha", "beta", "gamma"];
export const MEMBERS = ["org-0", "org-1", "org-2"];
export const FOREIGN_RPC = "https://mainnet.example.org/rpc";
export const HOME_RPC = "http://rpc.acme.example:8545";
/** One Docker host per member. */
export const HOSTS = Object.fromEntries(MEMBERS.map((m, i) => [m, { url: `ssh://deploy@node${i}.${m}.example`, address: `node${i}.${m}.example` }]));

/** The bridge settings of a production-like stack (no dev defaults). */
export function bridgeSettings(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    foreign: { rpcUrl: FOREIGN_RPC, chainId: 1, token: "0x607F4C5BB672230e8672085532f7e901544a7375" },
    depositLimits: { minPerTx: "1000000", maxPerTx: "1000000000000000", dailyLimit: "10000000000000000" },
    roles: { owner: "0x00000000000000000000000000000000000000a1" },
    ...extra,
  };
}

export function consortiumRaw(fleet: Record<string, unknown>, bridge: Record<string, unknown> = bridgeSettings()): Record<string, unknown> {
  return {
    name: "acme",
    chainId: 31418,
    authorities: VALIDATORS.map((name, i) => ({ name, member: MEMBERS[i] })),
    fleet,
    bridge,
  };
}

/** Each validator's own Ethereum endpoint (`consortium:bridgeEndpoints`, a secret). */
export const BRIDGE_ENDPOINTS = Object.fromEntries(VALIDATORS.map((v) => [v, { foreign: `${FOREIGN_RPC}?MARKER-KEY-${v}` }]));

export const spec = (fleet: Record<string, unknown>, bridge?: Record<string, unknown>): ConsortiumSpec =>
  parseConsortiumSpec(consortiumRaw(fleet, bridge), { bridgeEndpoints: BRIDGE_ENDPOINTS });

const address = (n: number) => "0x" + n.toString(16).padStart(40, "0");

/** What TokenBridge hands an agent once the contracts exist (public: no endpoint, no key material). */
export function agentParams(i: number): AgentParams {
  return {
    name: VALIDATORS[i],
    validatorAddress: address(0x100 + i),
    home: { chainId: 31418, confirmations: 2, maxFeePerGasWei: "500000000000", startBlock: 7, validatorSet: address(0x201), gateway: address(0x202) },
    foreign: { chainId: 1, confirmations: 12, maxFeePerGasWei: "500000000000", startBlock: 19_000_000, validatorSet: address(0x301), vault: address(0x302) },
    pollIntervalMs: 500,
    relayForeign: false,
  };
}

export const PASSWORD = (v: string) => `MARKER-PASSWORD-${v}`;

/** The agent's secret files' contents: obvious markers, never real values. */
export function agentSecrets(v: string, homeRpcUrl: string): AgentSecrets {
  return { keystore: `{"MARKER-KEYSTORE":"${v}"}`, password: PASSWORD(v), homeRpcUrl, foreignRpcUrl: `${FOREIGN_RPC}?MARKER-KEY-${v}` };
}
