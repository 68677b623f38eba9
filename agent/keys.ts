// Loads the validator key from a Web3 v3 keystore and its password file. Neither the password nor the key is ever
// put in an error message: a wrong password and a corrupt keystore are reported by file name only.
import { readFile } from "node:fs/promises";
import { BaseWallet, getAddress, Wallet } from "ethers";

export async function loadValidatorWallet(keystoreFile: string, passwordFile: string, expectedAddress: string): Promise<BaseWallet> {
  const [keystore, password] = await Promise.all([readFile(keystoreFile, "utf8"), readFile(passwordFile, "utf8")]);
  let wallet: BaseWallet;
  try {
    // Password files are written with or without a trailing newline; the newline is never part of the password.
    wallet = await Wallet.fromEncryptedJson(keystore, password.replace(/\r?\n$/, ""));
  } catch {
    throw new Error(`cannot decrypt keystore ${keystoreFile} with the password in ${passwordFile} (wrong password or corrupt keystore)`);
  }
  if (wallet.address !== getAddress(expectedAddress)) {
    throw new Error(`keystore ${keystoreFile} holds ${wallet.address}, but validatorAddress is ${getAddress(expectedAddress)}`);
  }
  return wallet;
}
