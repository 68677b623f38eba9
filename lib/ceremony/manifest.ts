// The consortium manifest: the one public document every stack of a federated consortium reads — the ceremony
// (chain settings, expected authorities), every member's contribution (public parts and possession proofs), the
// genesis digest, and, once the consortium stack has deployed them, the bridge's settings and contract addresses. It
// travels as a file (git, e-mail); a stack that names it (`consortium:manifest`) re-derives the genesis from the
// ceremony and the contributions, checks every proof, and refuses a manifest that does not match, naming the field.
import { SpecError, SpecIssue } from "../../settings/errors";
import { isRecord, show } from "../../settings/fields";
import { assemble, CeremonyError, ListedAuthority } from "./assemble";
import { canonicalJson } from "../../render/canonicalJson";
import { JoinRound, Manifest, MANIFEST_VERSION } from "./manifestFile";
import { Ceremony, CEREMONY_VERSION, ceremonyHash } from "./params";

/**
 * The stack's settings with a manifest applied: the chain settings and the authorities (public parts) from it, each
 * `keyDirs.<authority>` added as that authority's `external.keyDir`, the bridge from it when it has one. Throws a
 * SpecError naming every problem, before anything is declared.
 */
export function applyManifest(own: Record<string, unknown>, read: (path: string) => string): { raw: Record<string, unknown>; manifest?: Manifest } {
  const { manifest: path, keyDirs, ...rest } = own;
  if (path === undefined) {
    if (keyDirs !== undefined) throw new SpecError([{ field: "keyDirs", problem: "is set without a manifest", fix: "set consortium:manifest to the consortium's manifest.json, or give each key directory as its authority's external.keyDir" }]);
    return { raw: own };
  }
  const issues: SpecIssue[] = [];
  const problem = (field: string, what: string, fix: string) => issues.push({ field, problem: what, fix });
  if (typeof path !== "string" || path === "") {
    problem("manifest", `${show(path)} is not a file path`, "give the path of the consortium's manifest.json (relative to the project folder)");
    throw new SpecError(issues);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(read(path));
  } catch (e) {
    problem("manifest", `${path} cannot be read as JSON (${(e as Error).message})`, "give the manifest.json the coordinator or the consortium stack published");
    throw new SpecError(issues);
  }
  const verified = verifyManifest(doc, problem);
  if (!verified) throw new SpecError(issues);
  const { manifest, authorities } = verified;

  // One source for the consortium's settings: a stack that reads the manifest may not set them as well. The bridge and
  // PoCo the consortium stack published are the exception for that stack itself (no `keyDirs`: it runs no node): its
  // own settings are their source, so it may re-read the manifest it published, with the later rounds added.
  const publisher = keyDirs === undefined && (rest.bridge !== undefined || rest.poco !== undefined);
  const shared = publisher ? {} : { ...(manifest.bridge ? { bridge: manifest.bridge } : {}), ...(manifest.poco ? { poco: manifest.poco } : {}) };
  const provided = [...Object.keys(manifest.ceremony.parameters.settings), "authorities", ...Object.keys(shared)];
  for (const key of provided) {
    if (rest[key] !== undefined) problem(key, `is set here and in the manifest ${path}`, `remove consortium:${key} from this stack: the manifest is the consortium's one source for it`);
  }
  const names = authorities.map((a) => a.name);
  const dirs = keyDirs ?? {};
  if (!isRecord(dirs)) problem("keyDirs", `${show(dirs)} is not an object`, "write { <authority>: <key directory> } for the authorities this stack runs");
  else for (const name of Object.keys(dirs)) if (!names.includes(name)) problem(`keyDirs.${name}`, "is not an authority of the manifest", `use one of: ${names.join(", ")}`);
  if (issues.length > 0) throw new SpecError(issues);

  const withKeyDirs = authorities.map((a) => {
    const keyDir = (dirs as Record<string, unknown>)[a.name];
    return keyDir === undefined ? a : { ...a, external: { ...a.external, keyDir } };
  });
  return { raw: { ...manifest.ceremony.parameters.settings, ...rest, authorities: withKeyDirs, ...shared }, manifest };
}

/**
 * The manifest and its authorities, if it holds: its version, the ceremony's hash over its parameters, every
 * contribution's proofs (the assembly's checks), and the genesis digest against the one rendered here. Otherwise
 * undefined, with every problem given to `problem`.
 */
export function verifyManifest(doc: unknown, problem: (field: string, what: string, fix: string) => void): { manifest: Manifest; authorities: ListedAuthority[] } | undefined {
  const refetch = "get the manifest again from its publisher, and compare its genesisSha256 out of band";
  if (!isRecord(doc) || doc.version !== MANIFEST_VERSION) {
    problem("manifest.version", `${show(isRecord(doc) ? doc.version : doc)} is not ${MANIFEST_VERSION}`, "use a manifest written by `npm run ceremony -- assemble` of this deployer");
    return undefined;
  }
  const m = doc as unknown as Manifest;
  const ceremony = m.ceremony;
  if (!isRecord(ceremony) || ceremony.version !== CEREMONY_VERSION || !isRecord(ceremony.parameters) || typeof ceremony.ceremonyHash !== "string") {
    problem("manifest.ceremony", "is not a ceremony (version, parameters, ceremonyHash)", refetch);
    return undefined;
  }
  const problems = [
    ceremonyHash(ceremony.parameters) !== ceremony.ceremonyHash && (["manifest.ceremony.ceremonyHash", `${ceremony.ceremonyHash} does not match the ceremony's parameters: they were changed after the members contributed`] as const),
    !Array.isArray(m.contributions) && (["manifest.contributions", "is not a list"] as const),
    typeof m.genesisSha256 !== "string" && (["manifest.genesisSha256", "is missing"] as const),
    m.bridge !== undefined && !isRecord(m.bridge) && (["manifest.bridge", "is not an object"] as const),
    m.poco !== undefined && !isRecord(m.poco) && (["manifest.poco", "is not an object"] as const),
    m.joins !== undefined && !Array.isArray(m.joins) && (["manifest.joins", "is not a list"] as const),
    m.retired !== undefined && !(Array.isArray(m.retired) && m.retired.every((r) => typeof r === "string")) && (["manifest.retired", "is not a list of authority names"] as const),
  ].filter((p) => p !== false);
  for (const [field, what] of problems) problem(field, what, refetch);
  if (problems.length > 0) return undefined;
  try {
    const assembly = assemble(ceremony, m.contributions.map((c, i) => ({ file: `manifest.contributions[${i}]`, text: JSON.stringify(c) })));
    if (assembly.genesisSha256 !== m.genesisSha256) {
      problem("manifest.genesisSha256", `${m.genesisSha256} is not the genesis of its ceremony and contributions (${assembly.genesisSha256} rendered here)`, refetch);
      return undefined;
    }
    const founders = assembly.authorities;
    const joined = (m.joins ?? []).flatMap((round, i) => joinedIn(round, ceremony, `manifest.joins[${i}]`, problem, refetch));
    const authorities = [...founders, ...joined];
    const retired = m.retired ?? [];
    for (const [i, name] of retired.entries()) {
      if (!authorities.some((a) => a.name === name)) problem(`manifest.retired[${i}]`, `${show(name)} is not an authority of the consortium`, refetch);
    }
    return { manifest: m, authorities: authorities.map((a) => (retired.includes(a.name) ? { ...a, retired: true } : a)) };
  } catch (e) {
    if (!(e instanceof CeremonyError)) throw e;
    for (const p of e.problems) problem("manifest.contributions", p, refetch);
    return undefined;
  }
}

/** The authorities a joining round admits (`joinedAfterGenesis`), if the round extends this consortium's ceremony and its proofs hold. */
function joinedIn(round: JoinRound, genesis: Ceremony, at: string, problem: (field: string, what: string, fix: string) => void, fix: string): ListedAuthority[] {
  const c = round?.ceremony;
  if (!isRecord(c) || !isRecord(c.parameters) || !Array.isArray(round.contributions)) {
    problem(at, "is not a joining round (ceremony, contributions)", fix);
    return [];
  }
  if (c.parameters.joins !== genesis.ceremonyHash) problem(`${at}.ceremony.parameters.joins`, `${show(c.parameters.joins)} is not this consortium's ceremony (${genesis.ceremonyHash})`, fix);
  else if (canonicalJson(c.parameters.settings) !== canonicalJson(genesis.parameters.settings)) problem(`${at}.ceremony.parameters.settings`, "differ from the consortium's: a joining round cannot change the chain", fix);
  else if (ceremonyHash(c.parameters) !== c.ceremonyHash) problem(`${at}.ceremony.ceremonyHash`, `${c.ceremonyHash} does not match the round's parameters`, fix);
  else {
    try {
      const assembly = assemble(c, round.contributions.map((x, i) => ({ file: `${at}.contributions[${i}]`, text: JSON.stringify(x) })));
      return assembly.authorities.map((a) => ({ ...a, joinedAfterGenesis: true }));
    } catch (e) {
      if (!(e instanceof CeremonyError)) throw e;
      for (const p of e.problems) problem(`${at}.contributions`, p, fix);
    }
  }
  return [];
}

/** Every authority the manifest lists, founders and joiners (retired ones too: names are never reused). */
export function authorityNames(manifest: Manifest): string[] {
  return [...manifest.contributions, ...(manifest.joins ?? []).flatMap((r) => r.contributions)].map((c) => c.authority);
}

/** The manifest with a joining round admitted: its contributions verified first (a CeremonyError names every problem). */
export function withJoin(manifest: Manifest, round: JoinRound): Manifest {
  const problems: string[] = [];
  const joined = joinedIn(round, manifest.ceremony, "the joining round", (field, what) => problems.push(`${field}: ${what}`), "");
  if (problems.length > 0) throw new CeremonyError(problems);
  const taken = authorityNames(manifest);
  const clash = joined.find((a) => taken.includes(a.name));
  if (clash) throw new CeremonyError([`authority "${clash.name}" is already in the consortium`]);
  return { ...manifest, joins: [...(manifest.joins ?? []), round] };
}

/**
 * The manifest with `names` retired (they stay listed: their keys sealed blocks the chain keeps). Their bridge
 * validators leave the published set too; the owner changes the on-chain sets (the consortium stack names the calls).
 */
export function withRetired(manifest: Manifest, names: string[]): Manifest {
  const listed = authorityNames(manifest);
  const unknown = names.filter((n) => !listed.includes(n));
  if (unknown.length > 0) throw new CeremonyError(unknown.map((n) => `authority "${n}" is not in the consortium (${listed.join(", ")})`));
  const validators = manifest.bridge?.validators;
  const bridge = manifest.bridge && Array.isArray(validators) ? { ...manifest.bridge, validators: validators.filter((v) => !names.includes(String(v))) } : manifest.bridge;
  return { ...manifest, ...(bridge ? { bridge } : {}), retired: [...new Set([...(manifest.retired ?? []), ...names])] };
}

/**
 * The manifest the consortium stack publishes: the one it read, with its bridge settings and the contracts it
 * deployed (`pulumi stack output bridge`'s home and foreign). Endpoints are left out: they are this stack's (and may
 * carry API keys); every member's stack has its own. The validator set is pinned as deployed: an authority that joins
 * later does not become a bridge validator by default.
 */
export function withBridge(manifest: Manifest, settings: Record<string, unknown>, deployed: { home: object; foreign: object }, set: { validators: string[]; threshold: number }): Manifest {
  const withoutEndpoint = (side: unknown) => {
    if (!isRecord(side)) return {};
    const { rpcUrl: _endpoint, ...rest } = side;
    return rest;
  };
  const { home, foreign, contracts: _contracts, ...rest } = settings;
  const bridge = { ...rest, ...set, home: withoutEndpoint(home), foreign: withoutEndpoint(foreign), contracts: { home: deployed.home, foreign: deployed.foreign } };
  return { ...manifest, bridge };
}

/** The manifest the consortium stack publishes with the PoCo it deployed: where members register their worker pools. */
export function withPoco(manifest: Manifest, chainName: string, deployed: { hub: string; appRegistry: string; datasetRegistry: string; workerpoolRegistry: string; token: string }): Manifest {
  const { hub, appRegistry, datasetRegistry, workerpoolRegistry, token } = deployed;
  return { ...manifest, poco: { chainName, deployed: { hub, appRegistry, datasetRegistry, workerpoolRegistry, token } } };
}
