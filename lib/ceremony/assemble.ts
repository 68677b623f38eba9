// The coordinator's step (and every member's re-check): verify all contributions, then render the chain file,
// the static peer list and the genesis digest. Pure: contribution texts in, file contents out.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { computeAddress } from "ethers";
import { renderChainFile } from "../../render/chain";
import { enodeUrl } from "../../render/keys/nodeKey";
import { sealsWithNodeKey } from "../../settings/clients";
import { ConsortiumSpec } from "../../settings/consortium";
import { SpecError } from "../../settings/errors";
import { parseEndpoint } from "../../settings/fields";
import { checkContribution, Contribution } from "./contribution";
import { MANIFEST_FILE, manifestOf } from "./manifestFile";
import { Ceremony, specOf } from "./params";

export interface ContributionText {
  /** File name, for messages. */
  file: string;
  text: string;
}

export interface Assembly {
  /** Output file name → content: the chain file, static-nodes.json, genesis.sha256, authorities.json, manifest.json. */
  files: Record<string, string>;
  chainFile: string;
  /** sha256 of the chain file content, hex. */
  genesisSha256: string;
  validators: string[];
  contributions: Contribution[];
  /** What authorities.json holds: each authority by its public parts. */
  authorities: ListedAuthority[];
  /** The consortium spec with every authority's public parts (`external`), as a stack that runs the nodes reads it. */
  spec: ConsortiumSpec;
}

export const STATIC_NODES_FILE = "static-nodes.json";
export const DIGEST_FILE = "genesis.sha256";
/** `consortium:authorities` by public parts: what every member's stack lists (each adds `keyDir` to its own). */
export const AUTHORITIES_FILE = "authorities.json";

export class CeremonyError extends Error {
  constructor(readonly problems: string[]) {
    super(`the contributions are not acceptable:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "CeremonyError";
  }
}

export const sha256Hex = (content: string) => createHash("sha256").update(content, "utf8").digest("hex");

/** Reads every `*.json` file of a contributions directory. */
export function readContributions(dir: string): ContributionText[] {
  if (!existsSync(dir)) throw new Error(`contributions directory ${dir} does not exist`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));
}

/** An authority as every member's stack lists it: its public parts only (a manifest adds whether it joined later or left). */
export type ListedAuthority = { name: string; member: string; external: Record<string, unknown>; joinedAfterGenesis?: true; retired?: true };

function authorityOf(c: Contribution): ListedAuthority {
  const external = { address: c.address, nodePublicKey: c.nodePublicKey, endpoint: c.endpoint, ...(c.bridgeValidator ? { bridgeValidator: c.bridgeValidator } : {}) };
  return { name: c.authority, member: c.member, external };
}

export function assemble(ceremony: Ceremony, inputs: readonly ContributionText[]): Assembly {
  const problems: string[] = [];
  const expected = ceremony.parameters.authorities;
  const byAuthority = new Map<string, { file: string; c: Contribution }>();
  // Signer and bridge validator addresses share one map: no key may serve twice, in either role.
  const addresses = new Map<string, { file: string; role: string }>();
  const claimAddress = (file: string, role: string, address: string) => {
    const earlier = addresses.get(address.toLowerCase());
    if (earlier) problems.push(`${file}: ${role} ${address} is also used in ${earlier.file} (as its ${earlier.role})`);
    else addresses.set(address.toLowerCase(), { file, role });
  };
  const nodeKeys = new Map<string, string>();

  for (const { file, text } of inputs) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      problems.push(`${file}: not JSON (${(e as Error).message})`);
      continue;
    }
    const { contribution: c, problems: own } = checkContribution(doc, ceremony.ceremonyHash);
    problems.push(...own.map((p) => `${file}: ${p}`));
    if (!c || own.length > 0) continue;
    const want = expected.find((a) => a.name === c.authority);
    if (!want) {
      problems.push(`${file}: authority "${c.authority}" is not expected by the ceremony (expected: ${expected.map((a) => a.name).join(", ")})`);
      continue;
    }
    if (c.member !== want.member) problems.push(`${file}: authority "${c.authority}" belongs to member "${want.member}", not "${c.member}"`);
    const earlier = byAuthority.get(c.authority);
    if (earlier) {
      problems.push(`${file}: authority "${c.authority}" already contributed in ${earlier.file}; keep only one contribution per authority`);
      continue;
    }
    claimAddress(file, "signer address", c.address);
    if (c.bridgeValidator) claimAddress(file, "bridge validator", c.bridgeValidator);
    if (nodeKeys.has(c.nodePublicKey)) problems.push(`${file}: node public key is also used in ${nodeKeys.get(c.nodePublicKey)}`);
    nodeKeys.set(c.nodePublicKey, file);
    byAuthority.set(c.authority, { file, c });
  }
  for (const a of expected) {
    if (!byAuthority.has(a.name)) {
      problems.push(`authority "${a.name}" (member ${a.member}) has no valid contribution`);
    }
  }
  if (problems.length > 0) throw new CeremonyError(problems);

  const contributions = expected.map((a) => byAuthority.get(a.name)!.c);
  const authorities = contributions.map(authorityOf);
  let spec: ConsortiumSpec;
  try {
    spec = specOf(ceremony.parameters, authorities);
  } catch (e) {
    if (e instanceof SpecError) throw new CeremonyError([e.message]);
    throw e;
  }
  const validators = contributions.map((c) => (sealsWithNodeKey(spec.engine) ? computeAddress("0x04" + c.nodePublicKey) : c.address));
  const chain = renderChainFile(spec, { validators, ...(spec.permissions ? { permissions: spec.permissions } : {}) });
  const enodes = contributions.map((c) => {
    const { host, port } = parseEndpoint(c.endpoint)!;
    return enodeUrl(c.nodePublicKey, host, port);
  });
  const genesisSha256 = sha256Hex(chain.content);
  return {
    files: {
      [chain.path]: chain.content,
      [STATIC_NODES_FILE]: JSON.stringify(enodes, null, 2) + "\n",
      [DIGEST_FILE]: `${genesisSha256}  ${chain.path}\n`,
      [AUTHORITIES_FILE]: JSON.stringify(authorities, null, 2) + "\n",
      [MANIFEST_FILE]: JSON.stringify(manifestOf(ceremony, contributions, genesisSha256), null, 2) + "\n",
    },
    chainFile: chain.path,
    genesisSha256,
    validators,
    contributions,
    authorities,
    spec,
  };
}
