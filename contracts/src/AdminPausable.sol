// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {AdminRoles} from "./AdminRoles.sol";

/// @notice Emergency stop held by PAUSER_ROLE (vault and gateway).
abstract contract AdminPausable is AdminRoles, Pausable {
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }
}
