// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @notice The transaction permission contract of an AuRa consortium: who may send transactions (call contracts, move
/// value) and who may create contracts. The clients ask it about every transaction before they take it into a block
/// or accept a block holding it, so the consortium's `permissions.transact` and `permissions.deploy` hold on chain.
///
/// It is placed IN THE GENESIS (render/permissions/txPermission.ts): its runtime code plus storage computed offline,
/// no constructor run. Hence no immutables, and this storage layout, which the renderer writes slot by slot:
///   slot 0  address  owner          (OpenZeppelin Ownable `_owner`)
///   slot 1  address  pending owner  (OpenZeppelin Ownable2Step `_pendingOwner`; zero in the genesis)
///   slot 2  uint256  openTypes      types granted to every sender (an "open" level): a uint32 mask in a slot of its
///                                   own (a uint32 would be packed beside the pending owner in slot 1)
///   slot 3  mapping(address => uint32) accountTypes   types granted to one sender (a listed address)
/// A sender's types are openTypes | accountTypes[sender] (| TRANSACT for the owner, see allowedTxTypes). Both only ever
/// hold NONE, TRANSACT or DEPLOY: creating a contract is a transaction, so whoever may create may also transact
/// (settings/permissions.ts refuses a policy that says otherwise, and the setters here too).
///
/// The interface is the one OpenEthereum and Nethermind call, version 3:
/// - OpenEthereum 3.3.5, crates/ethcore/src/tx_filter.rs (TransactionFilter::transaction_allowed, lines 77-211): reads
///   `contractVersion()` (none: the deprecated v1 `allowedTxTypes(address) returns (uint32)`), then for version 2
///   `allowedTxTypes(address sender, address to, uint256 value) returns (uint32, bool)`, for 3
///   `allowedTxTypes(address sender, address to, uint256 value, uint256 gasPrice, bytes data) returns (uint32, bool)`,
///   for 4 the EIP-1559 variant (maxFeePerGas, maxPriorityFeePerGas, gasLimit, data); ABIs in
///   crates/ethcore/res/contracts/tx_acl*.json, its own test contract in res/chainspec/test/contract_ver_3.sol.
/// - Nethermind, Nethermind.Consensus.AuRa/Contracts/VersionedTransactionPermissionContract.cs (versions 1 to 4,
///   picked by `contractVersion()`, 1 when that call fails), TransactionPermissionContractV3.cs (same five arguments;
///   gasPrice is maxFeePerGas for an EIP-1559 transaction), Transactions/PermissionBasedTxFilter.cs (the check).
/// Both clients support versions 2, 3 and 4 (and 1: OpenEthereum as its deprecated fallback). We answer 3: both call
/// it with the data and gas price a later policy could filter on (2 has neither), without the EIP-1559 fee fields of
/// 4, which mean nothing on the pre-London fork levels we also render. Today's answer depends on the sender alone; the
/// other arguments are ignored.
///
/// Type bits (both clients): 0x01 basic (a call to an account without code: a value transfer), 0x02 call (to an
/// account with code), 0x04 create, 0x08 private (never granted). The client works out which type a transaction is
/// (creation; code at `to` in the parent block's state or not) and allows it when that bit is in the answer.
contract TxPermission is Ownable2Step {
    uint32 public constant NONE = 0;
    uint32 public constant BASIC = 0x01;
    uint32 public constant CALL = 0x02;
    uint32 public constant CREATE = 0x04;
    /// What `permissions.transact` grants: value transfers and contract calls (the client tells them apart by
    /// whether `to` has code, which says nothing about the policy).
    uint32 public constant TRANSACT = BASIC | CALL;
    /// What `permissions.deploy` grants: creations, and transactions (a deployer may always transact).
    uint32 public constant DEPLOY = TRANSACT | CREATE;

    /// The name and its hash the clients' reference contracts expose (OpenEthereum's contract_ver_3.sol).
    string private constant NAME = "TX_PERMISSION_CONTRACT";

    /// Slot 2: the types every sender has ("open" levels); always a uint32 mask.
    uint256 public openTypes;
    /// Slot 3: the types each listed sender has besides.
    mapping(address account => uint32 types) public accountTypes;

    event OpenTypesSet(uint32 types);
    event AccountTypesSet(address indexed account, uint32 types);

    error InvalidTypes(uint32 types);
    error RenounceRefused();

    /// Ownable needs one. A genesis runs none: the renderer writes the owner's slot (slot 0) instead.
    constructor(address initialOwner) Ownable(initialOwner) {}

    function contractName() public pure returns (string memory) {
        return NAME;
    }

    function contractNameHash() external pure returns (bytes32) {
        return keccak256(bytes(NAME));
    }

    function contractVersion() external pure returns (uint256) {
        return 3;
    }

    /// @notice The types `sender` may send (version 3 of the clients' interface; `to`, value, gas price and data do
    /// not change the answer). The owner may always transact, or an owner that is an account outside the transact
    /// list could never send the transaction that fixes the list; it can grant itself anything anyway.
    /// @return typesMask the types granted.
    /// @return cache true: both clients key a cached answer by (parent block hash, sender) — OpenEthereum's
    /// `permission_cache` (tx_filter.rs lines 110-114, 206-208), Nethermind's `Cache.Permissions`
    /// (PermissionBasedTxFilter.cs, GetPermissions) — and ask the contract in the parent block's state, so a cached
    /// answer is reused only for transactions checked against that same state. A change of the lists lands in a
    /// block; transactions built on that block get a new parent hash, hence a fresh answer: a revocation takes effect
    /// from the next block on, exactly as it would without the cache. Caching also reuses the answer for every `to`
    /// of the sender (Nethermind even reuses the first `to`'s has-code flag), which is safe because this answer
    /// grants BASIC and CALL together or not at all.
    function allowedTxTypes(address sender, address, uint256, uint256, bytes calldata) external view returns (uint32 typesMask, bool cache) {
        typesMask = uint32(openTypes) | accountTypes[sender];
        if (sender == owner()) typesMask |= TRANSACT;
        return (typesMask, true);
    }

    /// @notice Sets what every sender may do: NONE (both lists apply), TRANSACT (transact open) or DEPLOY (both open).
    function setOpenTypes(uint32 types) external onlyOwner {
        _checkTypes(types);
        openTypes = types;
        emit OpenTypesSet(types);
    }

    /// @notice Sets what each of `accounts` may do: NONE (removed from both lists), TRANSACT (the transact list only)
    /// or DEPLOY (both lists).
    function setAccountTypes(address[] calldata accounts, uint32 types) external onlyOwner {
        _checkTypes(types);
        for (uint256 i = 0; i < accounts.length; i++) {
            accountTypes[accounts[i]] = types;
            emit AccountTypesSet(accounts[i], types);
        }
    }

    /// @notice Refused: without an owner nobody could ever revoke a permission again. Hand the policy over with
    /// transferOwnership/acceptOwnership instead.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceRefused();
    }

    function _checkTypes(uint32 types) private pure {
        if (types != NONE && types != TRANSACT && types != DEPLOY) revert InvalidTypes(types);
    }
}
