// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";

/// @notice The roles every bridge contract exposes (one interface for the deployment's role hand-out and refresh).
/// The owner gets them all; the deployment then grants each to its configured holder and renounces its own.
abstract contract AdminRoles is AccessControlEnumerable {
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant LIMITS_MANAGER_ROLE = keccak256("LIMITS_MANAGER_ROLE");

    error ZeroAddress();

    constructor(address owner) {
        if (owner == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, owner);
        _grantRole(PAUSER_ROLE, owner);
        _grantRole(LIMITS_MANAGER_ROLE, owner);
    }
}
