// The ceremony file: network parameters the coordinator fixes before any key exists, and their hash.
import { keccak256, toUtf8Bytes } from "ethers";
import { parse as parseYaml } from "yaml";
import { ConsortiumSpec } from "../../settings/consortium";
import { isRecord } from "../../settings/fields";
import { KNOWN_KEYS, parseConsortiumSpec } from "../../settings/parse";
import { canonicalJson } from "../../render/canonicalJson";

export const CEREMONY_VERSION = 1;

/** Settings that shape the genesis: all but the deployment ones (fleet, the dev account) and the authorities, listed apart. */
const NOT_CHAIN_SETTINGS: readonly string[] = ["authorities", "fleet", "devAccountBalanceWei"];
export const CHAIN_SETTINGS = KNOWN_KEYS.filter((k) => !NOT_CHAIN_SETTINGS.includes(k));

export interface ExpectedAuthority {
  name: string;
  member: string;
}

export interface CeremonyParameters {
  /** Raw `consortium:` chain settings (JSON values, as written in the configuration). */
  settings: Record<string, unknown>;
  authorities: ExpectedAuthority[];
  /**
   * A joining round: the ceremonyHash of the consortium's genesis ceremony it extends (its settings are those of that
   * ceremony; its authorities join the running chain). Absent: the genesis ceremony.
   */
  joins?: string;
}

export interface Ceremony {
  version: number;
  parameters: CeremonyParameters;
  /** keccak256 of the canonical JSON of `parameters`, 0x-hex. */
  ceremonyHash: string;
}

export function ceremonyHash(parameters: CeremonyParameters): string {
  return keccak256(toUtf8Bytes(canonicalJson(parameters)));
}

/** Pulumi stack values are strings; "true"/"false" become booleans (numbers are accepted as strings by the parser). */
function fromStackValue(v: unknown): unknown {
  return v === "true" ? true : v === "false" ? false : v;
}

/**
 * The raw `consortium:` settings from a YAML file: either a top-level `consortium:` map, or a Pulumi stack file
 * (`config:` with `consortium:<key>` entries).
 */
export function readConsortiumYaml(text: string): Record<string, unknown> {
  const doc: unknown = parseYaml(text);
  if (!isRecord(doc)) throw new Error("the configuration is not a YAML map");
  if (isRecord(doc.consortium)) return doc.consortium;
  if (isRecord(doc.config)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc.config)) if (k.startsWith("consortium:")) out[k.slice("consortium:".length)] = fromStackValue(v);
    if (Object.keys(out).length > 0) return out;
  }
  throw new Error('no consortium settings found: write a top-level "consortium:" map, or give a Pulumi stack file with consortium:* keys');
}

/** The spec a set of parameters describes (authorities as given: without or with `external` public parts). */
export function specOf(parameters: CeremonyParameters, authorities: Record<string, unknown>[]): ConsortiumSpec {
  return parseConsortiumSpec({ ...parameters.settings, authorities });
}

/** Builds the ceremony from raw settings; throws SpecError (every problem) if they are invalid. */
export function createCeremony(raw: Record<string, unknown>): Ceremony {
  if (!Array.isArray(raw.authorities)) throw new Error("authorities: list the expected authorities as [{ name, member }]");
  const authorities: ExpectedAuthority[] = raw.authorities.map((a: unknown, i) => {
    if (!isRecord(a)) throw new Error(`authorities[${i}] is not an object`);
    if (a.external !== undefined) throw new Error(`authorities[${i}] (${String(a.name)}): remove "external"; the ceremony collects the public keys`);
    return { name: a.name as string, member: a.member as string };
  });
  const settings: Record<string, unknown> = {};
  for (const key of CHAIN_SETTINGS) if (raw[key] !== undefined) settings[key] = raw[key];
  // Validate everything (including the authority list) with the deployer's own parser.
  parseConsortiumSpec({ ...settings, authorities });
  const parameters: CeremonyParameters = { settings: JSON.parse(JSON.stringify(settings)) as Record<string, unknown>, authorities };
  return { version: CEREMONY_VERSION, parameters, ceremonyHash: ceremonyHash(parameters) };
}

/**
 * A joining round of a running consortium: the genesis ceremony's settings, new authorities only. Members of the
 * round contribute to it as to any ceremony; the coordinator admits their contributions into the manifest.
 */
export function createJoinCeremony(genesis: Ceremony, authorities: ExpectedAuthority[], taken: readonly string[]): Ceremony {
  if (authorities.length === 0) throw new Error("a joining round needs at least one authority (name:member)");
  const clash = authorities.find((a) => taken.includes(a.name));
  if (clash) throw new Error(`authority "${clash.name}" is already in the consortium (${taken.join(", ")}); pick another name`);
  // Validate the names and members with the deployer's own parser, as for the genesis ceremony.
  parseConsortiumSpec({ ...genesis.parameters.settings, authorities });
  const parameters: CeremonyParameters = { settings: genesis.parameters.settings, authorities, joins: genesis.ceremonyHash };
  return { version: CEREMONY_VERSION, parameters, ceremonyHash: ceremonyHash(parameters) };
}

/** Reads a ceremony file and checks its hash against its parameters. */
export function parseCeremony(text: string, file = "ceremony file"): Ceremony {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  if (!isRecord(doc) || doc.version !== CEREMONY_VERSION || !isRecord(doc.parameters) || typeof doc.ceremonyHash !== "string") {
    throw new Error(`${file}: not a version ${CEREMONY_VERSION} ceremony file (version, parameters, ceremonyHash)`);
  }
  const p = doc.parameters;
  if (!isRecord(p.settings) || !Array.isArray(p.authorities)) throw new Error(`${file}: parameters need settings and authorities`);
  const parameters = p as unknown as CeremonyParameters;
  const hash = ceremonyHash(parameters);
  if (hash !== doc.ceremonyHash) throw new Error(`${file}: ceremonyHash ${doc.ceremonyHash} does not match its parameters (${hash}); the file was changed`);
  parseConsortiumSpec({ ...parameters.settings, authorities: parameters.authorities });
  return { version: CEREMONY_VERSION, parameters, ceremonyHash: hash };
}
