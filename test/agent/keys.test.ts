// Validator key loading: the right password opens the keystore; a wrong one or another validator's keystore is
// refused with an error that names files, never the password or the key.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { afterAll, describe, expect, it } from "vitest";
import { loadValidatorWallet } from "../../agent/keys";
import { writeKeyFiles } from "../../testkit/agentBuild";

const dir = mkdtempSync(join(tmpdir(), "agent-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadValidatorWallet", () => {
  it("opens the keystore with its password file (trailing newline ignored)", async () => {
    const w = Wallet.createRandom();
    const { keystoreFile, passwordFile } = await writeKeyFiles(join(dir, "ok"), w.privateKey);
    expect((await loadValidatorWallet(keystoreFile, passwordFile, w.address.toLowerCase())).address).toBe(w.address);
  });

  it("refuses a wrong password and another validator's key without leaking either", async () => {
    const w = Wallet.createRandom();
    const { keystoreFile, passwordFile } = await writeKeyFiles(join(dir, "bad"), w.privateKey);
    const wrong = join(dir, "wrong-password");
    writeFileSync(wrong, "not-the-password-0123456789");
    const err = await loadValidatorWallet(keystoreFile, wrong, w.address).catch((e: Error) => e);
    expect(String(err)).toContain(`cannot decrypt keystore ${keystoreFile}`);
    expect(String(err)).not.toContain("not-the-password-0123456789");
    const other = Wallet.createRandom().address;
    const mismatch = await loadValidatorWallet(keystoreFile, passwordFile, other).catch((e: Error) => e);
    expect(String(mismatch)).toContain(`holds ${w.address}, but validatorAddress is ${other}`);
    expect(String(mismatch)).not.toContain(w.privateKey.slice(2));
  });
});
