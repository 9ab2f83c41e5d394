/**
 * The idle pre-read's memory (lib/dlp/scan-memo.ts, `reuse` in scan.ts and checkCompose): Send
 * takes an earlier report only for exactly the same message under the same policy on the same day,
 * and what it takes is the same report a fresh scan gives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../lib/dlp/custom-patterns.ts';
import { resolveComposePolicy } from '../../../lib/dlp/policy.ts';
import { forgetScans, scanMessageWithReport } from '../../../lib/dlp/scan.ts';
import { dayOf, REMEMBERED_SCANS, ScanMemo } from '../../../lib/dlp/scan-memo.ts';
import { checkCompose, sendCheckPolicy } from '../../../lib/send-warning.ts';

afterEach(() => forgetScans());

const LONG_ORDINARY = Array.from(
  { length: 300 },
  (_, i) =>
    `Item ${i}: the Year 8 trip to the museum leaves at nine; bring a packed lunch and a coat.`,
).join('\n');

const message = (body: string) => ({ subject: 'Trip', body, attachmentNames: ['letter.pdf'] });

describe('ScanMemo', () => {
  const policy = {};
  const day = '2026-12-5';

  it('finds a report only for the same subject, body, attachment names, policy and day', () => {
    const memo = new ScanMemo<string>();
    memo.keep(message('a'), policy, day, 'report a');
    expect(memo.find(message('a'), policy, day)).toBe('report a');
    expect(memo.find(message('a '), policy, day)).toBeUndefined();
    expect(memo.find({ ...message('a'), subject: 'Trip!' }, policy, day)).toBeUndefined();
    expect(memo.find({ ...message('a'), attachmentNames: [] }, policy, day)).toBeUndefined();
    expect(memo.find({ ...message('a'), attachmentNames: ['other.pdf'] }, policy, day)).toBe(
      undefined,
    );
    expect(memo.find(message('a'), {}, day)).toBeUndefined();
    expect(memo.find(message('a'), policy, '2026-12-6')).toBeUndefined();
  });

  it('keeps its own copy of the attachment names', () => {
    const memo = new ScanMemo<string>();
    const m = message('a');
    memo.keep(m, policy, day, 'report a');
    m.attachmentNames.push('added later.pdf');
    expect(memo.find(m, policy, day)).toBeUndefined();
    expect(memo.find(message('a'), policy, day)).toBe('report a');
  });

  it(`keeps the last ${REMEMBERED_SCANS}, forgetting the least recently used`, () => {
    const memo = new ScanMemo<string>();
    for (const b of ['a', 'b', 'c']) memo.keep(message(b), policy, day, b);
    expect(memo.find(message('a'), policy, day)).toBe('a'); // a is now the most recent
    memo.keep(message('d'), policy, day, 'd');
    expect(memo.size).toBe(REMEMBERED_SCANS);
    expect(memo.find(message('b'), policy, day)).toBeUndefined();
    expect(memo.find(message('a'), policy, day)).toBe('a');
    memo.keep(message('a'), policy, day, 'a again');
    expect(memo.size).toBe(REMEMBERED_SCANS);
    expect(memo.find(message('a'), policy, day)).toBe('a again');
  });

  it('reads the day in local time', () => {
    expect(dayOf(new Date(2026, 11, 5, 23, 59))).toBe('2026-12-5');
    expect(dayOf(new Date(2026, 11, 6, 0, 0))).toBe('2026-12-6');
  });
});

describe('scanMessageWithReport with reuse', () => {
  const { policy } = resolveComposePolicy({});
  const withUpn = `${LONG_ORDINARY}\nHer UPN is A123456789012 and her date of birth 04/03/2014.`;

  it('gives the same report as a fresh scan, and says when it was reused', () => {
    const fresh = scanMessageWithReport(message(withUpn), policy);
    const first = scanMessageWithReport(message(withUpn), policy, { reuse: true });
    expect(first.reused).toBeUndefined();
    const again = scanMessageWithReport(message(withUpn), policy, { reuse: true });
    expect(again.reused).toBe(true);
    expect(again.findings).toEqual(fresh.findings);
    expect(again.incomplete).toEqual(fresh.incomplete);
    expect(again.findings.map((f) => f.type)).toContain('upn');
  });

  it('a word added after the pre-read is scanned: the earlier report is not used', () => {
    scanMessageWithReport(message(LONG_ORDINARY), policy, { reuse: true });
    const late = scanMessageWithReport(message(withUpn), policy, { reuse: true });
    expect(late.reused).toBeUndefined();
    expect(late.findings.map((f) => f.type)).toContain('upn');
  });

  it('changing what a caller was given does not change what the next one gets', () => {
    const first = scanMessageWithReport(message(withUpn), policy, { reuse: true });
    const upn = first.findings.find((f) => f.type === 'upn')!;
    upn.confidence = 'low';
    first.findings.length = 0;
    const again = scanMessageWithReport(message(withUpn), policy, { reuse: true });
    expect(again.findings.find((f) => f.type === 'upn')?.confidence).toBe('high');
    again.findings.pop();
    const third = scanMessageWithReport(message(withUpn), policy, { reuse: true });
    expect(third.findings).toHaveLength(again.findings.length + 1);
  });

  it('another policy object (a refreshed policy) scans afresh', () => {
    scanMessageWithReport(message(withUpn), policy, { reuse: true });
    const refreshed = resolveComposePolicy({}).policy;
    expect(scanMessageWithReport(message(withUpn), refreshed, { reuse: true }).reused).toBe(
      undefined,
    );
  });

  it('without reuse, or with a fixed date, never reads or fills the memory', () => {
    expect(scanMessageWithReport(message(withUpn), policy).reused).toBeUndefined();
    expect(scanMessageWithReport(message(withUpn), policy).reused).toBeUndefined();
    const now = new Date(2026, 11, 5);
    scanMessageWithReport(message(withUpn), policy, { reuse: true, now });
    expect(scanMessageWithReport(message(withUpn), policy, { reuse: true }).reused).toBeUndefined();
  });

  it('a school pattern cut short by the time budget is not remembered', () => {
    const school = resolveComposePolicy({
      customPatterns: [{ name: 'Staff ref', pattern: 'ST-\\d{6}' }],
    }).policy;
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(6_000)} ST-004512`;
    // A budget already spent: the pattern stops at once.
    const cut = scanMessageWithReport(message(text), school, { reuse: true, customBudgetMs: -1 });
    expect(cut.incomplete.some((i) => i.reason.includes('time budget'))).toBe(true);
    const next = scanMessageWithReport(message(text), school, { reuse: true });
    expect(next.reused).toBeUndefined();
    expect(next.incomplete).toEqual([]);
    expect(next.findings.some((f) => f.type === 'custom')).toBe(true);
    // Complete this time: kept, so the same message is now reused.
    expect(scanMessageWithReport(message(text), school, { reuse: true }).reused).toBe(true);
  });
});

describe('checkCompose with reuse', () => {
  const policy = sendCheckPolicy({ orgDomains: ['oakfield.sch.uk'] });
  const snapshot = (to: string, body: string) => ({
    recipients: { to: [to], cc: [], bcc: [] },
    subject: 'Trip',
    body,
    attachmentNames: [],
  });
  const body = `${LONG_ORDINARY}\nHer UPN is A123456789012.`;

  it('the pre-read (outside recipient) makes Send reuse it, with the same decision', () => {
    const pre = checkCompose(snapshot('parent@example.com', body), policy, { reuse: true });
    expect(pre.reused).toBe(false);
    const send = checkCompose(snapshot('parent@example.com', body), policy, { reuse: true });
    expect(send.reused).toBe(true);
    expect(send.decision).toEqual(pre.decision);
    expect(send.decision.action).toBe('warn');
  });

  it('mail only inside the school is not scanned, so nothing is remembered', () => {
    checkCompose(snapshot('head@oakfield.sch.uk', body), policy, { reuse: true });
    const send = checkCompose(snapshot('parent@example.com', body), policy, { reuse: true });
    expect(send.reused).toBe(false);
  });

  it('a recipient changed after the pre-read reuses the scan and decides for the new recipients', () => {
    checkCompose(snapshot('parent@example.com', body), policy, { reuse: true });
    const inside = checkCompose(snapshot('head@oakfield.sch.uk', body), policy, { reuse: true });
    expect(inside.decision.action).toBe('send');
  });
});
