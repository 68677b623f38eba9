// What a PoCo deployment looks like on chain right now: the Diamond's routing table, owner, configuration,
// categories and registries. Calls to facets that are not cut in (yet, or any more) read as absent.
import { Contract, getAddress, Provider, ZeroHash } from "ethers";
import { DIAMOND_ABI, REGISTRY_ABI } from "./abi";
import { REGISTRIES, RegistryName } from "./plan";
import { Category, PocoTarget } from "./target";

export interface RegistryObservation {
  hasCode: boolean;
  owner?: string;
  initialized?: boolean;
  baseURI?: string;
}

export interface PocoObservation {
  hasCode: boolean;
  owner?: string;
  /** Facet address (checksummed) → the selectors routed to it, sorted. */
  facets: Record<string, string[]>;
  configured: boolean;
  token?: string;
  stakedName?: string;
  stakedSymbol?: string;
  decimals?: number;
  appRegistry?: string;
  datasetRegistry?: string;
  workerpoolRegistry?: string;
  categories: Category[];
  registries: Record<RegistryName, RegistryObservation>;
}

async function maybe<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch {
    return undefined;
  }
}

async function observeRegistry(provider: Provider, address: string): Promise<RegistryObservation> {
  if ((await provider.getCode(address)) === "0x") return { hasCode: false };
  const r = new Contract(address, REGISTRY_ABI, provider);
  const [owner, initialized, baseURI] = await Promise.all([r.owner(), r.initialized(), r.baseURI()]);
  return { hasCode: true, owner: getAddress(owner), initialized, baseURI };
}

async function observeCategories(diamond: Contract): Promise<Category[]> {
  const count = Number((await maybe(() => diamond.countCategory())) ?? 0n);
  const categories: Category[] = [];
  for (let i = 0; i < count; i++) {
    const c = await diamond.viewCategory(i);
    categories.push({ name: c.name, description: c.description, workClockTimeRef: Number(c.workClockTimeRef) });
  }
  return categories;
}

export async function observePoco(provider: Provider, target: Pick<PocoTarget, "diamond" | "registries">): Promise<PocoObservation> {
  const registries = Object.fromEntries(
    await Promise.all(REGISTRIES.map(async (name) => [name, await observeRegistry(provider, target.registries[name])] as const)),
  ) as Record<RegistryName, RegistryObservation>;
  const absent = { hasCode: false, facets: {}, configured: false, categories: [], registries };
  if ((await provider.getCode(target.diamond)) === "0x") return absent;
  const d = new Contract(target.diamond, DIAMOND_ABI, provider);
  const routes: { facetAddress: string; functionSelectors: string[] }[] = (await maybe(() => d.facets())) ?? [];
  const facets = Object.fromEntries(routes.map((f) => [getAddress(f.facetAddress), [...f.functionSelectors].sort()]));
  const separator: string | undefined = await maybe(() => d.eip712domain_separator());
  const read = async (fn: string) => maybe(async () => String(await d.getFunction(fn)()));
  const address = async (fn: string) => maybe(async () => getAddress(await d.getFunction(fn)()));
  const [owner, token, stakedName, stakedSymbol, decimals, appRegistry, datasetRegistry, workerpoolRegistry, categories] = await Promise.all([
    address("owner"),
    address("token"),
    read("name"),
    read("symbol"),
    read("decimals"),
    address("appregistry"),
    address("datasetregistry"),
    address("workerpoolregistry"),
    observeCategories(d),
  ]);
  return {
    hasCode: true,
    owner,
    facets,
    configured: separator !== undefined && separator !== ZeroHash,
    token,
    stakedName,
    stakedSymbol,
    decimals: decimals === undefined ? undefined : Number(decimals),
    appRegistry,
    datasetRegistry,
    workerpoolRegistry,
    categories,
    registries,
  };
}
