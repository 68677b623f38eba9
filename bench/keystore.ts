// Keystore generation cost at the same scrypt parameters, measured side by side in one run:
//   ours    encryptKeystore (Node's native scrypt + AES-128-CTR + Keccak-256 MAC)
//   ethers  ethers v6 encryptKeystoreJson with scrypt { N, r, p } (pure-JS scrypt)
//   floor   scryptKey alone: the native KDF, the lower bound for any keystore at these parameters
// Each round runs the three once, in a rotating order, after one unmeasured warm-up round; the result is the mean
// seconds per key and its ratio to ours (ethers/ours > 1 is our speed-up; floor/ours ≤ 1 is the KDF's share).
// Note: ethers' Wallet.encrypt(password, progressCallback) takes no scrypt options (it always uses N = 2^17), so
// the ethers side calls encryptKeystoreJson, the function Wallet.encrypt wraps, with the options set.
import { randomBytes } from "node:crypto";
import { computeAddress, encryptKeystoreJson } from "ethers";
import { encryptKeystore, scryptKey, ScryptParams } from "../lib/keygen";

export interface KeystoreBenchRow {
  name: string;
  secondsPerKey: number;
  /** secondsPerKey divided by ours' secondsPerKey. */
  ratioToOurs: number;
}

export interface KeystoreBenchOptions {
  /** scrypt N (a power of two), e.g. 2 ** 18. r = 8 and p = 1 as in our keystores. */
  n: number;
  /** Measured rounds (one key per implementation per round); at N = 2^18 ethers takes seconds per key. */
  rounds: number;
}

interface Contender {
  name: string;
  run: (privateKey: string, password: string) => Promise<unknown>;
}

export async function benchKeystores(opts: KeystoreBenchOptions): Promise<KeystoreBenchRow[]> {
  const { n, rounds } = opts;
  if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0) throw new Error(`benchKeystores: N ${n} is not a power of two`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`benchKeystores: rounds ${rounds} must be a positive integer`);
  const params: ScryptParams = { n, r: 8, p: 1 };

  const contenders: Contender[] = [
    { name: "ours (native scrypt)", run: (key, pw) => encryptKeystore(key, pw, { scrypt: params }) },
    {
      name: "ethers v6 encryptKeystoreJson",
      run: (key, pw) => encryptKeystoreJson({ address: computeAddress(key), privateKey: key }, pw, { scrypt: { N: n, r: params.r, p: params.p } }),
    },
    { name: "native scrypt KDF only (floor)", run: (_key, pw) => scryptKey(pw, randomBytes(32), params) },
  ];

  // A fresh key and password per round, the same for all contenders in that round.
  const inputs = () => ({ key: "0x" + randomBytes(32).toString("hex"), password: randomBytes(32).toString("base64url") });

  // Warm-up: JIT, OpenSSL and thread-pool start-up; not measured.
  {
    const { key, password } = inputs();
    for (const c of contenders) await c.run(key, password);
  }

  const totals = contenders.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    const { key, password } = inputs();
    for (let j = 0; j < contenders.length; j++) {
      const i = (round + j) % contenders.length; // rotate who goes first
      const t0 = performance.now();
      await contenders[i]!.run(key, password);
      totals[i]! += performance.now() - t0;
    }
  }

  const secondsPerKey = totals.map((ms) => ms / 1000 / rounds);
  const ours = secondsPerKey[0]!;
  return contenders.map((c, i) => ({ name: c.name, secondsPerKey: secondsPerKey[i]!, ratioToOurs: secondsPerKey[i]! / ours }));
}
