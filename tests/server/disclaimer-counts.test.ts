/**
 * The disclaimer reminder's outcomes (issue 13): counted like the warning's, under the `disclaimer`
 * detector, checked on both sides (the extension's counter and the server's contract), and shown
 * to governors in their own table, not mixed into "email warnings".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEvent } from '../../lib/report/counters.ts';
import { parseReportBatch } from '../../lib/report/payload.ts';
import { disclaimerEvent } from '../../lib/send-warning.ts';
import { governorsData, renderGovernorsReport } from '../../server/governors-report.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';
import { makeBatch } from './harness.ts';

const today = new Date().toISOString().slice(0, 10);

describe("the disclaimer reminder's counts", () => {
  it('the extension counts each outcome under the disclaimer detector, and nothing else', () => {
    for (const outcome of [
      'reminded',
      'disclaimer_added',
      'sent_without_disclaimer',
      'went_back',
    ] as const) {
      const event = disclaimerEvent(outcome);
      expect(event).toEqual({ kind: 'email', detector: 'disclaimer', outcome });
      expect(checkEvent(event)).toEqual({
        ok: true,
        key: { kind: 'email', key: 'disclaimer', outcome },
      });
    }
    // A disclaimer outcome about data, or a warning outcome about the disclaimer, is refused.
    expect(checkEvent({ kind: 'email', detector: 'nino', outcome: 'disclaimer_added' }).ok).toBe(
      false,
    );
    expect(checkEvent({ kind: 'email', detector: 'disclaimer', outcome: 'sent_anyway' }).ok).toBe(
      false,
    );
  });

  it('the server accepts the rows and refuses mismatched pairs, naming the row', () => {
    const rows = [
      { day: today, detector: 'disclaimer', outcome: 'reminded', count: 4 },
      { day: today, detector: 'disclaimer', outcome: 'disclaimer_added', count: 3 },
      { day: today, detector: 'disclaimer', outcome: 'sent_without_disclaimer', count: 1 },
      { day: today, detector: 'upn', outcome: 'went_back', count: 2 },
    ] as const;
    expect(parseReportBatch(makeBatch({ email: [...rows] })).ok).toBe(true);
    const bad = parseReportBatch(
      makeBatch({
        email: [{ day: today, detector: 'disclaimer', outcome: 'blocked', count: 1 }],
      }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems[0]?.path).toBe('email[0]');
      expect(bad.problems[0]?.message).toMatch(/disclaimer's outcome must be one of reminded/);
    }
    const data = parseReportBatch(
      makeBatch({
        email: [{ day: today, detector: 'upn', outcome: 'sent_without_disclaimer', count: 1 }],
      }),
    );
    expect(data.ok).toBe(false);
  });

  it('governors see them in their own table; they are not counted as email warnings', async () => {
    const store = openSqliteStore(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-disclaimer-')));
    await store.migrate();
    try {
      await store.ingest(
        makeBatch({
          email: [
            { day: today, detector: 'disclaimer', outcome: 'reminded', count: 4 },
            { day: today, detector: 'disclaimer', outcome: 'disclaimer_added', count: 3 },
            { day: today, detector: 'disclaimer', outcome: 'went_back', count: 1 },
            { day: today, detector: 'upn', outcome: 'warned', count: 2 },
            { day: today, detector: 'upn', outcome: 'went_back', count: 2 },
          ],
        }),
        Date.now(),
        't',
        {
          batchesPerInstallationPerDay: 100,
          newInstallationsPerTokenPerDay: 100,
          clockSkewMs: 600_000,
        },
      );
      const html = renderGovernorsReport(
        await governorsData(store, { from: today, to: today, now: Date.now() }),
      );
      expect(html).toContain('<strong>2</strong> email warnings');
      expect(html).toContain("<h3>The school's disclaimer</h3>");
      const disclaimerTable = html.slice(html.indexOf('Disclaimer reminders'));
      expect(disclaimerTable).toMatch(
        /<th scope="row">The school(?:'|&#39;|&#x27;)s disclaimer<\/th><td class="n">4<\/td><td class="n">3<\/td><td class="n">0<\/td><td class="n">1<\/td>/,
      );
      // The warnings table has no disclaimer row.
      const warnings = html.slice(
        html.indexOf('Email warnings by kind'),
        html.indexOf("<h3>The school's disclaimer</h3>"),
      );
      expect(warnings).not.toContain('disclaimer');
      expect(warnings).toContain('Pupil number (UPN)');
    } finally {
      await store.close();
    }
  });
});
