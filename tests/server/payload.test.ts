/** The report payload contract (lib/report/payload.ts): what it accepts, what it refuses, and
 * that refusals name the field. */
import { describe, expect, it } from 'vitest';
import {
  describeProblems,
  isRealDay,
  MAX_ROWS,
  parseReportBatch,
} from '../../lib/report/payload.ts';
import { makeBatch } from './harness.ts';

describe('report payload v1', () => {
  it('accepts a full batch and an empty heartbeat', () => {
    const full = makeBatch({
      identity: 'teacher@school.org.uk',
      navigation: [{ day: '2025-03-04', category: 'streaming', outcome: 'continued', count: 2 }],
      email: [{ day: '2024-02-29', detector: 'recipient_risk', outcome: 'sent_anyway', count: 1 }],
    });
    full.status.install = { policyInstalled: true, incognito: 'not_allowed' };
    full.status.adapterHealth = [{ service: 'outlook', problem: 'recipients_not_found', count: 3 }];
    expect(parseReportBatch(full)).toEqual({ ok: true, batch: full });
    expect(parseReportBatch(makeBatch()).ok).toBe(true);
  });

  it('refuses an adapter problem that is not one of the codes (no free text from a page)', () => {
    const batch = makeBatch();
    batch.status.adapterHealth = [
      {
        service: 'gmail',
        problem: 'recipient fields not found on a compose window' as 'recipients_not_found',
        count: 1,
      },
    ];
    const result = parseReportBatch(batch);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe('status.adapterHealth[0].problem');
  });

  it('knows real days', () => {
    expect(isRealDay('2024-02-29')).toBe(true);
    expect(isRealDay('2025-02-29')).toBe(false);
    expect(isRealDay('2025-04-31')).toBe(false);
    expect(isRealDay('2025-4-01')).toBe(false);
    expect(isRealDay('2025-13-01')).toBe(false);
  });

  it('names the field and what was expected', () => {
    const bad = makeBatch({
      navigation: [
        { day: '2025-03-04', category: 'streaming', outcome: 'blocked', count: 1 },
        { day: '2025-03-04', category: 'streaming', outcome: 'blocked', count: 1 },
        { day: '2025-03-04', category: 'streaming', outcome: 'blocked', count: 1 },
        { day: '2025-03-04', category: 'streaming', outcome: 'blocked', count: 2.5 },
      ],
    });
    const result = parseReportBatch(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(describeProblems(result.problems)).toBe(
      'navigation[3].count: expected a positive integer',
    );
  });

  it.each([
    ['schema', { schema: 'steward.report/2' }, 'schema'],
    ['an uppercase batch id', { batchId: crypto.randomUUID().toUpperCase() }, 'batchId'],
    ['a v1 uuid', { installationId: '6fa459ea-ee8a-1ca4-894e-db77e160355e' }, 'installationId'],
    ['a timestamp without zone', { createdAt: '2025-03-04T09:15:00' }, 'createdAt'],
    ['an identity that is not an address', { identity: 'Mr Smith' }, 'identity'],
  ])('refuses %s', (_name, override, path) => {
    const result = parseReportBatch({ ...makeBatch(), ...override });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain(path);
  });

  it('refuses anything that could carry a URL, a title or email content', () => {
    const withUrl = makeBatch() as unknown as Record<string, unknown>;
    withUrl.urls = ['https://example.com/'];
    const withCategoryUrl = makeBatch({
      navigation: [
        { day: '2025-03-04', category: 'example.com/path', outcome: 'blocked', count: 1 },
      ],
    });
    const withDetectorText = makeBatch({
      email: [
        {
          day: '2025-03-04',
          detector: 'AB123456C' as 'upn',
          outcome: 'warned',
          count: 1,
        },
      ],
    });
    const statusExtra = makeBatch();
    (statusExtra.status as unknown as Record<string, unknown>).pageTitle = 'Private';
    for (const batch of [withUrl, withCategoryUrl, withDetectorText, statusExtra]) {
      expect(parseReportBatch(batch).ok).toBe(false);
    }
  });

  it('says which field is missing', () => {
    const batch = makeBatch() as unknown as Record<string, unknown>;
    delete batch.status;
    const result = parseReportBatch(batch);
    expect(result).toEqual({ ok: false, problems: [{ path: 'status', message: 'is required' }] });
  });

  it('bounds the number of rows', () => {
    const row = { day: '2025-03-04', category: 'social', outcome: 'blocked' as const, count: 1 };
    expect(parseReportBatch(makeBatch({ navigation: Array(MAX_ROWS).fill(row) })).ok).toBe(true);
    const result = parseReportBatch(makeBatch({ navigation: Array(MAX_ROWS + 1).fill(row) }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.path).toBe('navigation');
  });
});
