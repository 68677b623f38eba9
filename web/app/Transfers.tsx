// The connected account's transfers, as the chains say they stand (the server reads them; a reload shows the same).
import type { DepositView, WithdrawalView } from "../../monitor/transfers";

export interface TransferActions {
  release(w: WithdrawalView): void;
  refund(depositId: string): void;
  busy: boolean;
}

function depositStage(d: DepositView, confirmations: number, threshold: number): string {
  switch (d.stage) {
    case "confirming":
      return `mined — confirmations ${d.depth}/${confirmations}`;
    case "validating":
      return `validators ${d.confirmations}/${threshold}${d.waitingFor.length ? ` — waiting for ${d.waitingFor.join(", ")}` : ""}`;
    case "minted":
      return "minted";
    case "refundable":
      return "not bridged (sender not whitelisted) — refundable";
    case "refunded":
      return `refunded${d.fee ? ` (fee ${d.fee})` : ""}`;
  }
}

function withdrawalStage(x: WithdrawalView, threshold: number): string {
  switch (x.stage) {
    case "signing":
      return `signatures ${x.signatures}/${threshold}${x.waitingFor.length ? ` — waiting for ${x.waitingFor.join(", ")}` : ""}`;
    case "signed":
      return "signatures collected — ready to release";
    case "released":
      return "released";
  }
}

/** Deposits are in the foreign token (`foreignSymbol`), withdrawals in the bridged one (`symbol`). */
export function Transfers(props: {
  deposits: DepositView[];
  withdrawals: WithdrawalView[];
  symbol: string;
  foreignSymbol: string;
  confirmations: number;
  threshold: number;
  actions: TransferActions;
}) {
  const { deposits, withdrawals, symbol, foreignSymbol, actions } = props;
  if (deposits.length === 0 && withdrawals.length === 0) return <p class="muted">No transfers from this account yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Transfer</th>
          <th>Amount</th>
          <th>Status</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {deposits.map((d) => (
          <tr key={`d${d.id}`} data-testid={`deposit-${d.id}`} data-stage={d.stage}>
            <td>Deposit #{d.id}</td>
            <td>
              {d.amount} {foreignSymbol}
            </td>
            <td>{depositStage(d, props.confirmations, props.threshold)}</td>
            <td>
              {d.stage === "refundable" && (
                <button disabled={actions.busy} onClick={() => actions.refund(d.id)}>
                  Take it back
                </button>
              )}
            </td>
          </tr>
        ))}
        {withdrawals.map((x) => (
          <tr key={`w${x.id}`} data-testid={`withdrawal-${x.id}`} data-stage={x.stage}>
            <td>Withdrawal #{x.id}</td>
            <td>
              {x.amount} {symbol}
            </td>
            <td>{withdrawalStage(x, props.threshold)}</td>
            <td>
              {x.stage === "signed" && (
                <button disabled={actions.busy} onClick={() => actions.release(x)}>
                  Release on foreign
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
