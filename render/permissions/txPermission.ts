// The AuRa transaction permission contract (contracts/src/TxPermission.sol) in the genesis: its runtime code and the
// storage that makes it enforce a policy's transact and deploy levels from block 0, computed here because a genesis
// runs no constructor; and the chain spec parameters that make OpenEthereum 3.3.5 and Nethermind ask it about every
// transaction. The one file read is the committed build (contracts/build/TxPermission.json), an input like a template.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AbiCoder, getAddress, keccak256, toBeHex, zeroPadValue } from "ethers";
import type { PermissionsSpec } from "../../settings/permissions";

/** Reserved in every AuRa genesis that restricts transact or deploy: no prefunded account may take it (0x5045: "PE"). */
export const TX_PERMISSION_ADDRESS = getAddress("0x0000000000000000000000000000000000005045");

/** The contract's type masks (TxPermission.sol): transact grants basic and call, deploy grants create as well. */
export const TX_TYPES = { none: 0, basic: 0x01, call: 0x02, create: 0x04, transact: 0x03, deploy: 0x07 } as const;

/** Storage slots, as the contract's header documents them (slot 1, the pending owner, stays zero). */
const SLOT = { owner: 0n, openTypes: 2n, accountTypes: 3n } as const;

export interface GenesisContractAccount {
  balance: string;
  code: string;
  storage: Record<string, string>;
}

/** Whether the policy needs the contract: some level it governs is not open (read is the gateways' business). */
export const enforcedOnChain = (p: PermissionsSpec): boolean => p.transact !== "open" || p.deploy !== "open";

/**
 * The chain spec `params` naming the contract, active from the genesis block on. Both clients read these two keys:
 * OpenEthereum crates/ethjson/src/spec/params.rs lines 146-148 (`transaction_permission_contract(_transition)`, with
 * `rename_all = "camelCase"`), Nethermind Nethermind.Specs/ChainSpecStyle/Json/ChainSpecParamsJson.cs
 * (`TransactionPermissionContract`, `TransactionPermissionContractTransition`).
 */
export function txPermissionParams(): { transactionPermissionContract: string; transactionPermissionContractTransition: string } {
  return { transactionPermissionContract: TX_PERMISSION_ADDRESS, transactionPermissionContractTransition: "0x0" };
}

/** The contract's genesis account for `policy`, keyed by TX_PERMISSION_ADDRESS. Throws on a policy it cannot hold. */
export function txPermissionAccount(policy: PermissionsSpec): Record<string, GenesisContractAccount> {
  return { [TX_PERMISSION_ADDRESS]: { balance: "0x0", code: runtimeCode(), storage: txPermissionStorage(policy) } };
}

/** What the contract holds for a policy: the types every sender has, and each listed account's own (none of them NONE). */
export interface PolicyTypes {
  /** `openTypes`: DEPLOY when deploy is open, TRANSACT when only transact is, NONE otherwise. */
  openTypes: number;
  /** `accountTypes`, by checksummed address: TRANSACT for a listed sender, DEPLOY for a listed deployer. */
  accounts: Map<string, number>;
}

/**
 * The masks that make the contract enforce `policy`'s transact and deploy levels: what the genesis storage holds
 * (txPermissionAccount) and what the owner's transactions must bring the contract back to (lib/permissions/onChainPolicy.ts).
 * Throws on a policy the contract cannot hold; `who` names the caller in the message.
 */
export function policyTypes(policy: Pick<PermissionsSpec, "transact" | "deploy">, who = "txPermissionAccount"): PolicyTypes {
  const transact = policy.transact === "open" ? "open" : policy.transact.map((a) => getAddress(a));
  const deploy = policy.deploy === "open" ? "open" : policy.deploy.map((a) => getAddress(a));
  // The contract's own rule (its setters refuse anything else): whoever may create may transact.
  if (deploy === "open" && transact !== "open") throw new Error(`${who}: deploy is "open" while transact is a list`);
  if (deploy !== "open" && transact !== "open") {
    const outside = deploy.filter((a) => !transact.includes(a));
    if (outside.length) throw new Error(`${who}: ${outside.join(", ")} may deploy but not transact`);
  }
  const openTypes = deploy === "open" ? TX_TYPES.deploy : transact === "open" ? TX_TYPES.transact : TX_TYPES.none;
  const accounts = new Map<string, number>();
  if (transact !== "open") for (const a of transact) accounts.set(a, TX_TYPES.transact);
  if (deploy !== "open") for (const a of deploy) accounts.set(a, TX_TYPES.deploy);
  return { openTypes, accounts };
}

/**
 * Slot → value (both 32-byte hex, the form OpenEthereum, Nethermind and geth all read) for the owner, the open levels
 * and each listed address. Zero slots are left out: absent storage is zero.
 */
function txPermissionStorage(policy: PermissionsSpec): Record<string, string> {
  if (!policy.owner) throw new Error("txPermissionAccount: the policy has no owner, so nobody could ever change its lists (set permissions.owner)");
  const { openTypes: open, accounts } = policyTypes(policy);
  const storage: Record<string, string> = { [word(SLOT.owner)]: word(BigInt(getAddress(policy.owner))) };
  if (open !== TX_TYPES.none) storage[word(SLOT.openTypes)] = word(BigInt(open));
  for (const [account, types] of accounts) storage[accountTypesSlot(account)] = word(BigInt(types));
  return storage;
}

const word = (n: bigint): string => zeroPadValue(toBeHex(n), 32);

/** Solidity's slot of `accountTypes[account]`: keccak256 of the key and the mapping's slot, each a 32-byte word. */
const accountTypesSlot = (account: string): string => keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [account, SLOT.accountTypes]));

let runtime: string | undefined;

/** The committed build's runtime code, found above this module whether it runs from its source or from dist/. */
function runtimeCode(): string {
  if (runtime !== undefined) return runtime;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "contracts", "build", "TxPermission.json");
    if (!existsSync(file)) continue;
    runtime = (JSON.parse(readFileSync(file, "utf8")) as { deployedBytecode: string }).deployedBytecode;
    return runtime;
  }
  throw new Error(`contracts/build/TxPermission.json is missing above ${__dirname}: run npm run contracts`);
}
