// The dev passphrase follows a stack's own `consortium:dev: true`, never its name; every other stack must bring its
// own passphrase, whether the command names the stack or not.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DEV_PASSPHRASE, isDevStack, pulumiEnv, requirePassphrase } from "../../lib/cli/env";
import type { Tools } from "../../lib/toolchain/resolve";

const dir = mkdtempSync(join(tmpdir(), "env-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const stackFile = (stack: string, dev: unknown) =>
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), `config:\n  consortium:name: x\n${dev === undefined ? "" : `  consortium:dev: ${JSON.stringify(dev)}\n`}`);
stackFile("laptop", "true");
stackFile("dev", undefined); // named dev, not declared dev
stackFile("prod", "false");
const tools: Tools = { pulumiRoot: "/nowhere", path: [], geth: "/nowhere/geth" };
const noPassphrase = { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined };

describe("dev passphrase", () => {
  it("goes to stacks whose configuration says consortium:dev: true, whatever their name", () => {
    expect(isDevStack(dir, "laptop")).toBe(true);
    expect(isDevStack(dir, "dev")).toBe(false);
    expect(isDevStack(dir, "prod")).toBe(false);
    expect(isDevStack(dir, "missing")).toBe(false);
    try {
      vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", undefined);
      vi.stubEnv("PULUMI_CONFIG_PASSPHRASE_FILE", undefined);
      expect(pulumiEnv(tools, "laptop", dir).PULUMI_CONFIG_PASSPHRASE).toBe(DEV_PASSPHRASE);
      expect(pulumiEnv(tools, "dev", dir).PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
      expect(pulumiEnv(tools, undefined, dir).PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("is required, with the fix, by every other stack", () => {
    expect(() => requirePassphrase("laptop", dir, noPassphrase)).not.toThrow();
    expect(() => requirePassphrase("dev", dir, noPassphrase)).toThrow(/stack dev keeps its keys as Pulumi secrets: set PULUMI_CONFIG_PASSPHRASE .*consortium:dev: true/);
    expect(() => requirePassphrase("prod", dir, noPassphrase)).toThrow(/stack prod/);
    expect(() => requirePassphrase("prod", dir, { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/p" })).not.toThrow();
  });
});
