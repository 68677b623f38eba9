// Permissions as `pulumi up` deploys them (real engine, a real two-member Clique fleet of geth processes, the real
// policy gateways): the stack's RPC URLs are the gateways'; reading without a key is refused and allowed with one; a
// listed account's transfer and creation go through, an unlisted account's are refused with the JSON-RPC error that
// names the level; a policy change by `up` admits the next account without restarting a node; a policy edited by hand
// on disk is reported by the drift check and healed by `up`; the API keys appear in no state, only in the gateways'
// 0600 key files.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { randomBytes } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { ContractFactory, JsonRpcProvider, parseEther, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDrift } from "../../lib/drift/check";
import { ensureTools } from "../../lib/toolchain/resolve";
import { GATEWAY_KEYS_FILE, GATEWAY_POLICY_FILE } from "../../render/permissions/gateway";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { storedState } from "../support/storedState";

const KEY = randomBytes(24).toString("hex");
const wallet = () => new Wallet(Wallet.createRandom().privateKey);
const [alice, bob, carol] = [wallet(), wallet(), wallet()];
/** Returns 42: the smallest creation that leaves code behind. */
const RETURNS_42 = { abi: [], bytecode: "0x600a600c600039600a6000f3602a60005260206000f3" };

interface ProcessState {
  name: string;
  pid: number;
  dir: string;
}

const config = (transact: string[]) => ({
  name: "perm",
  dev: true,
  chainId: 31433,
  blockPeriodSeconds: 1,
  scryptN: 2 ** 12,
  authorities: ["alpha", "beta"].map((name, i) => ({ name, member: `org-${i}` })),
  fleet: { target: "local", rpcNode: true },
  prefunded: [alice, bob, carol].map((w) => ({ address: w.address, balanceWei: parseEther("10").toString() })),
  permissions: { read: "keys", transact, deploy: [alice.address] },
});

describe("permissions deployed by pulumi up (real engine, real geth, real gateways)", () => {
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let rpcUrl: string;
  const keyed = () => new JsonRpcProvider(`${rpcUrl}/${KEY}`, undefined, { staticNetwork: true, batchMaxCount: 1 });
  const processes = async (): Promise<ProcessState[]> =>
    ((await stack.exportStack()).deployment.resources ?? [])
      .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/fleet:LocalNodeProcess")
      .map((r: { outputs: ProcessState }) => ({ ...r.outputs, dir: isAbsolute(r.outputs.dir) ? r.outputs.dir : join(scratch.projectDir, r.outputs.dir) }));
  const gateway = async () => (await processes()).find((p) => p.name === "gateway-org-0")!;
  const send = async (w: Wallet, tx: { to?: string; value?: bigint }) => (await w.connect(keyed()).sendTransaction(tx)).wait();

  beforeAll(async () => {
    scratch = await createScratchStack({ name: "perm", tools: await ensureTools({ build: false, log: () => {} }), config: config([alice.address]) });
    stack = scratch.stack;
    await stack.setConfig("consortium:permissionKeys", { value: JSON.stringify({ ops: KEY }), secret: true });
    const up = await stack.up();
    rpcUrl = up.outputs.rpcUrl.value as string;
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it("gives clients the gateways, one per member, in front of nodes they do not publish", async () => {
    const { memberRpcUrls, nodes, permissions } = await stack.outputs();
    const gateways = memberRpcUrls.value as Record<string, string>;
    expect(Object.keys(gateways).sort()).toEqual(["org-0", "org-1"]);
    expect(rpcUrl).toBe(gateways["org-0"]);
    const rpcNodes = (nodes.value as { role: string; rpcUrl?: string }[]).filter((n) => n.role === "rpc").map((n) => n.rpcUrl);
    for (const url of Object.values(gateways)) expect(rpcNodes).not.toContain(url);
    expect(permissions.value).toEqual({ read: "keys", transact: [alice.address], deploy: [alice.address] });
  });

  it("refuses a read without a key and answers one with it, by header or path", async () => {
    const bare = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber" }) });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { code: number } }).error.code).toBe(-32001);
    const header = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }) });
    expect(((await header.json()) as { result: string }).result).toBe("0x7ac9");
    expect(await keyed().getBlockNumber()).toBeGreaterThan(0);
  });

  it("lets the listed account transfer and create, and refuses the others' by the level they lack", async () => {
    expect((await send(alice, { to: carol.address, value: 1n }))!.status).toBe(1);
    const created = await new ContractFactory(RETURNS_42.abi, RETURNS_42.bytecode, alice.connect(keyed())).deploy();
    await created.waitForDeployment();
    expect(await keyed().getCode(await created.getAddress())).not.toBe("0x");
    await expect(send(bob, { to: carol.address, value: 1n })).rejects.toThrow(new RegExp(`${bob.address} may not send transactions on this consortium \\(permissions.transact\\)`));
    await expect(new ContractFactory(RETURNS_42.abi, RETURNS_42.bytecode, bob.connect(keyed())).deploy()).rejects.toThrow(/may not (create contracts|send transactions)/);
  });

  it("applies a policy change by up without restarting a node: the next account may transact", async () => {
    const nodePids = async () => Object.fromEntries((await processes()).filter((p) => !p.name.startsWith("gateway-")).map((p) => [p.name, p.pid]));
    const nodesBefore = await nodePids();
    expect(Object.keys(nodesBefore).sort()).toEqual(["alpha", "beta", "rpc-org-0", "rpc-org-1"]);
    await stack.setConfig("consortium:permissions", { value: JSON.stringify(config([alice.address, bob.address]).permissions) });
    await stack.up();
    expect(await nodePids()).toEqual(nodesBefore);
    expect((await send(bob, { to: carol.address, value: 1n }))!.status).toBe(1);
    await expect(new ContractFactory(RETURNS_42.abi, RETURNS_42.bytecode, bob.connect(keyed())).deploy()).rejects.toThrow(/may not create contracts on this consortium \(permissions.deploy\)/);
  });

  it("reports a policy edited by hand on disk as drift, and up puts it back", async () => {
    const g = await gateway();
    const policyFile = join(g.dir, GATEWAY_POLICY_FILE);
    const deployed = await readFile(policyFile, "utf8");
    const edited = JSON.parse(deployed) as { transact: string[] };
    edited.transact.push(carol.address);
    await writeFile(policyFile, JSON.stringify(edited));
    const findings = await checkDrift(stack);
    expect(findings.find((f) => f.resource === "gateway-org-0" && f.phase === "state-vs-world")?.fields).toContain(`digests.${GATEWAY_POLICY_FILE}`);
    await stack.up({ refresh: true });
    expect(await readFile(policyFile, "utf8")).toBe(deployed);
    expect(await checkDrift(stack)).toEqual([]);
  });

  it("keeps the API keys out of the state, in the gateways' 0600 key files only", async () => {
    expect(await storedState(join(scratch.projectDir, "state"))).not.toContain(KEY);
    const g = await gateway();
    const keysFile = join(g.dir, GATEWAY_KEYS_FILE);
    expect((await stat(keysFile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(keysFile, "utf8"))).toMatchObject({ ops: KEY, stack: expect.any(String) });
    for (const f of ["gateway.json", GATEWAY_POLICY_FILE]) expect(await readFile(join(g.dir, f), "utf8")).not.toContain(KEY);
  });
});
