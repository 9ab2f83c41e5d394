/**
 * The installation's status as one report batch carries it, built from what the service worker
 * keeps (enforcement state, rule-list state, the adapter-health tally, the worker-recovery tally). Pure, so that what a real
 * browser would send is tested in Node; platform/reporting.ts only reads storage and calls this.
 */
import { type AdapterHealthTally, healthRows } from '../adapter-health.ts';
import { recoveryForReport, type WorkerRecoveryTally } from '../worker-recovery.ts';
import type { Browser, InstallationStatus, PolicySource } from './payload.ts';
import { MAX_ERROR_LENGTH } from './payload.ts';

export type StatusInput = {
  extensionVersion: string;
  browser: Browser;
  policySource: PolicySource;
  /** '' before any policy was applied. */
  policyVersion: string;
  /** Every policy error in force, in plain words (the policy's and the `compose` settings'). */
  policyErrors: readonly string[];
  ruleListVersion: number | null;
  ruleListError: string | null;
  adapterHealth: AdapterHealthTally;
  /** How often the worker needed help since the last delivered report (lib/worker-recovery.ts). */
  workerRecovery?: WorkerRecoveryTally;
  install?: InstallationStatus['install'];
};

export function installationStatus(input: StatusInput): InstallationStatus {
  const policyError = input.policyErrors.join(' ');
  const rows = healthRows(input.adapterHealth);
  const recovery = input.workerRecovery ? recoveryForReport(input.workerRecovery) : undefined;
  return {
    extensionVersion: input.extensionVersion,
    browser: input.browser,
    policySource: input.policySource,
    policyVersion: input.policyVersion || 'none',
    policyError: policyError
      ? policyError.length <= MAX_ERROR_LENGTH
        ? policyError
        : `${policyError.slice(0, MAX_ERROR_LENGTH - 1)}…`
      : null,
    ruleListVersion: input.ruleListVersion,
    ruleListError: input.ruleListError,
    ...(input.install ? { install: input.install } : {}),
    ...(rows.length > 0 ? { adapterHealth: rows } : {}),
    ...(recovery ? { workerRecovery: recovery } : {}),
  };
}
