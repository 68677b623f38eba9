// `npm run ceremony -- <init|contribute|assemble|verify|join|admit|retire> …`: the key ceremony, and the consortium
// manifest's later rounds (an organisation joining, one leaving). Members generate their own keys; only public parts
// (addresses, node public key, endpoint, possession proofs) travel to the coordinator.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { assemble, CeremonyError, readContributions } from "../lib/ceremony/assemble";
import { contribute, memberIdentity } from "../lib/ceremony/member";
import { createCeremony, createJoinCeremony, parseCeremony, readConsortiumYaml } from "../lib/ceremony/params";
import { compareAssembly } from "../lib/ceremony/verify";
import type { Contribution } from "../lib/ceremony/contribution";
import { authorityNames, verifyManifest, withJoin, withRetired } from "../lib/ceremony/manifest";
import type { Manifest } from "../lib/ceremony/manifestFile";
import { COMMANDS } from "../lib/cli/commands";

const USAGE = `usage:\n${COMMANDS.ceremony.usage.replace(/^/gm, "  ")}`;

const log = (line: string) => console.log(`[ceremony] ${line}`);

class UsageError extends Error {}

function options(argv: readonly string[], allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const [key, inline] = a.startsWith("--") && eq > 0 ? [a.slice(2, eq), a.slice(eq + 1)] : [a.slice(2), undefined];
    if (!a.startsWith("--") || !allowed.includes(key)) throw new UsageError(`unknown argument ${a}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`--${key} needs a value`);
    out[key] = value;
  }
  return out;
}

function need(o: Record<string, string>, ...keys: string[]): void {
  const missing = keys.filter((k) => o[k] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(", ")}`);
}

function read(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${what} ${path} does not exist`);
  return readFileSync(path, "utf8");
}

/** A manifest file, verified (the same checks a stack makes) before a round is added to it. */
function readManifest(path: string): Manifest {
  const problems: string[] = [];
  const verified = verifyManifest(JSON.parse(read(path, "manifest")) as unknown, (field, what) => problems.push(`${field}: ${what}`));
  if (!verified || problems.length > 0) throw new CeremonyError(problems);
  return verified.manifest;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "init": {
      const o = options(rest, ["config", "out"]);
      need(o, "config", "out");
      const ceremony = createCeremony(readConsortiumYaml(read(o.config, "configuration")));
      if (existsSync(o.out)) throw new Error(`${o.out} exists; remove it first (a new ceremony invalidates every contribution)`);
      await writeFile(o.out, JSON.stringify(ceremony, null, 2) + "\n");
      log(`wrote ${o.out} for ${ceremony.parameters.authorities.length} authorities`);
      log(`ceremonyHash ${ceremony.ceremonyHash} (members: compare it out of band)`);
      return;
    }
    case "contribute": {
      const o = options(rest, ["ceremony", "authority", "endpoint", "out", "scrypt-n"]);
      need(o, "ceremony", "authority", "endpoint", "out");
      const scryptN = o["scrypt-n"] === undefined ? undefined : Number(o["scrypt-n"]);
      if (scryptN !== undefined && !(Number.isInteger(scryptN) && scryptN >= 2 ** 17 && (scryptN & (scryptN - 1)) === 0)) {
        throw new UsageError(`--scrypt-n ${o["scrypt-n"]}: use a power of two of at least 2^17 (131072)`);
      }
      const ceremony = parseCeremony(read(o.ceremony, "ceremony file"), o.ceremony);
      log(`ceremony ${ceremony.ceremonyHash}`);
      const r = await contribute({ ceremony, authority: o.authority, endpoint: o.endpoint, dir: o.out, scryptN, log });
      log(`keys kept in ${o.out} (keystore, password, nodekey, bridge-keystore, bridge-password: mode 0600; back them up, never send them)`);
      log(`send ${r.contributionFile} to the coordinator; it holds public parts only`);
      return;
    }
    case "assemble": {
      const o = options(rest, ["ceremony", "contributions", "out"]);
      need(o, "ceremony", "contributions", "out");
      const ceremony = parseCeremony(read(o.ceremony, "ceremony file"), o.ceremony);
      const inputs = readContributions(o.contributions);
      log(`verifying ${inputs.length} contribution file(s) in ${o.contributions}`);
      const a = assemble(ceremony, inputs);
      await mkdir(o.out, { recursive: true });
      for (const [file, content] of Object.entries(a.files)) await writeFile(join(o.out, file), content);
      log(`wrote ${Object.keys(a.files).map((f) => join(o.out, f)).join(", ")}`);
      log(`genesis sha256 ${a.genesisSha256} (every member compares it out of band)`);
      return;
    }
    case "verify": {
      const o = options(rest, ["ceremony", "contributions", "assembled", "member-dir"]);
      need(o, "ceremony", "contributions", "assembled");
      const ceremony = parseCeremony(read(o.ceremony, "ceremony file"), o.ceremony);
      const a = assemble(ceremony, readContributions(o.contributions));
      const own = o["member-dir"] ? memberIdentity(o["member-dir"]) : undefined;
      const problems = compareAssembly(a, o.assembled, ceremony, own);
      if (problems.length > 0) throw new Error(`the assembly does not match:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
      log(`${o.assembled} matches the ceremony and its ${a.contributions.length} contributions`);
      if (own) log(`your signer ${own.address} and node are in it`);
      log(`genesis sha256 ${a.genesisSha256}`);
      return;
    }
    case "join": {
      const o = options(rest, ["manifest", "authorities", "out"]);
      need(o, "manifest", "authorities", "out");
      const manifest = readManifest(o.manifest);
      const authorities = o.authorities.split(",").map((pair) => {
        const [name, member] = pair.split(":");
        if (!name || !member) throw new UsageError(`--authorities ${o.authorities}: write <name>:<member>[,<name>:<member>…]`);
        return { name, member };
      });
      const round = createJoinCeremony(manifest.ceremony, authorities, authorityNames(manifest));
      if (existsSync(o.out)) throw new Error(`${o.out} exists; remove it first`);
      await writeFile(o.out, JSON.stringify(round, null, 2) + "\n");
      log(`wrote ${o.out}: a joining round for ${authorities.map((a) => a.name).join(", ")}; its members contribute to it as to any ceremony`);
      log(`ceremonyHash ${round.ceremonyHash} (the joining members compare it out of band)`);
      return;
    }
    case "admit": {
      const o = options(rest, ["manifest", "join", "contributions", "out"]);
      need(o, "manifest", "join", "contributions", "out");
      const round = parseCeremony(read(o.join, "joining round"), o.join);
      const contributions = readContributions(o.contributions).map(({ text }) => JSON.parse(text) as Contribution);
      const next = withJoin(readManifest(o.manifest), { ceremony: round, contributions });
      await writeFile(o.out, JSON.stringify(next, null, 2) + "\n");
      log(`wrote ${o.out}: ${round.parameters.authorities.map((a) => a.name).join(", ")} admitted; every member's stack reads it, and each votes with its own signer`);
      return;
    }
    case "retire": {
      const o = options(rest, ["manifest", "authorities", "out"]);
      need(o, "manifest", "authorities", "out");
      const names = o.authorities.split(",");
      await writeFile(o.out, JSON.stringify(withRetired(readManifest(o.manifest), names), null, 2) + "\n");
      log(`wrote ${o.out}: ${names.join(", ")} retired; the other members' stacks vote them out, then their members destroy their stacks`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : "no command given");
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof UsageError) console.error(`[ceremony] ${err.message}\n${USAGE}`);
  else if (err instanceof CeremonyError) console.error(`[ceremony] ${err.message}`);
  else console.error(`[ceremony] ${err.message}`);
  process.exit(1);
});
