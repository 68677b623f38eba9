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

/**
 * The secret settings the spec checks (their shape, never kept in the spec): plain values here, read once for
 * validation; the program reads them again as Pulumi secrets where they are used.
 */
export function readSecretSettings(): SecretSettings {
  const config = pulumi.runtime.allConfig();
  const read = (key: keyof SecretSettings) => (config[`${NAMESPACE}:${key}`] === undefined ? {} : { [key]: decodeConfigValue(config[`${NAMESPACE}:${key}`]) });
  // The kubeconfig is a file's text (YAML or JSON), checked as text: never decoded as a setting's value.
  const kubeconfig = config[`${NAMESPACE}:kubeconfig`];
  return { ...read("bridgeEndpoints"), ...read("permissionKeys"), ...(kubeconfig === undefined ? {} : { kubeconfig }) };
}
