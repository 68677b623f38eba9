// The whole local path with the real engine (Pulumi CLI built from source, file backend) and real geth
// processes: up → every signer seals → no signer key answers another process → no changes → kill a node → refresh
// sees it → up heals → destroy.
import type { ConsortiumStack, UpResult } from "../../lib/cli/workspace";
import { JsonRpcProvider, Wallet } from "ethers";
import { execa } from "execa";
import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForBlock, waitForSealingBy } from "../../testkit/clique";
import { jsonRpcCall } from "../../lib/ipc";
import { isOurProcess, processesUnder } from "../../lib/localProcess";
import { portFree } from "../../lib/ports";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { ensureTools } from "../../lib/toolchain/resolve";
import type { FleetNode } from "../../components/fleet/Fleet";
import { storedState } from "../support/storedState";

const NAME = "itest";
const AUTHORITIES = ["alpha", "beta", "gamma"];

interface NodeState {
  name: string;
  pid: number;
  running: boolean;
  dir: string;
  ports: number[];
}

/** TCP ports process `pid` listens on, from /proc/net/tcp{,6} and its socket file descriptors (Linux). */
function listeningTcpPorts(pid: number): number[] {
  const byInode = new Map<string, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").trim().split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === "0A") byInode.set(f[9], parseInt(f[1].split(":")[1], 16)); // 0A: LISTEN
    }
  }
  const ports = new Set<number>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec((() => { try { return readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return ""; } })());
    if (m && byInode.has(m[1])) ports.add(byInode.get(m[1])!);
  }
  return [...ports].sort((a, b) => a - b);
}

/** A JSON-RPC request over HTTP: its status and body, or the connection error's code. */
async function post(url: string, method: string, params: unknown[] = [], headers: Record<string, string> = {}) {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    return { error: ((e as Error).cause as { code?: string } | undefined)?.code ?? String(e) };
  }
}

async function nodeStates(stack: ConsortiumStack): Promise<NodeState[]> {
  const state = await stack.exportStack();
  return (state.deployment.resources ?? [])
    .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/fleet:LocalNodeProcess")
    .map((r: { outputs: NodeState }) => r.outputs);
}

describe("local consortium under pulumi up (real engine, real geth)", () => {
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let rpcUrl: string;
  let signers: string[];
  let up: UpResult;

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
    up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    rpcUrl = up.outputs.rpcUrl.value;
    signers = up.outputs.signers.value;
    expect(signers).toHaveLength(3);
    expect(up.outputs.chainId.value).toBe(31416);
    expect(up.outputs.enodes.value).toHaveLength(6); // 3 authorities + each member's RPC node
    expect(rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The stack's RPC URL is the first authority's member's RPC node; every member has its own.
    const memberRpcUrls = up.outputs.memberRpcUrls.value as Record<string, string>;
    expect(Object.keys(memberRpcUrls)).toEqual(["org-0", "org-1", "org-2"]);
    expect(memberRpcUrls["org-0"]).toBe(rpcUrl);
    for (const url of Object.values(memberRpcUrls)) expect(Number(await jsonRpcCall(url, "eth_chainId"))).toBe(31416);

    // Every signer takes its turns within 9 consecutive blocks (once the nodes have peered and synced).
    const sealedBy = await waitForSealingBy(rpcUrl, signers, 9, 90_000);
    expect(new Set(sealedBy)).toEqual(new Set(signers));
    // Clique: no signer seals two blocks in a row with 3 signers (each must wait floor(3/2)+1 blocks).
    for (let i = 1; i < sealedBy.length; i++) expect(sealedBy[i]).not.toBe(sealedBy[i - 1]);
  });

  it("the up's results, taken from the engine's events (lib/cli/eventResults.ts), are what the CLI reads back from the state", async () => {
    // The Automation API's own reads: the outputs masked and with secrets, and the update history.
    const read = await stack.outputs();
    expect(up.outputs).toEqual(read);
    // A secret inside an output (the dev account's key) is given in plaintext, as the CLI gives it.
    expect((up.outputs.devAccount.value as { privateKey: string }).privateKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(up.summary.resourceChanges).toEqual((await stack.info())?.resourceChanges);
    expect(up.summary.resourceChanges?.create).toBeGreaterThan(10);
  });

  it("no signer key answers another process: a sealer has no HTTP RPC port, only p2p, the JWT-guarded authrpc and its metrics, and its IPC socket is its user's", async () => {
    const nodes = (await stack.outputs()).nodes.value as FleetNode[];
    const sealers = nodes.filter((n) => n.role === "authority");
    expect(sealers.map((n) => n.name)).toEqual(AUTHORITIES);
    const states = await nodeStates(stack);
    for (const node of sealers) {
      const state = states.find((s) => s.name === node.name)!;
      const [p2p, authrpc] = state.ports;
      const metrics = Number(new URL(node.metricsUrl).port);
      // What it listens on, read from the kernel: p2p, authrpc and metrics, nothing else (no HTTP RPC, no WebSocket).
      expect(listeningTcpPorts(state.pid), node.name).toEqual([p2p, authrpc, metrics].sort((a, b) => a - b));
      const httpSlot = p2p + 1; // the slot's HTTP port: open on RPC nodes, closed on sealers
      for (const [method, params] of [
        ["eth_sendTransaction", [{ from: node.signer, to: node.signer, value: "0x1" }]],
        ["eth_sign", [node.signer, "0xdeadbeef"]],
        ["clique_propose", ["0x00000000000000000000000000000000000000aa", true]],
      ] as const) {
        expect(await post(`http://127.0.0.1:${httpSlot}`, method, [...params]), `${node.name} ${method}`).toEqual({ error: "ECONNREFUSED" });
        // The Engine API port answers nothing without the node's JWT secret.
        expect((await post(`http://127.0.0.1:${authrpc}`, method, [...params])).status, `${node.name} authrpc ${method}`).toBe(401);
        expect((await post(`http://127.0.0.1:${authrpc}`, method, [...params], { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged" })).status).toBe(401);
        // The metrics server serves its page and no JSON-RPC, at its root or at the metrics path.
        expect((await post(`http://127.0.0.1:${metrics}`, method, [...params])).status, `${node.name} metrics ${method}`).toBe(404);
        const page = await post(node.metricsUrl, method, [...params]);
        expect(page.status, `${node.name} metrics path ${method}`).toBe(200);
        expect(page.body, `${node.name} metrics path ${method}`).not.toContain('"jsonrpc"');
      }
      // Its IPC socket lives in its own 0700 data dir, 0600: the node's user reaches it (the deployer's votes and
      // checks), another user does not.
      expect(node.ipcPath).toBe(join(state.dir, "data", "geth.ipc"));
      expect(statSync(node.ipcPath!).isSocket()).toBe(true);
      expect((statSync(node.ipcPath!).mode & 0o777).toString(8)).toBe("600");
      expect((statSync(join(state.dir, "data")).mode & 0o777).toString(8)).toBe("700");
      expect(Number(await jsonRpcCall(node.ipcPath!, "eth_chainId"))).toBe(31416);
      if (process.getuid?.() === 0) {
        const probe = `require("net").connect(${JSON.stringify(node.ipcPath)}).on("connect", () => { console.log("connected"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(0); })`;
        const other = await execa(process.execPath, ["-e", probe], { uid: 65534, gid: 65534, reject: false });
        expect(other.stdout, `${node.name}: another user's process`).toBe("EACCES");
      }
    }
    // The RPC nodes hold no key: eth_sendTransaction finds no account to sign with, and they serve no clique API.
    for (const node of nodes.filter((n) => n.role === "rpc")) {
      expect((await post(node.rpcUrl!, "eth_sendTransaction", [{ from: sealers[0].signer, to: sealers[0].signer, value: "0x1" }])).body).toMatch(/unknown account/);
      expect((await post(node.rpcUrl!, "clique_propose", ["0x00000000000000000000000000000000000000aa", true])).body).toMatch(/does not exist/);
      expect((await post(node.rpcUrl!, "eth_accounts")).body).toContain('"result":[]');
    }
  });

  it("writes every key file 0600 (signer keystores included) in 0700 node directories", async () => {
    const keyFile = /^(nodekey|password|jwtsecret|UTC--.*)$/;
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory() && !["chaindata", "ancient", "lightchaindata", "nodes", "triecache", "blobpool"].includes(e.name)) walk(path);
        else if (e.isFile() && keyFile.test(e.name)) found.push(path);
      }
    };
    for (const node of await nodeStates(stack)) {
      expect((statSync(node.dir).mode & 0o777).toString(8), node.dir).toBe("700");
      walk(node.dir);
    }
    for (const path of found) expect((statSync(path).mode & 0o777).toString(8), path).toBe("600");
    // Per node: its node key, and the unused one `geth init` generates in data/geth; geth's JWT secret (authrpc).
    // Per authority: its password and keystore.
    const count = (re: RegExp) => found.filter((p) => re.test(p)).length;
    expect([count(/\/nodekey$/), count(/\/data\/geth\/nodekey$/), count(/\/jwtsecret$/), count(/\/password$/), count(/\/data\/keystore\/UTC--/)]).toEqual([12, 6, 6, 3, 3]);
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
      if (node.name.startsWith("rpc-")) continue;
      const password = await readFile(join(node.dir, "password"), "utf8");
      secrets.push(password);
      const keystoreDir = join(node.dir, "data", "keystore");
      const [file] = await readdir(keystoreDir);
      const wallet = await Wallet.fromEncryptedJson(await readFile(join(keystoreDir, file), "utf8"), password);
      secrets.push(wallet.privateKey);
    }
    expect(secrets).toHaveLength(1 + 6 + 3 * 2);
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
