/**
 * The bridge contracts' interface as the agent and the deployment use it (ethers v6 human-readable ABI).
 * `contracts/*.sol` implement exactly these signatures; `test/contracts/abi.test.ts` checks the compiled ABIs
 * contain every fragment here, so the agent never drifts from the contracts it talks to.
 *
 * Ids come from per-contract nonces (deposit ids from the vault, withdrawal ids from the gateway), never from
 * transaction hashes. Roles: DEFAULT_ADMIN_ROLE is the owner; PAUSER_ROLE, WHITELIST_MANAGER_ROLE and
 * LIMITS_MANAGER_ROLE (limits and fee) are separate (AccessControlEnumerable, so a refresh can list every holder).
 * Constructors grant every role to `owner` (the deployer); the deployment then hands each role to its configured
 * holder and renounces its own.
 */

/** Shared by the three administered contracts. */
const ROLES_ABI = [
  "function DEFAULT_ADMIN_ROLE() view returns (bytes32)",
  "function PAUSER_ROLE() view returns (bytes32)",
  "function LIMITS_MANAGER_ROLE() view returns (bytes32)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function getRoleMemberCount(bytes32 role) view returns (uint256)",
  "function getRoleMember(bytes32 role, uint256 index) view returns (address)",
  "function grantRole(bytes32 role, address account)",
  "function revokeRole(bytes32 role, address account)",
  "function renounceRole(bytes32 role, address callerConfirmation)",
  // OpenZeppelin's errors, so a refused call is decoded into a readable reason.
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
] as const;

const PAUSABLE_ABI = [
  "function paused() view returns (bool)",
  "function pause()",
  "function unpause()",
  "error EnforcedPause()",
  "error ExpectedPause()",
] as const;

/**
 * Per-transaction and daily limits, in token units, set by LIMITS_MANAGER_ROLE. The day is `block.timestamp / 1 days`
 * (UTC). Every set needs `0 < minPerTx ≤ maxPerTx ≤ dailyLimit` (else `InvalidLimits`).
 */
const LIMITS_ERRORS = [
  "error AmountBelowMin(uint256 amount, uint256 minPerTx)",
  "error AmountAboveMax(uint256 amount, uint256 maxPerTx)",
  "error DailyLimitExceeded(uint256 spent, uint256 amount, uint256 dailyLimit)",
  "error InvalidLimits()",
] as const;

/**
 * One per chain. `setValidators` replaces the whole set and bumps the epoch. `checkSignatures` is what the vault uses:
 * signers recovered from `signatures` must be strictly ascending (so no duplicates), all current validators, at least
 * `threshold` of them, each signature 65 bytes with low s (OpenZeppelin ECDSA).
 */
export const VALIDATOR_SET_ABI = [
  "constructor(address owner, address[] validators, uint256 threshold)",
  ...ROLES_ABI,
  "function epoch() view returns (uint256)",
  "function threshold() view returns (uint256)",
  "function validators() view returns (address[])",
  "function isValidator(address account) view returns (bool)",
  "function setValidators(address[] validators, uint256 threshold)",
  "function checkSignatures(bytes32 digest, bytes[] signatures) view",
  "event ValidatorSetChanged(uint256 indexed epoch, address[] validators, uint256 threshold)",
  "error InvalidThreshold(uint256 threshold, uint256 validatorCount)",
  "error InvalidValidator(address validator)",
  "error NotEnoughSignatures(uint256 given, uint256 threshold)",
  "error SignerNotValidator(address signer)",
  "error SignersNotAscending(address previous, address signer)",
] as const;

/**
 * Foreign side (Ethereum mainnet): locks the token. It serves exactly one home gateway, forever: `homeChainId` is
 * fixed at construction (non-zero, not the vault's own chain: `InvalidHomeChain`), and `binder` (set at construction)
 * calls `bindGateway` once, which sets `homeGateway`, clears `binder` and emits `GatewayBound`; replacing the gateway
 * means a new vault (contracts/README.md, "Migration"). Until bound, deposits, `withdrawalDigest` and
 * `executeWithdrawal` revert `NotBound`; `refund` does not need the binding.
 *
 * A deposit by a whitelisted sender emits `Deposited` (the agents mint it on home), uses the deposit limits and sets
 * `depositRecord(depositId) = keccak256(abi.encode(sender, homeRecipient, amount))` (zero for every other id);
 * agents check it through their own node before confirming a deposit or signing its cancellation. Any other deposit
 * is bounded per transaction by the deposit limits and becomes refundable: `refund` is permissionless and pays the
 * sender `amount - fee` once (fee = amount * feeBps / 10000, the fee in force at deposit time, to `feeRecipient`).
 *
 * `executeWithdrawal` is permissionless: it needs m-of-n EIP-712 signatures over
 * `Withdrawal(uint256 homeChainId,address homeGateway,uint256 withdrawalId,address recipient,uint256 amount)` in the
 * domain {name: "ConsortiumBridgeVault", version: "1", chainId: <live foreign chain id>, verifyingContract: <vault>}
 * (see WITHDRAWAL_EIP712), then consumes the release limits (per transaction and daily: `AmountBelowMin`,
 * `AmountAboveMax`, `DailyLimitExceeded`), so a threshold of keys takes at most the daily release limit per day. A
 * withdrawal refused by the limits is not processed and stays executable with the same signatures later.
 * Constructor limits are `[minPerTx, maxPerTx, dailyLimit]`.
 */
export const FOREIGN_VAULT_ABI = [
  "constructor(address token, address validatorSet, address owner, uint256 homeChainId, address binder, uint256[3] depositLimits, uint256[3] releaseLimits, uint256 feeBps, address feeRecipient)",
  ...ROLES_ABI,
  ...PAUSABLE_ABI,
  "function WHITELIST_MANAGER_ROLE() view returns (bytes32)",
  "function token() view returns (address)",
  "function validatorSet() view returns (address)",
  "function homeChainId() view returns (uint256)",
  "function homeGateway() view returns (address)",
  "function binder() view returns (address)",
  "function bindGateway(address gateway)",
  "function depositLimits() view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function depositedOnDay(uint256 day) view returns (uint256)",
  "function setDepositLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function releaseLimits() view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function releasedOnDay(uint256 day) view returns (uint256)",
  "function setReleaseLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function depositNonce() view returns (uint256)",
  "function depositRecord(uint256 depositId) view returns (bytes32)",
  "function feeBps() view returns (uint256)",
  "function feeRecipient() view returns (address)",
  "function setFee(uint256 feeBps, address feeRecipient)",
  "function isWhitelisted(address account) view returns (bool)",
  "function setWhitelisted(address[] accounts, bool allowed)",
  "function deposit(uint256 amount, address homeRecipient) returns (uint256 depositId)",
  "function depositWithPermit(uint256 amount, address homeRecipient, uint256 deadline, uint8 v, bytes32 r, bytes32 s) returns (uint256 depositId)",
  "function refundable(uint256 depositId) view returns (address sender, uint256 amount)",
  "function refund(uint256 depositId)",
  "function withdrawalProcessed(uint256 withdrawalId) view returns (bool)",
  "function withdrawalDigest(uint256 withdrawalId, address recipient, uint256 amount) view returns (bytes32)",
  "function executeWithdrawal(uint256 withdrawalId, address recipient, uint256 amount, bytes[] signatures)",
  "event GatewayBound(uint256 homeChainId, address indexed gateway)",
  "event Deposited(uint256 indexed depositId, address indexed sender, address indexed homeRecipient, uint256 amount)",
  "event DepositRefundable(uint256 indexed depositId, address indexed sender, uint256 amount)",
  "event Refunded(uint256 indexed depositId, address indexed sender, uint256 amount, uint256 fee)",
  "event WithdrawalExecuted(uint256 indexed withdrawalId, address indexed recipient, uint256 amount)",
  "event WhitelistChanged(address indexed account, bool allowed)",
  "event FeeChanged(uint256 feeBps, address feeRecipient)",
  "event DepositLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "event ReleaseLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  ...LIMITS_ERRORS,
  "error InvalidFee(uint256 feeBps)",
  "error ZeroAddress()",
  "error InvalidHomeChain(uint256 homeChainId)",
  "error NotBinder(address caller)",
  "error AlreadyBound(address gateway)",
  "error NotBound()",
  "error NotRefundable(uint256 depositId)",
  "error WithdrawalAlreadyProcessed(uint256 withdrawalId)",
] as const;

/**
 * Home side (the consortium chain). The constructor creates the bridged token (so the token's gateway is fixed
 * without a deployment-order dance); `token()` returns it. `confirmDeposit` is called by each validator; the deposit is minted once
 * `threshold` current validators confirmed the same (depositId, recipient, amount). Execution limits (min/max per tx,
 * daily) apply to mints, withdraw limits to `withdraw`. `withdraw` burns the caller's bridged tokens and records the
 * request; each validator then posts its EIP-712 signature with `submitWithdrawalSignature`; anyone reads them back
 * with `withdrawalSignatures` and executes on foreign. `withdrawalDigest(id)` is the digest the vault verifies: the
 * vault's domain (foreign chain id + vault address, set at construction) over Withdrawal(<live home chain id>,
 * <this gateway>, id, recipient, amount).
 *
 * `cancelDeposit` (DEFAULT_ADMIN_ROLE, also while paused) gives a whitelisted deposit the home side cannot mint (e.g.
 * above the execution limits) back to its foreign sender: it sets `depositCancelled(depositId)` and records withdrawal
 * `++withdrawalNonce` to `sender` for `amount` with `cancelledDepositId = depositId` (nothing burnt, no withdraw limit),
 * emitting `DepositCancelled` and `WithdrawalRequested`. Validators sign it like any withdrawal, after checking that the
 * vault's `depositRecord(depositId)` equals keccak256(abi.encode(sender, homeRecipient, amount)); the vault releases it
 * under its release limits. `withdrawal(id).cancelledDepositId` is 0 for a normal (burning) withdrawal. A cancelled
 * deposit is never minted (`confirmDeposit` reverts `AlreadyCancelled`), a minted one never cancelled (`AlreadyMinted`);
 * deposit id 0 cannot be cancelled (`InvalidDepositId`: ids start at 1 and 0 marks a normal withdrawal).
 */
export const HOME_GATEWAY_ABI = [
  "constructor(string tokenName, string tokenSymbol, uint8 tokenDecimals, address validatorSet, address owner, uint256 foreignChainId, address foreignVault, uint256[3] executionLimits, uint256[3] withdrawLimits)",
  ...ROLES_ABI,
  ...PAUSABLE_ABI,
  "function token() view returns (address)",
  "function validatorSet() view returns (address)",
  "function foreignChainId() view returns (uint256)",
  "function foreignVault() view returns (address)",
  "function executionLimits() view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function executionSpentOnDay(uint256 day) view returns (uint256)",
  "function withdrawSpentOnDay(uint256 day) view returns (uint256)",
  "function withdrawLimits() view returns (uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function setExecutionLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function setWithdrawLimits(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "function confirmDeposit(uint256 depositId, address recipient, uint256 amount)",
  "function depositMinted(uint256 depositId) view returns (bool)",
  "function depositCancelled(uint256 depositId) view returns (bool)",
  "function cancelDeposit(uint256 depositId, address sender, address homeRecipient, uint256 amount) returns (uint256 withdrawalId)",
  "function depositConfirmedBy(uint256 depositId, address recipient, uint256 amount, address validator) view returns (bool)",
  "function withdrawalNonce() view returns (uint256)",
  "function withdraw(uint256 amount, address foreignRecipient) returns (uint256 withdrawalId)",
  "function withdrawal(uint256 withdrawalId) view returns (address recipient, uint256 amount, uint256 cancelledDepositId)",
  "function withdrawalDigest(uint256 withdrawalId) view returns (bytes32)",
  "function submitWithdrawalSignature(uint256 withdrawalId, bytes signature)",
  "function withdrawalSignedBy(uint256 withdrawalId, address validator) view returns (bool)",
  "function withdrawalSignatures(uint256 withdrawalId) view returns (address[] signers, bytes[] signatures)",
  "event DepositConfirmed(uint256 indexed depositId, address indexed validator, address recipient, uint256 amount)",
  "event DepositMinted(uint256 indexed depositId, address indexed recipient, uint256 amount)",
  "event WithdrawalRequested(uint256 indexed withdrawalId, address indexed sender, address indexed foreignRecipient, uint256 amount)",
  "event DepositCancelled(uint256 indexed depositId, uint256 indexed withdrawalId, address indexed sender, address homeRecipient, uint256 amount)",
  "event WithdrawalSigned(uint256 indexed withdrawalId, address indexed validator, uint256 signatureCount)",
  "event ExecutionLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "event WithdrawLimitsChanged(uint256 minPerTx, uint256 maxPerTx, uint256 dailyLimit)",
  "error NotValidator(address account)",
  "error AlreadyConfirmed(uint256 depositId, address validator)",
  "error AlreadyMinted(uint256 depositId)",
  "error AlreadyCancelled(uint256 depositId)",
  "error InvalidDepositId(uint256 depositId)",
  "error InvalidAmount()",
  ...LIMITS_ERRORS,
  "error ZeroAddress()",
  "error UnknownWithdrawal(uint256 withdrawalId)",
  "error AlreadySigned(uint256 withdrawalId, address validator)",
  "error SignatureMismatch(uint256 withdrawalId, address recovered, address validator)",
] as const;

/** ERC-20 + EIP-2612 permit, created by the gateway; `mint`/`burn` only by it (`gateway` = its creator). */
export const BRIDGED_TOKEN_ABI = [
  "constructor(string name, string symbol, uint8 decimals)",
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function transferFrom(address from, address to, uint256 amount) returns (bool)",
  "function nonces(address owner) view returns (uint256)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
  "function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)",
  // RLC's approve-and-notify: the iexec SDK deposits into PoCo with it.
  "function approveAndCall(address spender, uint256 value, bytes extraData) returns (bool)",
  "function gateway() view returns (address)",
  "function mint(address to, uint256 amount)",
  "function burn(address from, uint256 amount)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "error OnlyGateway(address caller)",
] as const;

/** The foreign token as the vault and the tests see it (RLC on mainnet; `rlc-faucet-contract` in the dev stack). */
export const ERC20_ABI = [
  "function decimals() view returns (uint8)",
  "function balanceOf(address account) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
] as const;

/**
 * EIP-712 pieces the agent needs to sign a withdrawal for the foreign vault. Domain: {name: domainName, version:
 * domainVersion, chainId: <foreign chain id>, verifyingContract: <vault>}. Message: `homeChainId` is the home chain's
 * id and `homeGateway` the gateway that created the withdrawal id (the vault's `homeChainId()` / `homeGateway()`).
 */
export const WITHDRAWAL_EIP712 = {
  domainName: "ConsortiumBridgeVault",
  domainVersion: "1",
  types: {
    Withdrawal: [
      { name: "homeChainId", type: "uint256" },
      { name: "homeGateway", type: "address" },
      { name: "withdrawalId", type: "uint256" },
      { name: "recipient", type: "address" },
      { name: "amount", type: "uint256" },
    ],
  },
} as const;
