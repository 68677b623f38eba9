// Web3 Secret Storage v3 keystores (scrypt + AES-128-CTR + Keccak-256 MAC), as geth, ethers and
// @ethereumjs/wallet read them.
//
// Why not ethers' encryptKeystoreJson: it runs a pure-JS scrypt; Node's native crypto.scrypt is ~1.5x faster at
// N = 2^18, r = 8 (measured side by side by `npm run bench`), which adds up over a key ceremony.
// The format itself is small and fixed; its test vectors and three independent readers check it (test/keys).
import { randomBytes, randomUUID, scrypt } from "node:crypto";
import { createCipheriv } from "node:crypto";
import { computeAddress, getBytes, hexlify, keccak256 } from "ethers";

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

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

export const DEFAULT_SCRYPT: ScryptParams = { n: 2 ** 18, r: 8, p: 1 };

/** Native scrypt; `maxmem` is raised to what N and r need (128·N·r bytes) plus headroom. */
export function scryptKey(password: string, salt: Uint8Array, params: ScryptParams, dklen = 32): Promise<Buffer> {
  const maxmem = 128 * params.n * params.r * params.p + 32 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(Buffer.from(password, "utf8"), salt, dklen, { N: params.n, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export interface EncryptOptions {
  scrypt?: ScryptParams;
  /** Fixed salt / iv / id, for test vectors only; fresh random values otherwise. */
  salt?: Uint8Array;
  iv?: Uint8Array;
  id?: string;
}

/** Encrypts a 32-byte secp256k1 private key into a v3 keystore. */
export async function encryptKeystore(privateKey: string | Uint8Array, password: string, opts: EncryptOptions = {}): Promise<KeystoreV3> {
  const key = getBytes(privateKey);
  if (key.length !== 32) throw new Error("encryptKeystore: a private key is 32 bytes");
  // ethers NFKC-normalises the password before scrypt, geth and @ethereumjs/wallet use its UTF-8 bytes as given:
  // only a password that NFKC leaves unchanged opens the keystore in all three.
  if (password.normalize("NFKC") !== password) throw new Error("encryptKeystore: the password must be in Unicode NFKC form");
  const params = opts.scrypt ?? DEFAULT_SCRYPT;
  const salt = opts.salt ?? randomBytes(32);
  const iv = opts.iv ?? randomBytes(16);
  const derived = await scryptKey(password, salt, params);
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  const mac = keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext]));
  return {
    version: 3,
    id: opts.id ?? randomUUID(),
    address: computeAddress(hexlify(key)).slice(2).toLowerCase(),
    crypto: {
      cipher: "aes-128-ctr",
      ciphertext: ciphertext.toString("hex"),
      cipherparams: { iv: Buffer.from(iv).toString("hex") },
      kdf: "scrypt",
      kdfparams: { dklen: 32, n: params.n, r: params.r, p: params.p, salt: Buffer.from(salt).toString("hex") },
      mac: mac.slice(2),
    },
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
