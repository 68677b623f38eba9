// Chain ids of public networks. A consortium that reuses one would accept transactions signed for that network
// (EIP-155 replay), so the spec refuses them unless `allowPublicChainId` is set.
export const PUBLIC_CHAIN_IDS: ReadonlyMap<number, string> = new Map([
  [1, "Ethereum mainnet"],
  [3, "Ropsten"],
  [4, "Rinkeby"],
  [5, "Goerli"],
  [10, "OP Mainnet"],
  [42, "Kovan"],
  [56, "BNB Smart Chain"],
  [61, "Ethereum Classic"],
  [100, "Gnosis"],
  [134, "iExec Bellecour"],
  [137, "Polygon"],
  [250, "Fantom"],
  [324, "zkSync Era"],
  [8453, "Base"],
  [17000, "Holesky"],
  [42161, "Arbitrum One"],
  [43114, "Avalanche C-Chain"],
  [59144, "Linea"],
  [560048, "Hoodi"],
  [11155111, "Sepolia"],
]);

// Addresses whose private keys are published (parity-deploy's dev account, Hardhat/Anvil #0, Truffle's default).
// Funding one outside a dev stack hands the balance to anyone.
export const PUBLICLY_KNOWN_ACCOUNTS: ReadonlyMap<string, string> = new Map([
  ["0x00ea169ce7e0992960d3bde6f5d539c955316432", "parity-deploy dev account"],
  ["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "Hardhat/Anvil account #0"],
  ["0x627306090abab3a6e1400e9345bc60c78a8bef57", "Truffle default account"],
]);
