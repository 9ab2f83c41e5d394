/**
 * What the school is told about Steward's worker needing help (lib/worker-recovery.ts): each
 * repair counted once, each unheard browser session once, counts "since the last delivered
 * report", and the report's status carrying them only when there is something to say.
 */
import { describe, expect, it } from 'vitest';
import { parseReportBatch } from '../../../lib/report/payload.ts';
import { installationStatus } from '../../../lib/report/status.ts';
import {
  countRepair,
  countRestartNeeded,
  forgetDeliveredRecovery,
  MAX_RECOVERY_COUNT,
  NO_RECOVERY,
  readTally,
  recoveryForReport,
  takeBackRestartNeeded,
} from '../../../lib/worker-recovery.ts';
import { makeBatch } from '../../server/harness.ts';

const status = (workerRecovery = NO_RECOVERY) =>
  installationStatus({
    extensionVersion: '0.1.0',
    browser: 'chrome',
    policySource: 'managed',
    policyVersion: 'abc',
    policyErrors: [],
    ruleListVersion: null,
    ruleListError: null,
    adapterHealth: {},
    workerRecovery,
  });

describe('the worker-recovery tally', () => {
  it('counts a repair once, by the first start that reads its record, and a newer one again', () => {
    const once = countRepair(NO_RECOVERY, { at: 1_000, from: 'block page' });
    expect(once).toEqual({ registrationsRepaired: 1, restartsNeeded: 0, repairCounted: 1_000 });
    // Every later start of the worker reads the same record: no more counts.
    expect(
      countRepair(countRepair(once, { at: 1_000, from: 'popup' }), { at: 999, from: 'popup' }),
    ).toEqual(once);
    expect(countRepair(once, { at: 2_000, from: 'popup' }).registrationsRepaired).toBe(2);
  });

  it('ignores a repair record it cannot read', () => {
    for (const record of [
      null,
      undefined,
      'yesterday',
      { at: 'now', from: 'popup' },
      { at: Number.NaN, from: 'popup' },
      { at: 5, from: 'a web page' },
      {},
    ]) {
      expect(countRepair(NO_RECOVERY, record)).toBe(NO_RECOVERY);
    }
  });

  it('counts an unheard browser session once, however many starts find it unheard', () => {
    const first = countRestartNeeded(NO_RECOVERY, false);
    expect(first.restartsNeeded).toBe(1);
    expect(countRestartNeeded(countRestartNeeded(first, true), true)).toEqual(first);
    expect(countRestartNeeded(first, false).restartsNeeded).toBe(2);
    // A start that was only slow takes its count back, never below nothing.
    expect(takeBackRestartNeeded(first).restartsNeeded).toBe(0);
    expect(takeBackRestartNeeded(NO_RECOVERY).restartsNeeded).toBe(0);
  });

  it('keeps what happened while a report was in flight when the delivered counts are taken off', () => {
    let tally = countRestartNeeded(countRepair(NO_RECOVERY, { at: 5, from: 'block page' }), false);
    const sent = recoveryForReport(tally);
    expect(sent).toEqual({ registrationsRepaired: 1, restartsNeeded: 1 });
    // Another repair and unheard session happen before the server answers.
    tally = countRestartNeeded(countRepair(tally, { at: 9, from: 'popup' }), false);
    const left = forgetDeliveredRecovery(tally, sent);
    expect(left).toEqual({ registrationsRepaired: 1, restartsNeeded: 1, repairCounted: 9 });
    expect(forgetDeliveredRecovery(left, recoveryForReport(left))).toEqual({
      ...NO_RECOVERY,
      repairCounted: 9,
    });
    expect(forgetDeliveredRecovery(left, undefined)).toBe(left);
  });

  it('reads a missing or damaged stored tally as nothing, and caps what it counts', () => {
    expect(readTally(undefined)).toEqual(NO_RECOVERY);
    expect(readTally('x')).toEqual(NO_RECOVERY);
    expect(
      readTally({ registrationsRepaired: -3, restartsNeeded: 2.7, repairCounted: 'no' }),
    ).toEqual({ registrationsRepaired: 0, restartsNeeded: 2, repairCounted: null });
    const full = readTally({ restartsNeeded: MAX_RECOVERY_COUNT });
    expect(countRestartNeeded(full, false).restartsNeeded).toBe(MAX_RECOVERY_COUNT);
  });
});

describe("the report's status.workerRecovery", () => {
  it('is left out when nothing happened, and carried (within the contract) when it did', () => {
    expect(status()).not.toHaveProperty('workerRecovery');
    const tally = countRestartNeeded(
      countRepair(NO_RECOVERY, { at: 1, from: 'options page' }),
      false,
    );
    const withRecovery = status(tally);
    expect(withRecovery.workerRecovery).toEqual({ registrationsRepaired: 1, restartsNeeded: 1 });
    const batch = makeBatch();
    batch.status = withRecovery;
    expect(parseReportBatch(batch).ok).toBe(true);
  });

  it('is refused by the contract with anything else in it, said where', () => {
    const batch = makeBatch();
    (batch.status as Record<string, unknown>).workerRecovery = {
      registrationsRepaired: 1,
      restartsNeeded: 1,
      lastPageUrl: 'https://example.org/',
    };
    const result = parseReportBatch(batch);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe('status.workerRecovery.lastPageUrl');
    (batch.status as Record<string, unknown>).workerRecovery = {
      registrationsRepaired: -1,
      restartsNeeded: 0,
    };
    const negative = parseReportBatch(batch);
    expect(negative.ok).toBe(false);
    if (!negative.ok) {
      expect(negative.problems[0]?.path).toBe('status.workerRecovery.registrationsRepaired');
    }
  });
});
