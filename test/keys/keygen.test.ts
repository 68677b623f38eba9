// Key material the stack generates itself: signer keystores, devp2p node keys, plain accounts.
import { Wallet as EthereumjsWallet } from "@ethereumjs/wallet";
import { computeAddress, decryptKeystoreJson, getAddress, SigningKey } from "ethers";
import * as nodeCrypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { generateKey, randomPassword, randomPrivateKey, type KeyOutputs } from "../../lib/keygen";
import type { KeystoreV3 } from "../../render/keys/keystore";
import { enodeUrl, nodeKeyFile, nodePublicKey } from "../../render/keys/nodeKey";

// randomBytes stays the real CSPRNG (a pass-through spy) except where a test feeds randomPrivateKey chosen values.
vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:crypto")>();
  return { ...real, randomBytes: vi.fn(real.randomBytes) };
});

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** Small scrypt cost: these tests are about what is generated, not the KDF cost (keystore.test.ts covers 2^18). */
const FAST_N = 2 ** 12;
const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/;

async function signer(scryptN = FAST_N): Promise<KeyOutputs & { keystore: string; password: string; address: string }> {
  const out = await generateKey({ kind: "signer", scryptN });
  expect(out.keystore).toBeTypeOf("string");
  expect(out.password).toBeTypeOf("string");
  expect(out.address).toBeTypeOf("string");
  return out as KeyOutputs & { keystore: string; password: string; address: string };
}

describe("generateKey({ kind: 'signer' })", () => {
  it("returns an address, a keystore that opens with its password to that address, and no raw private key", async () => {
    const out = await signer();
    expect(out.kind).toBe("signer");
    expect(out.address).toBe(getAddress(out.address)); // checksummed 0x address
    expect(out.privateKey).toBeUndefined();
    expect(Object.keys(out).sort()).toEqual(["address", "keystore", "kind", "password", "scryptN"]);
    expect(out.publicKey).toBeUndefined();

    const ks = JSON.parse(out.keystore) as KeystoreV3;
    expect(ks.version).toBe(3);
    expect(ks.address).toBe(out.address.slice(2).toLowerCase());
    expect(ks.crypto.kdfparams).toMatchObject({ n: FAST_N, r: 8, p: 1, dklen: 32 });

    const viaEthers = await decryptKeystoreJson(out.keystore, out.password);
    expect(viaEthers.address).toBe(out.address);
    expect(computeAddress(viaEthers.privateKey)).toBe(out.address);
    const viaEthereumjs = await EthereumjsWallet.fromV3(ks, out.password);
    expect(viaEthereumjs.getPrivateKeyString()).toBe(viaEthers.privateKey);
    // The key itself appears nowhere in the outputs.
    expect(JSON.stringify(out)).not.toContain(viaEthers.privateKey.slice(2));
    await expect(decryptKeystoreJson(out.keystore, randomPassword())).rejects.toThrow(/incorrect password/);
  });

  it("has a password of 32 random bytes in base64url (43 characters, 256 bits ≥ 128 bits)", async () => {
    const { password } = await signer();
    expect(password).toMatch(BASE64URL_43);
    const bytes = Buffer.from(password, "base64url");
    expect(bytes).toHaveLength(32);
    expect(bytes.toString("base64url")).toBe(password); // canonical encoding: exactly 256 bits carried
    expect(bytes.length * 8).toBeGreaterThanOrEqual(128);
    expect(password.normalize("NFKC")).toBe(password);
  });

  it("uses N 2^18, r 8, p 1 when scryptN is not given", async () => {
    const out = await generateKey({ kind: "signer" });
    const ks = JSON.parse(out.keystore!) as KeystoreV3;
    expect(ks.crypto.kdfparams).toMatchObject({ n: 2 ** 18, r: 8, p: 1, dklen: 32 });
    // One reader at the full cost (native-speed check: @ethereumjs/wallet ≈ 1 s; ethers/geth at 2^18 are in keystore.test.ts).
    const w = await EthereumjsWallet.fromV3(ks, out.password!);
    expect(getAddress(w.getAddressString())).toBe(out.address);
  });

  it("gives different keys, keystores and passwords each time", async () => {
    const [a, b] = await Promise.all([signer(), signer()]);
    expect(a.address).not.toBe(b.address);
    expect(a.password).not.toBe(b.password);
    expect(a.keystore).not.toBe(b.keystore);
  });
});

describe("generateKey({ kind: 'node' })", () => {
  it("returns the private key and its 64-byte public key, no address or keystore", async () => {
    const out = await generateKey({ kind: "node" });
    expect(out.kind).toBe("node");
    expect(out.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(out.publicKey).toMatch(/^[0-9a-f]{128}$/);
    expect(out.publicKey).toBe(nodePublicKey(out.privateKey!));
    // Independently: the uncompressed SEC1 point without its 0x04 prefix.
    expect("0x04" + out.publicKey).toBe(new SigningKey(out.privateKey!).publicKey);
    expect(out.address).toBeUndefined();
    expect(out.keystore).toBeUndefined();
    expect(out.password).toBeUndefined();
  });

  it("nodePublicKey accepts the key with or without 0x; nodeKeyFile is 64 hex digits, no 0x, no newline", async () => {
    const { privateKey } = await generateKey({ kind: "node" });
    expect(nodePublicKey(privateKey!.slice(2))).toBe(nodePublicKey(privateKey!));
    expect(nodeKeyFile(privateKey!)).toBe(privateKey!.slice(2));
    expect(nodeKeyFile(privateKey!)).toMatch(/^[0-9a-f]{64}$/);
    expect(nodeKeyFile(privateKey!.slice(2))).toBe(privateKey!.slice(2));
  });

  it("two node keys differ", async () => {
    const [a, b] = await Promise.all([generateKey({ kind: "node" }), generateKey({ kind: "node" })]);
    expect(a.privateKey).not.toBe(b.privateKey);
    expect(a.publicKey).not.toBe(b.publicKey);
  });
});

describe("generateKey({ kind: 'account' })", () => {
  it("returns an address matching its private key", async () => {
    const out = await generateKey({ kind: "account" });
    expect(out.kind).toBe("account");
    expect(out.privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(out.address).toBe(computeAddress(out.privateKey!));
    expect(out.address).toBe(getAddress(out.address!));
    expect(out.keystore).toBeUndefined();
    expect(out.password).toBeUndefined();
    expect(out.publicKey).toBeUndefined();
  });

  it("two accounts differ", async () => {
    const [a, b] = await Promise.all([generateKey({ kind: "account" }), generateKey({ kind: "account" })]);
    expect(a.privateKey).not.toBe(b.privateKey);
    expect(a.address).not.toBe(b.address);
  });
});

describe("an authority's keys", () => {
  it("the node key is never the signer key", async () => {
    // As AuthorityKeys does: one signer key and one node key per authority.
    const sig = await signer();
    const node = await generateKey({ kind: "node" });
    const signerKey = (await decryptKeystoreJson(sig.keystore, sig.password)).privateKey;
    expect(node.privateKey).not.toBe(signerKey);
    expect(computeAddress(node.privateKey!)).not.toBe(sig.address);
    expect(node.publicKey).not.toBe(nodePublicKey(signerKey));
  });
});

describe("enodeUrl", () => {
  it("is enode://<128 hex>@host:port", async () => {
    const { publicKey } = await generateKey({ kind: "node" });
    const url = enodeUrl(publicKey!, "10.0.0.7", 30303);
    expect(url).toBe(`enode://${publicKey}@10.0.0.7:30303`);
    expect(url).toMatch(/^enode:\/\/[0-9a-f]{128}@10\.0\.0\.7:30303$/);
  });

  it("refuses anything but 128 lower-case hex digits", () => {
    const pk = "ab".repeat(64);
    expect(() => enodeUrl("0x" + pk, "h", 1)).toThrow(/64-byte public key/);
    expect(() => enodeUrl(pk.slice(2), "h", 1)).toThrow(/64-byte public key/);
    expect(() => enodeUrl(pk.toUpperCase(), "h", 1)).toThrow(/64-byte public key/);
    expect(() => enodeUrl("04" + pk, "h", 1)).toThrow(/64-byte public key/);
  });
});

describe("randomPrivateKey / randomPassword", () => {
  it("randomPrivateKey is 32 bytes of 0x hex in [1, n-1] and a usable secp256k1 key", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const k = randomPrivateKey();
      expect(k).toMatch(/^0x[0-9a-f]{64}$/);
      const v = BigInt(k);
      expect(v >= 1n && v <= SECP256K1_N - 1n).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(200);
    expect(() => new SigningKey(randomPrivateKey())).not.toThrow();
  });

  it("randomPrivateKey rejects 0 and values ≥ n and draws again; 1 and n-1 are accepted", () => {
    const word = (v: bigint) => Buffer.from(v.toString(16).padStart(64, "0"), "hex");
    const randomBytes = vi.mocked(nodeCrypto.randomBytes) as unknown as ReturnType<typeof vi.fn>;
    randomBytes.mockClear();
    randomBytes
      .mockReturnValueOnce(word(0n))
      .mockReturnValueOnce(word(SECP256K1_N))
      .mockReturnValueOnce(word(2n ** 256n - 1n))
      .mockReturnValueOnce(word(SECP256K1_N - 1n));
    expect(randomPrivateKey()).toBe("0x" + (SECP256K1_N - 1n).toString(16));
    expect(randomBytes).toHaveBeenCalledTimes(4);
    expect(randomBytes.mock.calls.every((c) => c[0] === 32)).toBe(true);

    randomBytes.mockReturnValueOnce(word(1n));
    expect(randomPrivateKey()).toBe("0x" + "1".padStart(64, "0"));
  });

  it("randomPassword is 43 base64url characters carrying 32 bytes, different each time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const pw = randomPassword();
      expect(pw).toMatch(BASE64URL_43);
      expect(Buffer.from(pw, "base64url")).toHaveLength(32);
      seen.add(pw);
    }
    expect(seen.size).toBe(200);
  });
});
