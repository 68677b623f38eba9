// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {AdminRoles} from "./AdminRoles.sol";

/// @notice The bridge validators of one chain and their m-of-n threshold. Every change starts a new epoch, so
/// membership is looked up per epoch and removed validators stop counting at once (no stale entries to clear).
contract ValidatorSet is AdminRoles {
    uint256 public epoch;
    uint256 public threshold;
    address[] private _validators;
    mapping(uint256 epoch => mapping(address account => bool)) private _isValidator;

    event ValidatorSetChanged(uint256 indexed epoch, address[] validators, uint256 threshold);

    error InvalidThreshold(uint256 threshold, uint256 validatorCount);
    error InvalidValidator(address validator);
    error NotEnoughSignatures(uint256 given, uint256 threshold);
    error SignerNotValidator(address signer);
    error SignersNotAscending(address previous, address signer);

    constructor(address owner, address[] memory validators_, uint256 threshold_) AdminRoles(owner) {
        _setValidators(validators_, threshold_);
    }

    function validators() external view returns (address[] memory) {
        return _validators;
    }

    function isValidator(address account) public view returns (bool) {
        return _isValidator[epoch][account];
    }

    function setValidators(address[] calldata validators_, uint256 threshold_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setValidators(validators_, threshold_);
    }

    /// @notice Reverts unless `signatures` are at least `threshold` signatures of `digest` by distinct current
    /// validators, ordered by strictly ascending signer address (which rules out duplicates without a lookup).
    /// OpenZeppelin's ECDSA.recover only accepts 65-byte signatures with low s, so malleated copies are rejected.
    function checkSignatures(bytes32 digest, bytes[] calldata signatures) external view {
        uint256 required = threshold;
        if (signatures.length < required) revert NotEnoughSignatures(signatures.length, required);
        mapping(address => bool) storage current = _isValidator[epoch];
        address previous;
        for (uint256 i; i < signatures.length; ++i) {
            address signer = ECDSA.recover(digest, signatures[i]);
            if (signer <= previous) revert SignersNotAscending(previous, signer);
            if (!current[signer]) revert SignerNotValidator(signer);
            previous = signer;
        }
    }

    function _setValidators(address[] memory validators_, uint256 threshold_) private {
        if (threshold_ == 0 || threshold_ > validators_.length) {
            revert InvalidThreshold(threshold_, validators_.length);
        }
        uint256 next = epoch + 1;
        mapping(address => bool) storage members = _isValidator[next];
        for (uint256 i; i < validators_.length; ++i) {
            address v = validators_[i];
            if (v == address(0) || members[v]) revert InvalidValidator(v);
            members[v] = true;
        }
        epoch = next;
        threshold = threshold_;
        _validators = validators_;
        emit ValidatorSetChanged(next, validators_, threshold_);
    }
}
