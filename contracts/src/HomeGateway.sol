// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {AdminPausable} from "./AdminPausable.sol";
import {AdminRoles} from "./AdminRoles.sol";
import {BridgedToken} from "./BridgedToken.sol";
import {Limits} from "./Limits.sol";
import {ValidatorSet} from "./ValidatorSet.sol";
import {WithdrawalHash} from "./WithdrawalHash.sol";

/// @notice Home side: mints the bridged token once `threshold` current validators confirmed the same deposit, and
/// collects the validators' EIP-712 signatures (in the foreign vault's domain) for withdrawals, which burn on request.
/// The signed message names this chain's live id and this gateway, so the vault (bound to one gateway of one home
/// chain) accepts only this gateway's withdrawal ids. A whitelisted deposit the home side cannot mint is given back by
/// the owner with `cancelDeposit`: a withdrawal to the deposit's sender, signed and released like any other.
contract HomeGateway is AdminPausable {
    using Limits for Limits.Data;

    struct Withdrawal {
        address recipient;
        uint256 amount;
        uint256 cancelledDepositId; // 0 for a normal (burning) withdrawal
    }

    BridgedToken public immutable token;
    ValidatorSet public immutable validatorSet;
    uint256 public immutable foreignChainId;
    address public immutable foreignVault;
    bytes32 private immutable _foreignDomainSeparator;

    Limits.Data private _executionLimits;
    Limits.Data private _withdrawLimits;

    mapping(uint256 depositId => bool) public depositMinted;
    mapping(uint256 depositId => bool) public depositCancelled;
    /// @dev Keyed by hash(depositId, recipient, amount): confirmations of different data never add up.
    mapping(bytes32 key => address[]) private _confirmers;
    mapping(bytes32 key => mapping(address validator => bool)) private _confirmedBy;

    uint256 public withdrawalNonce;
    mapping(uint256 withdrawalId => Withdrawal) private _withdrawals;
    mapping(uint256 withdrawalId => address[]) private _signers;
    mapping(uint256 withdrawalId => bytes[]) private _signatures;
    mapping(uint256 withdrawalId => mapping(address validator => bool)) public withdrawalSignedBy;

    event DepositConfirmed(uint256 indexed depositId, address indexed validator, address recipient, uint256 amount);
    event DepositMinted(uint256 indexed depositId, address indexed recipient, uint256 amount);
    event WithdrawalRequested(
        uint256 indexed withdrawalId, address indexed sender, address indexed foreignRecipient, uint256 amount
    );
    event DepositCancelled(
        uint256 indexed depositId,
        uint256 indexed withdrawalId,
        address indexed sender,
        address homeRecipient,
        uint256 amount
    );
    event WithdrawalSigned(uint256 indexed withdrawalId, address indexed validator, uint256 signatureCount);
    event ExecutionLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit);
    event WithdrawLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit);

    error NotValidator(address account);
    error AlreadyConfirmed(uint256 depositId, address validator);
    error AlreadyMinted(uint256 depositId);
    error AlreadyCancelled(uint256 depositId);
    error InvalidDepositId(uint256 depositId);
    error InvalidAmount();
    error UnknownWithdrawal(uint256 withdrawalId);
    error AlreadySigned(uint256 withdrawalId, address validator);
    error SignatureMismatch(uint256 withdrawalId, address recovered, address validator);

    modifier onlyValidator() {
        if (!validatorSet.isValidator(msg.sender)) revert NotValidator(msg.sender);
        _;
    }

    constructor(
        string memory tokenName,
        string memory tokenSymbol,
        uint8 tokenDecimals,
        address validatorSet_,
        address owner,
        uint256 foreignChainId_,
        address foreignVault_,
        uint256[3] memory executionLimits_,
        uint256[3] memory withdrawLimits_
    ) AdminRoles(owner) {
        if (validatorSet_ == address(0) || foreignVault_ == address(0)) revert ZeroAddress();
        token = new BridgedToken(tokenName, tokenSymbol, tokenDecimals);
        validatorSet = ValidatorSet(validatorSet_);
        foreignChainId = foreignChainId_;
        foreignVault = foreignVault_;
        _foreignDomainSeparator = WithdrawalHash.domainSeparator(foreignChainId_, foreignVault_);
        _setExecutionLimits(executionLimits_[0], executionLimits_[1], executionLimits_[2]);
        _setWithdrawLimits(withdrawLimits_[0], withdrawLimits_[1], withdrawLimits_[2]);
    }

    // ---- limits ----

    function executionLimits() external view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) {
        return (_executionLimits.minPerTx, _executionLimits.maxPerTx, _executionLimits.dailyLimit);
    }

    function withdrawLimits() external view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) {
        return (_withdrawLimits.minPerTx, _withdrawLimits.maxPerTx, _withdrawLimits.dailyLimit);
    }

    function executionSpentOnDay(uint256 day) external view returns (uint256) {
        return _executionLimits.spentOnDay[day];
    }

    function withdrawSpentOnDay(uint256 day) external view returns (uint256) {
        return _withdrawLimits.spentOnDay[day];
    }

    function setExecutionLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)
        external
        onlyRole(LIMITS_MANAGER_ROLE)
    {
        _setExecutionLimits(minPerTx, maxPerTx, dailyLimit);
    }

    function setWithdrawLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)
        external
        onlyRole(LIMITS_MANAGER_ROLE)
    {
        _setWithdrawLimits(minPerTx, maxPerTx, dailyLimit);
    }

    // ---- deposits (foreign → home) ----

    /// @notice One confirmation per validator and data. The confirmation that brings the number of *current*
    /// validators agreeing on the data to the threshold mints; if that mint exceeds the execution limits the whole
    /// call reverts with the limit error (nothing recorded) and the agent retries later. A confirmation arriving after
    /// the mint reverts with `AlreadyMinted`: agents read `depositMinted` first and then skip the deposit. A cancelled
    /// deposit is never minted (`AlreadyCancelled`).
    function confirmDeposit(uint256 depositId, address recipient, uint256 amount) external whenNotPaused onlyValidator {
        if (depositMinted[depositId]) revert AlreadyMinted(depositId);
        if (depositCancelled[depositId]) revert AlreadyCancelled(depositId);
        if (recipient == address(0)) revert ZeroAddress();
        bytes32 key = _depositKey(depositId, recipient, amount);
        if (_confirmedBy[key][msg.sender]) revert AlreadyConfirmed(depositId, msg.sender);
        _confirmedBy[key][msg.sender] = true;
        _confirmers[key].push(msg.sender);
        emit DepositConfirmed(depositId, msg.sender, recipient, amount);

        if (_currentConfirmations(key) < validatorSet.threshold()) return;
        _executionLimits.consume(amount);
        depositMinted[depositId] = true;
        token.mint(recipient, amount);
        emit DepositMinted(depositId, recipient, amount);
    }

    /// @notice Gives a whitelisted deposit that the home side cannot mint (e.g. above the execution limits) back to its
    /// foreign sender: records a withdrawal of `amount` to `sender` (nothing burnt, no withdraw limit used) that the
    /// validators sign like any other once they checked, through their own foreign node, that the vault's
    /// `depositRecord(depositId)` is keccak256(abi.encode(sender, homeRecipient, amount)); the vault releases it under
    /// its release limits. From then on the deposit can never be minted. Owner only, also while paused; it cannot be
    /// undone, so a cancellation with data that does not match the vault's record leaves the deposit neither mintable
    /// nor released (the validators will not sign it).
    function cancelDeposit(uint256 depositId, address sender, address homeRecipient, uint256 amount)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        returns (uint256 withdrawalId)
    {
        // Deposit ids start at 1; 0 marks a normal withdrawal (cancelledDepositId), so it can never be cancelled.
        if (depositId == 0) revert InvalidDepositId(depositId);
        if (depositMinted[depositId]) revert AlreadyMinted(depositId);
        if (depositCancelled[depositId]) revert AlreadyCancelled(depositId);
        if (sender == address(0) || homeRecipient == address(0)) revert ZeroAddress();
        if (amount == 0) revert InvalidAmount();
        depositCancelled[depositId] = true;
        withdrawalId = ++withdrawalNonce;
        _withdrawals[withdrawalId] = Withdrawal(sender, amount, depositId);
        emit DepositCancelled(depositId, withdrawalId, sender, homeRecipient, amount);
        emit WithdrawalRequested(withdrawalId, msg.sender, sender, amount);
    }

    function depositConfirmedBy(uint256 depositId, address recipient, uint256 amount, address validator)
        external
        view
        returns (bool)
    {
        return _confirmedBy[_depositKey(depositId, recipient, amount)][validator];
    }

    // ---- withdrawals (home → foreign) ----

    function withdraw(uint256 amount, address foreignRecipient) external whenNotPaused returns (uint256 withdrawalId) {
        if (foreignRecipient == address(0)) revert ZeroAddress();
        _withdrawLimits.consume(amount);
        token.burn(msg.sender, amount);
        withdrawalId = ++withdrawalNonce;
        _withdrawals[withdrawalId] = Withdrawal(foreignRecipient, amount, 0);
        emit WithdrawalRequested(withdrawalId, msg.sender, foreignRecipient, amount);
    }

    /// @notice `cancelledDepositId` is the deposit this withdrawal gives back (`cancelDeposit`), 0 for a normal withdrawal.
    function withdrawal(uint256 withdrawalId)
        external
        view
        returns (address recipient, uint256 amount, uint256 cancelledDepositId)
    {
        Withdrawal storage w = _withdrawals[withdrawalId];
        return (w.recipient, w.amount, w.cancelledDepositId);
    }

    /// @notice The digest the foreign vault verifies for this withdrawal: its domain (foreign chain id and address)
    /// over Withdrawal(live home chain id, this gateway, withdrawalId, recipient, amount).
    function withdrawalDigest(uint256 withdrawalId) public view returns (bytes32) {
        Withdrawal storage w = _withdrawals[withdrawalId];
        if (w.recipient == address(0)) revert UnknownWithdrawal(withdrawalId);
        return MessageHashUtils.toTypedDataHash(
            _foreignDomainSeparator,
            WithdrawalHash.structHash(block.chainid, address(this), withdrawalId, w.recipient, w.amount)
        );
    }

    /// @notice Not paused with the gateway: the tokens are already burnt, so their signatures are owed; the vault has
    /// its own pause. Signatures of validators removed later stay listed: executors keep the current ones only.
    function submitWithdrawalSignature(uint256 withdrawalId, bytes calldata signature) external onlyValidator {
        bytes32 digest = withdrawalDigest(withdrawalId);
        if (withdrawalSignedBy[withdrawalId][msg.sender]) revert AlreadySigned(withdrawalId, msg.sender);
        address recovered = ECDSA.recover(digest, signature);
        if (recovered != msg.sender) revert SignatureMismatch(withdrawalId, recovered, msg.sender);
        withdrawalSignedBy[withdrawalId][msg.sender] = true;
        _signers[withdrawalId].push(msg.sender);
        _signatures[withdrawalId].push(signature);
        emit WithdrawalSigned(withdrawalId, msg.sender, _signers[withdrawalId].length);
    }

    function withdrawalSignatures(uint256 withdrawalId)
        external
        view
        returns (address[] memory signers, bytes[] memory signatures)
    {
        return (_signers[withdrawalId], _signatures[withdrawalId]);
    }

    // ---- internals ----

    function _depositKey(uint256 depositId, address recipient, uint256 amount) private pure returns (bytes32) {
        return keccak256(abi.encode(depositId, recipient, amount));
    }

    function _currentConfirmations(bytes32 key) private view returns (uint256 count) {
        address[] storage confirmers = _confirmers[key];
        for (uint256 i; i < confirmers.length; ++i) {
            if (validatorSet.isValidator(confirmers[i])) ++count;
        }
    }

    function _setExecutionLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) private {
        _executionLimits.set(minPerTx, maxPerTx, dailyLimit);
        emit ExecutionLimitsChanged(minPerTx, maxPerTx, dailyLimit);
    }

    function _setWithdrawLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) private {
        _withdrawLimits.set(minPerTx, maxPerTx, dailyLimit);
        emit WithdrawLimitsChanged(minPerTx, maxPerTx, dailyLimit);
    }
}
