/**
 * Personal-use windows: the times the school's policy lets staff use the internet for themselves
 * (seed 002 §8.2.1 "during lunch hours, before and after … normal working hours"; 001 and 004
 * "usual break time or shortly before or after normal working hours"; 003 "out-of-school hours,
 * including break and lunch times"). Inside a window some categories take other modes (e.g.
 * `social: allow`, `streaming: warn`); outside, the policy's normal modes apply.
 *
 * Pure schedule maths, exact to the millisecond, in the school's IANA time zone (the policy's
 * `timeZone`, the same one its reports are grouped by). Intl only: no date library is bundled
 * into the service worker.
 *
 * Wall-clock times that do not exist or happen twice (the clocks changing) follow RFC 5545 and
 * Temporal's "compatible" rule: a time in the spring-forward gap is read with the offset before the
 * change (Europe/London, last Sunday in March: 01:30 does not exist, so a window "from 01:30" opens
 * at 02:30 BST, and one "to 01:30" ends then too); a time that happens twice in the autumn means its
 * first occurrence (01:30 BST, not 01:30 GMT), so a window 01:00–02:00 that night lasts two hours.
 *
 * The schedule is the school's, not the person's: a lesson that runs over does not move lunch.
 */
import type { CategoryMode } from './policy.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly window: on each of `days`, from `from` to `to` (24-hour "HH:MM"; to ≤ from: overnight). */
export type PersonalUseWindow = { days: Weekday[]; from: string; to: string };

export type PersonalUsePolicy = {
  /** Weekly windows in the school's time zone; overlapping or touching windows merge. */
  windows: PersonalUseWindow[];
  /** Days the school is closed (`YYYY-MM-DD`, or a range `YYYY-MM-DD/YYYY-MM-DD`): open all day. */
  closedDates: string[];
  /** The mode each category takes inside a window; categories not named keep their normal mode. */
  modes: Record<string, CategoryMode>;
};

/** Most closed days a policy may list (ranges expanded): a few school years. */
export const MAX_CLOSED_DAYS = 2_000;
export const MAX_WINDOWS = 50;

/** A 24-hour time "HH:MM"; 24:00 (midnight at the end of the day) only as a window's end. */
export const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const NO_PERSONAL_USE: PersonalUsePolicy = { windows: [], closedDates: [], modes: {} };

// ─── Local dates and the time zone ──────────────────────────────────────────────────────────

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A local calendar date as a day number (days since 1970-01-01); its weekday is (n + 4) % 7. */
function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY;
}

export function parseDate(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const n = dayNumber(y, mo, d);
  const back = new Date(n * DAY);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d
    ? n
    : null;
}

/** `[first, last]` day numbers of a closed date or range, or null when it is not one. */
export function parseClosedDate(text: string): [number, number] | null {
  const [a, b, ...rest] = text.split('/');
  if (rest.length > 0 || a === undefined) return null;
  const first = parseDate(a);
  const last = b === undefined ? first : parseDate(b);
  if (first === null || last === null || last < first) return null;
  return [first, last];
}

export function closedDayCount(dates: string[]): number {
  let n = 0;
  for (const d of dates) {
    const range = parseClosedDate(d);
    if (range) n += range[1] - range[0] + 1;
  }
  return n;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at instant `t`, as ms since 1970 "as if UTC". */
function wallClock(timeZone: string, t: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(t)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const second = Math.floor(t / 1000) * 1000;
  return (
    Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    ) +
    (t - second)
  );
}

/** The zone's offset from UTC at instant `t`, in ms. */
function offsetAt(timeZone: string, t: number): number {
  return wallClock(timeZone, t) - t;
}

/** The local date (day number) at instant `t`. */
export function localDay(timeZone: string, t: number): number {
  return Math.floor(wallClock(timeZone, t) / DAY);
}

/**
 * The instant a local wall-clock time happens (`day` number, `minutes` after local midnight, up to
 * 1440). In the spring gap: read with the offset before the change; happening twice: the first.
 */
export function instantOf(timeZone: string, day: number, minutes: number): number {
  const wall = day * DAY + minutes * MINUTE;
  const before = offsetAt(timeZone, wall - DAY);
  const after = offsetAt(timeZone, wall + DAY);
  const early = wall - before;
  if (before === after || offsetAt(timeZone, early) === before) return early;
  const late = wall - after;
  if (offsetAt(timeZone, late) === after) return late;
  return early; // in the gap
}

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

// ─── Open periods ───────────────────────────────────────────────────────────────────────────

/** A stretch of time personal use is open, as instants [start, end). */
export type OpenPeriod = { start: number; end: number };

/** Weekly windows are laid out this many days either side of the instant asked about. */
const DAYS_BEHIND = 2;
const DAYS_AHEAD = 9;

/**
 * The merged open periods around `now`: weekly windows from two days before to nine days after,
 * and every closed date. A period reaching past that horizon is cut at it (a whole week of
 * windows with no gap then has a boundary nine days on, where nothing changes).
 */
export function openPeriods(
  policy: PersonalUsePolicy,
  timeZone: string,
  now: number,
): OpenPeriod[] {
  const today = localDay(timeZone, now);
  const periods: OpenPeriod[] = [];
  for (let day = today - DAYS_BEHIND; day <= today + DAYS_AHEAD; day++) {
    const weekday = WEEKDAYS[(((day + 4) % 7) + 7) % 7]!;
    for (const w of policy.windows) {
      if (!w.days.includes(weekday)) continue;
      const from = minutesOf(w.from);
      const to = minutesOf(w.to);
      const endDay = to <= from ? day + 1 : day;
      const start = instantOf(timeZone, day, from);
      const end = instantOf(timeZone, endDay, to);
      if (end > start) periods.push({ start, end });
    }
  }
  for (const text of policy.closedDates) {
    const range = parseClosedDate(text);
    if (!range) continue;
    periods.push({
      start: instantOf(timeZone, range[0], 0),
      end: instantOf(timeZone, range[1] + 1, 0),
    });
  }
  periods.sort((a, b) => a.start - b.start);
  const merged: OpenPeriod[] = [];
  for (const p of periods) {
    const last = merged[merged.length - 1];
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else merged.push({ ...p });
  }
  return merged;
}

export type PersonalUseNow = {
  /** The open period `now` is in, or null outside every window. */
  current: OpenPeriod | null;
  /** The next period that opens after `now`, or null if none within the horizon. */
  next: OpenPeriod | null;
  /** When what is in force next changes (the current period's end or the next start), or null. */
  nextBoundary: number | null;
};

/** Where `now` stands in the schedule. A window includes its first minute and not its end. */
export function personalUseAt(
  policy: PersonalUsePolicy,
  timeZone: string,
  now: number,
): PersonalUseNow {
  const periods = openPeriods(policy, timeZone, now);
  const current = periods.find((p) => p.start <= now && now < p.end) ?? null;
  const next = periods.find((p) => p.start > now) ?? null;
  const ends = [current?.end, next?.start].filter((t): t is number => t !== undefined);
  return { current, next, nextBoundary: ends.length > 0 ? Math.min(...ends) : null };
}

/** The mode overrides in force at `now`: the window's modes inside a window, none outside. */
export function personalUseModes(
  policy: PersonalUsePolicy,
  timeZone: string,
  now: number,
): Record<string, CategoryMode> {
  if (Object.keys(policy.modes).length === 0) return {};
  return personalUseAt(policy, timeZone, now).current ? { ...policy.modes } : {};
}

const STRICTNESS: Record<CategoryMode, number> = { allow: 0, warn: 1, block: 2 };

/**
 * When a category the rules block or warn about now next becomes less strict through personal use
 * (the next window's start), or null: already in a window, the window does not loosen it, or no
 * window is coming. `normalMode` is the category's mode outside windows.
 */
export function personalUseOpensAt(
  policy: PersonalUsePolicy,
  timeZone: string,
  now: number,
  category: string,
  normalMode: CategoryMode,
): number | null {
  const inWindow = policy.modes[category];
  if (!inWindow || STRICTNESS[inWindow] >= STRICTNESS[normalMode]) return null;
  const at = personalUseAt(policy, timeZone, now);
  if (at.current) return null;
  return at.next?.start ?? null;
}

// ─── Saying when, for staff ─────────────────────────────────────────────────────────────────

/** How to say an instant to staff: "12:15", "tomorrow at 08:00", "on Monday at 12:15", a date. */
export type WhenSaid =
  | { kind: 'today' | 'tomorrow'; time: string }
  | { kind: 'weekday'; day: string; time: string }
  | { kind: 'date'; date: string; time: string };

export function sayWhen(at: number, now: number, timeZone: string): WhenSaid {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  const days = localDay(timeZone, at) - localDay(timeZone, now);
  if (days <= 0) return { kind: 'today', time };
  if (days === 1) return { kind: 'tomorrow', time };
  if (days < 7) {
    const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long' }).format(at);
    return { kind: 'weekday', day, time };
  }
  const date = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(at);
  return { kind: 'date', date, time };
}
