// How the dashboard writes numbers for people.

export const seconds = (s: number | null): string => (s === null ? "–" : s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`);

export const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** A native balance (ether units, exact decimal string) to four places: enough to see gas running low. */
export const gas = (ether: string | null): string => (ether === null ? "does not answer" : Number(ether).toFixed(4));

/** 0x1234…abcd: enough to tell signers apart; the full address is in the cell's title. */
export const shortAddress = (a: string): string => `${a.slice(0, 6)}…${a.slice(-4)}`;

export function margin(faultMargin: number): string {
  if (faultMargin < 0) return "cannot seal: too few signers";
  if (faultMargin === 0) return "no signer to spare";
  return `can lose ${faultMargin} more signer${faultMargin === 1 ? "" : "s"}`;
}

/** An age for people: seconds under two minutes, then minutes, then hours and minutes. */
export function duration(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7_200) return `${Math.round(s / 60)} min`;
  return `${Math.floor(s / 3_600)} h ${Math.round((s % 3_600) / 60)} min`;
}

/** 0x12345678…: enough to find a transaction; the full hash is in the title. */
export const shortHash = (h: string): string => `${h.slice(0, 10)}…`;
