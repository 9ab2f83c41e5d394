/**
 * Detailed events on the client (policy `reportDetail: "events"`): kept only when the policy asks,
 * only as a registrable domain, derived from the rules' verdict (not the page), cut into batches
 * with the counts, and dropped unsent when the school switches events off.
 */
import { describe, expect, it } from 'vitest';
import type { UrlVerdict } from '../../../lib/compiler.ts';
import { recordEvent } from '../../../lib/report/counters.ts';
import { detailEventFor } from '../../../lib/report/detail-event.ts';
import { createReporter, type ReportPolicy } from '../../../lib/report/index.ts';
import { planCut } from '../../../lib/report/outbox.ts';
import { parseReportBatch } from '../../../lib/report/payload.ts';
import { MemoryReportStore } from '../../../lib/report/store.ts';

const NOW = Date.UTC(2026, 5, 15, 9, 30);
const blocked = (source: string): UrlVerdict => ({
  outcome: 'blocked',
  source,
  entry: 'x',
  ruleId: 1,
  priority: 1,
});

describe('detailEventFor', () => {
  it('keeps the registrable domain of a blocked URL, with the category the rules give it', () => {
    expect(
      detailEventFor(blocked('gambling'), 'https://sports.bet365.com/en/match?stake=50#odds'),
    ).toEqual({ category: 'gambling', outcome: 'blocked', domain: 'bet365.com' });
    expect(detailEventFor(blocked('blockList'), 'https://a.b.example.co.uk/x')).toEqual({
      category: 'blocklist',
      outcome: 'blocked',
      domain: 'example.co.uk',
    });
  });

  it('keeps nothing for a URL the rules allow, or one with no registrable domain', () => {
    expect(
      detailEventFor({ outcome: 'allowed', reason: 'no-rule' }, 'https://bet365.com/'),
    ).toBeNull();
    expect(detailEventFor(blocked('gambling'), 'https://192.168.0.1/')).toBeNull();
    expect(detailEventFor(blocked('gambling'), 'not a url')).toBeNull();
  });
});

describe('recordEvent', () => {
  it('refuses anything but a registrable domain before it is stored', async () => {
    const store = new MemoryReportStore();
    for (const domain of ['www.bet365.com', 'bet365.com/x', 'co.uk', 'bet365.com?x=1']) {
      const r = await recordEvent(
        store,
        { category: 'gambling', outcome: 'blocked', domain },
        NOW,
        'Europe/London',
      );
      expect(r.ok, domain).toBe(false);
    }
    expect(store.counters.size).toBe(0);
  });
});

const POLICY: ReportPolicy = {
  reportUrl: 'https://reports.school.example/v1/reports',
  reportToken: 't',
  reportIntervalMinutes: 60,
  reportIdentity: 'installation',
  timeZone: 'Europe/London',
  orgDomains: [],
};

describe('the reporter with and without reportDetail "events"', () => {
  function reporter(policy: ReportPolicy, sent: unknown[]) {
    const store = new MemoryReportStore();
    return {
      store,
      reporter: createReporter({
        store,
        fetch: async (_url, init) => {
          sent.push(JSON.parse(init.body));
          return { status: 200, headers: { get: () => null }, text: async () => '{}' };
        },
        now: () => NOW,
        random: () => 0.5,
        getStatus: () => ({
          extensionVersion: '0.1.0',
          browser: 'chrome',
          policySource: 'managed',
          policyVersion: 'abc',
          policyError: null,
          ruleListVersion: null,
          ruleListError: null,
        }),
        getPolicy: () => policy,
      }),
    };
  }
  const event = { category: 'social', outcome: 'warned' as const, domain: 'reddit.com' };

  it('sends events in the batch, valid for the contract, when the policy asks', async () => {
    const sent: unknown[] = [];
    const { reporter: r } = reporter({ ...POLICY, reportDetail: 'events' }, sent);
    await r.count({ kind: 'navigation', category: 'social', outcome: 'warned' });
    expect((await r.recordEvent(event)).ok).toBe(true);
    await r.uploadDue();
    expect(sent).toHaveLength(1);
    expect(parseReportBatch(sent[0]).ok).toBe(true);
    expect((sent[0] as { events: unknown[] }).events).toEqual([
      { at: new Date(NOW).toISOString(), ...event },
    ]);
  });

  it('keeps no event with the default, and sends only counts', async () => {
    const sent: unknown[] = [];
    const { reporter: r, store } = reporter(POLICY, sent);
    await r.count({ kind: 'navigation', category: 'social', outcome: 'warned' });
    expect((await r.recordEvent(event)).ok).toBe(false);
    expect([...store.counters.values()].some((c) => c.kind === 'event')).toBe(false);
    await r.uploadDue();
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('events');
  });

  it('drops events left from when the policy asked for them, unsent, once it no longer does', () => {
    const row = {
      kind: 'event' as const,
      day: '2026-06-15',
      key: 'social',
      outcome: 'warned',
      at: NOW,
      domain: 'reddit.com',
      id: 'event|2026-06-15|social|warned|1|reddit.com',
      count: 1,
    };
    const input = {
      batchId: '00000000-0000-4000-8000-000000000001',
      createdAt: new Date(NOW).toISOString(),
      installationId: '00000000-0000-4000-8000-000000000002',
      now: NOW,
      maxRowsPerBatch: 10,
    };
    expect(planCut([row], { ...input, events: false })).toEqual({ batch: null, take: [row.id] });
    expect(planCut([row], { ...input, events: true })?.batch?.events).toHaveLength(1);
  });
});
