/**
 * The school day an instant belongs to.
 *
 * Counts are grouped by the day in the school's time zone, not in UTC: a block at 00:30 BST on
 * 30 March belongs to 30 March for the head teacher reading the report, although it is still
 * 29 March in UTC. Intl.DateTimeFormat carries the tz database, so BST/GMT changes (last Sunday
 * of March and of October) need no table of our own.
 *
 * Pure module: no browser or Node API.
 */

/** Where Steward's schools are; the policy key `timeZone` overrides it. */
export const DEFAULT_TIME_ZONE = 'Europe/London';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        calendar: 'gregory',
        numberingSystem: 'latn',
      });
    } catch {
      // An unknown zone must not stop counting: the policy validator reports it to the admin, and
      // meanwhile the count lands on the day it would have in the default zone.
      if (timeZone === DEFAULT_TIME_ZONE) throw new RangeError('Intl has no Europe/London zone');
      return formatterFor(DEFAULT_TIME_ZONE);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The day (YYYY-MM-DD) of `at` in `timeZone`. */
export function dayOf(at: Date | number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const parts = formatterFor(timeZone).formatToParts(typeof at === 'number' ? new Date(at) : at);
  let year = '';
  let month = '';
  let day = '';
  for (const part of parts) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day `n` days after `day` (YYYY-MM-DD); `n` may be negative. */
export function addDays(day: string, n: number): string {
  const date = new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
  return date.toISOString().slice(0, 10);
}
