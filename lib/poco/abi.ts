// The parts of the Diamond and the registries the deployment reads and writes (ethers human-readable ABI).
export const DIAMOND_ABI = [
  // EIP-2535 loupe, cut and EIP-173 ownership.
  "function facets() view returns (tuple(address facetAddress, bytes4[] functionSelectors)[])",
  "function facetAddress(bytes4 selector) view returns (address)",
  "function diamondCut(tuple(address facetAddress, uint8 action, bytes4[] functionSelectors)[] cuts, address init, bytes data)",
  "function owner() view returns (address)",
  "function transferOwnership(address newOwner)",
  // PoCo configuration.
  "function configure(address token, string name, string symbol, uint8 decimals, address appRegistry, address datasetRegistry, address workerpoolRegistry, address v3Hub)",
  "function changeRegistries(address appRegistry, address datasetRegistry, address workerpoolRegistry)",
  "function eip712domain_separator() view returns (bytes32)",
  "function token() view returns (address)",
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function appregistry() view returns (address)",
  "function datasetregistry() view returns (address)",
  "function workerpoolregistry() view returns (address)",
  "function createCategory(string name, string description, uint256 workClockTimeRef) returns (uint256)",
  "function countCategory() view returns (uint256)",
  "function viewCategory(uint256 index) view returns (tuple(string name, string description, uint256 workClockTimeRef))",
] as const;

export const REGISTRY_ABI = [
  "function owner() view returns (address)",
  "function transferOwnership(address newOwner)",
  "function initialized() view returns (bool)",
  "function initialize(address previous)",
  "function baseURI() view returns (string)",
  "function setBaseURI(string baseURI)",
] as const;

/** The worker pool registry as the monitor enumerates it (ERC-721 Enumerable: a pool's token id is its address). */
export const WORKERPOOL_REGISTRY_ABI = [
  "function totalSupply() view returns (uint256)",
  "function tokenByIndex(uint256 index) view returns (uint256)",
  "function ownerOf(uint256 tokenId) view returns (address)",
] as const;

export const WORKERPOOL_ABI = ["function m_workerpoolDescription() view returns (string)"] as const;

export const ERC20_ABI = ["function decimals() view returns (uint8)"] as const;
