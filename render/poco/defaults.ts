// PoCo settings a consortium gets unless it configures its own.
import type { Category, PocoSettings } from "../../lib/poco/target";

/** iExec's five standard categories (XS to XL), by reference work-clock time. */
export const DEFAULT_CATEGORIES: Category[] = [
  { name: "XS", description: '{"description":"Extra small task"}', workClockTimeRef: 300 },
  { name: "S", description: '{"description":"Small task"}', workClockTimeRef: 1_200 },
  { name: "M", description: '{"description":"Medium task"}', workClockTimeRef: 3_600 },
  { name: "L", description: '{"description":"Large task"}', workClockTimeRef: 10_800 },
  { name: "XL", description: '{"description":"Extra large task"}', workClockTimeRef: 36_000 },
];

/** Name and symbol of the balance PoCo keeps for stakers, as on iExec's chains. */
export const DEFAULT_STAKED = { name: "Staked RLC", symbol: "SRLC" } as const;

/** Prefix of the registries' NFT token URIs; each registry gets `<prefix>/<chainId>/<kind>/`. */
export const DEFAULT_REGISTRY_BASE_URI = "https://nfts-metadata.iex.ec";

/** Registry base URI per registry, from a prefix. */
export function registryBaseUris(prefix: string, chainId: number) {
  const base = prefix.replace(/\/+$/, "");
  return {
    AppRegistry: `${base}/${chainId}/app/`,
    DatasetRegistry: `${base}/${chainId}/dataset/`,
    WorkerpoolRegistry: `${base}/${chainId}/workerpool/`,
  };
}

/** Deployment settings with every default, for a token and an admin. */
export function defaultPocoSettings(chainId: number, token: string, admin: string): PocoSettings {
  return {
    chainId,
    token,
    admin,
    categories: DEFAULT_CATEGORIES,
    stakedName: DEFAULT_STAKED.name,
    stakedSymbol: DEFAULT_STAKED.symbol,
    registryBaseUris: registryBaseUris(DEFAULT_REGISTRY_BASE_URI, chainId),
  };
}
