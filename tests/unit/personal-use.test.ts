/**
 * Personal-use windows (lib/personal-use.ts): the schedule maths, exact to the millisecond, in the
 * school's time zone, across the clocks changing (Europe/London 2026: forward on 29 March at
 * 01:00 GMT, back on 25 October at 02:00 BST), overnight windows, overlapping windows and closed
 * dates; and the policy key's validation (lib/policy.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  instantOf,
  localDay,
  type PersonalUsePolicy,
  parseDate,
  personalUseAt,
  personalUseModes,
  personalUseOpensAt,
  sayWhen,
} from '../../lib/personal-use.ts';
import { resolvePolicy } from '../../lib/policy.ts';

const LONDON = 'Europe/London';
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const at = (iso: string) => Date.parse(iso);

function schedule(over: Partial<PersonalUsePolicy>): PersonalUsePolicy {
  return { windows: [], closedDates: [], modes: { social: 'allow' }, ...over };
}

const lunch = schedule({ windows: [{ days: [...WEEKDAYS], from: '12:15', to: '13:15' }] });

describe('a lunchtime window, to the millisecond', () => {
  // Wednesday 2 December 2026, GMT (UTC+0).
  it('opens at 12:15:00.000 and not a millisecond before', () => {
    const before = personalUseAt(lunch, LONDON, at('2026-12-02T12:14:59.999Z'));
    expect(before.current).toBeNull();
    expect(before.nextBoundary).toBe(at('2026-12-02T12:15:00.000Z'));
    const open = personalUseAt(lunch, LONDON, at('2026-12-02T12:15:00.000Z'));
    expect(open.current).toEqual({
      start: at('2026-12-02T12:15:00Z'),
      end: at('2026-12-02T13:15:00Z'),
    });
    expect(open.nextBoundary).toBe(at('2026-12-02T13:15:00Z'));
  });

  it('closes at 13:15:00.000 (the end is not inside the window)', () => {
    expect(personalUseAt(lunch, LONDON, at('2026-12-02T13:14:59.999Z')).current).not.toBeNull();
    const closed = personalUseAt(lunch, LONDON, at('2026-12-02T13:15:00.000Z'));
    expect(closed.current).toBeNull();
    expect(closed.next?.start).toBe(at('2026-12-03T12:15:00Z'));
  });

  it('in summer the same window is 12:15 BST, 11:15 UTC', () => {
    expect(personalUseAt(lunch, LONDON, at('2026-07-01T11:14:59.999Z')).current).toBeNull();
    expect(personalUseAt(lunch, LONDON, at('2026-07-01T11:15:00.000Z')).current?.end).toBe(
      at('2026-07-01T12:15:00Z'),
    );
  });

  it('on Friday after lunch the next window is Monday (no weekend days listed)', () => {
    // Friday 4 December 2026.
    const friday = personalUseAt(lunch, LONDON, at('2026-12-04T14:00:00Z'));
    expect(friday.next?.start).toBe(at('2026-12-07T12:15:00Z'));
  });

  it('modes apply inside only', () => {
    expect(personalUseModes(lunch, LONDON, at('2026-12-02T12:30:00Z'))).toEqual({
      social: 'allow',
    });
    expect(personalUseModes(lunch, LONDON, at('2026-12-02T11:30:00Z'))).toEqual({});
    expect(personalUseModes(lunch, LONDON, at('2026-12-05T12:30:00Z'))).toEqual({}); // Saturday
  });

  it('another time zone: the same wall-clock window is another instant', () => {
    // Asia/Kolkata is UTC+05:30 all year.
    const kolkata = personalUseAt(lunch, 'Asia/Kolkata', at('2026-12-02T06:45:00.000Z'));
    expect(kolkata.current?.start).toBe(at('2026-12-02T06:45:00Z'));
    expect(personalUseAt(lunch, 'Asia/Kolkata', at('2026-12-02T06:44:59.999Z')).current).toBeNull();
  });
});

describe('overnight windows', () => {
  const evenings = schedule({ windows: [{ days: [...WEEKDAYS], from: '17:00', to: '08:00' }] });

  it('a window to a time before its start ends the next morning', () => {
    const tuesdayNight = personalUseAt(evenings, LONDON, at('2026-12-01T23:00:00Z'));
    expect(tuesdayNight.current).toEqual({
      start: at('2026-12-01T17:00:00Z'),
      end: at('2026-12-02T08:00:00Z'),
    });
    expect(personalUseAt(evenings, LONDON, at('2026-12-02T07:59:59.999Z')).current).not.toBeNull();
    expect(personalUseAt(evenings, LONDON, at('2026-12-02T08:00:00Z')).current).toBeNull();
  });

  it("Friday's window runs into Saturday morning; Monday morning has none (Sunday is not listed)", () => {
    expect(personalUseAt(evenings, LONDON, at('2026-12-05T07:00:00Z')).current?.end).toBe(
      at('2026-12-05T08:00:00Z'),
    );
    expect(personalUseAt(evenings, LONDON, at('2026-12-05T09:00:00Z')).current).toBeNull();
    expect(personalUseAt(evenings, LONDON, at('2026-12-07T07:00:00Z')).current).toBeNull();
  });

  it('a whole day is 00:00 to 24:00', () => {
    const saturdays = schedule({ windows: [{ days: ['sat'], from: '00:00', to: '24:00' }] });
    const sat = personalUseAt(saturdays, LONDON, at('2026-12-05T15:00:00Z'));
    expect(sat.current).toEqual({
      start: at('2026-12-05T00:00:00Z'),
      end: at('2026-12-06T00:00:00Z'),
    });
  });
});

describe('overlapping and touching windows merge', () => {
  const overlapping = schedule({
    windows: [
      { days: ['wed'], from: '12:00', to: '13:00' },
      { days: ['wed'], from: '12:30', to: '14:00' },
      { days: ['wed'], from: '14:00', to: '14:30' },
      { days: ['wed'], from: '12:10', to: '12:20' },
    ],
  });

  it('one period 12:00–14:30: no boundary at 13:00 or 14:00', () => {
    const now = personalUseAt(overlapping, LONDON, at('2026-12-02T12:59:00Z'));
    expect(now.current).toEqual({
      start: at('2026-12-02T12:00:00Z'),
      end: at('2026-12-02T14:30:00Z'),
    });
    expect(now.nextBoundary).toBe(at('2026-12-02T14:30:00Z'));
  });

  it('an overnight window that runs into the next day’s window merges with it', () => {
    const p = schedule({
      windows: [
        { days: ['tue'], from: '22:00', to: '09:00' },
        { days: ['wed'], from: '08:00', to: '08:45' },
      ],
    });
    expect(personalUseAt(p, LONDON, at('2026-12-02T08:50:00Z')).current).toEqual({
      start: at('2026-12-01T22:00:00Z'),
      end: at('2026-12-02T09:00:00Z'),
    });
  });
});

describe('closed dates (holidays): open all day', () => {
  const holidays = schedule({
    windows: [{ days: [...WEEKDAYS], from: '12:15', to: '13:15' }],
    closedDates: ['2026-12-21/2027-01-01', '2026-12-04'],
  });

  it('a single date is open from its midnight to the next', () => {
    const friday = personalUseAt(holidays, LONDON, at('2026-12-04T09:00:00Z'));
    expect(friday.current).toEqual({
      start: at('2026-12-04T00:00:00Z'),
      end: at('2026-12-05T00:00:00Z'),
    });
  });

  it('a range is one period, through weekends, ending at midnight after its last day', () => {
    const christmas = personalUseAt(holidays, LONDON, at('2026-12-25T10:00:00Z'));
    expect(christmas.current).toEqual({
      start: at('2026-12-21T00:00:00Z'),
      end: at('2027-01-02T00:00:00Z'),
    });
  });

  it('the day before the holiday: the next opening after lunch is the holiday', () => {
    const friday = personalUseAt(holidays, LONDON, at('2026-12-18T14:00:00Z'));
    expect(friday.next?.start).toBe(at('2026-12-21T00:00:00Z'));
  });

  it('a closed date in summer starts at midnight BST', () => {
    const p = schedule({ closedDates: ['2026-07-20'] });
    expect(personalUseAt(p, LONDON, at('2026-07-19T23:00:00Z')).current?.start).toBe(
      at('2026-07-19T23:00:00Z'),
    );
    expect(personalUseAt(p, LONDON, at('2026-07-19T22:59:59.999Z')).current).toBeNull();
  });

  it('a closed date far ahead is still found as the next opening', () => {
    const p = schedule({ closedDates: ['2027-04-01'] });
    expect(personalUseAt(p, LONDON, at('2026-12-02T10:00:00Z')).next?.start).toBe(
      at('2027-03-31T23:00:00Z'),
    );
  });
});

describe('the clocks going forward (Europe/London, Sunday 29 March 2026, 01:00 GMT → 02:00 BST)', () => {
  it('an ordinary window that day is in BST', () => {
    const sunday = schedule({ windows: [{ days: ['sun'], from: '12:15', to: '13:15' }] });
    expect(personalUseAt(sunday, LONDON, at('2026-03-29T11:15:00Z')).current?.start).toBe(
      at('2026-03-29T11:15:00Z'),
    );
  });

  it('a window from 01:30 (a time that does not exist that night) opens at 02:30 BST', () => {
    const night = schedule({ windows: [{ days: ['sun'], from: '01:30', to: '03:00' }] });
    const open = personalUseAt(night, LONDON, at('2026-03-29T01:30:00Z'));
    expect(open.current).toEqual({
      start: at('2026-03-29T01:30:00Z'), // 02:30 BST
      end: at('2026-03-29T02:00:00Z'), // 03:00 BST
    });
    expect(personalUseAt(night, LONDON, at('2026-03-29T01:29:59.999Z')).current).toBeNull();
  });

  it('an overnight window Saturday 23:00 to 02:00 lasts two real hours', () => {
    const p = schedule({ windows: [{ days: ['sat'], from: '23:00', to: '02:00' }] });
    expect(personalUseAt(p, LONDON, at('2026-03-29T00:30:00Z')).current).toEqual({
      start: at('2026-03-28T23:00:00Z'),
      end: at('2026-03-29T01:00:00Z'),
    });
  });

  it('instantOf: 01:00 and 01:59 read with GMT; 02:00 is 02:00 BST', () => {
    const day = parseDate('2026-03-29')!;
    expect(instantOf(LONDON, day, 60)).toBe(at('2026-03-29T01:00:00Z'));
    expect(instantOf(LONDON, day, 119)).toBe(at('2026-03-29T01:59:00Z'));
    expect(instantOf(LONDON, day, 120)).toBe(at('2026-03-29T01:00:00Z'));
    expect(instantOf(LONDON, day, 59)).toBe(at('2026-03-29T00:59:00Z'));
  });
});

describe('the clocks going back (Europe/London, Sunday 25 October 2026, 02:00 BST → 01:00 GMT)', () => {
  it('a window 01:00–02:00 that night lasts two hours (01:00 is its first occurrence)', () => {
    const night = schedule({ windows: [{ days: ['sun'], from: '01:00', to: '02:00' }] });
    const open = personalUseAt(night, LONDON, at('2026-10-25T01:30:00Z'));
    expect(open.current).toEqual({
      start: at('2026-10-25T00:00:00Z'), // 01:00 BST
      end: at('2026-10-25T02:00:00Z'), // 02:00 GMT
    });
  });

  it('a window to 01:30 ends at the first 01:30 (BST)', () => {
    const night = schedule({ windows: [{ days: ['sat'], from: '23:00', to: '01:30' }] });
    const open = personalUseAt(night, LONDON, at('2026-10-24T23:00:00Z'));
    expect(open.current?.end).toBe(at('2026-10-25T00:30:00Z'));
  });

  it('lunch that Monday is back on GMT', () => {
    expect(personalUseAt(lunch, LONDON, at('2026-10-26T12:15:00Z')).current).not.toBeNull();
    expect(personalUseAt(lunch, LONDON, at('2026-10-23T11:15:00Z')).current).not.toBeNull(); // Friday, BST
  });

  it('localDay follows the wall clock', () => {
    expect(localDay(LONDON, at('2026-07-19T23:30:00Z'))).toBe(parseDate('2026-07-20'));
    expect(localDay(LONDON, at('2026-12-19T23:30:00Z'))).toBe(parseDate('2026-12-19'));
  });
});

describe('when a blocked category next opens', () => {
  const p = schedule({
    windows: [{ days: [...WEEKDAYS], from: '12:15', to: '13:15' }],
    modes: { social: 'allow', streaming: 'warn', gambling: 'block' },
  });
  const morning = at('2026-12-02T09:00:00Z');

  it('a category the window loosens: the next window’s start', () => {
    expect(personalUseOpensAt(p, LONDON, morning, 'social', 'block')).toBe(
      at('2026-12-02T12:15:00Z'),
    );
    expect(personalUseOpensAt(p, LONDON, morning, 'streaming', 'block')).toBe(
      at('2026-12-02T12:15:00Z'),
    );
  });

  it('nothing to say when the window does not loosen it, or a window is open', () => {
    expect(personalUseOpensAt(p, LONDON, morning, 'gambling', 'block')).toBeNull();
    expect(personalUseOpensAt(p, LONDON, morning, 'adult', 'block')).toBeNull();
    expect(personalUseOpensAt(p, LONDON, morning, 'streaming', 'warn')).toBeNull();
    expect(personalUseOpensAt(p, LONDON, at('2026-12-02T12:30:00Z'), 'social', 'block')).toBeNull();
  });

  it('said as today, tomorrow, a weekday or a date, in the school’s zone', () => {
    const now = at('2026-12-02T09:00:00Z');
    expect(sayWhen(at('2026-12-02T12:15:00Z'), now, LONDON)).toEqual({
      kind: 'today',
      time: '12:15',
    });
    expect(sayWhen(at('2026-12-03T08:00:00Z'), now, LONDON)).toEqual({
      kind: 'tomorrow',
      time: '08:00',
    });
    expect(sayWhen(at('2026-12-07T12:15:00Z'), now, LONDON)).toEqual({
      kind: 'weekday',
      day: 'Monday',
      time: '12:15',
    });
    expect(sayWhen(at('2026-12-21T00:00:00Z'), now, LONDON)).toEqual({
      kind: 'date',
      date: 'Monday 21 December',
      time: '00:00',
    });
    // Late evening UTC in summer is already tomorrow in London.
    expect(sayWhen(at('2026-07-02T07:00:00Z'), at('2026-07-01T23:30:00Z'), LONDON).kind).toBe(
      'today',
    );
  });
});

describe('the policy key personalUse', () => {
  it('a full schedule is accepted; the time zone is the policy’s own', () => {
    const result = resolvePolicy({
      timeZone: 'Europe/London',
      personalUse: {
        windows: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:15', to: '13:15' },
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '16:30', to: '08:00' },
        ],
        closedDates: ['2026-12-21/2027-01-04', '2027-02-15'],
        modes: { social: 'allow', streaming: 'warn' },
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.personalUse.windows).toHaveLength(2);
    expect(result.policy.personalUse.modes).toEqual({ social: 'allow', streaming: 'warn' });
    expect(result.policy.timeZone).toBe('Europe/London');
  });

  it('absent: no windows', () => {
    const result = resolvePolicy({});
    expect(result.ok && result.policy.personalUse).toEqual({
      windows: [],
      closedDates: [],
      modes: {},
    });
  });

  const rejected: [string, unknown, RegExp][] = [
    [
      'a time that is not HH:MM',
      { windows: [{ days: ['mon'], from: '12.15', to: '13:15' }] },
      /^personalUse\.windows\[0\]\.from: from must be a 24-hour time such as "12:15"\.$/,
    ],
    [
      '25:00',
      { windows: [{ days: ['mon'], from: '12:00', to: '25:00' }] },
      /^personalUse\.windows\[0\]\.to: /,
    ],
    [
      'from 24:00',
      { windows: [{ days: ['mon'], from: '24:00', to: '08:00' }] },
      /^personalUse\.windows\[0\]\.from: from must be a time of day/,
    ],
    [
      'a day name in full',
      { windows: [{ days: ['mon', 'Tuesday'], from: '12:00', to: '13:00' }] },
      /^personalUse\.windows\[0\]\.days\[1\]: a day is one of "mon"/,
    ],
    [
      'no days',
      { windows: [{ days: [], from: '12:00', to: '13:00' }] },
      /^personalUse\.windows\[0\]\.days: days must name at least one day\.$/,
    ],
    [
      'an empty window',
      { windows: [{ days: ['mon'], from: '12:00', to: '12:00' }] },
      /^personalUse\.windows: a window from a time to the same time is empty/,
    ],
    [
      'a date that does not exist',
      { closedDates: ['2027-02-30'] },
      /^personalUse\.closedDates\[0\]: a closed date is a real date "YYYY-MM-DD"/,
    ],
    [
      'a range backwards',
      { closedDates: ['2027-01-04/2026-12-21'] },
      /^personalUse\.closedDates\[0\]: /,
    ],
    [
      'too many closed days',
      { closedDates: ['2020-01-01/2030-01-01'] },
      /^personalUse: personalUse\.closedDates may cover at most 2000 days\.$/,
    ],
    [
      'a mode that is not one',
      { modes: { social: 'open' } },
      /^personalUse\.modes\.social: a category mode must be "block", "warn" or "allow"\.$/,
    ],
  ];
  for (const [what, personalUse, message] of rejected) {
    it(`rejects ${what}, saying where (the last good policy stays)`, () => {
      const result = resolvePolicy({ personalUse });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.join('\n')).toMatch(message);
    });
  }
});
