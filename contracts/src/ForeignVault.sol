// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {AdminPausable} from "./AdminPausable.sol";
import {AdminRoles} from "./AdminRoles.sol";
import {Limits} from "./Limits.sol";
import {ValidatorSet} from "./ValidatorSet.sol";
import {WithdrawalHash} from "./WithdrawalHash.sol";

/// @notice Foreign side: locks the token on deposit and releases it on a withdrawal signed by m-of-n validators.
/// The whitelist is checked in the deposit transaction: a whitelisted sender's deposit emits `Deposited` (and is
/// minted on home); any other deposit never emits it and can only be refunded here, so no deposit is both minted and
/// refunded. The EIP-712 domain uses the live chain id (OpenZeppelin rebuilds it after a chain split).
///
/// A vault serves exactly one home gateway, forever: `binder` binds it once (`bindGateway`), after which the binder
/// is cleared. Until then no deposit or withdrawal goes through. The withdrawal message names the home chain id
/// (fixed at construction) and that gateway, so signatures for another gateway or home chain never verify here.
/// What a threshold of validator signatures can take out is bounded by the release limits (per transaction, per day).
contract ForeignVault is AdminPausable, ReentrancyGuard, EIP712 {
    using SafeERC20 for IERC20;
    using Limits for Limits.Data;

    bytes32 public constant WHITELIST_MANAGER_ROLE = keccak256("WHITELIST_MANAGER_ROLE");
    uint256 private constant MAX_FEE_BPS = 1000;

    struct RefundableDeposit {
        address sender;
        uint16 feeBps; // the fee in force when the deposit was made: it cannot be raised on a pending refund
        uint256 amount;
    }

    IERC20 public immutable token;
    ValidatorSet public immutable validatorSet;
    uint256 public immutable homeChainId;
    /// @notice The home gateway whose withdrawals this vault releases; zero until bound, then never changes.
    address public homeGateway;
    /// @notice Who may bind the gateway; zero once bound.
    address public binder;
    uint256 public depositNonce;
    uint256 public feeBps;
    address public feeRecipient;
    mapping(address account => bool) public isWhitelisted;
    mapping(uint256 withdrawalId => bool) public withdrawalProcessed;
    /// @notice keccak256(abi.encode(sender, homeRecipient, amount)) of each deposit that emitted `Deposited`; zero for
    /// the others. Validators check it (through their own node) before confirming a deposit or signing its cancellation.
    mapping(uint256 depositId => bytes32) public depositRecord;
    mapping(uint256 depositId => RefundableDeposit) private _refundable;
    Limits.Data private _depositLimits;
    Limits.Data private _releaseLimits;

    event GatewayBound(uint256 homeChainId, address indexed gateway);
    event Deposited(uint256 indexed depositId, address indexed sender, address indexed homeRecipient, uint256 amount);
    event DepositRefundable(uint256 indexed depositId, address indexed sender, uint256 amount);
    /// @param amount what the sender got back (the deposit minus `fee`)
    event Refunded(uint256 indexed depositId, address indexed sender, uint256 amount, uint256 fee);
    event WithdrawalExecuted(uint256 indexed withdrawalId, address indexed recipient, uint256 amount);
    event WhitelistChanged(address indexed account, bool allowed);
    event FeeChanged(uint256 feeBps, address feeRecipient);
    event DepositLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit);
    event ReleaseLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit);

    error InvalidFee(uint256 feeBps);
    error InvalidHomeChain(uint256 homeChainId);
    error NotBinder(address caller);
    error AlreadyBound(address gateway);
    error NotBound();
    error NotRefundable(uint256 depositId);
    error WithdrawalAlreadyProcessed(uint256 withdrawalId);

    modifier whenBound() {
        if (homeGateway == address(0)) revert NotBound();
        _;
    }

    /// @param depositLimits_ [minPerTx, maxPerTx, dailyLimit] of deposits
    /// @param releaseLimits_ [minPerTx, maxPerTx, dailyLimit] of executed withdrawals
    constructor(
        address token_,
        address validatorSet_,
        address owner,
        uint256 homeChainId_,
        address binder_,
        uint256[3] memory depositLimits_,
        uint256[3] memory releaseLimits_,
        uint256 feeBps_,
        address feeRecipient_
    ) AdminRoles(owner) EIP712(WithdrawalHash.DOMAIN_NAME, WithdrawalHash.DOMAIN_VERSION) {
        if (token_ == address(0) || validatorSet_ == address(0) || binder_ == address(0)) revert ZeroAddress();
        if (homeChainId_ == 0 || homeChainId_ == block.chainid) revert InvalidHomeChain(homeChainId_);
        token = IERC20(token_);
        validatorSet = ValidatorSet(validatorSet_);
        homeChainId = homeChainId_;
        binder = binder_;
        _grantRole(WHITELIST_MANAGER_ROLE, owner);
        _setDepositLimits(depositLimits_[0], depositLimits_[1], depositLimits_[2]);
        _setReleaseLimits(releaseLimits_[0], releaseLimits_[1], releaseLimits_[2]);
        _setFee(feeBps_, feeRecipient_);
    }

    // ---- binding ----

    /// @notice Binds the vault to its home gateway, once and for good: replacing the gateway means a new vault.
    function bindGateway(address gateway) external {
        if (homeGateway != address(0)) revert AlreadyBound(homeGateway);
        if (msg.sender != binder) revert NotBinder(msg.sender);
        if (gateway == address(0)) revert ZeroAddress();
        homeGateway = gateway;
        binder = address(0);
        emit GatewayBound(homeChainId, gateway);
    }

    // ---- limits, fee, whitelist ----

    function depositLimits() external view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) {
        return (_depositLimits.minPerTx, _depositLimits.maxPerTx, _depositLimits.dailyLimit);
    }

    function releaseLimits() external view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) {
        return (_releaseLimits.minPerTx, _releaseLimits.maxPerTx, _releaseLimits.dailyLimit);
    }

    function depositedOnDay(uint256 day) external view returns (uint256) {
        return _depositLimits.spentOnDay[day];
    }

    function releasedOnDay(uint256 day) external view returns (uint256) {
        return _releaseLimits.spentOnDay[day];
    }

    function setDepositLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)
        external
        onlyRole(LIMITS_MANAGER_ROLE)
    {
        _setDepositLimits(minPerTx, maxPerTx, dailyLimit);
    }

    function setReleaseLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)
        external
        onlyRole(LIMITS_MANAGER_ROLE)
    {
        _setReleaseLimits(minPerTx, maxPerTx, dailyLimit);
    }

    function setFee(uint256 feeBps_, address feeRecipient_) external onlyRole(LIMITS_MANAGER_ROLE) {
        _setFee(feeBps_, feeRecipient_);
    }

    function setWhitelisted(address[] calldata accounts, bool allowed) external onlyRole(WHITELIST_MANAGER_ROLE) {
        for (uint256 i; i < accounts.length; ++i) {
            isWhitelisted[accounts[i]] = allowed;
            emit WhitelistChanged(accounts[i], allowed);
        }
    }

    // ---- deposits ----

    function deposit(uint256 amount, address homeRecipient)
        external
        nonReentrant
        whenNotPaused
        whenBound
        returns (uint256 depositId)
    {
        return _deposit(amount, homeRecipient);
    }

    /// @dev The permit is best effort: if someone front-ran it (same signature, nonce used), the allowance is already
    /// set and the deposit goes on; if there is no allowance, the transfer reverts anyway.
    function depositWithPermit(uint256 amount, address homeRecipient, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
        whenNotPaused
        whenBound
        returns (uint256 depositId)
    {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        return _deposit(amount, homeRecipient);
    }

    function refundable(uint256 depositId) external view returns (address sender, uint256 amount) {
        RefundableDeposit storage d = _refundable[depositId];
        return (d.sender, d.amount);
    }

    /// @notice Returns a non-whitelisted deposit to its sender minus the fee. Anyone may call it (the tokens only ever
    /// go to the sender), once: the record is deleted before any transfer.
    function refund(uint256 depositId) external nonReentrant whenNotPaused {
        RefundableDeposit memory d = _refundable[depositId];
        if (d.amount == 0) revert NotRefundable(depositId);
        delete _refundable[depositId];
        uint256 fee = (d.amount * d.feeBps) / 10_000;
        token.safeTransfer(d.sender, d.amount - fee);
        if (fee != 0) token.safeTransfer(feeRecipient, fee);
        emit Refunded(depositId, d.sender, d.amount - fee, fee);
    }

    // ---- withdrawals ----

    /// @notice The EIP-712 digest the validators sign: Withdrawal(homeChainId, homeGateway, withdrawalId, recipient,
    /// amount) in this vault's domain.
    function withdrawalDigest(uint256 withdrawalId, address recipient, uint256 amount)
        public
        view
        whenBound
        returns (bytes32)
    {
        return _hashTypedDataV4(WithdrawalHash.structHash(homeChainId, homeGateway, withdrawalId, recipient, amount));
    }

    /// @notice Permissionless: the validators' signatures (ascending signers, see ValidatorSet) are the authorization;
    /// the release limits bound what they can take per transaction and per day. A withdrawal refused by the limits
    /// stays executable with the same signatures later (next day, or after the limits manager raised the limits).
    function executeWithdrawal(uint256 withdrawalId, address recipient, uint256 amount, bytes[] calldata signatures)
        external
        nonReentrant
        whenNotPaused
        whenBound
    {
        if (withdrawalProcessed[withdrawalId]) revert WithdrawalAlreadyProcessed(withdrawalId);
        validatorSet.checkSignatures(withdrawalDigest(withdrawalId, recipient, amount), signatures);
        _releaseLimits.consume(amount);
        withdrawalProcessed[withdrawalId] = true;
        token.safeTransfer(recipient, amount);
        emit WithdrawalExecuted(withdrawalId, recipient, amount);
    }

    // ---- internals ----

    /// @dev Refundable deposits are bounded per transaction but do not use the daily limit: they never reach home,
    /// and counting them would let anyone block the day's bridging for the price of the refund fee.
    function _deposit(uint256 amount, address homeRecipient) private returns (uint256 depositId) {
        if (homeRecipient == address(0)) revert ZeroAddress();
        bool whitelisted = isWhitelisted[msg.sender];
        if (whitelisted) _depositLimits.consume(amount);
        else _depositLimits.checkPerTx(amount);
        depositId = ++depositNonce;
        token.safeTransferFrom(msg.sender, address(this), amount);
        if (whitelisted) {
            depositRecord[depositId] = keccak256(abi.encode(msg.sender, homeRecipient, amount));
            emit Deposited(depositId, msg.sender, homeRecipient, amount);
        } else {
            _refundable[depositId] = RefundableDeposit(msg.sender, uint16(feeBps), amount);
            emit DepositRefundable(depositId, msg.sender, amount);
        }
    }

    function _setDepositLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) private {
        _depositLimits.set(minPerTx, maxPerTx, dailyLimit);
        emit DepositLimitsChanged(minPerTx, maxPerTx, dailyLimit);
    }

    function _setReleaseLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit) private {
        _releaseLimits.set(minPerTx, maxPerTx, dailyLimit);
        emit ReleaseLimitsChanged(minPerTx, maxPerTx, dailyLimit);
    }

    function _setFee(uint256 feeBps_, address feeRecipient_) private {
        if (feeBps_ > MAX_FEE_BPS) revert InvalidFee(feeBps_);
        if (feeRecipient_ == address(0)) revert ZeroAddress();
        feeBps = feeBps_;
        feeRecipient = feeRecipient_;
        emit FeeChanged(feeBps_, feeRecipient_);
    }
}
