// One direction's form: the amount, and before any signature what the bridge would refuse (in words), the limits and
// fee that apply, and for a deposit from an account the whitelist does not hold, the warning it must accept.
import { useState } from "preact/hooks";
import type { LimitsView } from "../../monitor/bridgeApp";
import { parseAmount } from "./checks";

export interface TransferFormProps {
  kind: "deposit" | "withdraw";
  title: string;
  symbol: string;
  decimals: number;
  limits: LimitsView;
  /** A line on the fee or what happens next. */
  note: string;
  problems(units: bigint): string[];
  /** A warning the holder must accept before signing (a deposit from a non-whitelisted account). */
  warning?(units: bigint): string | undefined;
  busy: boolean;
  submit(units: bigint): void;
}

export function TransferForm(p: TransferFormProps) {
  const [text, setText] = useState("");
  const [accepted, setAccepted] = useState(false);
  const parsed = text.trim() === "" ? undefined : parseAmount(text, p.decimals);
  const problems = parsed === undefined ? [] : parsed.ok ? p.problems(parsed.units) : [parsed.problem];
  const warning = parsed?.ok ? p.warning?.(parsed.units) : undefined;
  const ready = parsed?.ok === true && problems.length === 0 && (!warning || accepted) && !p.busy;
  return (
    <form
      class="card transfer"
      data-testid={`${p.kind}-form`}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && parsed?.ok) p.submit(parsed.units);
      }}
    >
      <h3>{p.title}</h3>
      <label>
        Amount ({p.symbol}){" "}
        <input data-testid={`${p.kind}-amount`} value={text} inputMode="decimal" onInput={(e) => (setText((e.target as HTMLInputElement).value), setAccepted(false))} />
      </label>
      <p class="muted">
        Per transfer {p.limits.min} to {p.limits.max} {p.symbol}; {p.limits.leftToday} of {p.limits.daily} left today. {p.note}
      </p>
      {problems.map((x) => (
        <p class="notice bad" data-testid={`${p.kind}-problem`}>
          {x}
        </p>
      ))}
      {warning && (
        <div class="notice bad" data-testid={`${p.kind}-warning`}>
          <p>{warning}</p>
          <label>
            <input type="checkbox" data-testid={`${p.kind}-accept`} checked={accepted} onChange={(e) => setAccepted((e.target as HTMLInputElement).checked)} /> I understand, deposit anyway
          </label>
        </div>
      )}
      <button type="submit" data-testid={`${p.kind}-submit`} disabled={!ready}>
        {p.title}
      </button>
    </form>
  );
}
