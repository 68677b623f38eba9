// The policy gateway's configuration file (written by the stack), checked field by field; the policy and the API keys
// are files of their own beside it, followed while it runs (gateway/reloading.ts).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { MIN_API_KEY_LENGTH, parsePermissions, PermissionsSpec } from "../settings/permissions";

export interface GatewayConfig {
  listen: { host: string; port: number };
  /** The RPC node it guards. */
  upstream: string;
  /** The policy (settings/permissions.ts shape), relative to the configuration file. */
  policyFile: string;
  /** The API keys by holder name (JSON; a secret file), when reads need one. */
  keysFile?: string;
}

export function parseGatewayConfig(raw: unknown): GatewayConfig {
  const o = (raw ?? {}) as Record<string, any>;
  const problems: string[] = [];
  const need = (ok: boolean, field: string, why: string) => ok || problems.push(`${field}: ${why}`);
  need(typeof o.listen?.host === "string", "listen.host", "an interface address is needed");
  need(Number.isInteger(o.listen?.port) && o.listen.port >= 0 && o.listen.port < 65536, "listen.port", "a port number is needed");
  need(typeof o.upstream === "string" && /^https?:\/\//.test(o.upstream), "upstream", "the guarded RPC node's http(s) URL is needed");
  need(typeof o.policyFile === "string" && o.policyFile.length > 0, "policyFile", "the policy file's path is needed");
  need(o.keysFile === undefined || (typeof o.keysFile === "string" && o.keysFile.length > 0), "keysFile", "a path, or nothing");
  if (problems.length > 0) throw new Error(`gateway configuration:\n  - ${problems.join("\n  - ")}`);
  return { listen: o.listen, upstream: o.upstream, policyFile: o.policyFile, ...(o.keysFile ? { keysFile: o.keysFile } : {}) };
}

export function loadGatewayConfig(path: string): GatewayConfig & { dir: string } {
  return { ...parseGatewayConfig(JSON.parse(readFileSync(path, "utf8"))), dir: dirname(resolve(path)) };
}

/** A policy file's text as the policy, or an error listing every problem with its fix. */
export function parsePolicyText(text: string): PermissionsSpec {
  const problems: string[] = [];
  const policy = parsePermissions(JSON.parse(text), (field, what, fix) => problems.push(`${field}: ${what}. Fix: ${fix}`));
  if (!policy) throw new Error(`policy: ${problems.join("; ")}`);
  return policy;
}

/** A keys file's text: holder name → key, every key non-empty. */
export function parseKeysText(text: string): Record<string, string> {
  const keys = JSON.parse(text) as unknown;
  if (typeof keys !== "object" || keys === null || Array.isArray(keys) || !Object.values(keys).every((k) => typeof k === "string" && k.length >= MIN_API_KEY_LENGTH)) {
    throw new Error(`keys: a map of holder name to key (each at least ${MIN_API_KEY_LENGTH} characters) is needed`);
  }
  return keys as Record<string, string>;
}
