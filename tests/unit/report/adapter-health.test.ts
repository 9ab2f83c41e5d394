/** Adapter health as codes: recorded, reported, cleared after delivery; statuses made to fit. */
import '../../../lib/dlp/custom-patterns.ts'; // the pattern engine (lib/dlp/custom-rules.ts)
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  ADAPTER_PROBLEMS,
  forgetDelivered,
  healthRows,
  isAdapterProblem,
  MAX_HEALTH_COUNT,
  recordProblem,
  WEBMAIL_SERVICES,
} from '../../../lib/adapter-health.ts';
import { composePolicyErrors } from '../../../lib/dlp/policy.ts';
import {
  AdapterHealthSchema,
  fitStatus,
  type InstallationStatus,
  MAX_ADAPTER_HEALTH_ROWS,
  StatusSchema,
} from '../../../lib/report/payload.ts';
import { installationStatus } from '../../../lib/report/status.ts';

const STATUS: InstallationStatus = {
  extensionVersion: '0.1.0',
  browser: 'chrome',
  policySource: 'managed',
  policyVersion: 'p-3f2a',
  policyError: null,
  ruleListVersion: 7,
  ruleListError: null,
};

describe('adapter problem codes', () => {
  it('every code and service is accepted by the report contract', () => {
    for (const service of WEBMAIL_SERVICES) {
      for (const problem of ADAPTER_PROBLEMS) {
        expect(v.safeParse(AdapterHealthSchema, { service, problem, count: 1 }).success).toBe(true);
      }
    }
  });

  it('the webmail code uses only the codes (no sentence left in the adapters)', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const files = ['webmail/adapter.ts', 'webmail/interceptor.ts', 'webmail/main.ts'];
    files.push(...readdirSync('webmail/mailbox').map((f) => `webmail/mailbox/${f}`));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/health\(\s*'([^']*)'\s*\)|problem: '([^']*)'/g)) {
        expect(isAdapterProblem(m[1] ?? m[2]), `${file}: ${m[0]}`).toBe(true);
      }
    }
  });

  it('every code and service has plain English for the popup (en-GB)', async () => {
    const { readFileSync } = await import('node:fs');
    const messages = JSON.parse(
      readFileSync('public/_locales/en_GB/messages.json', 'utf8'),
    ) as Record<string, { message: string }>;
    for (const code of ADAPTER_PROBLEMS)
      expect(messages[`health_problem_${code}`]?.message, code).toMatch(/^[A-Z].* /);
    for (const service of WEBMAIL_SERVICES)
      expect(messages[`webmail_service_${service}`]?.message, service).toBeTruthy();
  });

  it('refuses text that is not a code', () => {
    expect(isAdapterProblem('recipient fields not found on a compose window')).toBe(false);
    expect(isAdapterProblem('RECIPIENTS_NOT_FOUND')).toBe(false);
    expect(isAdapterProblem(undefined)).toBe(false);
  });
});

describe('the tally', () => {
  it('counts sightings per service and code', () => {
    let tally = {};
    tally = recordProblem(tally, 'gmail', 'recipients_not_found');
    tally = recordProblem(tally, 'gmail', 'recipients_not_found');
    tally = recordProblem(tally, 'yahoo', 'body_not_found');
    expect(healthRows(tally)).toEqual([
      { service: 'gmail', problem: 'recipients_not_found', count: 2 },
      { service: 'yahoo', problem: 'body_not_found', count: 1 },
    ]);
  });

  it('leaves out what an older version stored (sentences) and anything malformed', () => {
    const rows = healthRows({
      'gmail\u0000recipient fields not found on a compose window': 4,
      'hotmail\u0000recipients_not_found': 1,
      'outlook\u0000body_not_found': 0,
      'outlook\u0000subject_not_found\u0000x': 1,
      'roundcube\u0000subject_not_found': 2.7,
      'gmail\u0000account_unreadable': 5e9,
    });
    expect(rows).toEqual([
      { service: 'gmail', problem: 'account_unreadable', count: MAX_HEALTH_COUNT },
      { service: 'roundcube', problem: 'subject_not_found', count: 2 },
    ]);
  });

  it('after delivery, takes off what was reported and keeps what came in meanwhile', () => {
    const sent = healthRows({
      'gmail\u0000recipients_not_found': 2,
      'yahoo\u0000body_not_found': 1,
    });
    // Two more sightings arrived while the report was in flight.
    const now = {
      'gmail\u0000recipients_not_found': 3,
      'yahoo\u0000body_not_found': 1,
      'outlook\u0000send_outside_compose': 1,
      'gmail\u0000recipient fields not found on a compose window': 9,
    };
    expect(forgetDelivered(now, sent)).toEqual({
      'gmail\u0000recipients_not_found': 1,
      'outlook\u0000send_outside_compose': 1,
    });
    expect(forgetDelivered(now, [])).not.toHaveProperty(
      'gmail\u0000recipient fields not found on a compose window',
    );
  });
});

describe('a status always fits the contract', () => {
  it('keeps a valid status as it is', () => {
    const full = {
      ...STATUS,
      install: { policyInstalled: true, incognito: 'not_allowed' as const },
      adapterHealth: [{ service: 'gmail' as const, problem: 'body_not_found' as const, count: 1 }],
    };
    expect(fitStatus(full)).toEqual({ status: full, changed: [] });
  });

  it('cuts long errors, drops refused health rows, cuts the list, neutralises bad fields', () => {
    const rows = Array.from({ length: 80 }, () => ({
      service: 'gmail',
      problem: 'recipients_not_found',
      count: 1,
    }));
    const { status, changed } = fitStatus({
      ...STATUS,
      policyVersion: 'has spaces and is far too long '.repeat(5),
      policyError: 'e'.repeat(2000),
      ruleListError: 'r'.repeat(501),
      ruleListVersion: -1,
      install: { policyInstalled: 'yes' },
      adapterHealth: [
        { service: 'gmail', problem: 'recipient fields not found on a compose window', count: 1 },
        { service: 'gmail', problem: 'body_not_found', count: 0 },
        ...rows,
      ],
      url: 'https://bet.example/',
    });
    expect(v.safeParse(StatusSchema, status).success).toBe(true);
    expect(status.policyVersion).toBe('unknown');
    expect(status.policyError).toHaveLength(500);
    expect(status.ruleListError).toHaveLength(500);
    expect(status.ruleListVersion).toBeNull();
    expect(status).not.toHaveProperty('install');
    expect(status).not.toHaveProperty('url');
    expect(status.adapterHealth).toHaveLength(MAX_ADAPTER_HEALTH_ROWS);
    expect(changed.sort()).toEqual(
      [
        'adapterHealth',
        'install',
        'policyError',
        'policyVersion',
        'ruleListError',
        'ruleListVersion',
        'url',
      ].sort(),
    );
  });

  it.each([null, undefined, 42, 'status', []])('makes a neutral status out of %j', (raw) => {
    const { status } = fitStatus(raw);
    expect(v.safeParse(StatusSchema, status).success).toBe(true);
  });
});

describe('the status the service worker builds', () => {
  it('carries every policy error, cut to fit, and the health rows as codes', () => {
    const status = installationStatus({
      extensionVersion: '0.1.0',
      browser: 'chrome',
      policySource: 'managed',
      policyVersion: '',
      policyErrors: ['a'.repeat(300), 'b'.repeat(300)],
      ruleListVersion: null,
      ruleListError: null,
      adapterHealth: { 'outlook\u0000recipient_not_removed': 1 },
    });
    expect(status.policyVersion).toBe('none');
    expect(status.policyError).toHaveLength(500);
    expect(status.adapterHealth).toEqual([
      { service: 'outlook', problem: 'recipient_not_removed', count: 1 },
    ]);
    expect(v.safeParse(StatusSchema, status).success).toBe(true);
  });
});

describe('compose policy errors', () => {
  it('are computed for the popup, options page and report', () => {
    expect(composePolicyErrors({})).toEqual([]);
    expect(composePolicyErrors({ compose: { mode: 'warn' } })).toEqual([]);
    const errors = composePolicyErrors({ compose: { mode: 'loud', minConfidance: 'high' } });
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/compose\.minConfidance: unknown setting/);
    expect(errors.join('\n')).toMatch(/compose\.mode/);
  });
});
