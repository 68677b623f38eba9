// The dev stack's composition as `pulumi up` deploys it (real engine, a real home Clique fleet, a real foreign geth
// --dev chain, real agents, PoCo on the bridged token): deposit → minted, a non-whitelisted deposit → refunded minus
// the fee, withdraw → released; the iexec SDK deposits bridged RLC into PoCo with the stack's chain.json; a second
// preview changes nothing; a limit, an owner, an address whitelisted by hand, a PoCo facet and the PoCo owner changed
// out of band are reported by the drift check and healed by `up --refresh`. The operator's side of the trust model,
// attacked: an emergency pause survives `up` and `up --refresh` (only the command lifts it); a whitelist removal is
// applied; a token rename, which would replace the gateway the vault is bound to, is refused before anything changes
// (also after a stack made when the vault's binding was its own resource is taken over, sending nothing); an RPC URL
// given as a secret appears in no state, agent configuration or log. The destroy leaves no process and no listening
// port.
// All of it under a restrictive permission policy (settings/permissions.ts) that lists one user only: the stack's own
// accounts (the deployer, the bridge's validators) are admitted by the stack, through the policy gateway in front of
// the home RPC node; an account it does not list cannot send there, the listed user cannot create a contract.
import type { ConsortiumStack } from "../../lib/cli/workspace";
import { execa } from "execa";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, JsonRpcProvider, Wallet, ZeroAddress, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../../lib/bridge/abi";
import { balances, BridgeEndpoints, deposit, setPaused, withdraw } from "../../lib/bridge/client";
import { endpointsFromOutputs } from "../../lib/bridge/endpoints";
import { checkDrift } from "../../lib/drift/check";
import { formatReport } from "../../lib/drift/report";
import { waitForReceipt } from "../../lib/eth/transactions";
import { DIAMOND_ABI } from "../../lib/poco/abi";
import { randomPassword } from "../../lib/keygen";
import { processesUnder } from "../../lib/localProcess";
import { portFree } from "../../lib/ports";
import { createScratchStack, ScratchStack } from "../../testkit/scratchStack";
import { encryptKeystore } from "../../lib/keygen";
import { ensureTools, REPO_ROOT } from "../../lib/toolchain/resolve";
import { SequencedWallet } from "../../lib/eth/sequencedWallet";
import { storedState } from "../support/storedState";

const RLC = 10n ** 9n;
/** The one user the policy lists (it takes the PoCo Diamond over for a while, below). */
const listedUser = new Wallet(Wallet.createRandom().privateKey);
const IEXEC = join(REPO_ROOT, "node_modules", ".bin", "iexec");

describe("bridge + PoCo deployed by pulumi up (real engine, two real chains, real agents, the iexec SDK)", () => {
  let scratch: ScratchStack;
  let stack: ConsortiumStack;
  let ep: BridgeEndpoints;
  let devKey: string;
  let ports: number[] = [];

  beforeAll(async () => {
    scratch = await createScratchStack({
      name: "bridge",
      tools: await ensureTools({ build: false, log: () => {} }),
      config: {
        name: "bridge",
        dev: true,
        chainId: 31427,
        blockPeriodSeconds: 1,
        scryptN: 2 ** 12,
        authorities: ["alpha", "beta", "gamma"].map((name, i) => ({ name, member: `org-${i}` })),
        fleet: { target: "local", rpcNode: true },
        bridge: { feeBps: 100 },
        poco: {},
        permissions: { transact: [listedUser.address], deploy: [] },
      },
    });
    stack = scratch.stack;
    const up = await stack.up();
    ep = endpointsFromOutputs(up.outputs);
    devKey = (up.outputs.devAccount.value as { privateKey: string }).privateKey;
    const agents = (up.outputs.bridge.value as { agents: Record<string, string> }).agents;
    ports = [ep.foreign.rpcUrl, ep.home.rpcUrl, ...Object.values(agents)].map((u) => Number(new URL(u).port));
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  /** Runs `fn` with a provider on one side of the bridge, closed afterwards. */
  const onSide = async <T>(side: "foreign" | "home", fn: (provider: JsonRpcProvider) => Promise<T>): Promise<T> => {
    const provider = new JsonRpcProvider(ep[side].rpcUrl, ep[side].chainId, { staticNetwork: true });
    try {
      return await fn(provider);
    } finally {
      provider.destroy();
    }
  };
  /** A new account on foreign, given gas and `rlc` of the dev account's token. */
  const foreignHolder = (rlc: bigint) =>
    onSide("foreign", async (foreign) => {
      const dev = new SequencedWallet(devKey, foreign);
      const holder = Wallet.createRandom();
      await waitForReceipt(foreign, (await dev.sendTransaction({ to: holder.address, value: 10n ** 18n })).hash, "gas");
      await waitForReceipt(foreign, (await new Contract(ep.foreign.token, ERC20_ABI, dev).transfer(holder.address, rlc)).hash, "rlc");
      return holder;
    });
  const vaultPaused = () => onSide("foreign", async (p) => (await new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, p).paused()) as boolean);

  it("outputs both sides, with 2-of-3 validators and the agents' start blocks", async () => {
    const { bridge, foreignRpcUrl } = await stack.outputs();
    const b = bridge.value as { threshold: number; validators: string[]; foreign: { startBlock: number }; home: { startBlock: number } };
    expect(foreignRpcUrl.value).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(b.threshold).toBe(2);
    expect(b.validators).toHaveLength(3);
    expect(b.foreign.startBlock).toBeGreaterThan(0);
    expect(b.home.startBlock).toBeGreaterThan(0);
  });

  it("mints a deposit of the whitelisted dev account on home and releases a withdrawal on foreign", async () => {
    const me = new Wallet(devKey).address;
    const before = await balances(ep, me);
    const d = await deposit(ep, devKey, 10n * RLC);
    expect(d.kind).toBe("minted");
    const afterDeposit = await balances(ep, me);
    expect(afterDeposit.home - before.home).toBe(10n * RLC);
    expect(before.foreign - afterDeposit.foreign).toBe(10n * RLC);

    const w = await withdraw(ep, devKey, 4n * RLC);
    expect(w.withdrawalId).toBe(1n);
    const afterWithdraw = await balances(ep, me);
    expect(afterWithdraw.home).toBe(afterDeposit.home - 4n * RLC);
    expect(afterWithdraw.foreign).toBe(afterDeposit.foreign + 4n * RLC);
  }, 240_000);

  it("admits the stack's own accounts and the listed user through the gateway, and nobody else", async () => {
    const { permissions, nodes } = await stack.outputs();
    const policy = permissions.value as { read: string; transact: string[]; deploy: string[] };
    const dev = new Wallet(devKey).address;
    expect(policy.read).toBe("open");
    expect(policy.deploy).toEqual([dev]);
    expect(new Set(policy.transact)).toEqual(new Set([listedUser.address, ...(await stack.outputs()).bridge.value.validators, dev]));
    expect((nodes.value as { rpcUrl?: string }[]).map((n) => n.rpcUrl)).not.toContain(ep.home.rpcUrl);
    await onSide("home", async (home) => {
      const stranger = new Wallet(Wallet.createRandom().privateKey, home);
      await waitForReceipt(home, (await new SequencedWallet(devKey, home).sendTransaction({ to: stranger.address, value: 10n ** 17n })).hash, "gas");
      await expect(stranger.sendTransaction({ to: dev, value: 1n })).rejects.toThrow(/may not send transactions on this consortium \(permissions\.transact\)/);
      await waitForReceipt(home, (await new SequencedWallet(devKey, home).sendTransaction({ to: listedUser.address, value: 10n ** 17n })).hash, "gas");
      await expect(listedUser.connect(home).sendTransaction({ data: "0x600a600c600039600a6000f3602a60005260206000f3" })).rejects.toThrow(/may not create contracts on this consortium \(permissions\.deploy\)/);
    });
  }, 120_000);

  it("lets the iexec SDK deposit bridged RLC into PoCo with the stack's chain.json", async () => {
    const { chainJson, poco } = await stack.outputs();
    expect((poco.value as { token: string }).token).toBe(ep.home.token);
    const dir = await mkdtemp(join(tmpdir(), "iexec-"));
    try {
      await writeFile(join(dir, "chain.json"), chainJson.value as string);
      await mkdir(join(dir, "keys"));
      const password = randomPassword();
      await writeFile(join(dir, "keys", "dev.json"), JSON.stringify(await encryptKeystore(devKey, password, { scrypt: { n: 2 ** 12, r: 8, p: 1 } })));
      const iexec = async (...args: string[]) => {
        const wallet = ["--keystoredir", join(dir, "keys"), "--wallet-file", "dev.json", "--password", password];
        const r = await execa(IEXEC, [...args, "--chain", "bridge", "--raw", ...wallet], { cwd: dir, reject: false, timeout: 120_000 });
        const out = JSON.parse(r.stdout || "{}");
        if (!out.ok) throw new Error(`iexec ${args.join(" ")}: ${r.stdout} ${r.stderr}`);
        return out;
      };
      const before = (await iexec("account", "show")).balance;
      await iexec("account", "deposit", String(RLC)); // amounts in nRLC: 1 RLC, through the bridged token's approveAndCall
      const after = (await iexec("account", "show")).balance;
      expect(BigInt(after.stake) - BigInt(before.stake)).toBe(RLC);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it("refunds a non-whitelisted deposit minus the fee and never mints it", async () => {
    const stranger = await foreignHolder(5n * RLC);
    const r = await deposit(ep, stranger.privateKey, 5n * RLC);
    expect(r.kind).toBe("refunded");
    const fee = (5n * RLC) / 100n;
    expect(await onSide("foreign", (p) => new Contract(ep.foreign.token, ERC20_ABI, p).balanceOf(stranger.address))).toBe(5n * RLC - fee);
    expect(await onSide("home", (p) => new Contract(ep.home.gateway, HOME_GATEWAY_ABI, p).depositMinted(r.depositId))).toBe(false);
  }, 240_000);

  // One round of out-of-band changes, checked together: each drift check and `up --refresh` on this stack is two or
  // three engine operations, the most expensive steps of this file.
  it("reports what was changed out of band (a limit, a bridge owner, an address whitelisted by hand, a PoCo facet and owner, a pause); `up --refresh` puts every configured value back; neither it nor `up` lifts the pause, which only the command does", async () => {
    expect(await checkDrift(stack)).toEqual([]);

    // The dev account still holds the bridge's roles and the PoCo Diamond in the dev stack: it plays the out-of-band
    // operator. The PoCo admin removes a facet's selectors and hands the Diamond to someone else.
    const intruder = Wallet.createRandom().address;
    const hub = ((await stack.outputs()).poco.value as { hub: string }).hub;
    const newOwner = listedUser;
    await onSide("foreign", async (foreign) => {
      const vault = new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, new SequencedWallet(devKey, foreign));
      await waitForReceipt(foreign, (await vault.setDepositLimits(1n, 7n * RLC, 70n * RLC)).hash, "setDepositLimits");
      await waitForReceipt(foreign, (await vault.setWhitelisted([intruder], true)).hash, "setWhitelisted");
    });
    await onSide("home", async (home) => {
      const dev = new SequencedWallet(devKey, home);
      await waitForReceipt(home, (await new Contract(ep.home.gateway, HOME_GATEWAY_ABI, dev).grantRole(ZeroHash, Wallet.createRandom().address)).hash, "grantRole");
      const diamond = new Contract(hub, DIAMOND_ABI, dev);
      const [facet] = (await diamond.facets()).filter((f: { functionSelectors: string[] }) => f.functionSelectors.length > 0).slice(-1);
      await waitForReceipt(home, (await diamond.diamondCut([[ZeroAddress, 2, [...facet.functionSelectors]]], ZeroAddress, "0x")).hash, "diamondCut");
      await waitForReceipt(home, (await diamond.transferOwnership(newOwner.address)).hash, "transferOwnership");
    });
    // The pauser's emergency switch (the dev account holds the role in the dev stack).
    expect(await setPaused(ep, devKey, "vault", true)).toBe(true);

    const findings = await checkDrift(stack);
    const of = (name: string) => findings.find((f) => f.resource === name && f.phase === "state-vs-world")?.fields ?? [];
    expect(of("poco-deployment").some((f) => f.startsWith("observed.facets"))).toBe(true);
    expect(of("poco-deployment")).toContain("observed.owner");
    expect(of("bridge-foreign-vault")).toEqual(expect.arrayContaining(["settings.depositLimits.maxPerTx", "settings.depositLimits.dailyLimit", "paused"]));
    expect(of("bridge-foreign-vault").some((f) => f.startsWith("settings.whitelist"))).toBe(true);
    expect(of("bridge-home-gateway")).toContain("roles.owner");
    expect(formatReport("bridge", findings)).toMatch(/bridge-foreign-vault .*settings\.depositLimits\.maxPerTx/);

    // The new owner hands the Diamond back (only it can).
    await onSide("home", async (home) => {
      const dev = new SequencedWallet(devKey, home);
      await waitForReceipt(home, (await dev.sendTransaction({ to: newOwner.address, value: 10n ** 17n })).hash, "gas");
      const diamond = new Contract(hub, DIAMOND_ABI, newOwner.connect(home));
      await waitForReceipt(home, (await diamond.transferOwnership(dev.address)).hash, "transferOwnership back");
    });
    // `up` alone does not read the world; `up --refresh` does and puts every configured value back (the vault's
    // setters work while it is paused): neither lifts the pause.
    await stack.up();
    expect(await vaultPaused()).toBe(true);
    await stack.up({ refresh: true });
    expect(await vaultPaused()).toBe(true);
    expect(await onSide("foreign", (p) => new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, p).isWhitelisted(intruder))).toBe(false);
    // Only the command lifts it; the next refresh records that, and nothing drifts.
    expect(await setPaused(ep, devKey, "vault", false)).toBe(false);
    await stack.up({ refresh: true });
    expect(await checkDrift(stack)).toEqual([]);
  }, 420_000);

  it("applies a whitelist removal: the next deposit is refunded", async () => {
    const listed = await foreignHolder(10n * RLC);
    const bridgeConfig = { feeBps: 100 };
    await stack.setConfig("consortium:bridge", { value: JSON.stringify({ ...bridgeConfig, whitelist: [listed.address] }) });
    await stack.up();
    expect((await deposit(ep, listed.privateKey, 2n * RLC)).kind).toBe("minted");
    await stack.setConfig("consortium:bridge", { value: JSON.stringify(bridgeConfig) });
    await stack.up();
    expect((await deposit(ep, listed.privateKey, 2n * RLC)).kind).toBe("refunded");
  }, 300_000);

  it("takes over the state of a stack made when the vault's binding was its own resource, sending nothing", async () => {
    // The state as the version before BridgeDeployment left it: a VaultBinding holding the vault and its gateway.
    const exported = await stack.exportStack();
    const resources = exported.deployment.resources as Record<string, any>[];
    const deployment = resources.find((r) => r.type === "pulumi-nodejs:dynamic/bridge:BridgeDeployment")!;
    const legacyUrn = deployment.urn.replace(/BridgeDeployment::bridge-deployment$/, "VaultBinding::bridge-vault-binding");
    const { contracts, foreignRpcUrl, foreignChainId, __provider } = deployment.outputs;
    const binding = { rpcUrl: foreignRpcUrl, chainId: foreignChainId, vault: contracts.vault, gateway: contracts.gateway, __provider };
    Object.assign(deployment, {
      urn: legacyUrn,
      type: "pulumi-nodejs:dynamic/bridge:VaultBinding",
      inputs: { ...binding, deployerKey: deployment.inputs.deployerKey },
      outputs: { ...binding, boundGateway: contracts.gateway },
    });
    // The contracts that named the deployment's URN as a dependency name the binding's.
    await stack.importStack(JSON.parse(JSON.stringify(exported).replaceAll(legacyUrn.replace("VaultBinding::bridge-vault-binding", "BridgeDeployment::bridge-deployment"), legacyUrn)));
    const dev = new Wallet(devKey).address;
    const nonces = () => Promise.all((["foreign", "home"] as const).map((side) => onSide(side, (p) => p.getTransactionCount(dev))));
    const before = await nonces();

    const up = await stack.up();
    expect(endpointsFromOutputs(up.outputs)).toEqual(ep);
    expect(await nonces()).toEqual(before);
    const types = ((await stack.exportStack()).deployment.resources as { type: string }[]).map((r) => r.type);
    expect(types).toContain("pulumi-nodejs:dynamic/bridge:BridgeDeployment");
    expect(types).not.toContain("pulumi-nodejs:dynamic/bridge:VaultBinding");
    expect(await checkDrift(stack)).toEqual([]);
  }, 300_000);

  it("refuses a token rename, which would replace the gateway the vault is bound to, before anything changes", async () => {
    const supply = () => onSide("home", async (home): Promise<bigint> => new Contract(ep.home.token, ["function totalSupply() view returns (uint256)"], home).totalSupply());
    const supplyBefore = await supply();
    await stack.setConfig("consortium:bridge", { value: JSON.stringify({ feeBps: 100, token: { name: "Renamed RLC", symbol: "RRLC" } }) });
    try {
      const refused = await stack.preview().then(() => undefined, (e: Error) => e);
      expect(refused?.message).toMatch(/home gateway 0x[0-9a-fA-F]{40}: changing bridge\.token\.name \("RLC \(consortium\)" → "Renamed RLC"\), bridge\.token\.symbol \("RLC" → "RRLC"\) would deploy a new gateway, but the foreign vault 0x[0-9a-fA-F]{40} is bound to this one for good/);
      expect(refused?.message).toMatch(/Fix: set bridge\.token\.name, bridge\.token\.symbol back to the deployed value/);
      const up = await stack.up().then(() => undefined, (e: Error) => e);
      expect(up?.message).toMatch(/bound to this one for good/);
    } finally {
      await stack.setConfig("consortium:bridge", { value: JSON.stringify({ feeBps: 100 }) });
    }
    // The refused up recorded the new configuration on the provider before it stopped; the next up puts it back.
    await stack.up();
    const outputs = await stack.outputs();
    expect(endpointsFromOutputs(outputs).home.gateway).toBe(ep.home.gateway);
    expect(await supply()).toBe(supplyBefore);
    expect(await checkDrift(stack)).toEqual([]);
  }, 300_000);

  it("keeps an RPC URL given as a secret out of the state, the agent's configuration and its log", async () => {
    // A foreign endpoint "with an API key" (geth ignores the query string) for validator alpha.
    const marker = `apikey=SECRET-${Date.now()}`;
    await stack.setConfig("consortium:bridgeEndpoints", { value: JSON.stringify({ alpha: { foreign: `${ep.foreign.rpcUrl}/?${marker}` } }), secret: true });
    await stack.up();
    const d = await deposit(ep, devKey, 1n * RLC);
    expect(d.kind).toBe("minted");
    expect(await storedState(join(scratch.projectDir, "state"))).not.toContain(marker);
    const agentDir = join(((await stack.outputs()).workDir.value as string), "bridge-agent-alpha");
    const files = await readdir(agentDir);
    for (const f of files.filter((f) => !f.startsWith("data") && f !== "foreign-rpc-url")) {
      const text = await readFile(join(agentDir, f), "utf8").catch(() => "");
      expect(text, f).not.toContain(marker);
    }
    expect(await readFile(join(agentDir, "foreign-rpc-url"), "utf8")).toContain(marker);
  }, 300_000);

  it("leaves no process and no listening port after destroy", async () => {
    await stack.destroy({ excludeProtected: true });
    expect(processesUnder(scratch.projectDir)).toEqual([]);
    for (const port of ports) expect(await portFree(port)).toBe(true);
  }, 240_000);
});
