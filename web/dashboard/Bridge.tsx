// The dashboard's bridge section: the invariant, today's use of the daily limits, the oldest transfer still owed,
// refunds and fees, each validator's gas and each agent's own health (monitor/bridgeStatus.ts).
import type { BridgeStatus, DailyUse, RefundsStatus, UnrelayedTransfer } from "../../monitor/bridgeStatus";
import { Card } from "../shared/Card";
import { duration, gas, percent, shortAddress, shortHash } from "../shared/format";

export function Bridge({ bridge, error }: { bridge: BridgeStatus | null; error: string | undefined }) {
  return (
    <>
      <h2>Bridge</h2>
      {!bridge ? (
        <p class="notice bad" data-testid="bridge-error">
          The monitor cannot read the bridge{error ? `: ${error}` : " yet"}.
        </p>
      ) : (
        <BridgeTables bridge={bridge} />
      )}
    </>
  );
}

const use = (d: DailyUse) => `${d.today} of ${d.dailyLimit} (${percent(d.share)})`;

function BridgeTables({ bridge }: { bridge: BridgeStatus }) {
  return (
    <>
      <section class="cards">
        <Card
          label="Backing"
          testid="invariant"
          value={bridge.invariantHolds ? "every minted token backed" : "BROKEN: minted exceeds locked"}
          note={`${bridge.minted} minted on home, ${bridge.locked} locked on foreign`}
          tone={bridge.invariantHolds ? "good" : "bad"}
        />
        <Card label="Deposits today" testid="deposits-today" value={use(bridge.deposits)} />
        <Card label="Withdrawals today" testid="withdrawals-today" value={use(bridge.withdrawals)} />
      </section>
      <section class="cards">
        <Oldest unrelayed={bridge.unrelayed} />
        <Refunds refunds={bridge.refunds} />
      </section>
      <table>
        <thead>
          <tr>
            <th>Validator</th>
            <th>Address</th>
            <th>Gas on home</th>
            <th>Gas on foreign</th>
            <th>Agent</th>
            <th>Lag (blocks)</th>
            <th>Pending</th>
            <th>Alerts</th>
          </tr>
        </thead>
        <tbody>
          {bridge.validators.map((v) => {
            const agent = bridge.agents.find((a) => a.name === v.name);
            return (
              <tr key={v.address} data-testid={`validator-${v.name}`} data-state={agent?.up ? "up" : "down"}>
                <td>{v.name}</td>
                <td title={v.address}>{shortAddress(v.address)}</td>
                <td title={v.homeBalance ?? undefined}>{gas(v.homeBalance)}</td>
                <td title={v.foreignBalance ?? undefined}>{gas(v.foreignBalance)}</td>
                <td class={agent?.up ? "good" : "bad"}>{!agent ? "no agent" : agent.up ? "following" : agent.problem}</td>
                <td>{Object.entries(agent?.lag ?? {}).map(([side, lag]) => `${side} ${lag ?? "–"}`).join(", ") || "–"}</td>
                <td>{agent?.actionsPending ?? "–"}</td>
                <td class={agent?.alertCount ? "bad" : ""}>{agent?.alertCount ?? "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** What the oldest transfer waits for: the validators that have not acted, or (signed) its release by anyone. */
function waiting(t: UnrelayedTransfer): string {
  if (t.waitingFor.length > 0) return `waiting for ${t.waitingFor.join(", ")} to ${t.direction === "deposit" ? "confirm" : "sign"}`;
  return t.stage === "signed" ? "signed: waiting for its release on foreign" : t.stage;
}

function Oldest({ unrelayed: u }: { unrelayed: BridgeStatus["unrelayed"] }) {
  const t = u.oldest;
  const owed = `${plural(u.deposits, "deposit")} and ${plural(u.withdrawals, "withdrawal")} in flight`;
  if (!t) return <Card label="Oldest unrelayed transfer" testid="oldest-unrelayed" value="none" note="every transfer relayed" tone="good" />;
  return (
    <Card
      label="Oldest unrelayed transfer"
      testid="oldest-unrelayed"
      value={`${t.direction} #${t.id}, ${duration(t.ageSeconds)} old`}
      note={`${t.amount} · block #${t.block} · tx ${shortHash(t.txHash)} · ${waiting(t)} · ${owed}`}
    />
  );
}

function Refunds({ refunds: r }: { refunds: RefundsStatus }) {
  return (
    <>
      <Card
        label="Refunds (not whitelisted)"
        testid="refunds"
        value={`${plural(r.count, "deposit")} refunded, ${r.total}`}
        note={`${r.returned} back to senders · ${plural(r.pending, "deposit")} (${r.pendingAmount}) waiting for a refund`}
      />
      <Card label="Fees kept" testid="fees" value={r.fees} note={`to ${shortAddress(r.feeRecipient)} · fee now ${r.feeBps / 100} % of a refunded deposit`} />
    </>
  );
}
