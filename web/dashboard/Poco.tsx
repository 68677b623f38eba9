// The dashboard's PoCo section: the hub, its categories and the registered worker pools, with what keeps PoCo from
// taking work (monitor/pocoStatus.ts).
import type { PocoStatus } from "../../monitor/pocoStatus";
import { Card } from "../shared/Card";
import { shortAddress } from "../shared/format";

export function Poco({ poco, error }: { poco: PocoStatus | null; error: string | undefined }) {
  return (
    <>
      <h2>PoCo</h2>
      {!poco ? (
        <p class="notice bad" data-testid="poco-error">
          The monitor cannot read PoCo{error ? `: ${error}` : " yet"}.
        </p>
      ) : (
        <PocoTables poco={poco} />
      )}
    </>
  );
}

function PocoTables({ poco }: { poco: PocoStatus }) {
  const ok = poco.problems.length === 0;
  return (
    <>
      <section class="cards">
        <Card
          label="Hub"
          testid="poco-hub"
          value={shortAddress(poco.hub)}
          note={ok ? `ready · owner ${poco.owner ? shortAddress(poco.owner) : "–"}` : poco.problems.join("; ")}
          tone={ok ? "good" : "bad"}
        />
        <Card label="Categories" testid="poco-categories" value={String(poco.categories.length)} note={poco.categories.map((c) => c.name).join(", ") || "none"} />
        <Card
          label="Worker pools"
          testid="poco-workerpools"
          value={String(poco.workerpools.count)}
          note={poco.workerpoolRegistry ? `registry ${shortAddress(poco.workerpoolRegistry)}` : "no registry"}
        />
      </section>
      {poco.workerpools.listed.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Worker pool</th>
              <th>Owner</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {poco.workerpools.listed.map((p) => (
              <tr key={p.address} data-testid={`workerpool-${p.address}`}>
                <td title={p.address}>{shortAddress(p.address)}</td>
                <td title={p.owner}>{shortAddress(p.owner)}</td>
                <td>{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {poco.workerpools.count > poco.workerpools.listed.length && (
        <p class="muted">The first {poco.workerpools.listed.length} of {poco.workerpools.count} pools.</p>
      )}
    </>
  );
}
