// One figure of the dashboard, with a label, an optional note and a tone for its border.
export function Card(props: { label: string; value: string; testid: string; note?: string; tone?: "good" | "bad" }) {
  return (
    <div class={`card ${props.tone ?? ""}`} data-testid={props.testid}>
      <div class="label">{props.label}</div>
      <div class="value">{props.value}</div>
      {props.note && <div class="note">{props.note}</div>}
    </div>
  );
}
