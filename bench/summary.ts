/**
 * Figures the benches hand to `bench/run.ts` for the closing summary table (the one pasted into
 * the README). A bench run on its own records here too; nobody prints it then.
 */
export type SummaryRow = {
  area: string;
  measure: string;
  value: string;
  /** The target in words, e.g. "< 1 s"; empty when there is none. */
  target?: string;
  met?: boolean;
};

const rows: SummaryRow[] = [];

export function record(row: SummaryRow): void {
  rows.push(row);
}

export function recorded(): readonly SummaryRow[] {
  return rows;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const n = (x: number) => Math.round(x).toLocaleString('en-GB');
export const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
