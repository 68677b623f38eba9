// What the operators' dashboard says of the PoCo stack (pure): the hub, its configuration, the categories deals are
// made in and the worker pools registered, with what keeps it from taking work, in words.
import { getAddress, toBeHex, ZeroAddress } from "ethers";
import type { Category } from "../lib/poco/target";

/** Listed pools, of those registered: the dashboard shows the first ones, the count says how many there are. */
export const LISTED_POOLS = 20;

/** The hub's own reads; null where its call reverted (a facet not cut in). */
export interface HubReadings {
  owner: string | null;
  token: string | null;
  /** Its EIP-712 domain is set: `configure` ran. */
  configured: boolean;
  categories: Category[];
  workerpoolRegistry: string | null;
}

export interface PocoReadings {
  hub: string;
  /** null: no contract at the hub's address. */
  read: HubReadings | null;
  /** From the hub's worker pool registry; null when it has none. Ids are the registry's ERC-721 token ids. */
  workerpools: { count: bigint; listed: { id: bigint; owner: string; description: string }[] } | null;
}

export interface PocoStatus {
  hub: string;
  owner: string | null;
  /** The token staked in PoCo (on home: the bridged token). */
  token: string | null;
  configured: boolean;
  categories: ({ id: number } & Category)[];
  workerpoolRegistry: string | null;
  workerpools: { count: number; listed: { address: string; owner: string; description: string }[] };
  /** Why PoCo cannot take work, in words; empty when it can. */
  problems: string[];
}

/** A pool's registry token id is its contract's address. */
export const poolAddress = (id: bigint) => getAddress(toBeHex(id, 20));

const address = (a: string | null | undefined) => (a && a !== ZeroAddress ? getAddress(a) : null);

export function pocoStatus(r: PocoReadings): PocoStatus {
  const h = r.read;
  const categories = h?.categories ?? [];
  const count = Number(r.workerpools?.count ?? 0n);
  const problems = [
    !h && "no contract at the hub's address",
    h && !h.configured && "the hub is not configured",
    categories.length === 0 && "no category: no deal can be made",
    !r.workerpools && "no worker pool registry",
    r.workerpools && count === 0 && "no worker pool registered",
  ].filter((p): p is string => typeof p === "string");
  return {
    hub: getAddress(r.hub),
    owner: address(h?.owner),
    token: address(h?.token),
    configured: h?.configured ?? false,
    categories: categories.map((c, id) => ({ id, ...c })),
    workerpoolRegistry: r.workerpools ? address(h?.workerpoolRegistry) : null,
    workerpools: { count, listed: (r.workerpools?.listed ?? []).map((p) => ({ address: poolAddress(p.id), owner: getAddress(p.owner), description: p.description })) },
    problems,
  };
}
