// The ceremony's commands as a coordinator and its members type them (bin/consortium.mjs → dist/scripts/ceremony.js):
// init, each member's contribute in its own directory, assemble (which writes the manifest), then the manifest's later
// rounds — an organisation joining (join, contribute, admit) and one leaving (retire). Every manifest they write is
// one a stack accepts (lib/ceremony/manifest.ts), with the newcomer joined after genesis and the leaver retired.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyManifest } from "../../lib/ceremony/manifest";
import { CONFIG_YAML } from "./fixtures";

const BIN = join(__dirname, "..", "..", "bin", "consortium.mjs");
/** scrypt N the command accepts at least (a member's real keystore strength). */
const SCRYPT_N = String(2 ** 17);

describe("npm run ceremony: assemble's manifest, a joining round, a retirement", () => {
  let root: string;
  const at = (f: string) => join(root, f);
  const ceremony = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, "ceremony", ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`ceremony ${args[0]} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  /** The authorities a stack reading `file` gets (name, joined after genesis, retired). */
  const listed = (file: string) =>
    (applyManifest({ manifest: file }, (p) => readFileSync(p, "utf8")).raw.authorities as { name: string; joinedAfterGenesis?: boolean; retired?: boolean }[]).map((a) => [a.name, !!a.joinedAfterGenesis, !!a.retired]);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "ceremony-cli-"));
    writeFileSync(at("consortium.yaml"), CONFIG_YAML);
    mkdirSync(at("contributions"));
    mkdirSync(at("joining"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("assemble writes the manifest a stack accepts", () => {
    ceremony("init", "--config", at("consortium.yaml"), "--out", at("ceremony.json"));
    for (const [i, name] of ["alpha", "beta", "gamma"].entries()) {
      ceremony("contribute", "--ceremony", at("ceremony.json"), "--authority", name, "--endpoint", `10.0.0.${i + 2}:30303`, "--out", at(name), "--scrypt-n", SCRYPT_N);
      writeFileSync(at(`contributions/contribution-${name}.json`), readFileSync(at(`${name}/contribution-${name}.json`)));
    }
    expect(ceremony("assemble", "--ceremony", at("ceremony.json"), "--contributions", at("contributions"), "--out", at("assembled"))).toContain("manifest.json");
    expect(listed(at("assembled/manifest.json"))).toEqual([["alpha", false, false], ["beta", false, false], ["gamma", false, false]]);
  }, 120_000);

  it("join, contribute and admit add an organisation after genesis; retire marks a leaver", () => {
    expect(ceremony("join", "--manifest", at("assembled/manifest.json"), "--authorities", "delta:org-d", "--out", at("join.json"))).toContain("a joining round for delta");
    ceremony("contribute", "--ceremony", at("join.json"), "--authority", "delta", "--endpoint", "10.0.0.5:30303", "--out", at("delta"), "--scrypt-n", SCRYPT_N);
    writeFileSync(at("joining/contribution-delta.json"), readFileSync(at("delta/contribution-delta.json")));
    ceremony("admit", "--manifest", at("assembled/manifest.json"), "--join", at("join.json"), "--contributions", at("joining"), "--out", at("manifest-2.json"));
    expect(listed(at("manifest-2.json"))).toEqual([["alpha", false, false], ["beta", false, false], ["gamma", false, false], ["delta", true, false]]);
    ceremony("retire", "--manifest", at("manifest-2.json"), "--authorities", "gamma", "--out", at("manifest-3.json"));
    expect(listed(at("manifest-3.json"))).toEqual([["alpha", false, false], ["beta", false, false], ["gamma", false, true], ["delta", true, false]]);
    // A name already taken opens no round; an unknown leaver is refused.
    expect(() => ceremony("join", "--manifest", at("manifest-2.json"), "--authorities", "delta:org-e", "--out", at("again.json"))).toThrow(/authority "delta" is already in the consortium/);
    expect(() => ceremony("retire", "--manifest", at("manifest-2.json"), "--authorities", "zeta", "--out", at("x.json"))).toThrow(/authority "zeta" is not in the consortium/);
  }, 120_000);
});
