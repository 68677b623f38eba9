// The operators' dashboard: the chain's head and pace, each signer's sealing, the fault margin, the nodes' peers and,
// with a bridge, its backing, limits, transfers in flight, refunds, validators and agents, and with PoCo, its hub,
// categories and worker pools, as the monitor reports them (monitor/status.ts). Every value carries a data-testid for
// the browser tests.
import type { ChainStatus } from "../../monitor/chainStatus";
import type { MonitorStatus } from "../../monitor/status";
import { Bridge } from "./Bridge";
import { Poco } from "./Poco";
import { Card } from "../shared/Card";
import { margin, percent, seconds, shortAddress } from "../shared/format";
import { useStatus } from "./useStatus";

export function Dashboard() {
  const reading = useStatus();
  return (
    <main>
      <h1>Consortium dashboard</h1>
      {reading.kind === "loading" && <p class="notice">Reading the monitor…</p>}
      {reading.kind === "unreachable" && (
        <p class="notice bad" data-testid="unreachable">
          The monitor does not answer (since {reading.since.toLocaleTimeString()}): is the stack up?
        </p>
      )}
      {reading.kind === "read" && <Status status={reading.status} />}
    </main>
  );
}

function Status({ status }: { status: MonitorStatus }) {
  return (
    <>
      <p class={`notice ${status.ok ? "good" : "bad"}`} data-testid="freshness">
        {status.ok ? "Live" : status.error ? `The monitor cannot read the chain: ${status.error}` : "The monitor's reading is stale"}
        {status.chain && <span class="muted"> · read {new Date(status.updatedAt).toLocaleTimeString()}</span>}
      </p>
      {status.chain && <Chain chain={status.chain} />}
      <Peers peers={status.peers} />
      {status.bridge !== undefined && <Bridge bridge={status.bridge} error={status.bridgeError} />}
      {status.poco !== undefined && <Poco poco={status.poco} error={status.pocoError} />}
    </>
  );
}

function Chain({ chain }: { chain: ChainStatus }) {
  const healthy = chain.faultMargin > 0;
  // Turns are Clique's: the other engines have no missed-turn count.
  const clique = chain.signers.some((s) => s.missedTurns !== null);
  return (
    <>
      <section class="cards">
        <Card label="Head" testid="head" value={`#${chain.head}`} />
        <Card label="Head age" testid="head-age" value={seconds(chain.headAgeSeconds)} />
        <Card label="Block time" testid="block-time" value={seconds(chain.blockTimeSeconds)} />
        <Card
          label="Signers sealing"
          testid="live-signers"
          value={`${chain.liveSigners} of ${chain.signers.length} (need ${chain.neededSigners})`}
          note={margin(chain.faultMargin)}
          tone={healthy ? "good" : "bad"}
        />
      </section>
      <h2>Signers</h2>
      <p class="muted">
        Blocks #{chain.window.from}–#{chain.window.to}. A signer that sealed none of the last {2 * chain.signers.length} blocks is missing.
      </p>
      <table>
        <thead>
          <tr>
            <th>Signer</th>
            <th>Address</th>
            <th>Last sealed</th>
            <th>Blocks since</th>
            <th>Share</th>
            {clique && <th title="Its turns in the window that another signer sealed">Missed turns</th>}
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {chain.signers.map((s) => (
            <tr key={s.address} data-testid={`signer-${s.name}`} data-state={s.missing ? "missing" : "sealing"}>
              <td>{s.name}</td>
              <td title={s.address}>{shortAddress(s.address)}</td>
              <td>{s.lastSealed === null ? "none in window" : `#${s.lastSealed}`}</td>
              <td>{s.blocksSinceSealed}</td>
              <td>{percent(s.share)}</td>
              {clique && <td data-testid={`missed-turns-${s.name}`}>{s.missedTurns}</td>}
              <td class={s.missing ? "bad" : "good"}>{s.missing ? "missing" : "sealing"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Peers({ peers }: { peers: MonitorStatus["peers"] }) {
  const nodes = Object.entries(peers);
  if (nodes.length === 0) return null;
  return (
    <>
      <h2>Nodes</h2>
      <table>
        <thead>
          <tr>
            <th>Node</th>
            <th>Peers</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map(([name, count]) => (
            <tr key={name} data-testid={`node-${name}`}>
              <td>{name}</td>
              <td class={count === null || count === 0 ? "bad" : ""}>{count === null ? "does not answer" : count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

