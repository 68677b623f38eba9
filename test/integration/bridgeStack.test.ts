// The bridge as `pulumi up` deploys it (real engine, a real home Clique fleet, a real foreign geth --dev chain, real
// agents): deposit → minted, a non-whitelisted deposit → refunded minus the fee, withdraw → released; a second
// preview changes nothing; a limit and an owner changed out of band are reported by the drift check and healed by
// `up`; the destroy leaves no process and no listening port behind.
import { Stack } from "@pulumi/pulumi/automation";
import { Contract, JsonRpcProvider, Wallet, ZeroHash } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERC20_ABI, FOREIGN_VAULT_ABI, HOME_GATEWAY_ABI } from "../../lib/bridge/abi";
import { balances, BridgeEndpoints, deposit, withdraw } from "../../lib/bridge/client";
import { endpointsFromOutputs } from "../../lib/bridge/endpoints";
import { checkDrift } from "../../lib/drift/check";
import { formatReport } from "../../lib/drift/report";
import { waitForReceipt } from "../../lib/eth/transactions";
import { processesUnder } from "../../lib/localProcess";
import { portFree } from "../../lib/ports";
import { createScratchStack, ScratchStack } from "../../scripts/lib/scratchStack";
import { ensureTools } from "../../scripts/toolchain/resolve";

const RLC = 10n ** 9n;

describe("token bridge deployed by pulumi up (real engine, two real chains, real agents)", () => {
  let scratch: ScratchStack;
  let stack: Stack;
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

  it("refunds a non-whitelisted deposit minus the fee and never mints it", async () => {
    const foreign = new JsonRpcProvider(ep.foreign.rpcUrl, ep.foreign.chainId, { staticNetwork: true });
    try {
      const dev = new Wallet(devKey, foreign);
      const stranger = Wallet.createRandom().connect(foreign);
      await waitForReceipt(foreign, (await dev.sendTransaction({ to: stranger.address, value: 10n ** 18n })).hash, "gas");
      const rlc = new Contract(ep.foreign.token, ERC20_ABI, dev);
      await waitForReceipt(foreign, (await rlc.transfer(stranger.address, 5n * RLC)).hash, "rlc");

      const r = await deposit(ep, stranger.privateKey, 5n * RLC);
      expect(r.kind).toBe("refunded");
      const fee = (5n * RLC) / 100n;
      expect(await new Contract(ep.foreign.token, ERC20_ABI, foreign).balanceOf(stranger.address)).toBe(5n * RLC - fee);
      const home = new JsonRpcProvider(ep.home.rpcUrl, ep.home.chainId, { staticNetwork: true });
      try {
        expect(await new Contract(ep.home.gateway, HOME_GATEWAY_ABI, home).depositMinted(r.depositId)).toBe(false);
      } finally {
        home.destroy();
      }
    } finally {
      foreign.destroy();
    }
  }, 240_000);

  it("has no drift when untouched, and reports a changed limit and a new owner out of band", async () => {
    expect(await checkDrift(stack)).toEqual([]);

    const foreign = new JsonRpcProvider(ep.foreign.rpcUrl, ep.foreign.chainId, { staticNetwork: true });
    const home = new JsonRpcProvider(ep.home.rpcUrl, ep.home.chainId, { staticNetwork: true });
    try {
      // The dev account still holds the roles in the dev stack: it plays the out-of-band operator.
      const vault = new Contract(ep.foreign.vault, FOREIGN_VAULT_ABI, new Wallet(devKey, foreign));
      await waitForReceipt(foreign, (await vault.setLimits(1n, 7n * RLC, 70n * RLC)).hash, "setLimits");
      const gateway = new Contract(ep.home.gateway, HOME_GATEWAY_ABI, new Wallet(devKey, home));
      await waitForReceipt(home, (await gateway.grantRole(ZeroHash, Wallet.createRandom().address)).hash, "grantRole");
    } finally {
      foreign.destroy();
      home.destroy();
    }

    const findings = await checkDrift(stack);
    const of = (name: string) => findings.find((f) => f.resource === name && f.phase === "state-vs-world");
    expect(of("bridge-foreign-vault")?.fields).toEqual(expect.arrayContaining(["settings.limits.maxPerTx", "settings.limits.dailyLimit"]));
    expect(of("bridge-home-gateway")?.fields).toContain("roles.owner");
    expect(formatReport("bridge", findings)).toMatch(/bridge-foreign-vault .*settings\.limits\.maxPerTx/);

    // `up` puts the configured values back: refresh, then re-apply.
    await stack.up({ refresh: true });
    expect(await checkDrift(stack)).toEqual([]);
  }, 300_000);

  it("leaves no process and no listening port after destroy", async () => {
    await stack.destroy({ excludeProtected: true });
    expect(processesUnder(scratch.projectDir)).toEqual([]);
    for (const port of ports) expect(await portFree(port)).toBe(true);
  }, 240_000);
});
