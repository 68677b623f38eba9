// The bridge and PoCo on the Kubernetes target for real: the test cluster (testkit/kubernetes/cluster.ts), the real
// Pulumi Kubernetes provider plugin, a production-like stack (no dev account: the deployer's key a secret, prefunded
// in the genesis). The home chain is a 3-sealer fleet in the cluster; the foreign chain a real geth --dev on the host,
// which the pods reach through a forwarder on the node's address (what a cluster's route to mainnet stands for). The
// operator gives `bridge.home.rpcUrl` as `pulumi up` reaches the first member's gateway: here its Service's cluster IP
// (elsewhere an Ingress or a port-forward). What it proves: PoCo is deployed through the in-cluster gateway; one agent per
// validator runs as a pod of the bridge agent image (TEST DOUBLE of its Dockerfile's build: testkit/nodeAppImage.ts);
// the agents read the home chain through their own member's RPC Service and mint a whitelisted deposit, sign a
// withdrawal that the user then releases, and a deposit from outside the whitelist goes back minus the fee. The
// operators' monitor (its image a stand-in too) runs beside them and sees the chain and every agent. A worker pool
// runs in its own namespace, its worker's pod in the Kata RuntimeClass (runc behind it: TEST DOUBLE, no Kata here;
// every pool image an idle stand-in), and is registered in the PoCo the stack deployed. Permissions restrict the chain
// (reads need a key, only listed accounts send): a policy gateway pod (its image a stand-in) guards each member's RPC
// node, and everything from outside the cluster — the deployer's `pulumi up`, the test's users — goes through the
// first member's gateway Service, which the operator gives as `bridge.home.rpcUrl`.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERC20_ABI } from "../../lib/bridge/abi";
import { balances, BridgeEndpoints, deposit, withdraw } from "../../lib/bridge/client";
import { endpointsFromOutputs } from "../../lib/bridge/endpoints";
import { DIAMOND_ABI } from "../../lib/poco/abi";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { waitForReceipt } from "../../lib/eth/transactions";
import { ensureTools } from "../../lib/toolchain/resolve";
import { startForeignDevChain, TestChain } from "../../testkit/chains";
import { startTestCluster, TestCluster } from "../../testkit/kubernetes/cluster";
import { Forward, forwardToCluster } from "../../testkit/kubernetes/forward";
import { testClusterFleet, TEST_GETH_IMAGE } from "../../testkit/kubernetes/fleet";
import { clusterAppImage, clusterImage, idleImage } from "../../testkit/kubernetes/images";
import { nodeAppImage } from "../../testkit/nodeAppImage";
import { deployDevRlc } from "../../testkit/poco/devToken";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { storedState } from "../support/storedState";

const NAMESPACE = "kube-bridge";
const AGENT_IMAGE = "consortium-test/bridge-agent:k8s";
const MONITOR_IMAGE = "consortium-test/monitor:k8s";
const GATEWAY_IMAGE = "consortium-test/gateway:k8s";
/** A reader's API key (consortium:permissionKeys): the test reads and sends through the gateways with it. */
const USER_KEY = `kbridge-user-${randomBytes(16).toString("hex")}`;
/** Every image of the worker pool (iExec's and the workers' Docker engine): an idle stand-in. */
const IDLE_IMAGE = "consortium-test/idle:k8s";
const POOL_NAMESPACE = "kube-pool";
const KATA_RUNTIME_CLASS = "kata-qemu-runtime-rs";
const AUTHORITIES = ["alpha", "beta", "gamma"].map((name, i) => ({ name, member: `org-${i}` }));
const RLC = 10n ** 9n;
const ETHER = 10n ** 18n;

describe("bridge agents and PoCo on fleet.target kubernetes (real cluster, real provider plugin, two real chains)", () => {
  let cluster: TestCluster;
  let foreign: TestChain;
  /** The deployer's way to foreign, and each validator's own (in production, a node its member runs). */
  let forwards: Forward[];
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let ep: BridgeEndpoints;
  /** The first member's gateway Service, as `pulumi up` and the test reach it. */
  let gatewayUrl: string;
  /** The same with the user's key as its path: how the test's users read and send. */
  let homeRpcUrl: string;
  /** The deployer, also the whitelisted user (it holds the foreign token's supply and home gas). */
  let deployer: SequencedWallet;
  /** Who the deployer hands the bridge and PoCo over to (a multisig in production). */
  const owner = Wallet.createRandom().address;

  beforeAll(async () => {
    const tools = await ensureTools({ build: false, kubernetes: "cluster", log: () => {} });
    cluster = await startTestCluster(tools.kubernetes!);
    await cluster.importImages([
      await clusterImage(tools.geth, TEST_GETH_IMAGE, () => {}),
      await clusterAppImage(nodeAppImage("templates/bridge-agent/Dockerfile"), AGENT_IMAGE, () => {}),
      await clusterAppImage(nodeAppImage("templates/monitor/Dockerfile"), MONITOR_IMAGE, () => {}),
      await clusterAppImage(nodeAppImage("templates/gateway/Dockerfile"), GATEWAY_IMAGE, () => {}),
      await idleImage(IDLE_IMAGE, () => {}),
    ]);
    foreign = await startForeignDevChain();
    forwards = await Promise.all(Array.from({ length: AUTHORITIES.length + 1 }, () => forwardToCluster(foreign.rpcUrl)));
    deployer = await foreign.fundedWallet(100n);
    const token = await deployDevRlc(deployer);

    const fleetOnly = {
      name: "kbridge",
      chainId: 31_418,
      blockPeriodSeconds: 1,
      authorities: AUTHORITIES,
      prefunded: [{ address: deployer.address, balanceWei: (1000n * ETHER).toString() }],
      fleet: testClusterFleet(NAMESPACE),
      // No account of the operator's own: the stack adds its deployer, validators and pool keys.
      permissions: { read: "keys", transact: [], deploy: [], gatewayImage: GATEWAY_IMAGE },
    };
    scratch = await createScratchStack({ name: "kbridge", tools, config: fleetOnly });
    stack = scratch.stack;
    await stack.setConfig("consortium:kubeconfig", { value: cluster.kubeconfig, secret: true });
    await stack.setConfig("consortium:permissionKeys", { value: JSON.stringify({ user: USER_KEY }), secret: true });
    await stack.up();
    // The operator's step between the two: an address of the first member's gateway that `pulumi up` reaches.
    gatewayUrl = await cluster.serviceUrl(NAMESPACE, "gateway-org-0", 8545);
    homeRpcUrl = `${gatewayUrl}/${USER_KEY}`;
    await stack.setConfig("consortium:deployerKey", { value: deployer.privateKey, secret: true });
    await stack.setConfig("consortium:bridge", {
      value: JSON.stringify({
        foreign: { rpcUrl: forwards[0].url, chainId: foreign.chainId, token: await token.getAddress(), confirmations: 1 },
        home: { rpcUrl: gatewayUrl, confirmations: 2 },
        agent: { image: AGENT_IMAGE },
        whitelist: [deployer.address],
        feeBps: 100,
        depositLimits: { minPerTx: String(RLC), maxPerTx: String(1000n * RLC), dailyLimit: String(10_000n * RLC) },
        roles: { owner },
      }),
    });
    const endpoints = Object.fromEntries(AUTHORITIES.map((a, i) => [a.name, { foreign: forwards[i + 1].url }]));
    await stack.setConfig("consortium:bridgeEndpoints", { value: JSON.stringify(endpoints), secret: true });
    await stack.setConfig("consortium:poco", { value: JSON.stringify({ admin: owner }) });
    await stack.setConfig("consortium:monitoring", { value: JSON.stringify({ image: MONITOR_IMAGE }) });
    const pool = {
      name: "kpool",
      images: Object.fromEntries(["core", "worker", "blockchainAdapter", "configServer", "mongo", "dind"].map((k) => [k, IDLE_IMAGE])),
      target: {
        kind: "kubernetes",
        namespace: POOL_NAMESPACE,
        replicas: 1,
        runtimeClassName: KATA_RUNTIME_CLASS,
        // The test cluster has the RuntimeClass already (runc behind it); kata-deploy's chart cannot be fetched here.
        kataDeploy: { install: false },
        resources: { cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" },
        storageSize: "1Gi",
      },
    };
    await stack.setConfig("consortium:workerPools", { value: JSON.stringify([pool]) });
    const up = await stack.up({ onOutput: (o) => process.stdout.write(o) });
    const fromOutputs = endpointsFromOutputs(up.outputs);
    ep = { ...fromOutputs, home: { ...fromOutputs.home, rpcUrl: homeRpcUrl } };
    // Validators pay their own gas on home (a production stack funds no one): the operator tops them up.
    const home = new JsonRpcProvider(homeRpcUrl, undefined, { staticNetwork: true });
    try {
      const funder = new SequencedWallet(deployer.privateKey, home);
      for (const v of (up.outputs.bridge.value as { validators: string[] }).validators) {
        await waitForReceipt(home, (await funder.sendTransaction({ to: v, value: ETHER })).hash, "validator gas");
      }
    } finally {
      home.destroy();
    }
  }, 1_200_000);

  afterAll(async () => {
    // The stack's resources all live in the cluster, stopped below (test/kubernetes/cluster.test.ts proves `pulumi destroy`'s teardown).
    await scratch?.dispose({ destroy: false });
    for (const f of forwards ?? []) await f.stop();
    await foreign?.stop();
    await cluster?.stop();
  }, 600_000);

  it("guards each member's RPC node with a gateway pod: no read without a key, an unlisted sender refused, no key in the state", async () => {
    for (const m of ["org-0", "org-1", "org-2"]) {
      const set = JSON.parse(await cluster.kubectl(["get", "statefulset", `gateway-${m}`, "-n", NAMESPACE, "-o", "json"])) as {
        spec: { template: { spec: { containers: { image: string }[] } } };
        status: { readyReplicas?: number };
      };
      expect([set.status.readyReplicas, set.spec.template.spec.containers[0].image], m).toEqual([1, GATEWAY_IMAGE]);
    }
    const { rpcUrl, memberRpcUrls } = await stack.outputs();
    expect(rpcUrl.value).toBe(`http://gateway-org-0.${NAMESPACE}.svc.cluster.local:8545`);
    expect(Object.values(memberRpcUrls.value as Record<string, string>).every((u) => u.startsWith("http://gateway-"))).toBe(true);

    const call = (url: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId" }) });
    expect((await call(gatewayUrl)).status).toBe(401);
    expect(((await (await call(homeRpcUrl)).json()) as { result: string }).result).toBe("0x7aba");

    const home = new JsonRpcProvider(homeRpcUrl, undefined, { staticNetwork: true });
    try {
      // The deployer is the stack's (listed); a stranger it pays is not.
      const stranger = Wallet.createRandom().connect(home);
      const funder = new SequencedWallet(deployer.privateKey, home);
      await waitForReceipt(home, (await funder.sendTransaction({ to: stranger.address, value: ETHER })).hash, "stranger's gas");
      await expect(stranger.sendTransaction({ to: deployer.address, value: 1n })).rejects.toThrow(`${stranger.address} may not send transactions on this consortium (permissions.transact)`);
      expect(await home.getTransactionCount(stranger.address, "pending")).toBe(0);
    } finally {
      home.destroy();
    }

    const state = await storedState(join(scratch.projectDir, "state"));
    for (const secret of [USER_KEY, deployer.privateKey.slice(2)]) expect(state).not.toContain(secret);
  }, 120_000);

  it("runs one agent pod per validator, each ready, of the agent image", async () => {
    const sets = JSON.parse(await cluster.kubectl(["get", "statefulsets", "-n", NAMESPACE, "-l", "app.kubernetes.io/component=bridge-agent", "-o", "json"])).items as {
      spec: { template: { spec: { containers: { image: string }[] } } };
      status: { readyReplicas?: number };
    }[];
    expect(sets).toHaveLength(AUTHORITIES.length);
    expect(sets.every((s) => s.status.readyReplicas === 1 && s.spec.template.spec.containers[0].image === AGENT_IMAGE)).toBe(true);
  });

  it("deployed PoCo through the in-cluster gateway: the hub answers there, stakes the bridged token and is the admin's", async () => {
    const { poco } = await stack.outputs();
    const hub = (poco.value as { hub: string }).hub;
    const home = new JsonRpcProvider(homeRpcUrl, undefined, { staticNetwork: true });
    try {
      expect((await home.getCode(hub)).length).toBeGreaterThan(2);
      expect((poco.value as { token: string }).token).toBe(ep.home.token);
      expect(await new Contract(hub, DIAMOND_ABI, home).owner()).toBe(owner);
    } finally {
      home.destroy();
    }
  });

  it("a whitelisted deposit is minted on home by the agents in the cluster, and a withdrawal is released on foreign", async () => {
    const before = await balances(ep, deployer.address);
    const d = await deposit(ep, deployer.privateKey, 10n * RLC);
    expect(d.kind).toBe("minted");
    const afterDeposit = await balances(ep, deployer.address);
    expect(afterDeposit.home - before.home).toBe(10n * RLC);
    expect(before.foreign - afterDeposit.foreign).toBe(10n * RLC);

    await withdraw(ep, deployer.privateKey, 4n * RLC);
    const afterWithdraw = await balances(ep, deployer.address);
    expect(afterWithdraw.home).toBe(afterDeposit.home - 4n * RLC);
    expect(afterWithdraw.foreign).toBe(afterDeposit.foreign + 4n * RLC);
  }, 300_000);

  it("the monitor runs in the cluster: it reads the chain, the bridge and every agent's health by their Service names", async () => {
    const url = `${await cluster.serviceUrl(NAMESPACE, "monitor", 9650)}/api/status`;
    const deadline = Date.now() + 90_000;
    let status: any;
    do {
      status = await fetch(url).then((r) => r.json(), () => undefined);
      if (status?.chain?.liveSigners === 3 && status.bridge?.agents?.every((a: { up: boolean }) => a.up)) break;
      await new Promise((r) => setTimeout(r, 1000));
    } while (Date.now() < deadline);
    expect(status?.chain?.liveSigners, JSON.stringify(status)).toBe(3);
    expect(status.bridge.agents.map((a: { name: string; up: boolean }) => [a.name, a.up])).toEqual(AUTHORITIES.map((a) => [a.name, true]));
  }, 120_000);

  it("runs the worker pool in its namespace, the worker's pod in the Kata RuntimeClass beside its task engine, registered in PoCo", async () => {
    const pods = JSON.parse(await cluster.kubectl(["get", "pods", "-n", POOL_NAMESPACE, "-o", "json"])).items as {
      metadata: { name: string };
      spec: { runtimeClassName?: string; containers: { name: string }[] };
      status: { phase: string };
    }[];
    expect(pods.every((p) => p.status.phase === "Running"), JSON.stringify(pods.map((p) => [p.metadata.name, p.status.phase]))).toBe(true);
    const worker = pods.find((p) => p.metadata.name === "kpool-worker-0-0")!;
    // Running at all proves the node's container runtime has the class's handler (kubelet refuses a pod otherwise).
    expect(worker.spec.runtimeClassName).toBe(KATA_RUNTIME_CLASS);
    expect(worker.spec.containers.map((c) => c.name)).toContain("task-engine");
    expect(pods.filter((p) => p.metadata.name !== worker.metadata.name).every((p) => p.spec.runtimeClassName === undefined)).toBe(true);
    const labels = JSON.parse(await cluster.kubectl(["get", "namespace", POOL_NAMESPACE, "-o", "jsonpath={.metadata.labels}"])) as Record<string, string>;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");

    const { workerPools } = await stack.outputs();
    const registered = (workerPools.value as Record<string, { address: string; owner: string; chainRpcUrl: string }>).kpool;
    // Its pods reach the chain through the first gateway's Service, with the stack's own key.
    expect(registered.chainRpcUrl).toMatch(new RegExp(`^http://gateway-org-0\\.${NAMESPACE}\\.svc\\.cluster\\.local:8545/[^/]{20,}$`));
    const home = new JsonRpcProvider(homeRpcUrl, undefined, { staticNetwork: true });
    try {
      expect(await new Contract(registered.address, ["function owner() view returns (address)"], home).owner()).toBe(registered.owner);
    } finally {
      home.destroy();
    }
  });

  it("a deposit from outside the whitelist is not bridged: it goes back to its sender minus the fee", async () => {
    const stranger = await foreign.fundedWallet(1n);
    const rlc = new Contract(ep.foreign.token, ERC20_ABI, deployer.connect(foreign.provider()));
    await waitForReceipt(foreign.provider(), (await rlc.transfer(stranger.address, 5n * RLC)).hash, "rlc");
    const d = await deposit(ep, stranger.privateKey, 5n * RLC);
    expect(d.kind).toBe("refunded");
    expect((await balances(ep, stranger.address)).foreign).toBe(5n * RLC - (5n * RLC * 100n) / 10_000n);
  }, 180_000);
});
