/**
 * Issue 10, part 3: one webmail hiccup must never stop reporting. Before the fix, the service
 * worker put the adapter's English sentence ("recipient fields not found on a compose window") in
 * `status.adapterHealth[].problem`; the report contract accepts only short codes; the uploader
 * treated the refusal as "try later" and never cleared the stored problem, so that browser sent
 * no counts, ever (0 requests in 5 attempts). This test drives the project's own reporter the way
 * platform/reporting.ts wires it.
 */
import { describe, expect, it } from 'vitest';
import {
  ADAPTER_PROBLEMS,
  type AdapterHealthTally,
  forgetDelivered,
} from '../../../lib/adapter-health.ts';
import { createReporter, type ReportPolicy } from '../../../lib/report/index.ts';
import type { InstallationStatus } from '../../../lib/report/payload.ts';
import { installationStatus } from '../../../lib/report/status.ts';
import { MemoryReportStore } from '../../../lib/report/store.ts';
import { Clock, FakeServer } from './fake-server.ts';

const POLICY: ReportPolicy = {
  reportUrl: 'https://steward.school.example/v1/reports',
  reportToken: 'ingest-token-123',
  reportIntervalMinutes: 15,
  reportIdentity: 'installation',
  timeZone: 'Europe/London',
  orgDomains: ['school.example'],
};

const BASE = {
  extensionVersion: '0.1.0',
  browser: 'chrome',
  policySource: 'managed',
  policyVersion: 'p-3f2a',
  policyErrors: [],
  ruleListVersion: null,
  ruleListError: null,
} as const;

const gamblingBlocked = { kind: 'navigation', category: 'gambling', outcome: 'blocked' } as const;

/** The reporter as the service worker builds it, over a health tally in "storage". */
function worker(initial: AdapterHealthTally) {
  let tally: AdapterHealthTally = { ...initial };
  const clock = new Clock(Date.UTC(2026, 5, 15, 9, 0));
  const server = new FakeServer();
  const reporter = createReporter({
    store: new MemoryReportStore(),
    fetch: server.fetch,
    now: clock.now,
    random: () => 0.5,
    getStatus: () => installationStatus({ ...BASE, adapterHealth: tally }),
    getPolicy: () => POLICY,
    statusDelivered: (status: InstallationStatus) => {
      tally = forgetDelivered(tally, status.adapterHealth ?? []);
    },
  });
  return { reporter, server, clock, tally: () => tally };
}

describe('reporting never stalls on an adapter problem', () => {
  it('delivers counts in 5 attempts when a stored problem is an old English sentence', async () => {
    const { reporter, server, clock } = worker({
      'gmail\u0000recipient fields not found on a compose window': 3,
    });
    await reporter.count(gamblingBlocked);
    for (let i = 0; i < 5; i++) {
      await reporter.uploadDue();
      clock.advance(60 * 60_000);
    }
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.total()).toBe(1);
  });

  it.each(ADAPTER_PROBLEMS)(
    'delivers counts and then the %s code once, and clears it',
    async (code) => {
      const { reporter, server, tally } = worker({ [`outlook\u0000${code}`]: 2 });
      await reporter.count(gamblingBlocked);
      expect((await reporter.uploadDue()).outcome).toBe('done');
      expect(server.total()).toBe(1);
      const [batch] = [...server.stored.values()];
      expect(batch?.status.adapterHealth).toEqual([
        { service: 'outlook', problem: code, count: 2 },
      ]);
      expect(tally()).toEqual({});
    },
  );
});
