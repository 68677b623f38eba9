// A consortium of three organisations on three hosts, each member deploying its own part from its own stack. The
// hosts are network namespaces this test makes (testkit/memberHosts.ts), each with its address on a test-made bridge.
// A key ceremony first: each member makes its keys in a directory of its own, and only the public parts (address, node
// public key, endpoint on its host, possession signatures) travel to the assembly. Then each member's stack — its own
// project folder, file backend, passphrase and work dir — is brought up by `pulumi up` run inside its host, on the
// local target: its authority from its key directory, listening where its endpoint says, and its own RPC node; the
// other members appear by their public parts only. Proves: one chain; every signer seals (signers recovered from the
// headers, read over each sealer's IPC socket); peers connect over the hosts' addresses; RPC stays on each host's
// loopback; no member's state or files hold another member's secret; a second `up` changes nothing and each member's
// drift check (run inside its host) finds nothing; a host cut off leaves the chain to the other two, and catches up
// once plugged back in.
import { Stack } from "@pulumi/pulumi/automation";
import { Wallet } from "ethers";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assemble, AUTHORITIES_FILE, readContributions } from "../../lib/ceremony/assemble";
import { contribute, memberSecrets } from "../../lib/ceremony/member";
import { createCeremony, readConsortiumYaml } from "../../lib/ceremony/params";
import { checkDrift } from "../../lib/drift/check";
import { jsonRpcCall } from "../../lib/ipc";
import { ensureTools } from "../../lib/toolchain/resolve";
import { waitForBlock, waitForSealingBy } from "../../testkit/clique";
import { MemberHosts, MEMBER_NET, startMemberHosts } from "../../testkit/memberHosts";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { CONFIG_YAML } from "../ceremony/fixtures";
import { storedState } from "../support/storedState";

const MEMBERS = ["org-a", "org-b", "org-c"];
const P2P_PORT = 30303;

interface MemberStack {
  member: string;
  scratch: ScratchStack;
  stack: Stack;
  /** Its sealer's IPC socket (a file: readable from this test, whichever host the node runs on). */
  sealerIpc: string;
  /** Its RPC node's URL, on its host's loopback. */
  rpcUrl: string;
  /** The secrets of its authority's keys, as they must never appear outside its own folders. */
  secrets: string[];
}

/** Every file under `dir`, as text (binary files too: a secret's hex would show in them as well). */
function filesUnder(dir: string): { path: string; text: string }[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => join(dir, f))
    .filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile())
    .map((path) => ({ path, text: readFileSync(path, "latin1") }));
}

describe("three members, three hosts, three stacks: one chain", () => {
  let hosts: MemberHosts;
  let root: string;
  let members: MemberStack[] = [];
  let validators: string[];

  beforeAll(async () => {
    const tools = await ensureTools({ build: false, log: () => {} });
    hosts = await startMemberHosts(MEMBERS, tools.pulumiRoot);
    root = await mkdtemp(join(tmpdir(), "federation-"));

    // The ceremony: each member on its own machine, only the contribution files travel.
    const raw = readConsortiumYaml(CONFIG_YAML);
    const ceremony = createCeremony(raw);
    const contributions = join(root, "contributions");
    mkdirSync(contributions);
    const expected = ceremony.parameters.authorities;
    const keyDirs = expected.map((a) => join(root, `keys-${a.member}`));
    for (const [i, a] of expected.entries()) {
      const host = hosts.hosts.find((h) => h.member === a.member)!;
      const r = await contribute({ ceremony, authority: a.name, endpoint: `${host.address}:${P2P_PORT}`, dir: keyDirs[i], scryptN: 2 ** 12 });
      copyFileSync(r.contributionFile, join(contributions, `contribution-${a.name}.json`));
    }
    const assembly = assemble(ceremony, readContributions(contributions));
    validators = assembly.validators;

    // Each member's stack: the consortium's settings, the assembled authorities (public parts), its own with its key directory.
    const listed = JSON.parse(assembly.files[AUTHORITIES_FILE]) as { member: string; external: Record<string, string> }[];
    for (const host of hosts.hosts) {
      const authorities = listed.map((a, i) => (a.member === host.member ? { ...a, external: { ...a.external, keyDir: keyDirs[i] } } : a));
      const scratch = await createScratchStack({ name: host.member, tools: { ...tools, pulumiRoot: host.pulumiRoot }, config: { ...raw, authorities } });
      const up = await scratch.stack.up({ onOutput: (o) => process.stdout.write(o) });
      const nodes = up.outputs.nodes.value as { role: string; ipcPath?: string }[];
      const i = assembly.contributions.findIndex((c) => c.member === host.member);
      const own = memberSecrets(keyDirs[i]);
      const privateKey = (await Wallet.fromEncryptedJson(own.keystore, own.password)).privateKey;
      members.push({
        member: host.member,
        scratch,
        stack: scratch.stack,
        sealerIpc: nodes.find((n) => n.role === "authority")!.ipcPath!,
        rpcUrl: up.outputs.rpcUrl.value as string,
        secrets: [own.password, own.nodeKey.replace(/^0x/, ""), privateKey.slice(2)],
      });
    }
  }, 900_000);

  afterAll(async () => {
    for (const m of members) await m.scratch.dispose().catch((e) => console.error(`dispose ${m.member}: ${(e as Error).message}`));
    await hosts?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }, 600_000);

  it("every member's signer seals the one chain, read from each member's own sealer", async () => {
    for (const m of members) expect(await waitForSealingBy(m.sealerIpc, validators, 6, 120_000)).toHaveLength(6);
  }, 400_000);

  it("peers over the hosts' addresses, while each RPC node answers on its own host's loopback only", async () => {
    for (const [i, m] of members.entries()) {
      const peers = await jsonRpcCall<{ network: { remoteAddress: string } }[]>(m.sealerIpc, "admin_peers");
      const addresses = peers.map((p) => p.network.remoteAddress.split(":")[0]);
      // Its own RPC node is on its own host (loopback, or the host's own address); every other peer is another
      // member's node, connected over that member's host address.
      const own = ["127.0.0.1", hosts.hosts[i].address];
      const others = hosts.hosts.filter((h) => h.member !== m.member).map((h) => h.address);
      expect(new Set(addresses.filter((a) => !own.includes(a))), addresses.join(", ")).toEqual(new Set(others));
      expect(others.every((a) => a.startsWith(`${MEMBER_NET.prefix}.`))).toBe(true);
    }
    const call = (url: string) =>
      `fetch(${JSON.stringify(url)},{method:"POST",headers:{"content-type":"application/json"},body:'{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}'}).then(r=>r.json()).then(b=>console.log(b.result),()=>console.log("unreachable"))`;
    for (const [i, m] of members.entries()) {
      const host = hosts.hosts[i];
      expect(new URL(m.rpcUrl).hostname).toBe("127.0.0.1");
      expect(await host.run([process.execPath, "-e", call(m.rpcUrl)])).toBe("0x67932");
      // The same port at its host's address, from the next member's host: nothing listens there.
      const next = hosts.hosts[(i + 1) % hosts.hosts.length];
      const remote = new URL(m.rpcUrl);
      remote.hostname = host.address;
      expect(await next.run([process.execPath, "-e", call(remote.toString())])).toBe("unreachable");
    }
  }, 120_000);

  it("no member's state or files hold another member's password, node key or signer key", async () => {
    for (const m of members) {
      const state = await storedState(join(m.scratch.projectDir, "state"));
      const files = filesUnder(m.scratch.projectDir);
      for (const other of members.filter((o) => o !== m)) {
        for (const secret of other.secrets) {
          expect(state.includes(secret), `${other.member}'s secret in ${m.member}'s state`).toBe(false);
          expect(files.filter((f) => f.text.includes(secret)).map((f) => f.path), `${other.member}'s secret in ${m.member}'s files`).toEqual([]);
        }
      }
      // Its own keys are in its state only encrypted.
      for (const secret of m.secrets) expect(state.includes(secret), `${m.member}'s own secret in plaintext in its state`).toBe(false);
    }
  });

  it("a second up of every member's stack changes nothing, and each member's drift check finds nothing", async () => {
    for (const m of members) {
      // The CLI fails a preview with --expect-no-changes on any change. (Its summary event does not reach the
      // Automation API through the host's `ip netns exec` wrapper, so `changeSummary` would be empty either way.)
      await expect(m.stack.preview({ expectNoChanges: true }), m.member).resolves.toBeDefined();
      expect(await checkDrift(m.stack), m.member).toEqual([]);
    }
  }, 300_000);

  it("a host cut off leaves the chain to the other two, and catches up once back", async () => {
    const [a, , c] = members;
    const cHost = hosts.hosts[2];
    await cHost.setLinked(false);
    try {
      // a and b go on alone (two of three Clique signers take turns), while c hears none of it.
      const start = Number(await jsonRpcCall<string>(a.sealerIpc, "eth_blockNumber"));
      const reached = await waitForBlock(a.sealerIpc, start + 6, 60_000);
      expect(Number(await jsonRpcCall<string>(c.sealerIpc, "eth_blockNumber"))).toBeLessThan(reached - 3);
    } finally {
      await cHost.setLinked(true);
    }
    const head = Number(await jsonRpcCall<string>(a.sealerIpc, "eth_blockNumber"));
    await waitForBlock(c.sealerIpc, head, 120_000);
    expect(await waitForSealingBy(c.sealerIpc, validators, 6, 120_000)).toHaveLength(6);
  }, 400_000);
});
