// The desired state of a PoCo deployment once its contracts exist: what the setup steps converge to and
// what `read` compares the chain with.
import { ContractName, DIAMOND_BASE, FACETS, REGISTRIES, RegistryName } from "./plan";

export interface Category {
  name: string;
  /** Free text; iExec puts JSON here. */
  description: string;
  /** Reference work-clock time in seconds; the task deadlines are multiples of it. */
  workClockTimeRef: number;
}

export interface PocoTarget {
  diamond: string;
  /** Every facet the Diamond routes to (the three base facets and the 13 PoCo facets) by name. */
  facets: Record<string, string>;
  registries: Record<RegistryName, string>;
  /** ERC-20 token staked in PoCo (token mode). */
  token: string;
  /** Name and symbol of PoCo's own staked-token balance (iExec: "Staked RLC", "SRLC"). */
  stakedName: string;
  stakedSymbol: string;
  /** Final owner of the Diamond and the registries. */
  admin: string;
  categories: Category[];
  registryBaseUris: Record<RegistryName, string>;
}

/** Settings of a deployment, beyond the contracts' addresses. */
export interface PocoSettings {
  chainId: number;
  token: string;
  admin: string;
  categories: Category[];
  stakedName: string;
  stakedSymbol: string;
  registryBaseUris: Record<RegistryName, string>;
}

/** The target state from the deployed contracts' addresses and the settings. */
export function pocoTarget(contracts: Record<ContractName, string>, s: PocoSettings): PocoTarget {
  return {
    diamond: contracts.Diamond,
    facets: Object.fromEntries([...DIAMOND_BASE, ...FACETS].map((f) => [f, contracts[f]])),
    registries: Object.fromEntries(REGISTRIES.map((r) => [r, contracts[r]])) as Record<RegistryName, string>,
    token: s.token,
    stakedName: s.stakedName,
    stakedSymbol: s.stakedSymbol,
    admin: s.admin,
    categories: s.categories,
    registryBaseUris: s.registryBaseUris,
  };
}
