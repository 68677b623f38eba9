// HomeGateway and BridgedToken on a real Clique chain (with a second one for the vault side): m-of-n mints,
// execution and withdraw limits, burns, signature collection, digest consistency with the vault, epochs, and the
// owner's cancellation of a deposit the home side cannot mint.
import { AbiCoder, Contract, keccak256, Wallet, ZeroAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadArtifact } from "../../lib/bridge/artifacts";
import { deployHomeGateway, LimitsConfig } from "../../testkit/bridge/deployContracts";
import { BridgeFixture, deployBridgeOn } from "../../testkit/bridge/fixture";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import {
  as,
  byAddress,
  dayOf,
  events,
  expectRevert,
  fundWallets,
  mined,
  randomWallet,
  signWithdrawal,
  withdrawalContext,
  WithdrawalContext,
  withdrawalHash,
} from "./helpers";

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
/** The fixture's vault, bound to the fixture's gateway. */
let ctx: WithdrawalContext;
const aliceForeign = randomWallet().address;

beforeAll(async () => {
  // One at a time: two chains reserving ports at the same instant can pick the same block.
  foreign = await startOnDemandChain(31_337_002);
  home = await startOnDemandChain(31_337_001);
  [v0, v1, v2, outsider, alice] = await fundWallets(home, 5);
  b = await deployBridgeOn(foreign, home, { validators: [v0, v1, v2], threshold: 2, limits: { execution: EXECUTION, withdraw: WITHDRAW } });
  ({ gateway, token, deployer: admin } = b.home);
  counters = new Contract(b.addresses.gateway, loadArtifact("HomeGateway").abi, home.provider());
  ctx = withdrawalContext(b);
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
    expect((await gateway.withdrawal(1n)).toArray()).toEqual([aliceForeign, 50n, 0n]); // 0: not a cancellation
    expect(await gateway.withdrawalNonce()).toBe(1n);
    const day = await dayOf(r);
    expect((await counters.withdrawSpentOnDay(day, { blockTag: r.blockNumber })) - (await counters.withdrawSpentOnDay(day, { blockTag: r.blockNumber - 1 }))).toBe(50n);
    const r2 = await mined(as(gateway, alice).withdraw(10n, aliceForeign));
    expect(events(r2, gateway, "WithdrawalRequested")).toEqual([[2n, alice.address, aliceForeign, 10n]]);
  });

  it("computes the digest the foreign vault verifies (same data, the vault's domain, the live home chain id and this gateway)", async () => {
    const digest = await gateway.withdrawalDigest(1n);
    expect(digest).toBe(await b.foreign.vault.withdrawalDigest(1n, aliceForeign, 50n));
    const w = { withdrawalId: 1n, recipient: aliceForeign, amount: 50n };
    expect(digest).toBe(withdrawalHash(ctx, w));
    expect(digest).not.toBe(withdrawalHash({ ...ctx, homeChainId: foreign.chainId }, w));
    expect(digest).not.toBe(withdrawalHash({ ...ctx, homeGateway: b.addresses.vault }, w));
    await expectRevert(gateway.withdrawalDigest(99n), "UnknownWithdrawal", [99n]);
  });

  it("collects one matching signature per current validator; they execute the withdrawal on foreign", async () => {
    const w = { withdrawalId: 1n, recipient: aliceForeign, amount: 50n };
    const sign = (v: Wallet) => signWithdrawal(v, ctx, w);
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
    const sig = await signWithdrawal(v1, ctx, { withdrawalId: 2n, recipient: aliceForeign, amount: 10n });
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

describe("HomeGateway cancellation of a deposit the home side cannot mint", () => {
  // A bridge of its own on the same chains, so its deposit ids are real ones from its vault's nonce.
  let c: BridgeFixture;
  let cGateway: Contract; // sent by the home deployer, the owner
  let cVault: Contract;
  let cctx: WithdrawalContext;
  let depositor: Wallet; // whitelisted on the foreign vault
  const homeRecipient = randomWallet().address;
  const RELEASE: LimitsConfig = { minPerTx: 1n, maxPerTx: 5000n, dailyLimit: 5000n };
  const BIG = EXECUTION.maxPerTx + 1n; // the vault takes it, home cannot mint it
  const confirmOn = (v: Wallet, depositId: bigint, recipient: string, amount: bigint) => as(cGateway, v).confirmDeposit(depositId, recipient, amount);
  /** What the vault records for a whitelisted deposit (lib/bridge/abi.ts): what validators check before signing. */
  const recordOf = (sender: string, recipient: string, amount: bigint) =>
    keccak256(AbiCoder.defaultAbiCoder().encode(["address", "address", "uint256"], [sender, recipient, amount]));

  beforeAll(async () => {
    [depositor] = await fundWallets(foreign, 1);
    c = await deployBridgeOn(foreign, home, {
      validators: [v0, v1, v2],
      threshold: 2,
      limits: { execution: EXECUTION, withdraw: WITHDRAW, release: RELEASE },
      whitelist: [depositor.address],
    });
    ({ gateway: cGateway } = c.home);
    cVault = c.foreign.vault;
    cctx = withdrawalContext(c);
    await c.giveForeignTokens(depositor.address, 10_000n);
    await mined(as(c.foreign.token, depositor).approve(c.addresses.vault, 10n ** 18n));
  });

  it("owner cancels a whitelisted deposit above the home execution limit: a withdrawal to its sender (cancelledDepositId), released on the vault by the validators' signatures", async () => {
    const d = await mined(as(cVault, depositor).deposit(BIG, homeRecipient));
    expect(events(d, cVault, "Deposited")).toEqual([[1n, depositor.address, homeRecipient, BIG]]);
    await mined(confirmOn(v0, 1n, homeRecipient, BIG));
    await expectRevert(confirmOn(v1, 1n, homeRecipient, BIG), "AmountAboveMax", [BIG, EXECUTION.maxPerTx]);
    expect(await cGateway.depositMinted(1n)).toBe(false);

    const r = await mined(cGateway.cancelDeposit(1n, depositor.address, homeRecipient, BIG));
    expect(events(r, cGateway, "DepositCancelled")).toEqual([[1n, 1n, depositor.address, homeRecipient, BIG]]);
    expect(events(r, cGateway, "WithdrawalRequested")).toEqual([[1n, c.home.deployer.address, depositor.address, BIG]]);
    expect(events(r, c.home.token, "Transfer")).toEqual([]); // nothing burnt: nothing was minted
    expect(await cGateway.depositCancelled(1n)).toBe(true);
    expect(await cGateway.withdrawalNonce()).toBe(1n);
    expect((await cGateway.withdrawal(1n)).toArray()).toEqual([depositor.address, BIG, 1n]);
    expect(BIG > WITHDRAW.maxPerTx).toBe(true); // so it went through without using the withdraw limits

    // Each validator checks the vault's record through its own foreign node, then signs like any withdrawal.
    expect(await cVault.depositRecord(1n)).toBe(recordOf(depositor.address, homeRecipient, BIG));
    const w = { withdrawalId: 1n, recipient: depositor.address, amount: BIG };
    const digest = await cGateway.withdrawalDigest(1n);
    expect(digest).toBe(withdrawalHash(cctx, w));
    expect(digest).toBe(await cVault.withdrawalDigest(1n, depositor.address, BIG));
    for (const v of [v2, v0]) await mined(as(cGateway, v).submitWithdrawalSignature(1n, await signWithdrawal(v, cctx, w)));
    const [signers, signatures] = (await cGateway.withdrawalSignatures(1n)).toArray();
    const sorted = signers.map((s: string, i: number) => ({ address: s, sig: signatures[i] as string })).sort(byAddress);

    const before = await c.foreign.token.balanceOf(depositor.address);
    const executor = await foreign.fundedWallet(1n);
    const x = await mined(as(cVault, executor).executeWithdrawal(1n, depositor.address, BIG, sorted.map((s: { sig: string }) => s.sig)));
    expect(events(x, cVault, "WithdrawalExecuted")).toEqual([[1n, depositor.address, BIG]]);
    expect((await c.foreign.token.balanceOf(depositor.address)) - before).toBe(BIG);
    expect(await cVault.releasedOnDay(await dayOf(x))).toBe(BIG); // released under the vault's release limits
  });

  it("refuses every confirmation of a cancelled deposit afterwards (AlreadyCancelled), even once the limits would allow the mint", async () => {
    await expectRevert(confirmOn(v2, 1n, homeRecipient, BIG), "AlreadyCancelled", [1n]);
    await expectRevert(confirmOn(v0, 1n, homeRecipient, BIG), "AlreadyCancelled", [1n]);
    await mined(cGateway.setExecutionLimits(EXECUTION.minPerTx, EXECUTION.dailyLimit, EXECUTION.dailyLimit));
    await expectRevert(confirmOn(v1, 1n, homeRecipient, BIG), "AlreadyCancelled", [1n]);
    expect(await cGateway.depositMinted(1n)).toBe(false);
    expect(await c.home.token.totalSupply()).toBe(0n);
  });

  it("a non-owner cannot cancel (not a validator, not another role holder, not anyone)", async () => {
    const admin = await cGateway.DEFAULT_ADMIN_ROLE();
    await mined(cGateway.grantRole(await cGateway.PAUSER_ROLE(), outsider.address));
    await mined(cGateway.grantRole(await cGateway.LIMITS_MANAGER_ROLE(), outsider.address));
    for (const who of [outsider, v0, alice]) {
      await expectRevert(as(cGateway, who).cancelDeposit(2n, depositor.address, homeRecipient, 100n), "AccessControlUnauthorizedAccount", [who.address, admin]);
    }
    expect(await cGateway.depositCancelled(2n)).toBe(false);
  });

  it("a minted deposit cannot be cancelled (AlreadyMinted)", async () => {
    const d = await mined(as(cVault, depositor).deposit(100n, homeRecipient));
    expect(events(d, cVault, "Deposited")).toEqual([[2n, depositor.address, homeRecipient, 100n]]);
    await mined(confirmOn(v0, 2n, homeRecipient, 100n));
    const m = await mined(confirmOn(v1, 2n, homeRecipient, 100n));
    expect(events(m, cGateway, "DepositMinted")).toEqual([[2n, homeRecipient, 100n]]);
    await expectRevert(cGateway.cancelDeposit(2n, depositor.address, homeRecipient, 100n), "AlreadyMinted", [2n]);
    expect(await cGateway.depositCancelled(2n)).toBe(false);
    expect(await cGateway.withdrawalNonce()).toBe(1n);
  });

  it("cancelling twice reverts (AlreadyCancelled); id 0, zero addresses and a zero amount are refused; the owner cancels while paused", async () => {
    await expectRevert(cGateway.cancelDeposit(1n, depositor.address, homeRecipient, BIG), "AlreadyCancelled", [1n]);
    // Id 0 is what a normal withdrawal's cancelledDepositId reads: never a cancellation.
    await expectRevert(cGateway.cancelDeposit(0n, depositor.address, homeRecipient, 100n), "InvalidDepositId", [0n]);
    await expectRevert(cGateway.cancelDeposit(3n, ZeroAddress, homeRecipient, 100n), "ZeroAddress");
    await expectRevert(cGateway.cancelDeposit(3n, depositor.address, ZeroAddress, 100n), "ZeroAddress");
    await expectRevert(cGateway.cancelDeposit(3n, depositor.address, homeRecipient, 0n), "InvalidAmount");

    const d = await mined(as(cVault, depositor).deposit(2000n, homeRecipient));
    expect(events(d, cVault, "Deposited")).toEqual([[3n, depositor.address, homeRecipient, 2000n]]);
    await mined(cGateway.pause());
    const r = await mined(cGateway.cancelDeposit(3n, depositor.address, homeRecipient, 2000n));
    expect(events(r, cGateway, "DepositCancelled")).toEqual([[3n, 2n, depositor.address, homeRecipient, 2000n]]);
    await expectRevert(cGateway.cancelDeposit(3n, depositor.address, homeRecipient, 2000n), "AlreadyCancelled", [3n]);
    await mined(cGateway.unpause());
    await expectRevert(confirmOn(v0, 3n, homeRecipient, 2000n), "AlreadyCancelled", [3n]);
    expect((await cGateway.withdrawal(2n)).toArray()).toEqual([depositor.address, 2000n, 3n]);
  });
});
