// HomeGateway and BridgedToken on a real Clique chain (with the foreign dev chain for the vault side): m-of-n mints,
// execution and withdraw limits, burns, signature collection, digest consistency with the vault, epochs.
import { Contract, Wallet, ZeroAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifact } from "../../lib/bridge/artifacts";
import { deployHomeGateway, LimitsConfig } from "../../lib/bridge/deployContracts";
import { BridgeFixture, deployBridgeOn } from "../support/bridge";
import { startForeignDevChain, startHomeCliqueChain, TestChain } from "../support/chains";
import { as, byAddress, dayOf, events, expectRevert, fundWallets, mined, randomWallet, signWithdrawal, withdrawalHash } from "./helpers";

const EXECUTION: LimitsConfig = { minPerTx: 10n, maxPerTx: 1000n, dailyLimit: 5000n };
const WITHDRAW: LimitsConfig = { minPerTx: 5n, maxPerTx: 500n, dailyLimit: 5000n };

let foreign: TestChain;
let home: TestChain;
let b: BridgeFixture;
let gateway: Contract;
/** The gateway on its compiled ABI, for the daily counters lib/bridge/abi.ts does not list. */
let counters: Contract;
let token: Contract;
let admin: Wallet;
let v0: Wallet, v1: Wallet, v2: Wallet, outsider: Wallet, alice: Wallet;
const aliceForeign = randomWallet().address;

beforeAll(async () => {
  // One at a time: two chains reserving ports at the same instant can pick the same block.
  foreign = await startForeignDevChain();
  home = await startHomeCliqueChain();
  [v0, v1, v2, outsider, alice] = await fundWallets(home, 5);
  b = await deployBridgeOn(foreign, home, { validators: [v0, v1, v2], threshold: 2, limits: { execution: EXECUTION, withdraw: WITHDRAW } });
  ({ gateway, token, deployer: admin } = b.home);
  counters = new Contract(b.addresses.gateway, loadArtifact("HomeGateway").abi, home.provider());
});

afterAll(async () => {
  await foreign?.stop();
  await home?.stop();
});

const confirm = (v: Wallet, depositId: bigint, recipient: string, amount: bigint) => as(gateway, v).confirmDeposit(depositId, recipient, amount);

describe("HomeGateway setup and BridgedToken", () => {
  it("creates its token, fixes the foreign domain, grants every role to the owner", async () => {
    expect(await token.gateway()).toBe(b.addresses.gateway);
    expect([await token.name(), await token.symbol(), await token.decimals()]).toEqual(["Bridged RLC", "bRLC", 9n]);
    expect(await gateway.validatorSet()).toBe(b.addresses.homeValidatorSet);
    expect([await gateway.foreignChainId(), await gateway.foreignVault()]).toEqual([BigInt(foreign.chainId), b.addresses.vault]);
    expect((await gateway.executionLimits()).toArray()).toEqual([10n, 1000n, 5000n]);
    expect((await gateway.withdrawLimits()).toArray()).toEqual([5n, 500n, 5000n]);
    for (const role of ["DEFAULT_ADMIN_ROLE", "PAUSER_ROLE", "LIMITS_MANAGER_ROLE"]) {
      const id = await gateway.getFunction(role)();
      expect(await gateway.getRoleMemberCount(id)).toBe(1n);
      expect(await gateway.getRoleMember(id, 0)).toBe(admin.address);
    }
    const ok = { token: { name: "T", symbol: "T", decimals: 9 }, validatorSet: b.addresses.homeValidatorSet, owner: admin.address, foreignChainId: foreign.chainId, foreignVault: b.addresses.vault, executionLimits: EXECUTION, withdrawLimits: WITHDRAW };
    await expectRevert(deployHomeGateway(admin, { ...ok, validatorSet: ZeroAddress }), "ZeroAddress");
    await expectRevert(deployHomeGateway(admin, { ...ok, foreignVault: ZeroAddress }), "ZeroAddress");
    await expectRevert(deployHomeGateway(admin, { ...ok, withdrawLimits: { ...WITHDRAW, maxPerTx: 6000n } }), "InvalidLimits");
  });

  it("hands roles out the way the deployment does: grant, then renounce with confirmation", async () => {
    const pauser = await gateway.PAUSER_ROLE();
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await gateway.DEFAULT_ADMIN_ROLE();
      await expectRevert(as(gateway, outsider).grantRole(pauser, outsider.address), "AccessControlUnauthorizedAccount", [outsider.address, role]);
    }
    await mined(gateway.grantRole(pauser, outsider.address));
    expect(await gateway.getRoleMemberCount(pauser)).toBe(2n);
    await expectRevert(as(gateway, outsider).renounceRole(pauser, admin.address), "AccessControlBadConfirmation");
    await mined(as(gateway, outsider).renounceRole(pauser, outsider.address));
    expect(await gateway.hasRole(pauser, outsider.address)).toBe(false);
  });

  it("lets only the gateway mint and burn", async () => {
    await expectRevert(as(token, alice).mint(alice.address, 1n), "OnlyGateway", [alice.address]);
    await expectRevert(as(token, alice).burn(alice.address, 0n), "OnlyGateway", [alice.address]);
    await expectRevert(token.mint(admin.address, 1n), "OnlyGateway", [admin.address]);
  });
});

describe("HomeGateway deposits", () => {
  it("mints once 2 of 3 validators confirmed the same deposit; later confirmations revert AlreadyMinted", async () => {
    const r0 = await mined(confirm(v0, 1n, alice.address, 100n));
    expect(events(r0, gateway, "DepositConfirmed")).toEqual([[1n, v0.address, alice.address, 100n]]);
    expect(events(r0, gateway, "DepositMinted")).toEqual([]);
    expect(await gateway.depositConfirmedBy(1n, alice.address, 100n, v0.address)).toBe(true);
    expect(await gateway.depositConfirmedBy(1n, alice.address, 100n, v1.address)).toBe(false);
    await expectRevert(confirm(v0, 1n, alice.address, 100n), "AlreadyConfirmed", [1n, v0.address]);
    await expectRevert(confirm(outsider, 1n, alice.address, 100n), "NotValidator", [outsider.address]);
    await expectRevert(confirm(v1, 1n, ZeroAddress, 100n), "ZeroAddress");

    const r1 = await mined(confirm(v1, 1n, alice.address, 100n));
    expect(events(r1, gateway, "DepositMinted")).toEqual([[1n, alice.address, 100n]]);
    expect(events(r1, token, "Transfer")).toEqual([[ZeroAddress, alice.address, 100n]]);
    expect(await token.balanceOf(alice.address)).toBe(100n);
    expect(await gateway.depositMinted(1n)).toBe(true);
    await expectRevert(confirm(v2, 1n, alice.address, 100n), "AlreadyMinted", [1n]);
  });

  it("never adds up confirmations of different data", async () => {
    await Promise.all([mined(confirm(v0, 2n, alice.address, 100n)), mined(confirm(v1, 2n, alice.address, 101n))]);
    expect(await gateway.depositMinted(2n)).toBe(false);
    const r = await mined(confirm(v2, 2n, alice.address, 100n));
    expect(events(r, gateway, "DepositMinted")).toEqual([[2n, alice.address, 100n]]);
    await expectRevert(confirm(v1, 2n, alice.address, 100n), "AlreadyMinted", [2n]);
    expect(await token.balanceOf(alice.address)).toBe(200n);
  });

  it("applies the execution limits to the mint (the confirmation reaching the threshold reverts)", async () => {
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await gateway.LIMITS_MANAGER_ROLE();
      await expectRevert(as(gateway, outsider).setExecutionLimits(10n, 1000n, 1000n), "AccessControlUnauthorizedAccount", [outsider.address, role]);
    }
    await expectRevert(gateway.setExecutionLimits(10n, 1000n, 999n), "InvalidLimits");
    const set = await mined(gateway.setExecutionLimits(10n, 1000n, 1000n));
    expect(events(set, gateway, "ExecutionLimitsChanged")).toEqual([[10n, 1000n, 1000n]]);
    const spent = await counters.executionSpentOnDay(await dayOf(set));
    expect(spent).toBe(200n); // the two mints above (no time travel on geth: only today's counter is asserted)

    await Promise.all([
      mined(confirm(v0, 3n, alice.address, 5n)),
      mined(confirm(v1, 4n, alice.address, 1001n)),
      mined(confirm(v2, 5n, alice.address, 1000n - spent + 1n)),
    ]);
    await expectRevert(confirm(v1, 3n, alice.address, 5n), "AmountBelowMin", [5n, 10n]);
    await expectRevert(confirm(v2, 4n, alice.address, 1001n), "AmountAboveMax", [1001n, 1000n]);
    await expectRevert(confirm(v0, 5n, alice.address, 1000n - spent + 1n), "DailyLimitExceeded", [spent, 1000n - spent + 1n, 1000n]);
    expect(await gateway.depositConfirmedBy(3n, alice.address, 5n, v1.address)).toBe(false); // nothing recorded
  });
});

describe("HomeGateway withdrawals", () => {
  it("burns the caller's tokens, records the request under the next id and applies the withdraw limits", async () => {
    await expectRevert(as(gateway, alice).withdraw(4n, aliceForeign), "AmountBelowMin", [4n, 5n]);
    await expectRevert(as(gateway, alice).withdraw(501n, aliceForeign), "AmountAboveMax", [501n, 500n]);
    await expectRevert(as(gateway, alice).withdraw(50n, ZeroAddress), "ZeroAddress");
    await expectRevert(as(gateway, outsider).withdraw(50n, aliceForeign), "ERC20InsufficientBalance", [outsider.address, 0n, 50n]);
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await gateway.LIMITS_MANAGER_ROLE();
      await expectRevert(as(gateway, outsider).setWithdrawLimits(5n, 500n, 5000n), "AccessControlUnauthorizedAccount", [outsider.address, role]);
    }
    await expectRevert(gateway.setWithdrawLimits(0n, 500n, 5000n), "InvalidLimits");

    const r = await mined(as(gateway, alice).withdraw(50n, aliceForeign));
    expect(events(r, gateway, "WithdrawalRequested")).toEqual([[1n, alice.address, aliceForeign, 50n]]);
    expect(events(r, token, "Transfer")).toEqual([[alice.address, ZeroAddress, 50n]]);
    expect(await token.balanceOf(alice.address)).toBe(150n);
    expect(await token.totalSupply()).toBe(150n);
    expect((await gateway.withdrawal(1n)).toArray()).toEqual([aliceForeign, 50n]);
    expect(await gateway.withdrawalNonce()).toBe(1n);
    const day = await dayOf(r);
    expect((await counters.withdrawSpentOnDay(day, { blockTag: r.blockNumber })) - (await counters.withdrawSpentOnDay(day, { blockTag: r.blockNumber - 1 }))).toBe(50n);
    const r2 = await mined(as(gateway, alice).withdraw(10n, aliceForeign));
    expect(events(r2, gateway, "WithdrawalRequested")).toEqual([[2n, alice.address, aliceForeign, 10n]]);
  });

  it("computes the digest the foreign vault verifies (same data, the vault's domain on the foreign chain)", async () => {
    const digest = await gateway.withdrawalDigest(1n);
    expect(digest).toBe(await b.foreign.vault.withdrawalDigest(1n, aliceForeign, 50n));
    expect(digest).toBe(withdrawalHash(foreign.chainId, b.addresses.vault, { withdrawalId: 1n, recipient: aliceForeign, amount: 50n }));
    await expectRevert(gateway.withdrawalDigest(99n), "UnknownWithdrawal", [99n]);
  });

  it("collects one matching signature per current validator; they execute the withdrawal on foreign", async () => {
    const w = { withdrawalId: 1n, recipient: aliceForeign, amount: 50n };
    const sign = (v: Wallet) => signWithdrawal(v, foreign.chainId, b.addresses.vault, w);
    const [sig0, sig2] = await Promise.all([sign(v0), sign(v2)]);
    const submit = (v: Wallet, id: bigint, sig: string) => as(gateway, v).submitWithdrawalSignature(id, sig);

    await expectRevert(submit(outsider, 1n, await sign(outsider)), "NotValidator", [outsider.address]);
    await expectRevert(submit(v0, 99n, sig0), "UnknownWithdrawal", [99n]);
    await expectRevert(submit(v1, 1n, sig0), "SignatureMismatch", [1n, v0.address, v1.address]);
    const r0 = await mined(submit(v0, 1n, sig0));
    expect(events(r0, gateway, "WithdrawalSigned")).toEqual([[1n, v0.address, 1n]]);
    await expectRevert(submit(v0, 1n, sig0), "AlreadySigned", [1n, v0.address]);
    const r2 = await mined(submit(v2, 1n, sig2));
    expect(events(r2, gateway, "WithdrawalSigned")).toEqual([[1n, v2.address, 2n]]);
    expect(await gateway.withdrawalSignedBy(1n, v2.address)).toBe(true);
    expect(await gateway.withdrawalSignedBy(1n, v1.address)).toBe(false);

    const [signers, signatures] = (await gateway.withdrawalSignatures(1n)).toArray();
    expect([[...signers], [...signatures]]).toEqual([[v0.address, v2.address], [sig0, sig2]]);
    // Anyone sorts them by signer and executes on foreign (the vault holds locked RLC).
    const sorted = signers.map((s: string, i: number) => ({ address: s, sig: signatures[i] as string })).sort(byAddress);
    await b.giveForeignTokens(b.addresses.vault, 50n);
    const executor = await foreign.fundedWallet(1n);
    await mined(as(b.foreign.vault, executor).executeWithdrawal(1n, aliceForeign, 50n, sorted.map((s: { sig: string }) => s.sig)));
    expect(await b.foreign.token.balanceOf(aliceForeign)).toBe(50n);
  });

  it("pauses only by the pauser; paused, no confirmation or withdrawal, but owed signatures still come in", async () => {
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await gateway.PAUSER_ROLE();
      await expectRevert(as(gateway, outsider).pause(), "AccessControlUnauthorizedAccount", [outsider.address, role]);
    }
    await mined(gateway.pause());
    await expectRevert(confirm(v0, 6n, alice.address, 100n), "EnforcedPause");
    await expectRevert(as(gateway, alice).withdraw(10n, aliceForeign), "EnforcedPause");
    const sig = await signWithdrawal(v1, foreign.chainId, b.addresses.vault, { withdrawalId: 2n, recipient: aliceForeign, amount: 10n });
    const r = await mined(as(gateway, v1).submitWithdrawalSignature(2n, sig));
    expect(events(r, gateway, "WithdrawalSigned")).toEqual([[2n, v1.address, 1n]]);
    await mined(gateway.unpause());
    expect(await gateway.paused()).toBe(false);
  });
});

describe("HomeGateway across a validator-set change", () => {
  it("counts only current validators' confirmations", async () => {
    await mined(confirm(v2, 10n, alice.address, 100n)); // epoch 1
    await mined(b.home.validatorSet.setValidators([v0.address, v1.address], 2n));
    await mined(confirm(v0, 10n, alice.address, 100n)); // v2 no longer counts: 1 of 2
    expect(await gateway.depositMinted(10n)).toBe(false);
    await expectRevert(confirm(v2, 11n, alice.address, 100n), "NotValidator", [v2.address]);
    const r = await mined(confirm(v1, 10n, alice.address, 100n));
    expect(events(r, gateway, "DepositMinted")).toEqual([[10n, alice.address, 100n]]);
  });
});
