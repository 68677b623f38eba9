// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @notice What `approveAndCall` calls: RLC's TokenSpender, which iExec PoCo's escrow implements. Declared without a
/// return value so spenders that return a bool (PoCo) and those that return nothing both work.
interface IApprovalReceiver {
    function receiveApproval(address from, uint256 value, address token, bytes calldata extraData) external;
}

/// @notice The home-side representation of the foreign token. Only its creator, the home gateway, mints (after the
/// validators' confirmations) and burns (on withdraw, without an allowance: the gateway burns only the caller's own).
contract BridgedToken is ERC20Permit {
    address public immutable gateway;
    uint8 private immutable _decimals;

    error OnlyGateway(address caller);

    modifier onlyGateway() {
        if (msg.sender != gateway) revert OnlyGateway(msg.sender);
        _;
    }

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) ERC20Permit(name_) {
        gateway = msg.sender;
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice RLC's one-transaction approve + notify, which the iexec SDK uses to deposit into PoCo.
    function approveAndCall(address spender, uint256 value, bytes calldata extraData) external returns (bool) {
        _approve(msg.sender, spender, value);
        IApprovalReceiver(spender).receiveApproval(msg.sender, value, address(this), extraData);
        return true;
    }

    function mint(address to, uint256 amount) external onlyGateway {
        _mint(to, amount);
    }

    function burn(address from, uint256 amount) external onlyGateway {
        _burn(from, amount);
    }
}
