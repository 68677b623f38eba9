// A secret setting (program/config.ts SECRET_KEYS) set without `pulumi config set --secret` sits in plaintext in
// Pulumi.<stack>.yaml: program/config.ts tells which from the runtime's secret keys (the engine's
// PULUMI_CONFIG_SECRET_KEYS, or setAllConfig's second argument), and settings/parse.ts refuses each, naming the
// field and the fix, before anything is created. The same value set as a secret passes; plain settings are unaffected.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { plaintextSecretKeys, readConsortiumConfig, readSecretSettings, SECRET_KEYS } from "../../program/config";
import { SpecError } from "../../settings/errors";
import { parseConsortiumSpec } from "../../settings/parse";

const KUBECONFIG = "apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters: []\ncontexts: []\nusers: []\n";
const DEPLOYER_KEY = "0x" + "5e".repeat(32);

/** A valid local stack as the engine passes it (full key → text). */
const PLAIN = {
  "consortium:name": "acme",
  "consortium:chainId": "31415",
  "consortium:authorities": JSON.stringify([{ name: "alpha", member: "org-a" }]),
  "consortium:fleet": JSON.stringify({ target: "local" }),
};

/** What program/index.ts does with the running stack's configuration. */
function parseStack(config: Record<string, string>, secretKeys: string[]) {
  pulumi.runtime.setAllConfig(config, secretKeys);
  return parseConsortiumSpec(readConsortiumConfig(), readSecretSettings());
}

function refusal(run: () => unknown): SpecError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError);
    return err as SpecError;
  }
  throw new Error("expected a SpecError");
}

describe("secret settings given in plaintext", () => {
  it("refuses each, naming the field and the fix, in one error with the other problems", () => {
    const err = refusal(() => parseStack({ ...PLAIN, "consortium:deployerKey": DEPLOYER_KEY, "consortium:kubeconfig": KUBECONFIG }, []));
    const plaintext = err.issues.filter((i) => i.problem.includes("plaintext"));
    expect(plaintext.map((i) => i.field)).toEqual(["deployerKey", "kubeconfig"]);
    // A local fleet has no use for a kubeconfig: that problem is reported too, in the same error.
    expect(err.issues.filter((i) => !plaintext.includes(i)).map((i) => i.field)).toEqual(["kubeconfig"]);
    expect(err.message).toContain(
      "  - consortium:kubeconfig: is stored in plaintext in the stack's configuration file. Fix: pulumi config rm consortium:kubeconfig, then set it again with pulumi config set --secret consortium:kubeconfig …",
    );
    expect(err.message).toMatch(/^invalid consortium configuration \(3 problems\):\n/);
    // The message names the setting, never its value.
    expect(err.message).not.toContain(DEPLOYER_KEY);
    expect(err.message).not.toContain("current-context");
  });

  it("refuses only the secret keys not marked secret", () => {
    const config = { ...PLAIN, "consortium:deployerKey": DEPLOYER_KEY, "consortium:bridgeEndpoints": "{}", "consortium:permissionKeys": "{}", "consortium:kubeconfig": KUBECONFIG };
    expect(plaintextSecretKeys(config, [])).toEqual([...SECRET_KEYS]);
    expect(plaintextSecretKeys(config, ["consortium:deployerKey", "consortium:kubeconfig"])).toEqual(["bridgeEndpoints", "permissionKeys"]);
    expect(plaintextSecretKeys(config, SECRET_KEYS.map((k) => `consortium:${k}`))).toEqual([]);
    // Unset secret settings are not reported; plain settings never are, secret-marked or not.
    expect(plaintextSecretKeys(PLAIN, [])).toEqual([]);
    expect(plaintextSecretKeys(PLAIN, ["consortium:name"])).toEqual([]);
  });

  it("accepts the same settings set as secrets", () => {
    const spec = parseStack({ ...PLAIN, "consortium:deployerKey": DEPLOYER_KEY }, ["consortium:deployerKey"]);
    expect(spec.name).toBe("acme");
    expect(readSecretSettings().plaintext).toBeUndefined();
  });

  it("leaves plain settings alone: a stack without secret settings passes with no secret keys", () => {
    expect(parseStack(PLAIN, []).chainId).toBe(31415);
    expect(readSecretSettings()).toEqual({});
  });
});
