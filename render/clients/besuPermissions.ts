// The consortium's transact level (settings/permissions.ts) at each Besu node: Besu's LOCAL account permissioning, a
// TOML file with `accounts-allowlist` (issue 17). Pure; render/clients/besu.ts adds the file and its flags to a node.
//
// What Besu does with it (Besu 24.12.1 sources; besu-docs docs/private-networks/how-to/use-local-permissioning.md,
// https://besu.hyperledger.org/private-networks/how-to/use-local-permissioning):
// - File and keys: read by ethereum/permissioning/.../PermissioningConfigurationBuilder.java through Tuweni's TOML
//   parser (TomlConfigFileParser.java: a file that is empty or not TOML stops Besu). Top-level keys
//   `accounts-allowlist` (array of strings) and `nodes-allowlist` (array of enode URLs); an enabled list whose key is
//   missing stops Besu too. An account is "0x" (lower-case x) and 20 bytes of hex, any case
//   (AccountLocalConfigPermissioningController.isValidAccountString); entries are compared lower-cased, and two
//   entries equal once lower-cased stop Besu (duplicate entry): hence lower-cased, de-duplicated, sorted here (sorted:
//   the same set renders the same file, so a reordered list restarts no node). An empty array is valid and lets no
//   sender through. CLI (besu/.../cli/options/PermissionsOptions.java; besu-docs
//   docs/private-networks/reference/cli/options.md): `--permissions-accounts-config-file-enabled`,
//   `--permissions-accounts-config-file` (default: permissions_config.toml inside --data-path, Besu's own directory;
//   we pass the path of ours, beside the genesis).
// - Where it applies: to the SENDER of a transaction (AccountLocalConfigPermissioningController.isPermitted: a
//   transaction without sender is refused), wherever a transaction is validated with checkLocalPermissions
//   (ethereum/core/.../mainnet/TransactionValidationParams.java): the transaction pool — both what JSON-RPC submits
//   (eth_sendRawTransaction, TransactionPool.addTransactionViaApi) and what peers propagate over P2P
//   (addRemoteTransactions) — and block production (`mining()`, BlockTransactionSelector: a validator proposes no
//   transaction of a sender it does not allow). NOT on block import (`processingBlock()` checks no local permission)
//   nor in eth_call / eth_estimateGas (`transactionSimulator()`). The docs say the same ("Transaction validation
//   against the accounts allowlist occurs at …"; "a node can synchronize and add blocks containing transactions from
//   accounts that are not on the accounts allowlist of that node"). So the chain holds only allowed senders' transactions
//   as long as every QBFT validator runs with the list: a member whose validator runs without it can get any
//   transaction into the blocks it proposes, and the others import them (a QBFT proposal is checked by processing it
//   as an import: consensus/qbft/.../validation/ProposalPayloadValidator.java, validateAndProcessBlock).
//   That is the trust model of local permissioning (besu-docs concepts/permissioning: "Your rules are not enforced in
//   blocks produced by other nodes"); each member's stack renders the same list for its own nodes.
// - Contract creation: the local list cannot tell one from a call (it sees only the sender). The deploy level is
//   enforced by the policy gateway in front of the RPC nodes (gateway/, render/permissions/gateway.ts); at the node,
//   an allowed sender may also deploy. (Only the onchain account contract saw the target — transactionAllowed(sender,
//   target, value, gasPrice, gasLimit, payload), TransactionSmartContractPermissioningController.java — or a Java
//   TransactionPermissioningProvider plugin.)
// - Why local files and not Besu's onchain permissioning contracts: onchain permissioning is deprecated in 24.12.0
//   (PermissionsOptions.java: "Onchain permissioning is deprecated"; besu-docs concepts/permissioning/onchain) and
//   removed in 25.6.0 (besu CHANGELOG.md: "Remove onchain permissioning #8597"); it would also need the contracts in
//   the genesis and an admin allowlist on chain. A local file needs nothing on chain, and each member keeps its own
//   nodes' files.
// - Changes: Besu reads the file at start only; it watches nothing. A running node rereads it on
//   perm_reloadPermissionsFromFile (the PERM JSON-RPC API, off unless listed in --rpc-http-api) or when restarted.
//   The deployer restarts: `pulumi up` rewrites the file, and every target restarts a node whose files changed (local
//   processes: their file digests; Docker: new files replace the container; Kubernetes: the files-hash annotation),
//   one node at a time (components/fleet/Fleet.ts). The PERM API stays off — besu.ts refuses it with a list: any
//   caller could add accounts (perm_addAccountsToAllowlist), which Besu also writes back into the file.
// - Nodes: no `nodes-allowlist` is rendered (nor --permissions-nodes-config-file-enabled). Besu knows an inbound peer
//   as its node id, the TCP SOURCE address and the port its HELLO announces (ethereum/p2p/.../rlpx/connections/netty/
//   DeFramer.java createPeer) and allows it only if an entry has the same id, IP and port
//   (EnodeURLImpl.sameListeningEndpoint, NodeLocalConfigPermissioningController.isPermitted). The fleet's enodes hold
//   the address peers DIAL (a Kubernetes Service, a member's host behind NAT), not the one connections come from (the
//   pod's IP, an egress address): the docs' tip is to list both, which the renderer does not know. Listing only the
//   former would refuse inbound connections there and split the validators. Peering stays static without discovery
//   (besu.ts), and who reaches the p2p port is the network's business (render/nodeWorkload.ts).

export const BESU_PERMISSIONS_FILE = "permissions_config.toml";

/** Besu's account format (isValidAccountString): 0x and 20 bytes of hex. */
const ACCOUNT = /^0x[0-9a-fA-F]{40}$/;

/** The accounts Besu lets send transactions, as Besu compares them: lower-cased, once each, sorted. */
export function besuAccountAllowlist(accounts: readonly string[]): string[] {
  for (const a of accounts) if (!ACCOUNT.test(a)) throw new Error(`besu accounts-allowlist: ${JSON.stringify(a)} is not an address (0x and 40 hex digits)`);
  return [...new Set(accounts.map((a) => a.toLowerCase()))].sort();
}

/** The permissions TOML file of a node that lets only `accounts` send transactions (see above). */
export function renderBesuPermissions(accounts: readonly string[]): string {
  const list = besuAccountAllowlist(accounts);
  const header = [
    "# Besu local account permissioning: only these senders' transactions enter this node's pool and the blocks it",
    "# proposes. Rendered from the consortium's permissions.transact (render/clients/besuPermissions.ts): `pulumi up`",
    "# rewrites it and restarts the node.",
  ];
  // TOML basic strings; addresses need no escaping. An array may span lines (TOML 1.0 "Array").
  const value = list.length === 0 ? "[]" : `[\n${list.map((a) => `  "${a}"`).join(",\n")}\n]`;
  return [...header, `accounts-allowlist = ${value}`, ""].join("\n");
}
