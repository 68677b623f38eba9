// Reads the `consortium:` namespace of the stack configuration as plain values for settings/parse.ts.
import * as pulumi from "@pulumi/pulumi";
import type { SecretSettings } from "../settings/parse";

export const NAMESPACE = "consortium";

/** Secret settings (`pulumi config set --secret`): read as Pulumi secrets where used, never into the plain spec. */
export const SECRET_KEYS = ["deployerKey", "bridgeEndpoints", "permissionKeys"] as const;

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

/** Every `consortium:<key>` of the running stack, decoded. */
export function readConsortiumConfig(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    const name = key.slice(NAMESPACE.length + 1);
    if (key.startsWith(`${NAMESPACE}:`) && !(SECRET_KEYS as readonly string[]).includes(name)) out[name] = decodeConfigValue(value);
  }
  return out;
}

/**
 * The secret settings the spec checks (their shape, never kept in the spec): plain values here, read once for
 * validation; the program reads them again as Pulumi secrets where they are used.
 */
export function readSecretSettings(): SecretSettings {
  const config = pulumi.runtime.allConfig();
  const read = (key: keyof SecretSettings) => (config[`${NAMESPACE}:${key}`] === undefined ? {} : { [key]: decodeConfigValue(config[`${NAMESPACE}:${key}`]) });
  return { ...read("bridgeEndpoints"), ...read("permissionKeys") };
}
