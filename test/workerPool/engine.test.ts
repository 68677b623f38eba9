// A worker pool as `pulumi up` deploys it with its consortium: the real engine runs the compiled program (dist/), a
// real geth fleet, the bridge (PoCo's token) and PoCo deployed by the stack, and a pool on two real sshd + dockerd
// test hosts (test/support/sshHosts.ts). The workerpool is registered on chain by the deployer for the scheduler
// key; workers run on both hosts; a second preview changes nothing; a daemon.json edited and a worker container
// removed out of band are reported by the drift check with the resource and the field, and `up --refresh` heals
// them; destroy leaves no pool container on the hosts and no process under the stack's folder.
// Stand-ins (see sshHosts.ts): test-double images, a `kata` runtime that is runc, Debian's Docker accepted. The
// scheduler side's chain URL is not dialled (the test-double images idle; the hosts' network namespaces hold only
// loopback): the test proves it is wired into the scheduler's containers, not that iexec-core syncs.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { Contract, JsonRpcProvider } from "ethers";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDrift } from "../../lib/drift/check";
import { formatReport } from "../../lib/drift/report";
import { processesUnder } from "../../lib/localProcess";
import { WORKERPOOL_REGISTRY_ABI } from "../../lib/workerPool/registration";
import { LABELS } from "../../render/sshHosts/container";
import { workerName } from "../../render/workerPool/workloads";
import type { PoolOutput } from "../../program/workerPools";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { ensureTools } from "../../lib/toolchain/resolve";
import { ensureHostTools, loadTestDoubleImages, makeKataArtifactStandIn, startTestHost, TestHost } from "../support/sshHosts";
import { sshPoolRaw, TEST_DOUBLE_POOL_IMAGES } from "./fixture";

/** The home chain as the scheduler host would reach it (a private interface); never dialled here, see above. */
const CHAIN_RPC_URL = "http://home-rpc.wpengine.test:8545";
const WORKERPOOL_ABI = ["function owner() view returns (address)", "function m_workerpoolDescription() view returns (string)"];
const SCHEDULER_SIDE = ["metal-mongo", "metal-config-server", "metal-blockchain-adapter", "metal-core"];

describe("worker pool in a consortium stack (real engine, geth, PoCo, sshd + dockerd hosts)", () => {
  let work: string;
  let hosts: TestHost[] = [];
  let scratch: ScratchStack | undefined;
  let stack: ConsortiumStack;
  let outputs: Record<string, { value: any }>;
  let pool: PoolOutput;

  beforeAll(async () => {
    await ensureHostTools();
    work = await mkdtemp(join(tmpdir(), "wp-engine-"));
    const kataArtifact = await makeKataArtifactStandIn(work);
    hosts = await Promise.all(["a", "b"].map((name) => startTestHost({ name, modules: ["vhost_net", "vhost_vsock"], kvm: true })));
    for (const h of hosts) {
      // An operator's existing setting, which the merge keeps.
      await h.sh(`printf '{"log-level": "warn"}\\n' > /etc/docker/daemon.json`);
      await loadTestDoubleImages(h, Object.values(TEST_DOUBLE_POOL_IMAGES).filter((i) => !i.includes("iexec-worker")));
    }
    scratch = await createScratchStack({
      name: "wpengine",
      tools: await ensureTools({ build: false, log: () => {} }),
      config: {
        name: "wpengine",
        dev: true,
        chainId: 31433,
        blockPeriodSeconds: 1,
        scryptN: 2 ** 12,
        authorities: [{ name: "alpha", member: "org-0" }],
        fleet: { target: "local", rpcNode: true },
        bridge: {},
        poco: {},
        workerPools: [{ ...sshPoolRaw(hosts, kataArtifact), chainRpcUrl: CHAIN_RPC_URL }],
      },
    });
    stack = scratch.stack;
    outputs = (await stack.up()).outputs;
    pool = outputs.workerPools.value.metal;
  }, 900_000);

  afterAll(async () => {
    // The stack first: its destroy reaches the hosts over SSH.
    await scratch?.dispose();
    await Promise.all(hosts.map((h) => h.stop()));
    if (work) await rm(work, { recursive: true, force: true });
  }, 300_000);

  it("registers the workerpool on chain for the scheduler key, sent and paid by the deployer", async () => {
    const { workerpoolRegistry } = outputs.poco.value as { workerpoolRegistry: string };
    const provider = new JsonRpcProvider(outputs.rpcUrl.value, 31433, { staticNetwork: true });
    try {
      const registry = new Contract(workerpoolRegistry, WORKERPOOL_REGISTRY_ABI, provider);
      expect(await registry.isRegistered(pool.address)).toBe(true);
      expect(await registry.ownerOf(BigInt(pool.address))).toBe(pool.owner);
      const workerpool = new Contract(pool.address, WORKERPOOL_ABI, provider);
      expect(await workerpool.owner()).toBe(pool.owner);
      expect(await workerpool.m_workerpoolDescription()).toBe("metal");
      // The scheduler key never sent a transaction nor held gas: createWorkerpool is permissionless.
      expect(await provider.getTransactionCount(pool.owner)).toBe(0);
      expect(await provider.getBalance(pool.owner)).toBe(0n);
    } finally {
      provider.destroy();
    }
    expect(pool.owner).not.toBe(outputs.devAccount.value.address);
    expect(pool).toMatchObject({ coreUrl: "http://127.0.0.1:13000", chainRpcUrl: CHAIN_RPC_URL, where: { kind: "ssh", schedulerHost: "a" } });
    expect(pool.workers).toHaveLength(2);
  });

  it("runs a worker on each host and the scheduler side on host a, configured from the stack", async () => {
    const { hub } = outputs.poco.value as { hub: string };
    for (const h of hosts) {
      const worker = workerName("metal", h.name, 0);
      expect(await h.sh(`docker inspect --format '{{.State.Running}} {{.HostConfig.Runtime}}' ${worker}`)).toBe("true runc");
      expect(await h.sh(`docker inspect --format '{{join .Config.Env "\\n"}}' ${worker}`)).toContain(`POOL_ADDRESS=${pool.address}`);
      expect(await h.sh("docker info --format '{{.DefaultRuntime}}'")).toBe("kata");
    }
    expect(await hosts[0].sh(`docker inspect --format '{{.State.Running}}' ${SCHEDULER_SIDE.join(" ")}`)).toBe("true\ntrue\ntrue\ntrue");
    const env = (container: string) => hosts[0].sh(`docker inspect --format '{{join .Config.Env "\\n"}}' ${container}`);
    // The config server serves the chain to the core, the adapter and the workers.
    const chainEnv = await env("metal-config-server");
    for (const line of [`IEXEC_BLOCKCHAIN_NODE_ADDRESS=${CHAIN_RPC_URL}`, `IEXEC_HUB_ADDRESS=${hub}`, "IEXEC_CHAIN_ID=31433", "IEXEC_BLOCK_TIME=PT1S"]) expect(chainEnv).toContain(line);
    expect(await env("metal-core")).toContain(`POOL_ADDRESS=${pool.address}`);
    expect(await hosts[1].sh("docker ps -q --filter name=metal-core")).toBe("");
  });

  it("keeps wallets out of the outputs and the state", async () => {
    const password = await hosts[0].sh(`cat ${hosts[0].secretsDir}/${workerName("metal", "a", 0)}/IEXEC_WORKER_WALLET_PASSWORD`);
    expect(password.length).toBeGreaterThan(20);
    expect(JSON.stringify(outputs.workerPools)).not.toMatch(/keystore|password|privateKey/i);
    // The backend's files as written (`stack export` would decrypt the secrets).
    const state = join(scratch!.projectDir, "state");
    const files = (await readdir(state, { recursive: true })).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(await readFile(join(state, f), "utf8"), f).not.toContain(password);
  });

  it("previews no change on a second run, and the drift check finds nothing", async () => {
    // The drift check's code-vs-state half is the preview of a second up: any planned change is a finding.
    expect(await checkDrift(stack)).toEqual([]);
  }, 300_000);

  it("reports an edited daemon.json and a removed worker container with resource and field; up --refresh heals both", async () => {
    const [a, b] = hosts;
    // The operator turns up logging and drops Kata as the default runtime.
    const { "default-runtime": _dropped, ...edited } = JSON.parse(await a.sh("cat /etc/docker/daemon.json"));
    await a.sh(`cat > /etc/docker/daemon.json <<'EOF'\n${JSON.stringify({ ...edited, "log-level": "debug" }, null, 2)}\nEOF`);
    await b.sh(`docker rm -f ${workerName("metal", "b", 0)}`);

    const findings = await checkDrift(stack);
    const of = (name: string) => findings.find((f) => f.resource === name && f.phase === "state-vs-world");
    // Host a's setup, and host b's worker container (each workload is a resource of its own).
    expect(of("pool-metal-a")?.fields).toEqual(["observed.daemonJson"]);
    expect(of("pool-metal-worker-b-0")?.fields).toEqual(["observed.container"]);
    expect(findings.filter((f) => !f.resource.startsWith("pool-metal-"))).toEqual([]);
    expect(findings.map((f) => f.resource).sort()).toEqual(["pool-metal-a", "pool-metal-worker-b-0"]);
    expect(formatReport("wpengine", findings)).toMatch(/pool-metal-worker-b-0 .*observed\.container/);

    await stack.up({ refresh: true });
    expect(JSON.parse(await a.sh("cat /etc/docker/daemon.json"))).toMatchObject({ "log-level": "debug", "default-runtime": "kata" });
    expect(await a.sh("docker info --format '{{.DefaultRuntime}}'")).toBe("kata");
    expect(await b.sh(`docker inspect --format '{{.State.Running}}' ${workerName("metal", "b", 0)}`)).toBe("true");
    expect(await checkDrift(stack)).toEqual([]);
  }, 600_000);

  it("destroy leaves no pool container on the hosts and no process under the stack's folder", async () => {
    await stack.destroy({ excludeProtected: true });
    for (const h of hosts) {
      expect(await h.sh(`docker ps -aq --filter label=${LABELS.pool}=metal`)).toBe("");
      const names = (await h.sh("docker ps -a --format '{{.Names}}'")).split("\n");
      expect(names.filter((n) => n.startsWith("metal-worker-") || SCHEDULER_SIDE.includes(n))).toEqual([]);
    }
    expect(processesUnder(scratch!.projectDir)).toEqual([]);
  }, 300_000);
});
