// The whole local path with the real engine (Pulumi CLI built from source, file backend) and real geth
// processes: up → every signer seals → no changes → kill a node → refresh sees it → up heals → destroy.
import { Stack } from "@pulumi/pulumi/automation";
import { JsonRpcProvider, Wallet } from "ethers";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForBlock, waitForSealingBy } from "../../lib/clique";
import { isOurProcess, processesUnder } from "../../lib/localProcess";
import { portFree } from "../../lib/ports";
import { createScratchStack, ScratchStack } from "../../scripts/lib/scratchStack";
import { ensureTools } from "../../scripts/toolchain/resolve";

const NAME = "itest";
const AUTHORITIES = ["alpha", "beta", "gamma"];

interface NodeState {
  name: string;
  pid: number;
  running: boolean;
  dir: string;
  ports: number[];
}

/** Every stack file of a file backend, as stored on disk. */
async function storedState(backendDir: string): Promise<string> {
  const dir = join(backendDir, ".pulumi", "stacks");
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".json"));
  expect(files.length).toBeGreaterThan(0);
  return (await Promise.all(files.map((f) => readFile(join(dir, f), "utf8")))).join("\n");
}

async function nodeStates(stack: Stack): Promise<NodeState[]> {
  const state = await stack.exportStack();
  return (state.deployment.resources ?? [])
    .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/fleet:LocalNodeProcess")
    .map((r: { outputs: NodeState }) => r.outputs);
}

describe("local consortium under pulumi up (real engine, real geth)", () => {
  let scratch: ScratchStack;
  let stack: Stack;
  let rpcUrl: string;
  let signers: string[];

  beforeAll(async () => {
    const tools = await ensureTools({ build: false, log: () => {} });
    scratch = await createScratchStack({
      name: NAME,
      tools,
      config: {
        name: "itest",
        dev: true,
        chainId: 31416,
        blockPeriodSeconds: 1,
        scryptN: 2 ** 17,
        authorities: AUTHORITIES.map((name, i) => ({ name, member: `org-${i}` })),
        fleet: { target: "local", rpcNode: true },
      },
    });
    stack = scratch.stack;
  });

  afterAll(async () => {
    await scratch?.dispose();
  });

  it("up creates the fleet and every signer seals blocks", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    rpcUrl = up.outputs.rpcUrl.value;
    signers = up.outputs.signers.value;
    expect(signers).toHaveLength(3);
    expect(up.outputs.chainId.value).toBe(31416);
    expect(up.outputs.enodes.value).toHaveLength(4); // 3 authorities + the RPC node
    expect(rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Every signer takes its turns within 9 consecutive blocks (once the nodes have peered and synced).
    const sealedBy = await waitForSealingBy(rpcUrl, signers, 9, 90_000);
    expect(new Set(sealedBy)).toEqual(new Set(signers));
    // Clique: no signer seals two blocks in a row with 3 signers (each must wait floor(3/2)+1 blocks).
    for (let i = 1; i < sealedBy.length; i++) expect(sealedBy[i]).not.toBe(sealedBy[i - 1]);
  });

  it("keeps every secret out of the stored state in plaintext", async () => {
    // The state as stored by the backend (Automation API's exportStack would decrypt secrets for us).
    const state = await storedState(join(scratch.projectDir, "state"));
    const outputs = await stack.outputs();
    const dev = outputs.devAccount.value as { address: string; privateKey: string };
    expect(new Wallet(dev.privateKey).address).toBe(dev.address);
    const secrets: string[] = [dev.privateKey];
    for (const node of await nodeStates(stack)) {
      secrets.push(await readFile(join(node.dir, "nodekey"), "utf8"));
      if (node.name === "rpc") continue;
      const password = await readFile(join(node.dir, "password"), "utf8");
      secrets.push(password);
      const keystoreDir = join(node.dir, "data", "keystore");
      const [file] = await readdir(keystoreDir);
      const wallet = await Wallet.fromEncryptedJson(await readFile(join(keystoreDir, file), "utf8"), password);
      secrets.push(wallet.privateKey);
    }
    expect(secrets).toHaveLength(1 + 4 + 3 * 2);
    for (const secret of secrets) {
      const bare = secret.replace(/^0x/, "").toLowerCase();
      expect(bare.length).toBeGreaterThanOrEqual(32);
      expect(state.toLowerCase().includes(bare), `a ${bare.length}-char secret is in the state in plaintext`).toBe(false);
    }
    // ...while the state does hold them, encrypted (Pulumi's secret signature).
    expect(state).toContain("4dabf18193072939515e22adb298388d");
  });

  it("a second preview reports no changes", async () => {
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary.update ?? 0).toBe(0);
    expect(preview.changeSummary.create ?? 0).toBe(0);
  });

  it("refresh reports a killed node as drift, and up heals it", async () => {
    const beta = (await nodeStates(stack)).find((n) => n.name === "beta")!;
    expect(isOurProcess(beta.pid, beta.dir)).toBe(true);
    process.kill(beta.pid, "SIGKILL");
    while (isOurProcess(beta.pid, beta.dir)) await new Promise((r) => setTimeout(r, 100));

    // State vs world: the drift check a CI job runs.
    await expect(stack.refresh({ previewOnly: true, expectNoChanges: true })).rejects.toThrow();
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges?.update).toBe(1);
    expect((await nodeStates(stack)).find((n) => n.name === "beta")!.running).toBe(false);

    const heal = await stack.up();
    expect(heal.summary.resourceChanges?.update).toBe(1);
    const healed = (await nodeStates(stack)).find((n) => n.name === "beta")!;
    expect(healed.running).toBe(true);
    expect(isOurProcess(healed.pid, healed.dir)).toBe(true);
    await stack.preview({ expectNoChanges: true });
  });

  it("the chain keeps sealing with every signer after the heal", async () => {
    const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
    const from = await provider.getBlockNumber();
    provider.destroy();
    await waitForBlock(rpcUrl, from + 3, 30_000);
    const sealedBy = await waitForSealingBy(rpcUrl, signers, 6, 90_000);
    expect(new Set(sealedBy)).toEqual(new Set(signers));
  });

  it("destroy leaves no process and no listening port behind; keys stay protected", async () => {
    const nodes = await nodeStates(stack);
    const result = await stack.destroy({ excludeProtected: true });
    expect(result.summary.result).toBe("succeeded");
    for (const node of nodes) {
      expect(isOurProcess(node.pid, node.dir)).toBe(false);
      for (const port of node.ports) expect(await portFree(port)).toBe(true);
    }
    expect(processesUnder(scratch.projectDir)).toEqual([]);
    const left = (await stack.exportStack()).deployment.resources ?? [];
    expect(left.filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/keys:GeneratedKey")).toHaveLength(3 * 2 + 1);
    expect(left.filter((r: { type: string }) => r.type.includes("LocalNodeProcess"))).toHaveLength(0);
  });
});
