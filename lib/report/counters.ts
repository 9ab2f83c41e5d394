/**
 * Aggregated counters: what happened, how often, on which school day. Never which site or which
 * email: a row is (kind, day, category or detector, outcome) → count, so storage grows with
 * days × categories, not with visits, and there is nothing in it a report could leak.
 *
 * Pure module: the store is injected.
 */
import { dayOf } from './day.ts';
import {
  EMAIL_DETECTORS,
  EMAIL_OUTCOMES,
  type EmailDetector,
  type EmailOutcome,
  EVENT_OUTCOMES,
  type EventOutcome,
  isEmailPair,
  isRegistrableDomain,
  MAX_COUNT,
  NAVIGATION_OUTCOMES,
  type NavigationOutcome,
} from './payload.ts';
import { type CounterKey, type DropRecord, NO_DROPS, type ReportStore } from './store.ts';

/** One thing to count, as the block page or the send warning knows it. */
export type CountEvent =
  | { kind: 'navigation'; category: string; outcome: NavigationOutcome }
  | { kind: 'email'; detector: EmailDetector; outcome: EmailOutcome };

/** The contract's category pattern: checked here so a bad name never reaches a batch. */
const CATEGORY_PATTERN = /^[a-z0-9_-]{1,40}$/;

export type CountCheck = { ok: true; key: Omit<CounterKey, 'day'> } | { ok: false; error: string };

/** Check an event (it may come from another context by message, so trust nothing). */
export function checkEvent(event: unknown): CountCheck {
  if (typeof event !== 'object' || event === null) return { ok: false, error: 'not an object' };
  const e = event as Record<string, unknown>;
  if (e.kind === 'navigation') {
    if (typeof e.category !== 'string' || !CATEGORY_PATTERN.test(e.category)) {
      return { ok: false, error: `category must match ${CATEGORY_PATTERN}` };
    }
    if (!(NAVIGATION_OUTCOMES as readonly unknown[]).includes(e.outcome)) {
      return {
        ok: false,
        error: `navigation outcome must be one of ${NAVIGATION_OUTCOMES.join(', ')}`,
      };
    }
    return { ok: true, key: { kind: 'navigation', key: e.category, outcome: e.outcome as string } };
  }
  if (e.kind === 'email') {
    if (!(EMAIL_DETECTORS as readonly unknown[]).includes(e.detector)) {
      return { ok: false, error: `email detector must be one of ${EMAIL_DETECTORS.join(', ')}` };
    }
    if (!(EMAIL_OUTCOMES as readonly unknown[]).includes(e.outcome)) {
      return { ok: false, error: `email outcome must be one of ${EMAIL_OUTCOMES.join(', ')}` };
    }
    if (!isEmailPair(e.detector as string, e.outcome as string)) {
      return { ok: false, error: `email outcome ${e.outcome} does not go with ${e.detector}` };
    }
    return {
      ok: true,
      key: { kind: 'email', key: e.detector as string, outcome: e.outcome as string },
    };
  }
  return { ok: false, error: 'kind must be "navigation" or "email"' };
}

export type CountResult = { ok: true; day: string } | { ok: false; error: string };

/**
 * Add one to the counter of `event` on the school day of `at`. A counter already at the
 * contract's per-row maximum (a million a day) stops growing and the overflow is recorded as
 * dropped, because a row above the maximum would get the whole batch refused.
 */
export async function count(
  store: ReportStore,
  event: unknown,
  at: Date | number,
  timeZone: string,
): Promise<CountResult> {
  const checked = checkEvent(event);
  if (!checked.ok) return checked;
  const day = dayOf(at, timeZone);
  const added = await store.increment({ ...checked.key, day }, 1, MAX_COUNT);
  if (!added) {
    const when = typeof at === 'number' ? at : at.getTime();
    await store.prune((_c, _b, drops) => ({
      counterIds: [],
      batchIds: [],
      drops: addDrop(drops, { rows: 0, count: 1, batches: 0, days: [day], at: when }),
    }));
  }
  return { ok: true, day };
}

/** A detailed event as the service worker derived it (never from a page's say-so). */
export interface DetailEvent {
  category: string;
  outcome: EventOutcome;
  /** The registrable domain of the blocked URL (`registrableDomainOf` in payload.ts). */
  domain: string;
}

/** Most event rows kept waiting in the browser; older ones go first (pruned like counters). */
export const MAX_PENDING_EVENTS = 5000;

/**
 * Keep one detailed event (the caller checks that the policy asks for events). The domain must be
 * a registrable domain only: anything with a sub-domain, path or query is refused here, before it
 * is stored, so it can never reach a batch.
 */
export async function recordEvent(
  store: ReportStore,
  event: DetailEvent,
  at: number,
  timeZone: string,
): Promise<CountResult> {
  if (!CATEGORY_PATTERN.test(event.category)) {
    return { ok: false, error: `category must match ${CATEGORY_PATTERN}` };
  }
  if (!(EVENT_OUTCOMES as readonly string[]).includes(event.outcome)) {
    return { ok: false, error: `event outcome must be one of ${EVENT_OUTCOMES.join(', ')}` };
  }
  if (!isRegistrableDomain(event.domain)) {
    return { ok: false, error: 'domain must be a registrable domain only' };
  }
  const day = dayOf(at, timeZone);
  await store.increment(
    {
      kind: 'event',
      day,
      key: event.category,
      outcome: event.outcome,
      at,
      domain: event.domain,
    },
    1,
    MAX_COUNT,
  );
  return { ok: true, day };
}

/** The drop record after dropping `rows` rows holding `count` counts from `days`. */
export function addDrop(
  prev: DropRecord,
  d: { rows: number; count: number; batches: number; days: string[]; at: number },
): DropRecord {
  const next: DropRecord = { ...NO_DROPS, ...prev };
  next.rows += d.rows;
  next.count += d.count;
  next.batches += d.batches;
  for (const day of d.days) {
    if (next.firstDay === null || day < next.firstDay) next.firstDay = day;
    if (next.lastDay === null || day > next.lastDay) next.lastDay = day;
  }
  next.lastAt = d.at;
  return next;
}
