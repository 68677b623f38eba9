// The AuRa permission policy on chain, after the genesis: what the OnChainPolicy dynamic provider runs
// (components/permissions/onChainPolicyProvider.ts). The transact and deploy lists live in the transaction permission
// contract (contracts/src/TxPermission.sol), and only its owner — ideally the consortium's multisig — may change them:
// no stack and no `pulumi up` holds that power. So nothing here sends a transaction or holds a key. `apply` compares
// the chain with consortium:permissions and, when they differ, stops with an error that gives the owner exactly the
// transactions to send (ownerCalls); once the owner has sent them, the next `pulumi up` passes. `observe` reads the
// whole policy on chain (every account with types of its own, found from the contract's events), so a change the owner
// made outside the settings shows as drift on refresh.
//
// The RPC URL may carry an API key: it never appears in a message from here (errors from the connection are redacted).
import { Contract, dataSlice, getAddress, Interface, JsonRpcProvider } from "ethers";
import { policyTypes, TX_TYPES } from "../../render/permissions/txPermission";
import { withProvider } from "../eth/provider";
import { jsonRpcCall } from "../ipc";

export interface OnChainPolicyInputs {
  /** The chain's JSON-RPC endpoint (secret when given as one: it may carry an API key). */
  rpcUrl: string;
  /** The transaction permission contract (TX_PERMISSION_ADDRESS in a genesis rendered with a restrictive policy). */
  contract: string;
  /** permissions.transact: anyone, or these addresses. */
  transact: "open" | string[];
  /** permissions.deploy: anyone, or these addresses (each of which is also in `transact`). */
  deploy: "open" | string[];
  /** permissions.owner: who the settings say owns the contract. */
  owner: string;
  /**
   * The accounts the genesis lists (listedAccounts of the policy the chain began with). An account of the genesis has
   * no AccountTypesSet event, so once the settings stop listing it nothing else would find it on chain.
   */
  genesisAccounts?: string[];
}

/** The policy as the contract holds it, all read at one block. */
export interface ObservedPolicy {
  /** The contract's owner (checksummed). */
  owner: string;
  /** The types every sender has: NONE 0, TRANSACT 3 or DEPLOY 7. */
  openTypes: number;
  /** Every account with types of its own (non-zero), checksummed address → mask, in address order. */
  accounts: Record<string, number>;
}

export interface OnChainPolicyState extends OnChainPolicyInputs {
  observed: ObservedPolicy;
}

/** One transaction for the contract's owner to send, as is: `data` to `to`; `what` says it in words. */
export interface OwnerCall {
  to: string;
  data: string;
  what: string;
}

/** The part of TxPermission.sol read and encoded here (test/permissions/onChainPolicy.test.ts checks it against the build). */
export const TX_PERMISSION_ABI = new Interface([
  "function owner() view returns (address)",
  "function pendingOwner() view returns (address)",
  "function openTypes() view returns (uint256)",
  "function accountTypes(address account) view returns (uint32 types)",
  "function setOpenTypes(uint32 types)",
  "function setAccountTypes(address[] accounts, uint32 types)",
  "function transferOwnership(address newOwner)",
  "function acceptOwnership()",
  "event AccountTypesSet(address indexed account, uint32 types)",
]);

/** Blocks per eth_getLogs call when replaying AccountTypesSet (public endpoints cap the range). */
export const LOG_RANGE = 2000;
/** Accounts per setAccountTypes call the owner is asked to send (each costs a storage write and an event). */
export const MAX_ACCOUNTS_PER_CALL = 100;

const MASK_NAMES: Record<number, string> = { [TX_TYPES.none]: "NONE", [TX_TYPES.transact]: "TRANSACT", [TX_TYPES.deploy]: "DEPLOY" };
const maskName = (mask: number) => `${MASK_NAMES[mask] ?? "mask"} = ${mask}`;
const byAddress = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
/** Where the settings are, in messages. */
const SETTINGS = "consortium:permissions";

/** How to look for accounts on chain besides the contract's events and the lists of the inputs. */
export interface ObserveOptions {
  /** Blocks per eth_getLogs call (default LOG_RANGE). */
  logRange?: number;
  /** More accounts to read: those a previous observation found (the provider passes its state's). */
  known?: string[];
}

/** The accounts a policy lists (transact and deploy), checksummed, once each: what `genesisAccounts` takes. */
export function listedAccounts(policy: Pick<OnChainPolicyInputs, "transact" | "deploy">): string[] {
  const lists = [policy.transact, policy.deploy].filter((l): l is string[] => l !== "open");
  return [...new Set(lists.flat().map((a) => getAddress(a)))].sort(byAddress);
}

/**
 * The contract's policy, read at the chain's head: the owner, the open types, and the types of every account that
 * ever got some (replayed from AccountTypesSet, block 0 on, `logRange` blocks per call) or that the settings, the
 * genesis (`genesisAccounts`: a genesis account has no event) or `known` name.
 */
export async function observeOnChainPolicy(inputs: OnChainPolicyInputs, options: ObserveOptions = {}): Promise<OnChainPolicyState> {
  const { pendingOwner: _, ...observed } = await observe(inputs, options);
  return { ...inputs, observed };
}

/**
 * The fewest owner's transactions that bring the contract from `observed` to the policy `desired`, one per mask
 * (accounts in address order, MAX_ACCOUNTS_PER_CALL at most): grants (DEPLOY, then TRANSACT) first, then the open types, then the revocations (NONE), so tightening lists
 * the accounts before it closes a level and loosening opens it before it drops them. Empty: nothing differs (the
 * owner is compared by applyOnChainPolicy, not here). Throws on a policy the contract cannot hold.
 */
export function ownerCalls(desired: Pick<OnChainPolicyInputs, "contract" | "transact" | "deploy">, observed: Pick<ObservedPolicy, "openTypes" | "accounts">): OwnerCall[] {
  const to = getAddress(desired.contract);
  const want = policyTypes(desired, SETTINGS);
  const have = accountsOf(observed);
  const byMask = new Map<number, string[]>();
  for (const account of [...new Set([...have.keys(), ...want.accounts.keys()])].sort(byAddress)) {
    const mask = want.accounts.get(account) ?? TX_TYPES.none;
    if ((have.get(account) ?? TX_TYPES.none) !== mask) byMask.set(mask, [...(byMask.get(mask) ?? []), account]);
  }
  const setAccounts = (mask: number): OwnerCall[] => {
    const accounts = byMask.get(mask) ?? [];
    const calls: OwnerCall[] = [];
    for (let i = 0; i < accounts.length; i += MAX_ACCOUNTS_PER_CALL) {
      const chunk = accounts.slice(i, i + MAX_ACCOUNTS_PER_CALL);
      calls.push({ to, data: TX_PERMISSION_ABI.encodeFunctionData("setAccountTypes", [chunk, mask]), what: `setAccountTypes([${chunk.join(", ")}], ${maskName(mask)})` });
    }
    return calls;
  };
  const open: OwnerCall[] =
    observed.openTypes === want.openTypes ? [] : [{ to, data: TX_PERMISSION_ABI.encodeFunctionData("setOpenTypes", [want.openTypes]), what: `setOpenTypes(${maskName(want.openTypes)})` }];
  // policyTypes gives no other mask than these three.
  return [...setAccounts(TX_TYPES.deploy), ...setAccounts(TX_TYPES.transact), ...open, ...setAccounts(TX_TYPES.none)];
}

/** Each way the contract's lists differ from `desired`, in words (the owner is compared apart). */
export function policyDifferences(desired: Pick<OnChainPolicyInputs, "transact" | "deploy">, observed: Pick<ObservedPolicy, "openTypes" | "accounts">): string[] {
  const want = policyTypes(desired, SETTINGS);
  const have = accountsOf(observed);
  const out: string[] = [];
  if (observed.openTypes !== want.openTypes) {
    out.push(`the contract lets ${openWords(observed.openTypes)} (openTypes ${maskName(observed.openTypes)}) but ${SETTINGS} ${desiredOpenWords(want.openTypes)}`);
  }
  for (const account of [...new Set([...have.keys(), ...want.accounts.keys()])].sort(byAddress)) {
    const o = have.get(account) ?? TX_TYPES.none;
    const d = want.accounts.get(account) ?? TX_TYPES.none;
    if (o !== d) out.push(accountWords(account, o, d, desired));
  }
  return out;
}

/** Whether the chain holds what `desired` says, owner included (false for a policy the contract cannot hold). */
export function policyMatches(desired: Pick<OnChainPolicyInputs, "contract" | "transact" | "deploy" | "owner">, observed: ObservedPolicy): boolean {
  try {
    return getAddress(desired.owner) === getAddress(observed.owner) && ownerCalls(desired, observed).length === 0;
  } catch {
    return false;
  }
}

/**
 * What `pulumi up` does with the policy on chain: observes it, and returns the observation when it is what the
 * settings say; otherwise throws, sending nothing, with the owner's transactions in the message.
 */
export async function applyOnChainPolicy(inputs: OnChainPolicyInputs, options: ObserveOptions = {}): Promise<OnChainPolicyState> {
  policyTypes(inputs, SETTINGS); // a policy the contract cannot hold is the settings' error, before any RPC
  const wantOwner = getAddress(inputs.owner);
  const { pendingOwner, ...observed } = await observe(inputs, options);
  const contract = getAddress(inputs.contract);
  const calls = ownerCalls(inputs, observed);
  if (observed.owner !== wantOwner) throw new Error(ownerMessage(contract, observed.owner, wantOwner, pendingOwner, calls.length));
  if (calls.length === 0) return { ...inputs, observed };
  throw new Error(
    [
      `permissions: the transaction permission contract ${contract} differs from ${SETTINGS}, and \`pulumi up\` sends it nothing: only its owner may change the consortium's policy.`,
      ...policyDifferences(inputs, observed).map((d) => `  - ${d}`),
      `Fix: the owner ${observed.owner} sends, to ${contract}, in this order:`,
      ...calls.flatMap((c) => [`  ${c.what}:`, `    ${c.data}`]),
      `then run \`pulumi up\` again — or change ${SETTINGS} back.`,
    ].join("\n"),
  );
}

function ownerMessage(contract: string, owner: string, want: string, pending: string, policyCalls: number): string {
  const accept = TX_PERMISSION_ABI.encodeFunctionData("acceptOwnership", []);
  const steps =
    pending === want
      ? [`Fix: ${want}, already the pending owner, calls acceptOwnership(), to ${contract}:`, `    ${accept}`]
      : [
          `Fix: the owner ${owner} calls transferOwnership(${want}), to ${contract}:`,
          `    ${TX_PERMISSION_ABI.encodeFunctionData("transferOwnership", [want])}`,
          `  then ${want} calls acceptOwnership(), to ${contract}:`,
          `    ${accept}`,
        ];
  return [
    `permissions: the contract's owner is ${owner}, the settings say ${want}: ` +
      (pending === want ? `${want}, the pending owner, must call acceptOwnership(). ` : `the owner ${owner} must call transferOwnership(${want}) and ${want} acceptOwnership(). `) +
      `\`pulumi up\` sends nothing to the transaction permission contract ${contract}: only its owner may hand the policy over.`,
    ...steps,
    `then run \`pulumi up\` again — or set permissions.owner back to ${owner}.` +
      (policyCalls ? ` The lists differ too (${policyCalls} transaction(s) for the owner): \`pulumi up\` names them once the owner matches.` : ""),
  ].join("\n");
}

/** The contract's state at the head: ObservedPolicy and the pending owner. */
async function observe(inputs: OnChainPolicyInputs, options: ObserveOptions): Promise<ObservedPolicy & { pendingOwner: string }> {
  const logRange = options.logRange ?? LOG_RANGE;
  if (!Number.isInteger(logRange) || logRange < 1) throw new Error(`observeOnChainPolicy: logRange ${logRange} is not a positive whole number of blocks`);
  const contract = getAddress(inputs.contract);
  return onChain(inputs.rpcUrl, async (provider) => {
    const head = await provider.getBlockNumber();
    if ((await provider.getCode(contract, head)) === "0x") {
      throw new Error(`permissions: no contract at ${contract} on this chain: is it an AuRa chain whose genesis was rendered with a restrictive consortium:permissions?`);
    }
    const candidates = new Set<string>([...listedAccounts(inputs), ...[...(inputs.genesisAccounts ?? []), ...(options.known ?? [])].map((a) => getAddress(a))]);
    const topic = TX_PERMISSION_ABI.getEvent("AccountTypesSet")!.topicHash;
    for (let from = 0; from <= head; from += logRange) {
      const logs = await provider.getLogs({ address: contract, topics: [topic], fromBlock: from, toBlock: Math.min(head, from + logRange - 1) });
      for (const log of logs) candidates.add(getAddress(dataSlice(log.topics[1]!, 12)));
    }
    const c = new Contract(contract, TX_PERMISSION_ABI, provider);
    const at = { blockTag: head };
    const listed = [...candidates].sort(byAddress);
    const [owner, pendingOwner, openTypes, types] = await Promise.all([
      c.owner(at) as Promise<string>,
      c.pendingOwner(at) as Promise<string>,
      c.openTypes(at) as Promise<bigint>,
      Promise.all(listed.map((a) => c.accountTypes(a, at) as Promise<bigint>)),
    ]);
    const accounts: Record<string, number> = {};
    for (const [i, a] of listed.entries()) if (types[i] !== 0n) accounts[a] = Number(types[i]);
    return { owner: getAddress(owner), pendingOwner: getAddress(pendingOwner), openTypes: Number(openTypes), accounts };
  });
}

/** A connection to the chain at `rpcUrl` (its chain id asked once); errors never carry the URL. */
async function onChain<T>(rpcUrl: string, fn: (provider: JsonRpcProvider) => Promise<T>): Promise<T> {
  try {
    const chainId = Number(await jsonRpcCall<string>(rpcUrl, "eth_chainId", [], 10_000));
    return await withProvider({ rpcUrl, chainId }, fn);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!rpcUrl || !message.includes(rpcUrl)) throw e;
    throw new Error(message.split(rpcUrl).join("<the RPC endpoint>"));
  }
}

const accountsOf = (observed: Pick<ObservedPolicy, "accounts">): Map<string, number> =>
  new Map(Object.entries(observed.accounts).filter(([, m]) => m !== TX_TYPES.none).map(([a, m]) => [getAddress(a), m]));

function openWords(mask: number): string {
  if (mask === TX_TYPES.deploy) return "every sender transact and deploy";
  if (mask === TX_TYPES.transact) return "every sender transact";
  if (mask === TX_TYPES.none) return "no sender transact or deploy without a grant of its own";
  return "every sender do what an unknown mask allows";
}

function desiredOpenWords(mask: number): string {
  if (mask === TX_TYPES.deploy) return 'opens transact and deploy to everyone (both "open")';
  if (mask === TX_TYPES.transact) return 'opens transact to everyone ("open") and lists the deployers';
  return "lists the senders and the deployers (neither is \"open\")";
}

/** The levels a mask grants: transact (basic and call), deploy (create). */
const levelsOf = (mask: number): ("transact" | "deploy")[] => [
  ...((mask & TX_TYPES.transact) === TX_TYPES.transact ? (["transact"] as const) : []),
  ...((mask & TX_TYPES.create) !== 0 ? (["deploy"] as const) : []),
];

function accountWords(account: string, o: number, d: number, desired: Pick<OnChainPolicyInputs, "transact" | "deploy">): string {
  const known = [TX_TYPES.none, TX_TYPES.transact, TX_TYPES.deploy] as number[];
  if (!known.includes(o) || !known.includes(d)) return `${account} has accountTypes ${maskName(o)} on chain, but ${SETTINGS} calls for ${maskName(d)}`;
  const extra = levelsOf(o).filter((l) => !levelsOf(d).includes(l));
  const missing = levelsOf(d).filter((l) => !levelsOf(o).includes(l));
  const parts: string[] = [];
  if (extra.length) {
    const why = extra.map((l) => (desired[l] === "open" ? `permissions.${l} is "open" (it lists no one)` : `permissions.${l} does not list it`));
    parts.push(`${account} may ${extra.join(" and ")} on chain (accountTypes ${maskName(o)}) but ${why.join(" and ")}`);
  }
  if (missing.length) {
    const where = missing.map((l) => `permissions.${l}`).join(" and ");
    parts.push(`${where} ${missing.length > 1 ? "list" : "lists"} ${account} but the contract does not (accountTypes ${maskName(o)})`);
  }
  return parts.join("; ");
}
