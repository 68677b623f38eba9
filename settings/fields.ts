// Field readers shared by the spec parsers: each reports a problem (field, what, fix) instead of throwing.
import { getAddress, isHexString } from "ethers";

export type Report = (field: string, what: string, fix: string) => void;

export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
export const DNS_FIX = "use 1-32 lower-case letters, digits and '-', starting with a letter (e.g. \"acme-1\")";

export function parseAddress(raw: unknown, field: string, problem: Report): string | undefined {
  if (typeof raw !== "string" || !isHexString(raw, 20)) {
    problem(field, `${show(raw)} is not a 20-byte hex address`, "write 0x followed by 40 hex digits");
    return undefined;
  }
  try {
    return getAddress(raw);
  } catch {
    problem(field, `${raw} has a wrong EIP-55 checksum (a typo?)`, "copy the address again, or write it all lower-case to skip the checksum");
    return undefined;
  }
}

const ENDPOINT = /^[A-Za-z0-9.-]+:(\d{1,5})$/;

/** host and port of a `host:port` p2p endpoint, or undefined if it is not one. */
export function parseEndpoint(endpoint: string): { host: string; port: number } | undefined {
  const m = ENDPOINT.exec(endpoint);
  const port = m ? Number(m[1]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) return undefined;
  return { host: endpoint.slice(0, endpoint.lastIndexOf(":")), port };
}

export function int(raw: unknown, field: string, min: number, max: number, problem: Report, fix: string): number | undefined {
  const n = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    problem(field, raw === undefined ? "is missing" : `${show(raw)} is not an integer from ${min} to ${max}`, fix);
    return undefined;
  }
  return n;
}

export function bigInt(raw: unknown, field: string, fallback: bigint | undefined, problem: Report): bigint | undefined {
  if (raw === undefined && fallback !== undefined) return fallback;
  const ok = (typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0) || (typeof raw === "string" && /^(\d+|0x[0-9a-fA-F]+)$/.test(raw));
  if (!ok) {
    problem(field, raw === undefined ? "is missing" : `${show(raw)} is not a non-negative integer`, 'write a decimal or 0x-hex integer; quote large values ("1000000000000000000")');
    return undefined;
  }
  return BigInt(raw as string | number);
}

export function oneOf<T extends string>(raw: unknown, field: string, allowed: readonly T[], fallback: T, problem: Report): T | undefined {
  if (raw === undefined) return fallback;
  if (typeof raw === "string" && (allowed as readonly string[]).includes(raw)) return raw as T;
  problem(field, `${show(raw)} is not one of ${allowed.join(", ")}`, `use one of: ${allowed.join(", ")}`);
  return undefined;
}

const PINNED_IMAGE = /^[\w./-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/;

/** A container image pinned by a tag or a digest, never "latest" (stated or implied); undefined after a report. */
export function pinnedImage(raw: unknown, field: string, problem: Report): string | undefined {
  if (typeof raw === "string" && PINNED_IMAGE.test(raw) && /[:@]/.test(raw) && !raw.endsWith(":latest")) return raw;
  problem(field, `${show(raw)} is not a pinned image reference`, 'give repository:tag or repository@sha256:digest (never "latest")');
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function show(v: unknown): string {
  if (v === undefined) return "(missing)";
  const s = typeof v === "bigint" ? v.toString() : JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
}

const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** A Kubernetes quantity ("20Gi", "500m", "2"). */
export function quantity(raw: unknown, field: string, problem: Report): string {
  if (typeof raw === "string" && QUANTITY.test(raw)) return raw;
  problem(field, `${show(raw)} is not a Kubernetes quantity`, 'write e.g. "20Gi", "500m" or "2"');
  return String(raw);
}

/** A pod's requests and limits, as Kubernetes quantities. */
export interface PodResources {
  cpuRequest: string;
  memoryRequest: string;
  cpuLimit: string;
  memoryLimit: string;
}

/** `{ cpuRequest, memoryRequest, cpuLimit, memoryLimit }` at `field`, each absent one from `defaults`. */
export function parseResources(raw: unknown, field: string, defaults: PodResources, problem: Report): PodResources {
  if (raw === undefined) return { ...defaults };
  if (!isRecord(raw)) {
    problem(field, `${show(raw)} is not an object`, "give { cpuRequest, memoryRequest, cpuLimit, memoryLimit }");
    return { ...defaults };
  }
  const pick = (k: keyof PodResources) => (raw[k] === undefined ? defaults[k] : quantity(raw[k], `${field}.${k}`, problem));
  return { cpuRequest: pick("cpuRequest"), memoryRequest: pick("memoryRequest"), cpuLimit: pick("cpuLimit"), memoryLimit: pick("memoryLimit") };
}
