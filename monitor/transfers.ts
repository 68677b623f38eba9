// A token holder's transfers as the bridge app shows them (pure): each deposit's and withdrawal's stage, from what
// the chains say of it — never from browser storage, so a reload shows the same.
import { formatUnits } from "ethers";

export type DepositStage =
  /** Mined on foreign, waiting for the agents' confirmation depth. */
  | "confirming"
  /** Deep enough: validators confirm it on home (confirmations/threshold). */
  | "validating"
  | "minted"
  /** From a sender the whitelist does not hold: it comes back minus the fee, once someone calls refund. */
  | "refundable"
  | "refunded";

export type WithdrawalStage = "signing" | "signed" | "released";

export interface DepositView {
  id: string;
  block: number;
  txHash: string;
  amount: string;
  stage: DepositStage;
  /** Blocks on foreign since the deposit's (at least 1 once mined). */
  depth: number;
  /** Validators that confirmed it on home, of those needed. */
  confirmations: number;
  /** Validators that have not confirmed yet (by name), while it waits for them. */
  waitingFor: string[];
  fee?: string;
}

export interface WithdrawalView {
  id: string;
  block: number;
  txHash: string;
  amount: string;
  /** The amount in base units (what `executeWithdrawal` takes). */
  amountUnits: string;
  recipient: string;
  stage: WithdrawalStage;
  signatures: number;
  waitingFor: string[];
  /** When signed and not released: what `executeWithdrawal` takes, so the recipient can release it. */
  signatureList?: string[];
}

export interface DepositFacts {
  id: bigint;
  block: number;
  txHash: string;
  amount: bigint;
  whitelisted: boolean;
  minted: boolean;
  /** Validator names that confirmed. */
  confirmedBy: string[];
  /** Non-whitelisted deposits: still refundable, and the fee taken once refunded. */
  refundable?: boolean;
  fee?: bigint;
}

export interface WithdrawalFacts {
  id: bigint;
  block: number;
  txHash: string;
  amount: bigint;
  recipient: string;
  /** Validators (by name) whose signature the gateway holds. */
  signedBy: string[];
  /** The signatures `executeWithdrawal` takes, once enough current validators signed (none before). */
  executable: string[];
  released: boolean;
}

export interface Context {
  decimals: number;
  threshold: number;
  validators: string[];
  /** The agents' confirmation depth on foreign, and the foreign head. */
  confirmationsNeeded: number;
  foreignHead: number;
}

export function depositView(d: DepositFacts, c: Context): DepositView {
  const depth = Math.max(0, c.foreignHead - d.block + 1);
  const stage: DepositStage = !d.whitelisted
    ? d.refundable
      ? "refundable"
      : "refunded"
    : d.minted
      ? "minted"
      : depth < c.confirmationsNeeded
        ? "confirming"
        : "validating";
  const waiting = stage === "validating" ? c.validators.filter((v) => !d.confirmedBy.includes(v)) : [];
  return {
    id: d.id.toString(),
    block: d.block,
    txHash: d.txHash,
    amount: formatUnits(d.amount, c.decimals),
    stage,
    depth,
    confirmations: d.confirmedBy.length,
    waitingFor: waiting,
    ...(d.fee !== undefined ? { fee: formatUnits(d.fee, c.decimals) } : {}),
  };
}

export function withdrawalView(w: WithdrawalFacts, c: Context): WithdrawalView {
  const stage: WithdrawalStage = w.released ? "released" : w.executable.length > 0 ? "signed" : "signing";
  return {
    id: w.id.toString(),
    block: w.block,
    txHash: w.txHash,
    amount: formatUnits(w.amount, c.decimals),
    amountUnits: w.amount.toString(),
    recipient: w.recipient,
    stage,
    signatures: w.signedBy.length,
    waitingFor: stage === "signing" ? c.validators.filter((v) => !w.signedBy.includes(v)) : [],
    ...(stage === "signed" ? { signatureList: w.executable } : {}),
  };
}
