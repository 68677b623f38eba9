// The monitor's configuration file (rendered by the stack: render/monitoring/monitor.ts), checked field by field.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { getAddress } from "ethers";
import type { SignerRef } from "./chainStatus";

export type SealEngine = "clique" | "author";

export interface MonitorConfig {
  /** Where /api/status, /metrics and /healthz answer (loopback unless the target needs otherwise). */
  listen: { host: string; port: number };
  chain: {
    /** The JSON-RPC endpoint blocks are read from (an RPC node: it holds no key). */
    rpcUrl: string;
    /** How a block's signer is told: Clique's seal, or the block's author (AuRa, QBFT). */
    seal: SealEngine;
    signers: SignerRef[];
    /** How many of the last blocks the status covers. */
    windowBlocks: number;
    pollSeconds: number;
  };
  /** Nodes whose peers are counted (those that serve JSON-RPC). */
  nodes: { name: string; rpcUrl: string }[];
  /** The token bridge, when the stack has one: home is read through `chain.rpcUrl`. */
  bridge?: BridgeMonitorConfig;
  /** The PoCo stack, when the stack has one: read through `chain.rpcUrl` from its hub (the Diamond). */
  poco?: { hub: string };
}

export interface BridgeMonitorConfig {
  /** The consortium's name, as wallets show the home chain. */
  chainName: string;
  foreign: {
    chainId: number;
    rpcUrl: string;
    /** An RPC URL the bridge app may give wallets (a dev stack's local foreign chain); never a URL with a key. */
    walletRpcUrl?: string;
    vault: string;
    token: string;
    /** First block of the vault's events, and the agents' confirmation depth. */
    startBlock: number;
    confirmations: number;
  };
  home: {
    chainId: number;
    /** The RPC URL the bridge app gives wallets for the consortium chain (the RPC node as clients reach it); default: `chain.rpcUrl`. */
    walletRpcUrl?: string;
    /**
     * Reads there need an API key (`permissions.read: keys`): the app asks the holder for theirs and gives the wallet
     * `walletRpcUrl/<key>` (wallets cannot set headers). The key stays in the page and the wallet, never sent here.
     */
    walletKeyRequired?: boolean;
    gateway: string;
    token: string;
    startBlock: number;
  };
  validators: SignerRef[];
  /** Each validator's agent: its /healthz URL. */
  agents: { name: string; healthUrl: string }[];
}

export function parseMonitorConfig(raw: unknown): MonitorConfig {
  const problems: string[] = [];
  const o = (raw ?? {}) as Record<string, any>;
  const need = (ok: boolean, field: string, why: string) => ok || problems.push(`${field}: ${why}`);
  need(typeof o.listen?.host === "string", "listen.host", "an interface address is needed");
  need(Number.isInteger(o.listen?.port) && o.listen.port >= 0 && o.listen.port < 65536, "listen.port", "a port number is needed");
  need(typeof o.chain?.rpcUrl === "string" && /^https?:\/\//.test(o.chain.rpcUrl), "chain.rpcUrl", "an http(s) URL is needed");
  need(o.chain?.seal === "clique" || o.chain?.seal === "author", "chain.seal", 'write "clique" or "author"');
  need(Array.isArray(o.chain?.signers) && o.chain.signers.length > 0, "chain.signers", "at least one { name, address } is needed");
  for (const [i, s] of (Array.isArray(o.chain?.signers) ? o.chain.signers : []).entries()) {
    need(typeof s?.name === "string" && s.name.length > 0, `chain.signers[${i}].name`, "a name is needed");
    need(isAddress(s?.address), `chain.signers[${i}].address`, "an address is needed");
  }
  need(Number.isInteger(o.chain?.windowBlocks) && o.chain.windowBlocks >= 2, "chain.windowBlocks", "an integer ≥ 2 is needed");
  need(typeof o.chain?.pollSeconds === "number" && o.chain.pollSeconds > 0, "chain.pollSeconds", "a positive number is needed");
  need(Array.isArray(o.nodes ?? []), "nodes", "a list of { name, rpcUrl } is needed");
  if (o.bridge !== undefined) checkBridge(o.bridge, need);
  if (o.poco !== undefined) need(isAddress(o.poco?.hub), "poco.hub", "the PoCo hub's (Diamond's) contract address is needed");
  if (problems.length > 0) throw new Error(`monitor configuration:\n  - ${problems.join("\n  - ")}`);
  return { listen: o.listen, chain: o.chain, nodes: o.nodes ?? [], ...(o.bridge ? { bridge: o.bridge } : {}), ...(o.poco ? { poco: { hub: o.poco.hub } } : {}) };
}

function isAddress(value: unknown): boolean {
  try {
    getAddress(value as string);
    return true;
  } catch {
    return false;
  }
}

type Need = (ok: boolean, field: string, why: string) => unknown;

function checkBridge(b: Record<string, any>, need: Need): void {
  need(typeof b.foreign?.rpcUrl === "string" && /^https?:\/\//.test(b.foreign.rpcUrl), "bridge.foreign.rpcUrl", "an http(s) URL is needed");
  need(typeof b.chainName === "string" && b.chainName.length > 0, "bridge.chainName", "a name is needed");
  for (const field of ["foreign.vault", "foreign.token", "home.gateway", "home.token"]) {
    const [side, key] = field.split(".");
    need(isAddress(b[side]?.[key]), `bridge.${field}`, "a contract address is needed");
  }
  for (const field of ["foreign.chainId", "foreign.startBlock", "foreign.confirmations", "home.chainId", "home.startBlock"]) {
    const [side, key] = field.split(".");
    need(Number.isInteger(b[side]?.[key]) && b[side][key] >= 0, `bridge.${field}`, "a whole number is needed");
  }
  for (const side of ["foreign", "home"]) {
    need(b[side]?.walletRpcUrl === undefined || /^https?:\/\//.test(b[side].walletRpcUrl), `bridge.${side}.walletRpcUrl`, "an http(s) URL, or nothing");
  }
  need(b.home?.walletKeyRequired === undefined || typeof b.home.walletKeyRequired === "boolean", "bridge.home.walletKeyRequired", "true, false or nothing");
  need(Array.isArray(b.validators), "bridge.validators", "a list of { name, address } is needed");
  for (const [i, v] of (Array.isArray(b.validators) ? b.validators : []).entries()) need(typeof v?.name === "string" && isAddress(v?.address), `bridge.validators[${i}]`, "a name and an address are needed");
  need(Array.isArray(b.agents), "bridge.agents", "a list of { name, healthUrl } is needed");
  for (const [i, a] of (Array.isArray(b.agents) ? b.agents : []).entries()) need(typeof a?.name === "string" && /^https?:\/\//.test(a?.healthUrl ?? ""), `bridge.agents[${i}]`, "a name and an http(s) healthUrl are needed");
}

/** The file's text, or an error naming the field that points to it. */
function readReferenced(path: string, field: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (e) {
    throw new Error(`monitor configuration:\n  - ${field}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/**
 * Reads the configuration file. The stack gives the foreign endpoint as `bridge.foreign.rpcUrlFile`, a secret file
 * beside it (the URL may carry an API key: it stays out of the configuration the stack's state shows), read in here.
 */
export function loadMonitorConfig(path: string): MonitorConfig {
  const raw = JSON.parse(readFileSync(path, "utf8"));
  const file = raw?.bridge?.foreign?.rpcUrlFile;
  if (typeof file === "string") {
    const { rpcUrlFile: _file, ...foreign } = raw.bridge.foreign;
    raw.bridge.foreign = { ...foreign, rpcUrl: readReferenced(resolve(dirname(path), file), "bridge.foreign.rpcUrlFile") };
  }
  return parseMonitorConfig(raw);
}
