/** Totals over days, shared by the summary API and the governors' report. */
import type { Summary } from './store/types.ts';

/** Totals per category and outcome, and per detector and outcome, for the summary API. */
export function totalsOf(summary: Summary) {
  const nav = new Map<string, { category: string; outcome: string; count: number }>();
  for (const r of summary.navigation) {
    const key = `${r.category}\u0000${r.outcome}`;
    const seen = nav.get(key);
    if (seen) seen.count += r.count;
    else nav.set(key, { category: r.category, outcome: r.outcome, count: r.count });
  }
  const mail = new Map<string, { detector: string; outcome: string; count: number }>();
  for (const r of summary.email) {
    const key = `${r.detector}\u0000${r.outcome}`;
    const seen = mail.get(key);
    if (seen) seen.count += r.count;
    else mail.set(key, { detector: r.detector, outcome: r.outcome, count: r.count });
  }
  const byName = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  return {
    navigationTotals: [...nav.values()].sort(byName),
    emailTotals: [...mail.values()].sort(byName),
  };
}
