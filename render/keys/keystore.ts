// Web3 Secret Storage v3 keystores as files (what geth, Nethermind and OpenEthereum read): their shape, their file
// names and a sealer's signer files. Pure; the keystores themselves are made and encrypted in lib/keygen.ts.

export interface KeystoreV3 {
  version: 3;
  id: string;
  address: string;
  crypto: {
    cipher: "aes-128-ctr";
    ciphertext: string;
    cipherparams: { iv: string };
    kdf: "scrypt";
    kdfparams: { dklen: 32; n: number; r: number; p: number; salt: string };
    mac: string;
  };
}

/** geth's keystore file name: `UTC--<ISO time with '-' for ':'>--<address>`; Nethermind also needs the address in it. */
export function keystoreFileName(keystore: KeystoreV3, created: Date = new Date(0)): string {
  const stamp = created.toISOString().replace(/:/g, "-");
  return `UTC--${stamp}--${keystore.address}`;
}

/**
 * A sealer's signer files, both secret (0600, owned by the node's user, in Kubernetes Secrets and export secrets):
 * the keystore in `keystoreDir` (named like geth names it, ending with the address, which Nethermind needs) and the
 * password file at `passwordPath`. Only the file names come from the keystore here; the apply layer fills the
 * contents (render/secrets.ts `keystore` / `password`).
 */
export function signerFiles(keystore: string, keystoreDir: string, passwordPath: string): { secretFiles: Record<string, "keystore" | "password"> } {
  return {
    secretFiles: { [`${keystoreDir}/${keystoreFileName(JSON.parse(keystore) as KeystoreV3)}`]: "keystore", [passwordPath]: "password" },
  };
}
