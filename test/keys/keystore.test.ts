// Web3 Secret Storage v3 keystores: the official scrypt test vector, and keystores we write read back by three
// independent implementations: ethers v6 (noble scrypt), @ethereumjs/wallet (ethereum-cryptography scrypt) and the
// real geth 1.13.15 binary (golang.org/x/crypto/scrypt).
import { Wallet as EthereumjsWallet } from "@ethereumjs/wallet";
import { computeAddress, decryptKeystoreJson, keccak256, Wallet } from "ethers";
import * as nodeCrypto from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_SCRYPT, encryptKeystore, scryptKey } from "../../lib/keygen";
import { keystoreFileName, type KeystoreV3 } from "../../render/keys/keystore";
import { geth, gethUnlock, stopAllGeth } from "./gethUnlock";

// The keystore module's `scrypt` is wrapped in a pass-through spy. Only the exact-reproduction test of the official
// vector replaces one call (see there); every other test runs the real native scrypt.
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, scrypt: vi.fn(real.scrypt) };
});

const hex = (s: string) => Buffer.from(s, "hex");

// https://ethereum.org/developers/docs/data-structures-and-encoding/web3-secret-storage/ (scrypt test vector).
// NB: the published vector has r = 1, p = 8 (not r = 8, p = 1).
const VECTOR = {
  crypto: {
    cipher: "aes-128-ctr",
    cipherparams: { iv: "83dbcc02d8ccb40e466191a123791e0e" },
    ciphertext: "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
    kdf: "scrypt",
    kdfparams: { dklen: 32, n: 262144, p: 8, r: 1, salt: "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19" },
    mac: "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
  },
  id: "3198bc9c-6672-5ab3-d995-4942343ae5b6",
  version: 3,
} as const;
const VECTOR_PASSWORD = "testpassword";
const VECTOR_KEY = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
const VECTOR_ADDRESS = "0x008aeeda4d805471df9b2a5b0f38a0c3bcba786b";
/** The spec's published intermediate: scrypt("testpassword", salt, N=262144, r=1, p=8, dklen=32). */
const VECTOR_DERIVED_KEY = "fac192ceb5fd772906bea3e118a69e8bbb5cc24229e20d8766fd298291bba6bd";
const VECTOR_SALT = hex(VECTOR.crypto.kdfparams.salt);
const VECTOR_IV = hex(VECTOR.crypto.cipherparams.iv);

/**
 * The same key, password, salt and iv at our default parameters (N 2^18, r 8, p 1). Pinned from our output: the
 * pin is only a regression guard; the test that uses it also has ethers, @ethereumjs/wallet and geth decrypt it.
 */
const DEFAULT_PARAMS_CIPHERTEXT = "b160ff7e6d855b53a3f8d65e4b2850584cfaa01751807f19d07c298de16f802d";
const DEFAULT_PARAMS_MAC = "daeeba49ffae86381ae33f74c05dc0038888a7806267a04a1ae2183a7f2b7b17";

/** Small scrypt cost for tests that are about the format, not the cost. */
const FAST = { n: 2 ** 12, r: 8, p: 1 };
const PASSWORD = "correct horse battery staple";
const SECP256K1_N_MINUS_1 = "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";
/** Fixed keys, including the extremes of the valid range (1 and n-1) and one with a leading zero byte. */
const KEYS = [
  VECTOR_KEY,
  "0x0000000000000000000000000000000000000000000000000000000000000001",
  SECP256K1_N_MINUS_1,
  "0x00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee",
];

const json = (k: KeystoreV3) => JSON.stringify(k);
/** The end of geth's log, for assertion messages. */
const tail = (log: string) => log.split("\n").slice(-8).join("\n");

async function ethersDecrypt(keystore: KeystoreV3, password: string): Promise<{ privateKey: string; address: string }> {
  const account = await decryptKeystoreJson(json(keystore), password);
  return { privateKey: account.privateKey, address: account.address };
}

async function ethereumjsDecrypt(keystore: unknown, password: string): Promise<{ privateKey: string; address: string }> {
  const wallet = await EthereumjsWallet.fromV3(keystore as Parameters<typeof EthereumjsWallet.fromV3>[0], password);
  return { privateKey: wallet.getPrivateKeyString(), address: wallet.getAddressString() };
}

function withFlippedCiphertextByte(keystore: KeystoreV3, index: number): KeystoreV3 {
  const ct = hex(keystore.crypto.ciphertext);
  ct[index] = ct[index]! ^ 0x01;
  return { ...keystore, crypto: { ...keystore.crypto, ciphertext: ct.toString("hex") } };
}

beforeAll(async () => {
  // Fail loudly (not skip) when geth is missing.
  await geth();
});

afterEach(async () => {
  await stopAllGeth();
});

describe("the Web3 Secret Storage scrypt test vector", () => {
  it("is self-consistent: AES-128-CTR under dk[0..16] gives the key, MAC = keccak256(dk[16..32] ‖ ciphertext)", () => {
    const dk = hex(VECTOR_DERIVED_KEY);
    const decipher = nodeCrypto.createDecipheriv("aes-128-ctr", dk.subarray(0, 16), VECTOR_IV);
    const plain = Buffer.concat([decipher.update(hex(VECTOR.crypto.ciphertext)), decipher.final()]);
    expect("0x" + plain.toString("hex")).toBe(VECTOR_KEY);
    expect(keccak256(Buffer.concat([dk.subarray(16, 32), hex(VECTOR.crypto.ciphertext)]))).toBe("0x" + VECTOR.crypto.mac);
    expect(computeAddress(VECTOR_KEY).toLowerCase()).toBe(VECTOR_ADDRESS);
  });

  it("native scrypt (OpenSSL) and ethers refuse its N = 2^18 with r = 1 (RFC 7914: N < 2^(16·r))", async () => {
    const params = { n: VECTOR.crypto.kdfparams.n, r: VECTOR.crypto.kdfparams.r, p: VECTOR.crypto.kdfparams.p };
    await expect(scryptKey(VECTOR_PASSWORD, VECTOR_SALT, params)).rejects.toThrow(/scrypt/i);
    await expect(decryptKeystoreJson(JSON.stringify(VECTOR), VECTOR_PASSWORD)).rejects.toThrow(/less than 2\^\(128 \* r \/ 8\)/);
  });

  it("our encryptKeystore with its salt, iv and parameters reproduces its ciphertext and MAC exactly", async () => {
    // Node's scrypt cannot compute this KDF (previous test), so this one call returns the spec's published
    // derived key; everything after the KDF (AES-128-CTR, MAC, encoding) is our code, compared bit for bit.
    const mocked = vi.mocked(nodeCrypto.scrypt) as unknown as ReturnType<typeof vi.fn>;
    mocked.mockClear();
    mocked.mockImplementationOnce((...args: unknown[]) => {
      const cb = args[args.length - 1] as (err: Error | null, key: Buffer) => void;
      cb(null, hex(VECTOR_DERIVED_KEY));
    });
    const params = { n: VECTOR.crypto.kdfparams.n, r: VECTOR.crypto.kdfparams.r, p: VECTOR.crypto.kdfparams.p };
    const ks = await encryptKeystore(VECTOR_KEY, VECTOR_PASSWORD, { scrypt: params, salt: VECTOR_SALT, iv: VECTOR_IV, id: VECTOR.id });
    // The KDF was asked for exactly the vector's inputs.
    expect(mocked).toHaveBeenCalledTimes(1);
    const [pw, salt, dklen, opts] = mocked.mock.calls[0]!;
    expect(Buffer.from(pw as Uint8Array).toString("utf8")).toBe(VECTOR_PASSWORD);
    expect(Buffer.from(salt as Uint8Array).equals(VECTOR_SALT)).toBe(true);
    expect(dklen).toBe(32);
    expect(opts).toMatchObject({ N: 262144, r: 1, p: 8 });

    expect(ks.crypto).toEqual(VECTOR.crypto);
    expect(ks).toEqual({ ...VECTOR, address: VECTOR_ADDRESS.slice(2) });
  });

  it("decrypts with @ethereumjs/wallet to the published key", async () => {
    const w = await ethereumjsDecrypt(VECTOR, VECTOR_PASSWORD);
    expect(w.privateKey).toBe(VECTOR_KEY);
    expect(w.address).toBe(VECTOR_ADDRESS);
  });

  it("decrypts with geth to the published key's account", async () => {
    // geth indexes its keystore directory by each file's "address" field, which the published vector omits.
    const r = await gethUnlock(JSON.stringify({ ...VECTOR, address: VECTOR_ADDRESS.slice(2) }), "vector.json", VECTOR_ADDRESS, VECTOR_PASSWORD);
    expect(r.unlockedAddress, tail(r.output)).toBe(VECTOR_ADDRESS);
    expect(r.unlocked).toBe(true);
  });

  it("the same key/password/salt/iv at the default N 2^18 r 8 p 1 decrypts with ethers, @ethereumjs/wallet and geth", async () => {
    const ks = await encryptKeystore(VECTOR_KEY, VECTOR_PASSWORD, { salt: VECTOR_SALT, iv: VECTOR_IV, id: VECTOR.id });
    expect(ks.crypto.kdfparams).toEqual({ dklen: 32, n: 2 ** 18, r: 8, p: 1, salt: VECTOR.crypto.kdfparams.salt });
    expect(ks.crypto.ciphertext).toBe(DEFAULT_PARAMS_CIPHERTEXT);
    expect(ks.crypto.mac).toBe(DEFAULT_PARAMS_MAC);

    const viaEthers = await Wallet.fromEncryptedJson(json(ks), VECTOR_PASSWORD);
    expect(viaEthers.privateKey).toBe(VECTOR_KEY);
    expect((await ethereumjsDecrypt(ks, VECTOR_PASSWORD)).privateKey).toBe(VECTOR_KEY);
    const r = await gethUnlock(json(ks), keystoreFileName(ks), ks.address, VECTOR_PASSWORD);
    expect(r.unlockedAddress, tail(r.output)).toBe(VECTOR_ADDRESS);
  });
});

describe("scryptKey", () => {
  it("matches the RFC 7914 §12 test vectors", async () => {
    expect((await scryptKey("password", Buffer.from("NaCl"), { n: 1024, r: 8, p: 16 }, 64)).toString("hex")).toBe(
      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
    );
    expect((await scryptKey("pleaseletmein", Buffer.from("SodiumChloride"), { n: 16384, r: 8, p: 1 }, 64)).toString("hex")).toBe(
      "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
    );
  });

  it("works at the default parameters (maxmem is raised for N 2^18)", async () => {
    const dk = await scryptKey(PASSWORD, Buffer.alloc(32, 7), DEFAULT_SCRYPT);
    expect(dk).toHaveLength(32);
  });
});

describe("keystores we write", () => {
  it("have the v3 shape, with kdfparams defaulting to N 2^18, r 8, p 1, dklen 32", async () => {
    expect(DEFAULT_SCRYPT).toEqual({ n: 2 ** 18, r: 8, p: 1 });
    const ks = await encryptKeystore(VECTOR_KEY, PASSWORD);
    expect(ks.version).toBe(3);
    expect(ks.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ks.address).toBe(VECTOR_ADDRESS.slice(2));
    expect(ks.crypto.cipher).toBe("aes-128-ctr");
    expect(ks.crypto.kdf).toBe("scrypt");
    expect(ks.crypto.kdfparams).toMatchObject({ dklen: 32, n: 262144, r: 8, p: 1 });
    expect(ks.crypto.kdfparams.salt).toMatch(/^[0-9a-f]{64}$/);
    expect(ks.crypto.cipherparams.iv).toMatch(/^[0-9a-f]{32}$/);
    expect(ks.crypto.ciphertext).toMatch(/^[0-9a-f]{64}$/);
    expect(ks.crypto.mac).toMatch(/^[0-9a-f]{64}$/);
    // No plaintext key anywhere in the document.
    expect(json(ks)).not.toContain(VECTOR_KEY.slice(2));
    expect(Object.keys(ks).sort()).toEqual(["address", "crypto", "id", "version"]);
  });

  it("use a fresh salt, iv and id every time", async () => {
    const a = await encryptKeystore(VECTOR_KEY, PASSWORD, { scrypt: FAST });
    const b = await encryptKeystore(VECTOR_KEY, PASSWORD, { scrypt: FAST });
    expect(a.crypto.kdfparams.salt).not.toBe(b.crypto.kdfparams.salt);
    expect(a.crypto.cipherparams.iv).not.toBe(b.crypto.cipherparams.iv);
    expect(a.crypto.ciphertext).not.toBe(b.crypto.ciphertext);
    expect(a.id).not.toBe(b.id);
  });

  it("accept the key as bytes and as 0x hex alike, and refuse anything but 32 bytes", async () => {
    const opts = { scrypt: FAST, salt: VECTOR_SALT, iv: VECTOR_IV, id: VECTOR.id };
    expect(await encryptKeystore(hex(VECTOR_KEY.slice(2)), PASSWORD, opts)).toEqual(await encryptKeystore(VECTOR_KEY, PASSWORD, opts));
    await expect(encryptKeystore("0x1234", PASSWORD, { scrypt: FAST })).rejects.toThrow(/32 bytes/);
    await expect(encryptKeystore(new Uint8Array(33), PASSWORD, { scrypt: FAST })).rejects.toThrow(/32 bytes/);
  });

  it.each(KEYS)("%s (N 2^12) decrypts with ethers Wallet.fromEncryptedJson, decryptKeystoreJson and @ethereumjs/wallet", async (key) => {
    const ks = await encryptKeystore(key, PASSWORD, { scrypt: FAST });
    const address = computeAddress(key);
    expect(ks.address).toBe(address.slice(2).toLowerCase());

    const w = await Wallet.fromEncryptedJson(json(ks), PASSWORD);
    expect(w.privateKey).toBe(key);
    expect(w.address).toBe(address);
    expect(await ethersDecrypt(ks, PASSWORD)).toEqual({ privateKey: key, address });
    expect(await ethereumjsDecrypt(ks, PASSWORD)).toEqual({ privateKey: key, address: address.toLowerCase() });
  });

  it("decrypt with geth (N 2^12), from a geth-style file name", async () => {
    const ks = await encryptKeystore(KEYS[3]!, PASSWORD, { scrypt: FAST });
    const r = await gethUnlock(json(ks), keystoreFileName(ks, new Date()), ks.address, PASSWORD);
    expect(r.unlockedAddress, tail(r.output)).toBe("0x" + ks.address);
    expect(r.unlocked).toBe(true);
  });

  it("are readable by all three with an NFKC-stable non-ASCII password, and a non-NFKC password is refused", async () => {
    const password = "Pässwörd-ñ-日本-🔑"; // NFC precomposed; NFKC leaves it unchanged
    expect(password.normalize("NFKC")).toBe(password);
    const ks = await encryptKeystore(VECTOR_KEY, password, { scrypt: FAST });
    expect((await ethersDecrypt(ks, password)).privateKey).toBe(VECTOR_KEY);
    expect((await ethereumjsDecrypt(ks, password)).privateKey).toBe(VECTOR_KEY);
    const r = await gethUnlock(json(ks), keystoreFileName(ks), ks.address, password);
    expect(r.unlockedAddress, tail(r.output)).toBe(VECTOR_ADDRESS);

    // ethers would hash NFKC("ﬁ") = "fi", geth and @ethereumjs/wallet the ligature's own bytes: no common reading.
    await expect(encryptKeystore(VECTOR_KEY, "\uFB01le", { scrypt: FAST })).rejects.toThrow(/NFKC/);
    await expect(encryptKeystore(VECTOR_KEY, "Pa\u0308sswort", { scrypt: FAST })).rejects.toThrow(/NFKC/); // decomposed ä
  });

  describe("with the wrong password", () => {
    it("ethers and @ethereumjs/wallet refuse it", async () => {
      const ks = await encryptKeystore(VECTOR_KEY, PASSWORD, { scrypt: FAST });
      await expect(decryptKeystoreJson(json(ks), PASSWORD + "!")).rejects.toThrow(/incorrect password/);
      await expect(Wallet.fromEncryptedJson(json(ks), "")).rejects.toThrow(/incorrect password/);
      await expect(ethereumjsDecrypt(ks, PASSWORD + "!")).rejects.toThrow(/possibly wrong passphrase/);
    });

    it("geth fails to unlock and exits non-zero with 'could not decrypt'", async () => {
      const ks = await encryptKeystore(VECTOR_KEY, PASSWORD, { scrypt: FAST });
      const r = await gethUnlock(json(ks), keystoreFileName(ks), ks.address, "not the password");
      expect(r.unlocked).toBe(false);
      expect(r.unlockedAddress).toBeUndefined();
      expect(r.exitCode).toBeDefined();
      expect(r.exitCode).not.toBe(0);
      expect(r.output).toMatch(/could not decrypt key with given password/);
    });
  });

  describe("tampering", () => {
    it.each([0, 17, 31])("a flipped bit in ciphertext byte %i fails the MAC check in ethers and @ethereumjs/wallet", async (index) => {
      const ks = await encryptKeystore(VECTOR_KEY, PASSWORD, { scrypt: FAST });
      const bad = withFlippedCiphertextByte(ks, index);
      expect(bad.crypto.ciphertext).not.toBe(ks.crypto.ciphertext);
      // The MAC no longer matches keccak256(dk[16..32] ‖ ciphertext)…
      const dk = await scryptKey(PASSWORD, hex(ks.crypto.kdfparams.salt), FAST);
      expect(keccak256(Buffer.concat([dk.subarray(16, 32), hex(bad.crypto.ciphertext)])).slice(2)).not.toBe(bad.crypto.mac);
      // …and both readers refuse it rather than return a wrong key.
      await expect(decryptKeystoreJson(json(bad), PASSWORD)).rejects.toThrow(/incorrect password/);
      await expect(ethereumjsDecrypt(bad, PASSWORD)).rejects.toThrow(/possibly wrong passphrase/);
      // The untouched keystore still opens (the failure is the flip, not the setup).
      expect((await ethersDecrypt(ks, PASSWORD)).privateKey).toBe(VECTOR_KEY);
    });

    it("a changed MAC is refused too", async () => {
      const ks = await encryptKeystore(VECTOR_KEY, PASSWORD, { scrypt: FAST });
      const bad = { ...ks, crypto: { ...ks.crypto, mac: (ks.crypto.mac[0] === "0" ? "1" : "0") + ks.crypto.mac.slice(1) } };
      await expect(decryptKeystoreJson(json(bad), PASSWORD)).rejects.toThrow(/incorrect password/);
      await expect(ethereumjsDecrypt(bad, PASSWORD)).rejects.toThrow(/possibly wrong passphrase/);
    });
  });
});

describe("keystoreFileName", () => {
  it("is UTC--<ISO time, ':' → '-'>--<address, lower case, no 0x>", async () => {
    const ks = await encryptKeystore(SECP256K1_N_MINUS_1, PASSWORD, { scrypt: FAST });
    const addr = computeAddress(SECP256K1_N_MINUS_1).slice(2).toLowerCase();
    expect(keystoreFileName(ks, new Date("2024-03-05T07:08:09.123Z"))).toBe(`UTC--2024-03-05T07-08-09.123Z--${addr}`);
    // Deterministic by default (renders are reproducible).
    expect(keystoreFileName(ks)).toBe(`UTC--1970-01-01T00-00-00.000Z--${addr}`);
    const name = keystoreFileName(ks, new Date());
    expect(name).toMatch(/^UTC--\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z--[0-9a-f]{40}$/);
    expect(name).not.toContain(":");
    expect(name.endsWith(addr)).toBe(true);
  });
});
