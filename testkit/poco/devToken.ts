// The dev RLC token (rlc-faucet-contract 2.0.0: 9 decimals, the whole supply to its deployer, approveAndCall as
// the iexec SDK deposits with): the home token in tests and benchmarks, where no bridged token exists.
import { deployedAddress } from "../deployed";
import { Contract, ContractFactory, Signer } from "ethers";
import { readFileSync } from "node:fs";

export const DEV_RLC_ABI = [
  "function balanceOf(address) view returns (uint256)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function decimals() view returns (uint8)",
];

export async function deployDevRlc(owner: Signer): Promise<Contract> {
  const artifact = JSON.parse(readFileSync(require.resolve("rlc-faucet-contract/build/contracts/RLC.json"), "utf8"));
  const rlc = await new ContractFactory(artifact.abi, artifact.bytecode, owner).deploy();
  return new Contract(await deployedAddress(rlc, "dev RLC deployment"), DEV_RLC_ABI, owner);
}
