// Three members run geth 1.13.15 from the assembled genesis, each with its OWN keystore from the ceremony, and
// the chain seals with all three signers, read through a non-signing RPC node (sealers serve no HTTP). Bounded in
// time; nodes, ports and directories are always cleaned up.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitForSealingBy } from "../../testkit/clique";
import { assemble, readContributions } from "../../lib/ceremony/assemble";
import { contribute, memberSecrets } from "../../lib/ceremony/member";
import { createCeremony, readConsortiumYaml } from "../../lib/ceremony/params";
import { compareAssembly } from "../../lib/ceremony/verify";
import { LocalProcessState, removeNode, startNode } from "../../lib/localProcess";
import { randomPrivateKey } from "../../lib/keygen";
import { localProcess } from "../../render/local/process";
import { nodeWorkload } from "../../render/nodeWorkload";
import { renderGethNode } from "../../render/geth/node";
import { resolveSecretFiles } from "../../render/secrets";
import { ensureTools } from "../../lib/toolchain/resolve";
import { reserveTestPortBlock, TestPortBlock } from "../../testkit/portBlock";
import { CONFIG_YAML } from "./fixtures";

const NAMES = ["alpha", "beta", "gamma"];

describe("geth nodes from a ceremony", () => {
  const started: LocalProcessState[] = [];
  let root: string | undefined;
  let block: TestPortBlock | undefined;

  afterAll(async () => {
    for (const s of started) await removeNode(s).catch(() => {});
    await block?.release().catch(() => {});
    if (root) await rm(root, { recursive: true, force: true });
  }, 120_000);

  it("seal a Clique chain with every member's own keystore", async () => {
    const geth = (await ensureTools({ build: false, log: () => {} })).geth;
    root = await mkdtemp(join(tmpdir(), "ceremony-geth-"));
    block = await reserveTestPortBlock("ceremony-geth-test", root);
    const base = block.base;
    const ports = NAMES.map((_, i) => ({ p2p: base + i * 3, http: base + i * 3 + 1, authrpc: base + i * 3 + 2 }));

    const ceremony = createCeremony(readConsortiumYaml(CONFIG_YAML));
    const contributions = join(root, "contributions");
    mkdirSync(contributions);
    const memberDirs = NAMES.map((n) => join(root!, `member-${n}`));
    for (const [i, name] of NAMES.entries()) {
      const r = await contribute({ ceremony, authority: name, endpoint: `127.0.0.1:${ports[i].p2p}`, dir: memberDirs[i], scryptN: 2 ** 12 });
      copyFileSync(r.contributionFile, join(contributions, `contribution-${name}.json`));
    }
    const assembly = assemble(ceremony, readContributions(contributions));
    const assembled = join(root, "assembled");
    mkdirSync(assembled);
    for (const [f, c] of Object.entries(assembly.files)) await writeFile(join(assembled, f), c);

    const enodes = JSON.parse(readFileSync(join(assembled, "static-nodes.json"), "utf8")) as string[];
    const chain = { path: assembly.chainFile, content: readFileSync(join(assembled, assembly.chainFile), "utf8") };
    for (const [i, name] of NAMES.entries()) {
      // Each member checks the assembly, then starts its node with the keys only it holds.
      const mine = assemble(ceremony, readContributions(contributions));
      expect(compareAssembly(mine, assembled, ceremony)).toEqual([]);
      const secrets = memberSecrets(memberDirs[i]);
      const address = assembly.contributions[i].address;
      const run = renderGethNode({
        spec: assembly.spec,
        name,
        command: geth,
        chain,
        ports: ports[i],
        bindHost: "127.0.0.1",
        advertisedHost: "127.0.0.1",
        staticPeers: enodes.filter((_, j) => j !== i),
        signer: { address, keystore: secrets.keystore },
        sealer: true,
      });
      started.push(
        await startNode({
          ...localProcess(nodeWorkload({ spec: assembly.spec, run, member: name, role: "authority", image: "" }), join(root!, `node-${name}`)),
          secretFiles: resolveSecretFiles(run.secretFiles, { nodeKey: secrets.nodeKey, password: secrets.password, keystore: secrets.keystore }),
          resetKey: assembly.genesisSha256,
        }),
      );
    }
    // A non-signing node (its own node key, no keystore) peered with the three serves the reads.
    const rpcKey = randomPrivateKey();
    const rpcPorts = { p2p: base + 9, http: base + 10, authrpc: base + 11 };
    const rpc = renderGethNode({ spec: assembly.spec, name: "rpc", command: geth, chain, ports: rpcPorts, bindHost: "127.0.0.1", advertisedHost: "127.0.0.1", staticPeers: enodes, sealer: false });
    started.push(
      await startNode({
        ...localProcess(nodeWorkload({ spec: assembly.spec, run: rpc, member: "rpc", role: "rpc", image: "" }), join(root!, "node-rpc")),
        secretFiles: resolveSecretFiles(rpc.secretFiles, { nodeKey: rpcKey.slice(2) }),
        resetKey: assembly.genesisSha256,
      }),
    );
    const signers = await waitForSealingBy(rpc.rpcUrl!, assembly.validators, 6, 90_000);
    expect(new Set(signers.map((s) => s.toLowerCase()))).toEqual(new Set(assembly.validators.map((v) => v.toLowerCase())));
  }, 240_000);
});
