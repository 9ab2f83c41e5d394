/**
 * The health problem "needed_restart" (server/health.ts): a browser whose worker stopped hearing
 * the browser, reported after the restart (status.workerRecovery), is listed for as long as a
 * browser not seen is (staleDays), and then no longer.
 */
import { describe, expect, it } from 'vitest';
import { healthReport, problemsOf } from '../../server/health.ts';
import type { InstallationRow } from '../../server/store/types.ts';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const DAY = 86_400_000;

function installation(lastRestartNeeded: string | null, restartsNeeded: number): InstallationRow {
  return {
    installationId: crypto.randomUUID(),
    identity: null,
    firstSeen: new Date(NOW - 30 * DAY).toISOString(),
    lastSeen: new Date(NOW - DAY).toISOString(),
    batches: 10,
    statusCreatedAt: new Date(NOW - DAY).toISOString(),
    extensionVersion: '0.1.0',
    browser: 'chrome',
    policySource: 'managed',
    policyVersion: 'p',
    policyError: null,
    ruleListVersion: null,
    ruleListError: null,
    install: { policyInstalled: true, incognito: 'not_allowed' },
    adapterHealth: [],
    group: null,
    restartsNeeded,
    registrationsRepaired: restartsNeeded,
    lastRestartNeeded,
  };
}

describe('needed_restart', () => {
  it('lists a browser that needed a restart within the window, and not before or after it', () => {
    const recent = installation(new Date(NOW - 2 * DAY).toISOString(), 1);
    const longAgo = installation(new Date(NOW - 8 * DAY).toISOString(), 4);
    const never = installation(null, 0);
    const report = healthReport([recent, longAgo, never], NOW);
    expect(report.counts.needed_restart).toBe(1);
    expect(report.problems.map((p) => p.installation.installationId)).toEqual([
      recent.installationId,
    ]);
    const ctx = { now: NOW, staleDays: 10, newestExtension: null, newestRuleList: null };
    expect(problemsOf(longAgo, ctx)).toEqual(['needed_restart']);
    expect(problemsOf(never, ctx)).toEqual([]);
  });
});
