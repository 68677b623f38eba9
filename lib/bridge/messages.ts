// What both sides of the bridge hash, built in one place for the agent, the CLI and the tests: the EIP-712 withdrawal
// the validators sign (vault domain; the struct names the home chain and gateway, so a signature is valid for one
// gateway's withdrawal only) and the vault's record of a whitelisted deposit.
import { AbiCoder, keccak256, TypedDataDomain, TypedDataField } from "ethers";
import { WITHDRAWAL_EIP712 } from "./abi";

export interface WithdrawalMessage {
  homeChainId: bigint | number;
  homeGateway: string;
  withdrawalId: bigint | number | string;
  recipient: string;
  amount: bigint | number | string;
}

export interface TypedData {
  domain: TypedDataDomain;
  types: Record<string, TypedDataField[]>;
  value: Record<string, unknown>;
}

/** The typed data of a withdrawal for the vault at `vault` on chain `foreignChainId`. */
export function withdrawalTypedData(foreignChainId: bigint | number, vault: string, w: WithdrawalMessage): TypedData {
  return {
    domain: { name: WITHDRAWAL_EIP712.domainName, version: WITHDRAWAL_EIP712.domainVersion, chainId: foreignChainId, verifyingContract: vault },
    // ethers wants mutable arrays; abi.ts keeps its constant readonly.
    types: { Withdrawal: WITHDRAWAL_EIP712.types.Withdrawal.map((f) => ({ ...f })) },
    value: { ...w },
  };
}

/** `ForeignVault.depositRecord(id)` of a whitelisted deposit: keccak256(abi.encode(sender, homeRecipient, amount)). */
export function depositRecordHash(sender: string, homeRecipient: string, amount: bigint | string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "address", "uint256"], [sender, homeRecipient, amount]));
}
