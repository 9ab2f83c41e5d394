import { describe, expect, it } from 'vitest';
import { addDays, dayOf, daysBetween } from '../../../lib/report/day.ts';

describe('dayOf (school time zone)', () => {
  it('uses Europe/London by default: BST puts 23:30 UTC on the next day', () => {
    // 2026-06-15 23:30 UTC is 00:30 BST on 16 June.
    expect(dayOf(Date.UTC(2026, 5, 15, 23, 30))).toBe('2026-06-16');
    expect(dayOf(Date.UTC(2026, 5, 15, 22, 59))).toBe('2026-06-15');
  });

  it('in winter (GMT) the London day is the UTC day', () => {
    expect(dayOf(Date.UTC(2026, 0, 15, 23, 59))).toBe('2026-01-15');
    expect(dayOf(Date.UTC(2026, 0, 16, 0, 0))).toBe('2026-01-16');
  });

  it('spring forward, 2026-03-29: clocks go 01:00 GMT → 02:00 BST', () => {
    // Midnight GMT on the 29th is still the 29th; 23:30 UTC on the 29th is 00:30 BST on the 30th.
    expect(dayOf(Date.UTC(2026, 2, 28, 23, 59))).toBe('2026-03-28');
    expect(dayOf(Date.UTC(2026, 2, 29, 0, 30))).toBe('2026-03-29');
    expect(dayOf(Date.UTC(2026, 2, 29, 1, 30))).toBe('2026-03-29');
    expect(dayOf(Date.UTC(2026, 2, 29, 22, 59))).toBe('2026-03-29');
    expect(dayOf(Date.UTC(2026, 2, 29, 23, 0))).toBe('2026-03-30');
  });

  it('fall back, 2026-10-25: clocks go 02:00 BST → 01:00 GMT', () => {
    // 23:00 UTC on the 24th is midnight BST: already the 25th.
    expect(dayOf(Date.UTC(2026, 9, 24, 22, 59))).toBe('2026-10-24');
    expect(dayOf(Date.UTC(2026, 9, 24, 23, 0))).toBe('2026-10-25');
    // The repeated hour 01:00-02:00 local, both sides of the change, is the 25th.
    expect(dayOf(Date.UTC(2026, 9, 25, 0, 30))).toBe('2026-10-25');
    expect(dayOf(Date.UTC(2026, 9, 25, 1, 30))).toBe('2026-10-25');
    // After the change, midnight is 00:00 UTC again.
    expect(dayOf(Date.UTC(2026, 9, 25, 23, 59))).toBe('2026-10-25');
    expect(dayOf(Date.UTC(2026, 9, 26, 0, 0))).toBe('2026-10-26');
  });

  it('honours another zone and falls back to London for an unknown one', () => {
    expect(dayOf(Date.UTC(2026, 0, 15, 20, 0), 'Asia/Tokyo')).toBe('2026-01-16');
    expect(dayOf(Date.UTC(2026, 5, 15, 23, 30), 'Not/AZone')).toBe('2026-06-16');
  });

  it('accepts a Date', () => {
    expect(dayOf(new Date('2026-07-01T12:00:00Z'))).toBe('2026-07-01');
  });
});

describe('calendar arithmetic', () => {
  it('adds days across month, year and leap day', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('counts days between', () => {
    expect(daysBetween('2026-01-01', '2026-03-31')).toBe(89);
    expect(daysBetween('2026-03-31', '2026-01-01')).toBe(-89);
  });
});
