/**
 * Detailed events (issue 12 part 5), only where the school's policy sets `reportDetail: "events"`:
 * each blocked or warned navigation as time, category, registrable domain and the identity the
 * policy names. This module holds the server's side of it: the retention setting (default 30
 * days, set by an admin who may change settings), the pruner that deletes older events, and the
 * search that only the safeguarding lead's role may run (`search_events` in roles.ts).
 *
 * The trade-off is written up in server/README.md ("Detailed events"): the seed policies promise
 * that internet use is not routinely monitored (001) while the DfE filtering standard asks that
 * reports can identify device, time, what was blocked and, where possible, the individual.
 */
import { DEFAULT_TIME_ZONE, dayOf } from '../lib/report/day.ts';
import { isRealDay } from '../lib/report/payload.ts';
import type { EventQuery, Store } from './store/types.ts';
import { MAX_EVENT_RETENTION_DAYS } from './store/types.ts';

export const RETENTION_SETTING = 'event_retention_days';
export const DEFAULT_RETENTION_DAYS = 30;
/** Most events one search answers; page on with `offset`. */
export const MAX_EVENT_PAGE = 500;
/** Most days one search may cover. */
export const MAX_SEARCH_DAYS = 31;

export async function retentionDays(store: Store): Promise<number> {
  const raw = await store.getSetting(RETENTION_SETTING);
  const days = raw === null ? Number.NaN : Number(raw);
  return Number.isInteger(days) && days >= 1 && days <= MAX_EVENT_RETENTION_DAYS
    ? days
    : DEFAULT_RETENTION_DAYS;
}

export type RetentionCheck = { ok: true; days: number } | { ok: false; message: string };

export function checkRetention(value: unknown): RetentionCheck {
  const days = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (
    typeof days !== 'number' ||
    !Number.isInteger(days) ||
    days < 1 ||
    days > MAX_EVENT_RETENTION_DAYS
  ) {
    return {
      ok: false,
      message: `retentionDays: expected a whole number of days from 1 to ${MAX_EVENT_RETENTION_DAYS}`,
    };
  }
  return { ok: true, days };
}

/** Delete the events older than the retention period; returns how many went. */
export async function pruneEvents(store: Store, now: number): Promise<number> {
  const days = await retentionDays(store);
  return store.pruneEvents(now - days * 86_400_000);
}

/**
 * Prune now and then every `everyMs` (default hourly). Several instances on one PostgreSQL each
 * prune; the deletes are idempotent. Returns a stop function.
 */
export function startEventPruner(
  store: Store,
  onError: (err: unknown) => void,
  everyMs = 60 * 60 * 1000,
): () => void {
  const run = () => void pruneEvents(store, Date.now()).catch(onError);
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The first instant (epoch ms) of `day` in `timeZone` (BST/GMT aware, whole minutes). */
export function startOfDay(day: string, timeZone: string = DEFAULT_TIME_ZONE): number {
  // Zones are at most 14 hours from UTC: walk from 14 hours before UTC midnight in quarter hours.
  let t = Date.parse(`${day}T00:00:00Z`) - 14 * 3_600_000;
  const end = t + 29 * 3_600_000;
  for (; t < end; t += 15 * 60_000) if (dayOf(t, timeZone) >= day) return t;
  return Date.parse(`${day}T00:00:00Z`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CATEGORY = /^[a-z0-9_-]{1,40}$/;

export type EventSearch = { ok: true; query: EventQuery } | { ok: false; message: string };

/**
 * A search from the dashboard's query string: `from`/`to` days (default today; at most
 * MAX_SEARCH_DAYS), and optionally `person` (the reported identity), `device` (installation id),
 * `category`, `group`, `offset`.
 */
export function parseEventSearch(
  params: URLSearchParams,
  now: number,
  timeZone: string = DEFAULT_TIME_ZONE,
): EventSearch {
  const today = dayOf(now, timeZone);
  const from = params.get('from') || params.get('day') || today;
  const to = params.get('to') || params.get('day') || from;
  if (!isRealDay(from)) return { ok: false, message: 'from: expected a day written YYYY-MM-DD' };
  if (!isRealDay(to)) return { ok: false, message: 'to: expected a day written YYYY-MM-DD' };
  if (from > to) return { ok: false, message: 'from must be on or before to' };
  const fromMs = startOfDay(from, timeZone);
  const toMs = startOfDay(
    new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
    timeZone,
  );
  if (toMs - fromMs > MAX_SEARCH_DAYS * 86_400_000 + 3_600_000) {
    return { ok: false, message: `a search may cover at most ${MAX_SEARCH_DAYS} days` };
  }
  const query: EventQuery = { fromMs, toMs, limit: MAX_EVENT_PAGE, offset: 0 };
  const person = params.get('person')?.trim().toLowerCase();
  if (person) {
    if (person.length > 254) return { ok: false, message: 'person: at most 254 characters' };
    query.identity = person;
  }
  const device = params.get('device')?.trim().toLowerCase();
  if (device) {
    if (!UUID.test(device)) return { ok: false, message: 'device: expected an installation id' };
    query.installationId = device;
  }
  const category = params.get('category')?.trim();
  if (category) {
    if (!CATEGORY.test(category)) return { ok: false, message: 'category: expected a category id' };
    query.category = category;
  }
  const group = params.get('group')?.trim();
  if (group) query.group = group.slice(0, 80);
  const offset = Number(params.get('offset') ?? '0');
  if (!Number.isInteger(offset) || offset < 0 || offset > 1_000_000) {
    return { ok: false, message: 'offset: expected a whole number' };
  }
  query.offset = offset;
  return { ok: true, query };
}
