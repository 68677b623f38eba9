// ForeignVault and ValidatorSet on real geth chains: deposits, deposit records, limits, refunds, pause, roles, m-of-n
// withdrawals, release limits, signature rules, validator-set epochs, the one-time gateway binding, permit deposits and
// replay across chains, home chains and gateways.
import {
  AbiCoder,
  Contract,
  ContractFactory,
  getCreateAddress,
  keccak256,
  Signature,
  Wallet,
  ZeroAddress,
  ZeroHash,
} from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRIDGED_TOKEN_ABI } from "../../lib/bridge/abi";
import { loadArtifact } from "../../lib/bridge/artifacts";
import {
  bindGateway,
  deployForeignVault,
  deployHomeGateway,
  deployValidatorSet,
  ForeignVaultParams,
  LimitsConfig,
} from "../../testkit/bridge/deployContracts";
import { BridgeFixture, DEFAULT_LIMITS, deployBridgeOn } from "../../testkit/bridge/fixture";
import { startOnDemandChain, TestChain } from "../../testkit/chains";
import {
  as,
  byAddress,
  dayOf,
  events,
  expectRevert,
  fundWallets,
  malleate,
  mined,
  randomWallet,
  recoverWithdrawalSigner,
  signSorted,
  signWithdrawal,
  Withdrawal,
  withdrawalContext,
  WithdrawalContext,
  withdrawalHash,
} from "./helpers";

const LIMITS: LimitsConfig = { minPerTx: 10n, maxPerTx: 1000n, dailyLimit: 1000n };
const FEE_BPS = 100;

let foreign: TestChain;
let home: TestChain;
let b: BridgeFixture;
let vault: Contract;
let rlc: Contract;
let admin: Wallet;
let alice: Wallet; // whitelisted
let bob: Wallet; // not whitelisted
let carol: Wallet; // anyone
/** The fixture's vault, bound to the fixture's gateway. */
let ctx: WithdrawalContext;
const validators = [randomWallet(), randomWallet(), randomWallet()];
const homeRecipient = randomWallet().address;
const erin = randomWallet().address; // withdrawal recipient

beforeAll(async () => {
  // One at a time: two chains reserving ports at the same instant can pick the same block.
  foreign = await startOnDemandChain(31_337_002);
  home = await startOnDemandChain(31_337_001);
  [alice, bob, carol] = await fundWallets(foreign, 3);
  b = await deployBridgeOn(foreign, home, { validators, threshold: 2, limits: { deposit: LIMITS }, feeBps: FEE_BPS, whitelist: [alice.address] });
  ({ vault, token: rlc, deployer: admin } = b.foreign);
  ctx = withdrawalContext(b);
  for (const user of [alice, bob, carol]) await b.giveForeignTokens(user.address, 10_000n);
  await Promise.all([alice, bob, carol].map((u) => mined(as(rlc, u).approve(b.addresses.vault, 10n ** 18n))));
});

afterAll(async () => {
  await foreign?.stop();
  await home?.stop();
});

const today = async () => BigInt((await foreign.provider().getBlock("latest"))!.timestamp) / 86_400n;
const limitsOf = async (c: Contract, view: string) => ((await c.getFunction(view)()) as { toArray(): bigint[] }).toArray();
/** What the vault records for a whitelisted deposit, as lib/bridge/abi.ts documents it. */
const recordOf = (sender: string, recipient: string, amount: bigint) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["address", "address", "uint256"], [sender, recipient, amount]));
/** Valid vault constructor settings on the foreign chain (binder: the admin); tests change one field. */
const vaultParams = (over: Partial<ForeignVaultParams> = {}): ForeignVaultParams => ({
  token: b.addresses.foreignToken,
  validatorSet: b.addresses.foreignValidatorSet,
  owner: admin.address,
  homeChainId: home.chainId,
  binder: admin.address,
  depositLimits: LIMITS,
  releaseLimits: DEFAULT_LIMITS,
  feeBps: 0,
  feeRecipient: admin.address,
  ...over,
});

describe("ForeignVault deposits and refunds", () => {
  it("grants every role to the owner and rejects bad constructor settings", async () => {
    for (const role of ["DEFAULT_ADMIN_ROLE", "PAUSER_ROLE", "LIMITS_MANAGER_ROLE", "WHITELIST_MANAGER_ROLE"]) {
      const id = await vault.getFunction(role)();
      expect(await vault.hasRole(id, admin.address)).toBe(true);
      expect(await vault.getRoleMember(id, 0)).toBe(admin.address);
    }
    expect([await vault.homeChainId(), await vault.homeGateway(), await vault.binder()]).toEqual([BigInt(home.chainId), b.addresses.gateway, ZeroAddress]);
    expect(await limitsOf(vault, "depositLimits")).toEqual([10n, 1000n, 1000n]);
    expect(await limitsOf(vault, "releaseLimits")).toEqual([DEFAULT_LIMITS.minPerTx, DEFAULT_LIMITS.maxPerTx, DEFAULT_LIMITS.dailyLimit]);
    await expectRevert(deployForeignVault(admin, vaultParams({ feeBps: 1001 })), "InvalidFee", [1001n]);
    await expectRevert(deployForeignVault(admin, vaultParams({ feeRecipient: ZeroAddress })), "ZeroAddress");
    await expectRevert(deployForeignVault(admin, vaultParams({ token: ZeroAddress })), "ZeroAddress");
    await expectRevert(deployForeignVault(admin, vaultParams({ validatorSet: ZeroAddress })), "ZeroAddress");
    await expectRevert(deployForeignVault(admin, vaultParams({ owner: ZeroAddress })), "ZeroAddress");
    await expectRevert(deployForeignVault(admin, vaultParams({ binder: ZeroAddress })), "ZeroAddress");
    await expectRevert(deployForeignVault(admin, vaultParams({ homeChainId: 0 })), "InvalidHomeChain", [0n]);
    // The vault's own chain cannot be its home chain.
    await expectRevert(deployForeignVault(admin, vaultParams({ homeChainId: foreign.chainId })), "InvalidHomeChain", [BigInt(foreign.chainId)]);
    await expectRevert(deployForeignVault(admin, vaultParams({ depositLimits: { ...LIMITS, minPerTx: 0n } })), "InvalidLimits");
    await expectRevert(deployForeignVault(admin, vaultParams({ releaseLimits: { ...LIMITS, maxPerTx: 1001n } })), "InvalidLimits");
  });

  it("emits Deposited for a whitelisted sender, ids 1, 2, … from the nonce, and books the daily limit", async () => {
    const r1 = await mined(as(vault, alice).deposit(100n, homeRecipient));
    const r2 = await mined(as(vault, alice).deposit(200n, homeRecipient));
    expect(events(r1, vault, "Deposited")).toEqual([[1n, alice.address, homeRecipient, 100n]]);
    expect(events(r2, vault, "Deposited")).toEqual([[2n, alice.address, homeRecipient, 200n]]);
    expect(await vault.depositNonce()).toBe(2n);
    expect(await rlc.balanceOf(b.addresses.vault)).toBe(300n);
    const day = await dayOf(r2);
    const before = await vault.depositedOnDay(day, { blockTag: r2.blockNumber - 1 });
    expect((await vault.depositedOnDay(day, { blockTag: r2.blockNumber })) - before).toBe(200n);
  });

  it("enforces min and max per transaction and the daily limit", async () => {
    await expectRevert(as(vault, alice).deposit(9n, homeRecipient), "AmountBelowMin", [9n, 10n]);
    await expectRevert(as(vault, alice).deposit(1001n, homeRecipient), "AmountAboveMax", [1001n, 1000n]);
    await expectRevert(as(vault, alice).deposit(100n, ZeroAddress), "ZeroAddress");
    const spent = await vault.depositedOnDay(await today());
    expect(spent).toBe(300n); // both deposits were today (no time travel on geth: only the counter is asserted)
    await expectRevert(as(vault, alice).deposit(1000n - spent + 1n, homeRecipient), "DailyLimitExceeded", [spent, 1000n - spent + 1n, 1000n]);
  });

  it("changes deposit and release limits only by the limits manager and only to consistent values", async () => {
    for (const setter of ["setDepositLimits", "setReleaseLimits"]) {
      const set = (signer: Wallet, lo: bigint, hi: bigint, day: bigint) => as(vault, signer).getFunction(setter)(lo, hi, day);
      await expectRevert(set(admin, 0n, 10n, 10n), "InvalidLimits");
      await expectRevert(set(admin, 11n, 10n, 10n), "InvalidLimits");
      await expectRevert(set(admin, 1n, 11n, 10n), "InvalidLimits");
      {
        // The role first: a call rejecting while it is awaited would be an unhandled rejection.
        const role = await vault.LIMITS_MANAGER_ROLE();
        await expectRevert(set(bob, 10n, 1000n, 1000n), "AccessControlUnauthorizedAccount", [bob.address, role]);
      }
    }
    const r = await mined(vault.setDepositLimits(10n, 1000n, 1000n));
    expect(events(r, vault, "DepositLimitsChanged")).toEqual([[10n, 1000n, 1000n]]);
    expect(await limitsOf(vault, "depositLimits")).toEqual([10n, 1000n, 1000n]);
    const { minPerTx, maxPerTx, dailyLimit } = DEFAULT_LIMITS;
    const rr = await mined(vault.setReleaseLimits(minPerTx, maxPerTx, dailyLimit)); // unchanged values: the event still says so
    expect(events(rr, vault, "ReleaseLimitsChanged")).toEqual([[minPerTx, maxPerTx, dailyLimit]]);
    expect(events(rr, vault, "DepositLimitsChanged")).toEqual([]);
    expect(await limitsOf(vault, "releaseLimits")).toEqual([minPerTx, maxPerTx, dailyLimit]);
  });

  it("records a non-whitelisted deposit as refundable (never Deposited, no daily limit) and refunds it once, minus the fee", async () => {
    const r = await mined(as(vault, bob).deposit(1000n, homeRecipient)); // above what is left of today's limit
    expect(events(r, vault, "Deposited")).toEqual([]);
    expect(events(r, vault, "DepositRefundable")).toEqual([[3n, bob.address, 1000n]]);
    expect((await vault.refundable(3n)).toArray()).toEqual([bob.address, 1000n]);
    const day = await dayOf(r);
    expect(await vault.depositedOnDay(day, { blockTag: r.blockNumber })).toBe(await vault.depositedOnDay(day, { blockTag: r.blockNumber - 1 }));

    const bobBefore = await rlc.balanceOf(bob.address);
    const refund = await mined(as(vault, carol).refund(3n)); // permissionless: the tokens only go to the sender
    expect(events(refund, vault, "Refunded")).toEqual([[3n, bob.address, 990n, 10n]]);
    expect((await rlc.balanceOf(bob.address)) - bobBefore).toBe(990n);
    expect(await rlc.balanceOf(b.foreign.feeRecipient)).toBe(10n);
    expect((await vault.refundable(3n)).toArray()).toEqual([ZeroAddress, 0n]);
    await expectRevert(as(vault, carol).refund(3n), "NotRefundable", [3n]);
    await expectRevert(as(vault, carol).refund(1n), "NotRefundable", [1n]); // whitelisted: bridged, not refundable
    await expectRevert(as(vault, carol).refund(99n), "NotRefundable", [99n]);
  });

  it("charges the fee in force at deposit time; fee changes by the limits manager only, ≤ 10%", async () => {
    await mined(as(vault, bob).deposit(500n, homeRecipient)); // id 4, at 1%
    await expectRevert(vault.setFee(1001n, b.foreign.feeRecipient), "InvalidFee", [1001n]);
    await expectRevert(vault.setFee(100n, ZeroAddress), "ZeroAddress");
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await vault.LIMITS_MANAGER_ROLE();
      await expectRevert(as(vault, bob).setFee(0n, bob.address), "AccessControlUnauthorizedAccount", [bob.address, role]);
    }
    const set = await mined(vault.setFee(1000n, b.foreign.feeRecipient));
    expect(events(set, vault, "FeeChanged")).toEqual([[1000n, b.foreign.feeRecipient]]);
    const refund = await mined(as(vault, carol).refund(4n));
    expect(events(refund, vault, "Refunded")).toEqual([[4n, bob.address, 495n, 5n]]);
  });

  it("whitelists only by the whitelist manager; a newly whitelisted sender's deposits are bridged", async () => {
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await vault.WHITELIST_MANAGER_ROLE();
      await expectRevert(as(vault, bob).setWhitelisted([bob.address], true), "AccessControlUnauthorizedAccount", [bob.address, role]);
    }
    const r = await mined(vault.setWhitelisted([carol.address], true));
    expect(events(r, vault, "WhitelistChanged")).toEqual([[carol.address, true]]);
    expect(await vault.isWhitelisted(carol.address)).toBe(true);
    const d = await mined(as(vault, carol).deposit(50n, homeRecipient));
    expect(events(d, vault, "Deposited")).toEqual([[5n, carol.address, homeRecipient, 50n]]);
    expect(events(d, vault, "DepositRefundable")).toEqual([]);
  });

  it("records keccak256(abi.encode(sender, homeRecipient, amount)) for whitelisted deposits only (depositRecord)", async () => {
    // 1, 2: alice (whitelisted); 3, 4: bob (refundable); 5: carol, whitelisted since.
    expect(await vault.depositRecord(1n)).toBe(recordOf(alice.address, homeRecipient, 100n));
    expect(await vault.depositRecord(2n)).toBe(recordOf(alice.address, homeRecipient, 200n));
    expect(await vault.depositRecord(5n)).toBe(recordOf(carol.address, homeRecipient, 50n));
    for (const id of [3n, 4n, 0n, 99n]) expect(await vault.depositRecord(id)).toBe(ZeroHash);
    // A record names its data exactly: another recipient or amount gives another hash.
    expect(await vault.depositRecord(1n)).not.toBe(recordOf(alice.address, homeRecipient, 101n));
    expect(await vault.depositRecord(1n)).not.toBe(recordOf(alice.address, erin, 100n));

    const mixed = await mined(as(vault, bob).deposit(20n, homeRecipient)); // refundable: no record, ever
    const id = (events(mixed, vault, "DepositRefundable")[0] as bigint[])[0];
    expect(await vault.depositRecord(id)).toBe(ZeroHash);
    await mined(as(vault, carol).refund(id));
    expect(await vault.depositRecord(id)).toBe(ZeroHash);
  });

  it("pauses only by the pauser; paused, no deposit, refund or withdrawal goes through", async () => {
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await vault.PAUSER_ROLE();
      await expectRevert(as(vault, bob).pause(), "AccessControlUnauthorizedAccount", [bob.address, role]);
    }
    const refundable = await mined(as(vault, bob).deposit(100n, homeRecipient)); // id 7, refunded while unpaused below
    expect(events(refundable, vault, "DepositRefundable")).toEqual([[7n, bob.address, 100n]]);
    await mined(vault.pause());
    expect(await vault.paused()).toBe(true);
    await expectRevert(as(vault, alice).deposit(100n, homeRecipient), "EnforcedPause");
    await expectRevert(as(vault, alice).depositWithPermit(100n, homeRecipient, 0n, 27, ZeroHash, ZeroHash), "EnforcedPause");
    await expectRevert(as(vault, carol).refund(7n), "EnforcedPause");
    await expectRevert(as(vault, carol).executeWithdrawal(1n, erin, 1n, []), "EnforcedPause");
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await vault.PAUSER_ROLE();
      await expectRevert(as(vault, bob).unpause(), "AccessControlUnauthorizedAccount", [bob.address, role]);
    }
    await mined(vault.unpause());
    expect(await vault.paused()).toBe(false);
    await mined(as(vault, carol).refund(7n));
  });
});

describe("ForeignVault withdrawals and the ValidatorSet", () => {
  const w = (withdrawalId: bigint, amount = 10n): Withdrawal => ({ withdrawalId, recipient: erin, amount });
  const sign = (signers: Wallet[], x: Withdrawal) => signSorted(signers, ctx, x);

  it("releases tokens on 2-of-3 sorted signatures, once; the digest is the EIP-712 one", async () => {
    const first = w(1n, 40n);
    expect(await vault.withdrawalDigest(1n, erin, 40n)).toBe(withdrawalHash(ctx, first));
    const sigs = await sign([validators[0], validators[2]], first);
    const r = await mined(as(vault, carol).executeWithdrawal(1n, erin, 40n, sigs));
    expect(events(r, vault, "WithdrawalExecuted")).toEqual([[1n, erin, 40n]]);
    expect(await rlc.balanceOf(erin)).toBe(40n);
    expect(await vault.withdrawalProcessed(1n)).toBe(true);
    await expectRevert(as(vault, carol).executeWithdrawal(1n, erin, 40n, sigs), "WithdrawalAlreadyProcessed", [1n]);
    // More than the threshold is fine as long as every signer is a validator.
    await mined(as(vault, carol).executeWithdrawal(2n, erin, 10n, await sign(validators, w(2n))));
    expect(await rlc.balanceOf(erin)).toBe(50n);
  });

  it("rejects too few, duplicate, unsorted, non-validator, malleated, short and wrong-data signatures", async () => {
    const x = w(3n);
    const execute = (sigs: string[], amount = x.amount) => as(vault, carol).executeWithdrawal(3n, erin, amount, sigs);
    const [lo, hi] = [validators[0], validators[1]].sort(byAddress);
    const [sLo, sHi] = await Promise.all([signWithdrawal(lo, ctx, x), signWithdrawal(hi, ctx, x)]);

    await expectRevert(execute([]), "NotEnoughSignatures", [0n, 2n]);
    await expectRevert(execute([sLo]), "NotEnoughSignatures", [1n, 2n]);
    await expectRevert(execute([sLo, sLo]), "SignersNotAscending", [lo.address, lo.address]);
    await expectRevert(execute([sHi, sLo]), "SignersNotAscending", [hi.address, lo.address]);

    const outsider = randomWallet();
    const [first, second] = [lo, outsider].sort(byAddress);
    await expectRevert(execute(await sign([first, second], x)), "SignerNotValidator", [outsider.address]);

    const { signature: highS, highS: s } = malleate(sHi);
    await expectRevert(execute([sLo, highS]), "ECDSAInvalidSignatureS", [s]);
    await expectRevert(execute([sLo, sHi.slice(0, 130)]), "ECDSAInvalidSignatureLength", [64n]);

    // Signatures over other data recover to unrelated addresses.
    const recovered = recoverWithdrawalSigner(ctx, { ...x, amount: 11n }, sLo);
    await expectRevert(execute([sLo, sHi], 11n), "SignerNotValidator", [recovered]);
    await mined(execute([sLo, sHi])); // the same signatures, right data
  });

  it("changes validators only by the admin, bumps the epoch, and stops counting removed validators", async () => {
    const set = b.foreign.validatorSet;
    const [v0, v1, v2] = validators;
    const v3 = randomWallet();
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await set.DEFAULT_ADMIN_ROLE();
      await expectRevert(as(set, alice).setValidators([v0.address], 1n), "AccessControlUnauthorizedAccount", [alice.address, role]);
    }
    await expectRevert(set.setValidators([v0.address, v1.address], 0n), "InvalidThreshold", [0n, 2n]);
    await expectRevert(set.setValidators([v0.address, v1.address], 3n), "InvalidThreshold", [3n, 2n]);
    await expectRevert(set.setValidators([v0.address, ZeroAddress], 1n), "InvalidValidator", [ZeroAddress]);
    await expectRevert(set.setValidators([v0.address, v1.address, v0.address], 2n), "InvalidValidator", [v0.address]);
    await expectRevert(deployValidatorSet(admin, { owner: admin.address, validators: [v0.address], threshold: 2 }), "InvalidThreshold", [2n, 1n]);

    const x = w(4n);
    const withRemoved = await sign([v0, v2], x);
    await as(vault, carol).executeWithdrawal.staticCall(4n, erin, x.amount, withRemoved); // valid in epoch 1
    expect(await set.epoch()).toBe(1n);
    const r = await mined(set.setValidators([v0.address, v1.address, v3.address], 2n));
    expect(events(r, set, "ValidatorSetChanged")).toEqual([[2n, [v0.address, v1.address, v3.address], 2n]]);
    expect(await set.epoch()).toBe(2n);
    expect(await set.validators()).toEqual([v0.address, v1.address, v3.address]);
    expect(await set.isValidator(v2.address)).toBe(false);
    expect(await set.isValidator(v3.address)).toBe(true);
    await expectRevert(as(vault, carol).executeWithdrawal(4n, erin, x.amount, withRemoved), "SignerNotValidator", [v2.address]);
    await mined(as(vault, carol).executeWithdrawal(4n, erin, x.amount, await sign([v0, v3], x)));
  });
});

describe("ForeignVault release limits: what a threshold of keys can take", () => {
  const RELEASE: LimitsConfig = { minPerTx: 5n, maxPerTx: 100n, dailyLimit: 250n };
  const FUNDS = 10_000n; // far more than a day's release: only the limits stop the withdrawals
  let limited: Contract;
  let lctx: WithdrawalContext;
  // Current validators in every epoch of this file: a valid threshold (2) of signatures.
  const keys = () => [validators[0], validators[1]];
  const execute = async (withdrawalId: bigint, amount: bigint, sigs?: string[]) =>
    as(limited, carol).executeWithdrawal(withdrawalId, erin, amount, sigs ?? (await signSorted(keys(), lctx, { withdrawalId, recipient: erin, amount })));

  beforeAll(async () => {
    limited = await deployForeignVault(admin, vaultParams({ releaseLimits: RELEASE }));
    await bindGateway(limited, b.addresses.gateway);
    lctx = { ...ctx, vault: await limited.getAddress() };
    await b.giveForeignTokens(lctx.vault, FUNDS);
  });

  it("refuses a validly signed withdrawal above releaseLimits.maxPerTx (AmountAboveMax) or below minPerTx", async () => {
    expect(await limitsOf(limited, "releaseLimits")).toEqual([5n, 100n, 250n]);
    await expectRevert(execute(1n, 101n), "AmountAboveMax", [101n, 100n]);
    await expectRevert(execute(2n, 4n), "AmountBelowMin", [4n, 5n]);
    // The signatures themselves are fine: only the limits refused them, and nothing was processed or released.
    await mined(execute(1n, 100n)); // the same id within the limits goes through
    expect([await limited.withdrawalProcessed(1n), await limited.withdrawalProcessed(2n)]).toEqual([true, false]);
  });

  it("stops several validly signed withdrawals at the daily release limit (DailyLimitExceeded): at most dailyLimit a day", async () => {
    const erinBefore = await rlc.balanceOf(erin);
    const spent = await limited.releasedOnDay(await today());
    expect(spent).toBe(100n); // withdrawal 1 above (no time travel on geth: only today's counter is asserted)
    await mined(execute(10n, 100n));
    await expectRevert(execute(11n, 100n), "DailyLimitExceeded", [200n, 100n, 250n]);
    const r = await mined(execute(12n, 50n)); // exactly the daily limit
    expect(await limited.releasedOnDay(await dayOf(r))).toBe(250n);
    await expectRevert(execute(13n, 5n), "DailyLimitExceeded", [250n, 5n, 250n]);
    expect((await rlc.balanceOf(erin)) - erinBefore).toBe(150n);
    expect(await rlc.balanceOf(lctx.vault)).toBe(FUNDS - 250n); // the vault still holds the rest
    expect(await limited.withdrawalProcessed(11n)).toBe(false);
  });

  it("keeps a withdrawal refused by the release limits executable with the same signatures once the limits allow it", async () => {
    const sigs = await signSorted(keys(), lctx, { withdrawalId: 11n, recipient: erin, amount: 100n });
    await expectRevert(execute(11n, 100n, sigs), "DailyLimitExceeded", [250n, 100n, 250n]);
    {
      // The role first: a call rejecting while it is awaited would be an unhandled rejection.
      const role = await limited.LIMITS_MANAGER_ROLE();
      await expectRevert(as(limited, carol).setReleaseLimits(5n, 100n, 350n), "AccessControlUnauthorizedAccount", [carol.address, role]);
    }
    const set = await mined(limited.setReleaseLimits(5n, 100n, 350n));
    expect(events(set, limited, "ReleaseLimitsChanged")).toEqual([[5n, 100n, 350n]]);
    await mined(execute(11n, 100n, sigs));
    await expectRevert(execute(11n, 100n, sigs), "WithdrawalAlreadyProcessed", [11n]);
    expect(await limited.releasedOnDay(await today())).toBe(350n);
  });
});

describe("ForeignVault gateway binding", () => {
  it("binds a vault once, only by its binder; an unbound vault refuses deposits and withdrawals (NotBound)", async () => {
    const unbound = await deployForeignVault(admin, vaultParams({ binder: carol.address })); // the binder holds no role
    const address = await unbound.getAddress();
    expect([await unbound.homeChainId(), await unbound.homeGateway(), await unbound.binder()]).toEqual([BigInt(home.chainId), ZeroAddress, carol.address]);
    await mined(unbound.setWhitelisted([alice.address], true));
    await mined(as(rlc, alice).approve(address, 10n ** 18n));
    await b.giveForeignTokens(address, 100n);

    await expectRevert(as(unbound, alice).deposit(100n, homeRecipient), "NotBound");
    await expectRevert(as(unbound, bob).deposit(100n, homeRecipient), "NotBound"); // refundable deposits too
    await expectRevert(as(unbound, alice).depositWithPermit(100n, homeRecipient, 0n, 27, ZeroHash, ZeroHash), "NotBound");
    await expectRevert(unbound.withdrawalDigest(1n, erin, 10n), "NotBound");
    // Signatures that become valid once it is bound to the fixture's gateway are refused until then.
    const x: Withdrawal = { withdrawalId: 1n, recipient: erin, amount: 10n };
    const sigs = await signSorted([validators[0], validators[1]], { ...ctx, vault: address }, x);
    await expectRevert(as(unbound, carol).executeWithdrawal(1n, erin, 10n, sigs), "NotBound");

    // Only the binder (not the owner, not anyone), never to zero.
    await expectRevert(unbound.bindGateway(b.addresses.gateway), "NotBinder", [admin.address]);
    await expectRevert(as(unbound, bob).bindGateway(b.addresses.gateway), "NotBinder", [bob.address]);
    await expectRevert(as(unbound, carol).bindGateway(ZeroAddress), "ZeroAddress");
    const r = await mined(as(unbound, carol).bindGateway(b.addresses.gateway));
    expect(events(r, unbound, "GatewayBound")).toEqual([[BigInt(home.chainId), b.addresses.gateway]]);
    expect([await unbound.homeGateway(), await unbound.binder()]).toEqual([b.addresses.gateway, ZeroAddress]);
    // Once: neither the former binder nor the owner can move it to another gateway.
    const other = randomWallet().address;
    await expectRevert(as(unbound, carol).bindGateway(other), "AlreadyBound", [b.addresses.gateway]);
    await expectRevert(unbound.bindGateway(other), "AlreadyBound", [b.addresses.gateway]);
    expect(await unbound.homeGateway()).toBe(b.addresses.gateway);

    // Bound: the same deposit and the same signatures go through.
    const d = await mined(as(unbound, alice).deposit(100n, homeRecipient));
    expect(events(d, unbound, "Deposited")).toEqual([[1n, alice.address, homeRecipient, 100n]]);
    expect(await unbound.withdrawalDigest(1n, erin, 10n)).toBe(withdrawalHash({ ...ctx, vault: address }, x));
    await mined(as(unbound, carol).executeWithdrawal(1n, erin, 10n, sigs));
  });
});

describe("ForeignVault replay across gateways and home chains", () => {
  const keys = () => [validators[0], validators[1]];

  it("rejects signatures made for another gateway or another home chain id (same withdrawal id, recipient, amount)", async () => {
    const x: Withdrawal = { withdrawalId: 20n, recipient: erin, amount: 10n };
    const execute = (sigs: string[]) => as(vault, carol).executeWithdrawal(20n, erin, 10n, sigs);
    const wrongContexts: WithdrawalContext[] = [
      { ...ctx, homeGateway: randomWallet().address }, // another gateway on the same home chain
      { ...ctx, homeChainId: 4_242_424 }, // the same gateway address on another home chain
      { ...ctx, homeChainId: foreign.chainId }, // the same gateway address on the foreign chain
    ];
    for (const wrong of wrongContexts) {
      const sigs = await signSorted(keys(), wrong, x);
      // The vault hashes its own home chain id and gateway: the signers it recovers are not validators.
      await expectRevert(execute(sigs), "SignerNotValidator", [recoverWithdrawalSigner(ctx, x, sigs[0])]);
    }
    expect(await vault.withdrawalProcessed(20n)).toBe(false);
    await mined(execute(await signSorted(keys(), ctx, x)));
  });

  it("refuses on a vault bound to a new gateway the old gateway's withdrawal ids (old signatures, or new ones naming the old gateway)", async () => {
    // Moving to a new gateway means a new vault: the old vault stays bound to the old gateway.
    const newVault = await deployForeignVault(admin, vaultParams());
    const newVaultAddress = await newVault.getAddress();
    const newGateway = await deployHomeGateway(b.home.deployer, {
      token: { name: "Bridged RLC v2", symbol: "bRLC2", decimals: 9 },
      validatorSet: b.addresses.homeValidatorSet,
      owner: b.home.deployer.address,
      foreignChainId: foreign.chainId,
      foreignVault: newVaultAddress,
      executionLimits: DEFAULT_LIMITS,
      withdrawLimits: DEFAULT_LIMITS,
    });
    const newGatewayAddress = await newGateway.getAddress();
    await bindGateway(newVault, newGatewayAddress);
    await expectRevert(vault.bindGateway(newGatewayAddress), "AlreadyBound", [b.addresses.gateway]);
    await b.giveForeignTokens(newVaultAddress, 100n);

    // Withdrawal 1 of the old gateway, executed on the old vault above; its id is 1 again on the new gateway.
    const old: Withdrawal = { withdrawalId: 1n, recipient: erin, amount: 40n };
    expect(await vault.withdrawalProcessed(1n)).toBe(true);
    expect(await newVault.withdrawalProcessed(1n)).toBe(false);
    const newCtx: WithdrawalContext = { chainId: foreign.chainId, vault: newVaultAddress, homeChainId: home.chainId, homeGateway: newGatewayAddress };
    const execute = (sigs: string[]) => as(newVault, carol).executeWithdrawal(1n, erin, 40n, sigs);

    const oldSigs = await signSorted(keys(), ctx, old); // the old vault's domain, the old gateway
    await expectRevert(execute(oldSigs), "SignerNotValidator", [recoverWithdrawalSigner(newCtx, old, oldSigs[0])]);
    const staleSigs = await signSorted(keys(), { ...newCtx, homeGateway: b.addresses.gateway }, old); // a validator reading the old gateway
    await expectRevert(execute(staleSigs), "SignerNotValidator", [recoverWithdrawalSigner(newCtx, old, staleSigs[0])]);
    expect(await newVault.withdrawalProcessed(1n)).toBe(false);
    // Only signatures naming the new gateway (its own withdrawal 1) release anything there.
    await mined(execute(await signSorted(keys(), newCtx, old)));
    expect(await newVault.withdrawalProcessed(1n)).toBe(true);
  });
});

describe("the same vault address on both chains", () => {
  // A twin deployer with the same nonces on both chains gets the ValidatorSet and the vault at the same addresses,
  // both with the same home chain id and bound to the same gateway address, so only the chain id differs between the
  // two EIP-712 domains.
  const TWIN_HOME_CHAIN_ID = 4_242_424; // neither the foreign nor the home test chain
  const twinGateway = randomWallet().address;
  let twinVaultForeign: Contract;
  let twinVaultHome: Contract;
  let permitToken: Contract;
  let twinHome: Wallet;

  beforeAll(async () => {
    const twin = randomWallet();
    const fund = async (chain: TestChain) => {
      const payer = await chain.fundedWallet(2n);
      await (await payer.sendTransaction({ to: twin.address, value: 10n ** 18n })).wait();
      return twin.connect(chain.provider());
    };
    const deployTwin = async (chain: TestChain, token: string) => {
      const signer = await fund(chain);
      const set = await deployValidatorSet(signer, { owner: twin.address, validators: validators.map((v) => v.address), threshold: 2 });
      const params = { token, validatorSet: await set.getAddress(), owner: twin.address, homeChainId: TWIN_HOME_CHAIN_ID, binder: twin.address, depositLimits: LIMITS, releaseLimits: LIMITS, feeBps: 0, feeRecipient: twin.address };
      return { signer, vault: await deployForeignVault(signer, params) };
    };
    // On home the vault's token is an ERC20Permit (a BridgedToken whose "gateway" is the twin: it mints) deployed next.
    const permitAddress = getCreateAddress({ from: twin.address, nonce: 2 });
    const [f, h] = await Promise.all([deployTwin(foreign, b.addresses.foreignToken), deployTwin(home, permitAddress)]);
    [twinVaultForeign, twinVaultHome, twinHome] = [f.vault, h.vault, h.signer];
    const deployed = await new ContractFactory(BRIDGED_TOKEN_ABI, loadArtifact("BridgedToken").bytecode, twinHome).deploy("Permit Token", "PT", 9);
    await deployed.waitForDeployment();
    permitToken = new Contract(await deployed.getAddress(), BRIDGED_TOKEN_ABI, twinHome);
    expect(await permitToken.getAddress()).toBe(permitAddress);
    await Promise.all([bindGateway(twinVaultForeign, twinGateway), bindGateway(twinVaultHome, twinGateway)]);
    await b.giveForeignTokens(await twinVaultForeign.getAddress(), 10n);
  });

  it("refuses on the home chain a withdrawal signed for the foreign chain (chain id in the domain)", async () => {
    const address = await twinVaultForeign.getAddress();
    expect(await twinVaultHome.getAddress()).toBe(address);
    const x: Withdrawal = { withdrawalId: 1n, recipient: erin, amount: 10n };
    const on = (chainId: number): WithdrawalContext => ({ chainId, vault: address, homeChainId: TWIN_HOME_CHAIN_ID, homeGateway: twinGateway });
    expect(await twinVaultHome.withdrawalDigest(1n, erin, 10n)).toBe(withdrawalHash(on(home.chainId), x));
    expect(await twinVaultForeign.withdrawalDigest(1n, erin, 10n)).toBe(withdrawalHash(on(foreign.chainId), x));
    const sigs = await signSorted([validators[0], validators[1]], on(foreign.chainId), x);
    const recoveredOnHome = recoverWithdrawalSigner(on(home.chainId), x, sigs[0]);
    await expectRevert(twinVaultHome.executeWithdrawal(1n, erin, 10n, sigs), "SignerNotValidator", [recoveredOnHome]);
    await mined(twinVaultForeign.executeWithdrawal(1n, erin, 10n, sigs));
    expect(await twinVaultForeign.withdrawalProcessed(1n)).toBe(true);
  });

  it("depositWithPermit pulls tokens on a permit, also when someone front-ran the permit", async () => {
    const user = await home.fundedWallet(1n);
    const vaultAddress = await twinVaultHome.getAddress();
    await mined(permitToken.mint(user.address, 1000n));
    const deadline = BigInt((await home.provider().getBlock("latest"))!.timestamp) + 3600n;
    const permit = async (value: bigint) => {
      const nonce = await permitToken.nonces(user.address);
      const domain = { name: "Permit Token", version: "1", chainId: home.chainId, verifyingContract: await permitToken.getAddress() };
      const types = { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] };
      return Signature.from(await user.signTypedData(domain, types, { owner: user.address, spender: vaultAddress, value, nonce, deadline }));
    };

    const p1 = await permit(100n);
    const r1 = await mined(as(twinVaultHome, user).depositWithPermit(100n, homeRecipient, deadline, p1.v, p1.r, p1.s));
    expect(events(r1, twinVaultHome, "DepositRefundable")).toEqual([[1n, user.address, 100n]]);
    expect(await permitToken.balanceOf(vaultAddress)).toBe(100n);

    const p2 = await permit(200n);
    await mined(permitToken.permit(user.address, vaultAddress, 200n, deadline, p2.v, p2.r, p2.s)); // the front-runner
    const r2 = await mined(as(twinVaultHome, user).depositWithPermit(200n, homeRecipient, deadline, p2.v, p2.r, p2.s));
    expect(events(r2, twinVaultHome, "DepositRefundable")).toEqual([[2n, user.address, 200n]]);
    expect(await permitToken.allowance(user.address, vaultAddress)).toBe(0n);

    // A bad permit and no allowance: the transfer itself fails.
    await expectRevert(as(twinVaultHome, user).depositWithPermit(50n, homeRecipient, deadline, p2.v, p2.r, p2.s), "ERC20InsufficientAllowance", [vaultAddress, 0n, 50n]);
  });
});
