// What the policy gateway lets through to the RPC node behind it (pure): a JSON-RPC request, the policy
// (settings/permissions.ts) and whether the caller showed a valid API key in, a verdict out. geth 1.13 has no
// permissioning of its own, so for Clique stacks this is where the three levels are enforced:
//  - read: with `read: "keys"`, nothing answers without a key;
//  - transact / deploy: eth_sendRawTransaction is decoded (ethers' Transaction) and refused unless its signer may send
//    it — a creation (no `to`) needs `deploy`, anything else `transact`;
//  - only reads and signed transactions pass: no method that signs with the node's accounts, administers it or
//    votes (admin_, debug_, personal_, miner_, clique_, txpool_, engine_ … are refused).
import { Transaction } from "ethers";
import type { PermissionsSpec } from "../settings/permissions";

export interface JsonRpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export interface Refusal {
  code: number;
  message: string;
}

/** undefined: let it through. */
export type Verdict = Refusal | undefined;

/** EIP-1474's codes: the method is not available here; the transaction is rejected; the request is invalid. */
export const CODES = { methodNotAllowed: -32601, invalidParams: -32602, invalidRequest: -32600, rejected: -32003, unauthorized: -32001 } as const;

/** Namespaces whose methods read the chain (or send a signed transaction, checked below). */
const READ_NAMESPACES = ["eth_", "net_", "web3_"];
/** Methods of those namespaces that sign with the node's own accounts or mine: never through the gateway. */
const NEVER = new Set(["eth_sendTransaction", "eth_sign", "eth_signTransaction", "eth_signTypedData", "eth_signTypedData_v3", "eth_signTypedData_v4", "eth_submitWork", "eth_submitHashrate"]);

const may = (list: "open" | string[], address: string) => list === "open" || list.includes(address);

/** The signer of a raw transaction may send it: a creation needs `deploy`, a call or transfer `transact`. */
function sendVerdict(policy: PermissionsSpec, params: unknown): Verdict {
  const raw = Array.isArray(params) ? params[0] : undefined;
  let tx: Transaction;
  try {
    tx = Transaction.from(raw as string);
  } catch {
    return { code: CODES.invalidParams, message: "eth_sendRawTransaction: params[0] is not a signed transaction" };
  }
  const from = tx.from;
  if (!from) return { code: CODES.invalidParams, message: "eth_sendRawTransaction: the transaction is not signed" };
  if (tx.to === null) {
    return may(policy.deploy, from) ? undefined : { code: CODES.rejected, message: `${from} may not create contracts on this consortium (permissions.deploy)` };
  }
  return may(policy.transact, from) ? undefined : { code: CODES.rejected, message: `${from} may not send transactions on this consortium (permissions.transact)` };
}

export function verdict(policy: PermissionsSpec, request: JsonRpcRequest, hasKey: boolean): Verdict {
  if (typeof request.method !== "string") return { code: CODES.invalidRequest, message: "a JSON-RPC request needs a method" };
  const method = request.method;
  if (policy.read === "keys" && !hasKey) return { code: CODES.unauthorized, message: "this consortium's RPC endpoint needs an API key (Authorization: Bearer <key>, or /<key> as the URL path)" };
  if (NEVER.has(method) || !READ_NAMESPACES.some((ns) => method.startsWith(ns))) {
    return { code: CODES.methodNotAllowed, message: `${method} is not allowed through the consortium's RPC gateway (reads and signed transactions only)` };
  }
  return method === "eth_sendRawTransaction" ? sendVerdict(policy, request.params) : undefined;
}
