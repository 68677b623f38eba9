// What a token-mode PoCo deployment is made of, in deployment order, and the facet cuts each piece needs.
import { AbiCoder, Interface } from "ethers";
import { librariesOf, linkBytecode, loadArtifact } from "./artifacts";

/** Deployed before the Diamond and cut into it by its constructor (init is called once from there). */
export const DIAMOND_BASE = ["DiamondCutFacet", "DiamondLoupeFacet", "OwnershipFacet"] as const;
export const DIAMOND_INIT = "DiamondInit";
export const LIBRARY = "IexecLibOrders_v5";

/** The 13 facets of token mode (IexecEscrowNativeFacet is the native-mode alternative to IexecEscrowTokenFacet). */
export const FACETS = [
  "IexecAccessorsABILegacyFacet",
  "IexecCategoryManagerFacet",
  "IexecConfigurationExtraFacet",
  "IexecConfigurationFacet",
  "IexecERC20Facet",
  "IexecEscrowTokenFacet",
  "IexecOrderManagementFacet",
  "IexecPoco1Facet",
  "IexecPoco2Facet",
  "IexecPocoAccessorsFacet",
  "IexecPocoBoostAccessorsFacet",
  "IexecPocoBoostFacet",
  "IexecRelayFacet",
] as const;

export const REGISTRIES = ["AppRegistry", "DatasetRegistry", "WorkerpoolRegistry"] as const;

export type FacetName = (typeof FACETS)[number];
export type RegistryName = (typeof REGISTRIES)[number];

/** Every contract the deployment creates, in order; each one's dependencies come before it. */
export const CONTRACTS = [DIAMOND_INIT, ...DIAMOND_BASE, "Diamond", LIBRARY, ...FACETS, ...REGISTRIES] as const;
export type ContractName = (typeof CONTRACTS)[number];

/** Contracts whose addresses a contract's creation code needs: linked libraries, and the Diamond's base facets. */
export function dependenciesOf(name: ContractName): ContractName[] {
  if (name === "Diamond") return [DIAMOND_INIT, ...DIAMOND_BASE];
  return librariesOf(loadArtifact(name)) as ContractName[];
}

/**
 * Selectors a facet serves. The Diamond routes plain transfers (`receive`, selector 0x00000000) and unknown calls
 * (0xffffffff) to whichever facet declares `receive`/`fallback` — the escrow facet, which rejects them cleanly.
 */
export function selectorsOf(name: string): string[] {
  const { abi } = loadArtifact(name);
  const selectors: string[] = [];
  new Interface(abi).forEachFunction((f) => selectors.push(f.selector));
  const entries = abi as { type: string }[];
  if (entries.some((e) => e.type === "receive")) selectors.push("0x00000000");
  if (entries.some((e) => e.type === "fallback")) selectors.push("0xffffffff");
  return selectors.sort();
}

/** DiamondInit.init(): the calldata the Diamond's constructor runs once (registers ERC-165 interfaces). */
const INIT_CALLDATA = new Interface(["function init()"]).encodeFunctionData("init");
const ADD = 0;

/** Creation transaction data for `name`, given the addresses of its dependencies and the deployer (Diamond owner). */
export function creationCode(name: ContractName, deps: Record<string, string>, deployer: string): string {
  const artifact = loadArtifact(name);
  const code = linkBytecode(artifact, deps);
  if (name !== "Diamond") return code;
  const cuts = DIAMOND_BASE.map((facet) => [deps[facet], ADD, selectorsOf(facet)]);
  const args = AbiCoder.defaultAbiCoder().encode(
    ["tuple(address,uint8,bytes4[])[]", "tuple(address,address,bytes)"],
    [cuts, [deployer, deps[DIAMOND_INIT], INIT_CALLDATA]],
  );
  return code + args.slice(2);
}
