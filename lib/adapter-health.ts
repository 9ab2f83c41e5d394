/**
 * Webmail adapter health: what a webmail content script could not find on a compose page, as
 * stable codes. One definition, used by the content scripts (webmail/), the service worker's tally
 * (platform/reporting.ts), the report contract (lib/report/payload.ts, validated by the admin
 * server too) and the popup (which shows each code in plain English from `_locales`).
 *
 * Why codes and not sentences: the report contract carries no free text from a web page, so a
 * problem must be one of a fixed list. Before issue 10 the adapters recorded English sentences,
 * the contract refused them, and the browser stopped sending counts for good.
 *
 * Adding a code is a contract change (docs/report-payload.md): the server first, then the
 * extension. A code the contract does not know is dropped before a batch is sent, never allowed to
 * hold the counts back.
 *
 * Pure module: no browser or Node API.
 */

/** Webmail services that have an adapter. */
export const WEBMAIL_SERVICES = ['gmail', 'outlook', 'yahoo', 'roundcube'] as const;
export type WebmailService = (typeof WEBMAIL_SERVICES)[number];

export const ADAPTER_PROBLEMS = [
  /** A compose window's To field could not be found: Send went through unchecked. */
  'recipients_not_found',
  /** A compose window's message editor could not be found: Send went through unchecked. */
  'body_not_found',
  /** A Send control was pressed that belongs to no compose window the adapter can read. */
  'send_outside_compose',
  /** After the warning, the adapter found no Send control to send with. */
  'resend_control_not_found',
  /** "Remove" on the warning could not take a recipient out of the compose. */
  'recipient_not_removed',
  /** The subject field was not found to add the personal label. */
  'subject_not_found',
  /** The signed-in account could not be read: a personal mailbox cannot be told from the school's. */
  'account_unreadable',
] as const;
export type AdapterProblem = (typeof ADAPTER_PROBLEMS)[number];

const SERVICE_SET: ReadonlySet<string> = new Set(WEBMAIL_SERVICES);
const PROBLEM_SET: ReadonlySet<string> = new Set(ADAPTER_PROBLEMS);

export function isWebmailService(value: unknown): value is WebmailService {
  return typeof value === 'string' && SERVICE_SET.has(value);
}

export function isAdapterProblem(value: unknown): value is AdapterProblem {
  return typeof value === 'string' && PROBLEM_SET.has(value);
}

/** One row of the report's `status.adapterHealth`. */
export type AdapterHealthRow = { service: WebmailService; problem: AdapterProblem; count: number };

/**
 * The stored tally: `service\u0000problem` → times seen since the last delivered report. Older
 * versions stored English sentences under the same key shape; they are not codes and are dropped.
 */
export type AdapterHealthTally = Record<string, number>;

/** Most rows one report carries (the contract allows 50). */
export const MAX_HEALTH_ROWS = 50;
/** Largest count one row carries (the contract's MAX_COUNT). */
export const MAX_HEALTH_COUNT = 1_000_000;

const keyOf = (service: WebmailService, problem: AdapterProblem) => `${service}\u0000${problem}`;

/** The tally with one more sighting of a problem. */
export function recordProblem(
  tally: AdapterHealthTally,
  service: WebmailService,
  problem: AdapterProblem,
): AdapterHealthTally {
  const key = keyOf(service, problem);
  return { ...tally, [key]: Math.min(MAX_HEALTH_COUNT, (tally[key] ?? 0) + 1) };
}

/**
 * The tally as report rows: known services and codes only (anything else, such as a sentence an
 * older version stored, is left out), whole positive counts capped at the contract's maximum, the
 * most frequent first, at most MAX_HEALTH_ROWS.
 */
export function healthRows(tally: AdapterHealthTally): AdapterHealthRow[] {
  const rows = reportableRows(tally);
  rows.sort(
    (a, b) =>
      b.count - a.count || keyOf(a.service, a.problem).localeCompare(keyOf(b.service, b.problem)),
  );
  return rows.slice(0, MAX_HEALTH_ROWS);
}

function reportableRows(tally: AdapterHealthTally): AdapterHealthRow[] {
  const rows: AdapterHealthRow[] = [];
  for (const [key, raw] of Object.entries(tally)) {
    const [service, problem, extra] = key.split('\u0000');
    if (extra !== undefined || !isWebmailService(service) || !isAdapterProblem(problem)) continue;
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 1) continue;
    rows.push({ service, problem, count: Math.min(MAX_HEALTH_COUNT, Math.floor(raw)) });
  }
  return rows;
}

/**
 * The tally after a report carrying `delivered` reached the server (2xx): each delivered count is
 * taken off (sightings recorded while the report was in flight stay for the next one), and every
 * key that can never be reported (not a code) goes.
 */
export function forgetDelivered(
  tally: AdapterHealthTally,
  delivered: readonly { service: string; problem: string; count: number }[],
): AdapterHealthTally {
  const next: AdapterHealthTally = {};
  for (const row of reportableRows(tally)) next[keyOf(row.service, row.problem)] = row.count;
  for (const row of delivered) {
    if (!isWebmailService(row.service) || !isAdapterProblem(row.problem)) continue;
    const key = keyOf(row.service, row.problem);
    const left = (next[key] ?? 0) - row.count;
    if (left > 0) next[key] = left;
    else delete next[key];
  }
  return next;
}
