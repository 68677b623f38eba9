// Reads the `consortium:` namespace of the stack configuration as plain values for settings/parse.ts.
import * as pulumi from "@pulumi/pulumi";
import type { SecretSettings } from "../settings/parse";

export const NAMESPACE = "consortium";

/** Secret settings (`pulumi config set --secret`): read as Pulumi secrets where used, never into the plain spec. */
export const SECRET_KEYS = ["deployerKey", "bridgeEndpoints", "permissionKeys", "kubeconfig"] as const;

/** Scalars arrive as strings; structured values as JSON. Big integers stay strings (no float rounding). */
export function decodeConfigValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(Number(text)) ? Number(text) : text;
  if (text === "true" || text === "false") return text === "true";
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.parse(text, (_k, v) => (typeof v === "number" && !Number.isSafeInteger(v) && Number.isInteger(v) ? String(v) : v));
    } catch {
      return text;
    }
  }
  return text;
}

/** The plain `consortium:<key>` settings of `config` (full key → text), decoded; the secret ones left out. */
export function plainSettings(config: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const name = key.slice(NAMESPACE.length + 1);
    if (key.startsWith(`${NAMESPACE}:`) && !(SECRET_KEYS as readonly string[]).includes(name)) out[name] = decodeConfigValue(value);
  }
  return out;
}

/** Every plain `consortium:<key>` of the running stack, decoded. */
export function readConsortiumConfig(): Record<string, unknown> {
  return plainSettings(pulumi.runtime.allConfig());
}

/** The SECRET_KEYS set in `config` (full key → text) but not among `secretKeys` (full keys): stored in plaintext. */
export function plaintextSecretKeys(config: Record<string, string>, secretKeys: readonly string[]): string[] {
  return SECRET_KEYS.filter((key) => config[`${NAMESPACE}:${key}`] !== undefined && !secretKeys.includes(`${NAMESPACE}:${key}`));
}

/**
 * The full keys of the running stack's secret config (`pulumi config set --secret`). The engine passes them in
 * PULUMI_CONFIG_SECRET_KEYS; @pulumi/pulumi copies that variable into its runtime store, the one allConfig() reads,
 * and pulumi.runtime.setAllConfig(config, secretKeys) (mocks, Automation API inline programs) overwrites the store
 * only. So the list is read from the store, as runtime/config.js does (its isConfigSecret is @internal and untyped),
 * not from process.env. An empty or missing list means no secret keys: secret settings are then refused, never let by.
 */
function secretConfigKeys(): string[] {
  const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore(): { config: Record<string, string | undefined> } };
  const keys: unknown = JSON.parse(getStore().config.PULUMI_CONFIG_SECRET_KEYS || "[]");
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === "string") : [];
}

/**
 * The secret settings the spec checks (their shape, never kept in the spec): plain values here, read once for
 * validation; the program reads them again as Pulumi secrets where they are used. Also which secret settings were
 * set without `--secret`, which the spec refuses.
 */
export function readSecretSettings(): SecretSettings {
  const config = pulumi.runtime.allConfig();
  const read = (key: "bridgeEndpoints" | "permissionKeys") => (config[`${NAMESPACE}:${key}`] === undefined ? {} : { [key]: decodeConfigValue(config[`${NAMESPACE}:${key}`]) });
  // The kubeconfig is a file's text (YAML or JSON), checked as text: never decoded as a setting's value.
  const kubeconfig = config[`${NAMESPACE}:kubeconfig`];
  const plaintext = plaintextSecretKeys(config, secretConfigKeys());
  return { ...read("bridgeEndpoints"), ...read("permissionKeys"), ...(kubeconfig === undefined ? {} : { kubeconfig }), ...(plaintext.length ? { plaintext } : {}) };
}
