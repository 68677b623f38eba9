// The dashboard's bridge section: the invariant, today's use of the daily limits, each validator's gas and each
// agent's own health (monitor/bridgeStatus.ts).
import type { BridgeStatus, DailyUse } from "../../monitor/bridgeStatus";
import { Card } from "../shared/Card";
import { gas, percent, shortAddress } from "../shared/format";

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
