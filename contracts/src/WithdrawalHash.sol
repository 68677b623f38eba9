// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice The EIP-712 message both sides agree on: the vault verifies it, the gateway computes it for the validators.
/// The domain is the vault's (its live chain id and address); the message names the home chain id and the gateway
/// that issued the withdrawal id, so a signature made for another gateway or another home chain never verifies, and
/// withdrawal ids (a per-gateway nonce) cannot collide across gateways.
library WithdrawalHash {
    string internal constant DOMAIN_NAME = "ConsortiumBridgeVault";
    string internal constant DOMAIN_VERSION = "1";
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant WITHDRAWAL_TYPEHASH = keccak256(
        "Withdrawal(uint256 homeChainId,address homeGateway,uint256 withdrawalId,address recipient,uint256 amount)"
    );

    function structHash(
        uint256 homeChainId,
        address homeGateway,
        uint256 withdrawalId,
        address recipient,
        uint256 amount
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(WITHDRAWAL_TYPEHASH, homeChainId, homeGateway, withdrawalId, recipient, amount));
    }

    /// @dev The vault's domain separator as OpenZeppelin's EIP712 builds it, for a vault on another chain.
    function domainSeparator(uint256 chainId, address vault) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                DOMAIN_TYPEHASH, keccak256(bytes(DOMAIN_NAME)), keccak256(bytes(DOMAIN_VERSION)), chainId, vault
            )
        );
    }
}
