/**
 * The report payload contract, version 1 (`steward.report/1`).
 *
 * One batch of aggregated counts that a browser uploads to the school's admin endpoint
 * (issue 4). The extension builds it, the reference server in `server/` validates it with
 * the same schema, and `docs/report-payload.md` explains every field to a school.
 *
 * Why the schema is strict (unknown keys are refused, strings are short and patterned):
 * the policies promise proportionate monitoring ("look at the sender or recipient of the email
 * and the subject heading only", seed 001), so a batch must not be able to carry URLs, page
 * titles or email content even by mistake. Anything the contract does not name is an error.
 *
 * Pure module: no browser or Node API, so the service worker, the server and tests share it.
 */

import psl from 'psl';
import * as v from 'valibot';
import {
  ADAPTER_PROBLEMS,
  MAX_HEALTH_COUNT,
  MAX_HEALTH_ROWS,
  WEBMAIL_SERVICES,
  type WebmailService,
} from '../adapter-health.ts';
import { FINDING_TYPES } from '../dlp/finding-types.ts';
import { issuePath } from '../validation.ts';
import { GROUP_RULE, isGroupName } from './group.ts';

export const REPORT_SCHEMA = 'steward.report/1';

/** Most rows of each kind in one batch; the client splits larger backlogs into several batches. */
export const MAX_ROWS = 5000;
/** Most detailed events in one batch (`reportDetail: "events"` only). */
export const MAX_EVENT_ROWS = 1000;
/** Most adapter-health rows in one batch. */
export const MAX_ADAPTER_HEALTH_ROWS = MAX_HEALTH_ROWS;
/** Largest count one row may carry (a day's blocked visits for one category on one browser). */
export const MAX_COUNT = MAX_HEALTH_COUNT;
/** Longest error text (policy or rule-list error) sent in the status. */
export const MAX_ERROR_LENGTH = 500;

export const BROWSERS = ['chrome', 'firefox', 'edge', 'other'] as const;
export const POLICY_SOURCES = ['managed', 'default'] as const;
export const INCOGNITO_STATES = ['allowed', 'not_allowed', 'unknown'] as const;
export { ADAPTER_PROBLEMS, WEBMAIL_SERVICES, type WebmailService };
export const NAVIGATION_OUTCOMES = ['blocked', 'warned', 'continued'] as const;
/** What a detailed event records: the navigation was blocked, or a warning page was shown. */
export const EVENT_OUTCOMES = ['blocked', 'warned'] as const;
/**
 * Detector types of the send warning (issue 5); `recipient_risk` is a warning with no finding;
 * `disclaimer` is the reminder about the school's disclaimer (`compose.disclaimer`, issue 13).
 */
export const EMAIL_DETECTORS = [...FINDING_TYPES, 'recipient_risk', 'disclaimer'] as const;
/** What staff did when warned about the message's content or recipients. */
export const WARNING_OUTCOMES = [
  'warned',
  'went_back',
  'removed_recipient',
  'sent_anyway',
  'blocked',
] as const;
/**
 * What staff did about a missing disclaimer: the reminder was shown (`reminded`), the disclaimer
 * was added (from the reminder or from the warning), the message went without it, or Go back.
 */
export const DISCLAIMER_OUTCOMES = [
  'reminded',
  'disclaimer_added',
  'sent_without_disclaimer',
  'went_back',
] as const;
export const EMAIL_OUTCOMES = [
  ...WARNING_OUTCOMES,
  'reminded',
  'disclaimer_added',
  'sent_without_disclaimer',
] as const;

/**
 * Whether a detector and an outcome go together: disclaimer outcomes only with `disclaimer`, and
 * `disclaimer` only with them, so a count can never say "sent anyway" about the disclaimer or
 * "added the disclaimer" about a pupil number.
 */
export function isEmailPair(detector: string, outcome: string): boolean {
  return detector === 'disclaimer'
    ? (DISCLAIMER_OUTCOMES as readonly string[]).includes(outcome)
    : (WARNING_OUTCOMES as readonly string[]).includes(outcome);
}

export type Browser = (typeof BROWSERS)[number];
export type PolicySource = (typeof POLICY_SOURCES)[number];
export type NavigationOutcome = (typeof NAVIGATION_OUTCOMES)[number];
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];
export type EmailDetector = (typeof EMAIL_DETECTORS)[number];
export type EmailOutcome = (typeof EMAIL_OUTCOMES)[number];

const CATEGORY_PATTERN = /^[a-z0-9_-]{1,40}$/;
// Lowercase only: the server is idempotent on the exact string, and crypto.randomUUID() is lowercase.
const UUID_V4_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP_PATTERN =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;
const VERSION_PATTERN = /^[0-9A-Za-z.+_-]{1,32}$/;
const POLICY_VERSION_PATTERN = /^[0-9A-Za-z._-]{1,64}$/;
// A deliberately plain address check: the identity is only a label on the dashboard.
const EMAIL_PATTERN = /^[^\s@<>"]{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,63}$/;

// Lowercase ASCII host name (punycode for IDNs) with at least one dot: no path, port, query or user.
const HOST_PATTERN = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/**
 * True when `domain` is a registrable domain (`bbc.co.uk`, not `www.bbc.co.uk`, `co.uk` or a path):
 * the only part of a site a detailed event may carry. Checked with the Public Suffix List (psl).
 */
export function isRegistrableDomain(domain: string): boolean {
  return HOST_PATTERN.test(domain) && psl.get(domain) === domain;
}

/** The registrable domain of a URL's host (`https://news.bbc.co.uk/x?y` → `bbc.co.uk`), or null. */
export function registrableDomainOf(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/\.$/, '').toLowerCase();
  } catch {
    return null;
  }
  const domain = psl.get(host);
  return domain && isRegistrableDomain(domain) ? domain : null;
}

/** True for a real calendar date written YYYY-MM-DD (rejects 2025-02-30). */
export function isRealDay(day: string): boolean {
  const m = DAY_PATTERN.exec(day);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const date = Number(m[3]);
  if (year < 2000 || year > 2999 || month < 1 || month > 12 || date < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return date <= daysInMonth;
}

function oneOf<const T extends readonly [string, ...string[]]>(options: T) {
  return v.picklist(options, `expected one of ${options.map((o) => `"${o}"`).join(', ')}`);
}

const dayString = v.pipe(
  v.string('expected a day written YYYY-MM-DD'),
  v.check(isRealDay, 'expected a real day written YYYY-MM-DD'),
);

const positiveCount = v.pipe(
  v.number('expected a positive integer'),
  v.integer('expected a positive integer'),
  v.minValue(1, 'expected a positive integer'),
  v.maxValue(MAX_COUNT, `expected a count of at most ${MAX_COUNT}`),
);

const shortError = v.nullable(
  v.pipe(
    v.string('expected text or null'),
    v.maxLength(MAX_ERROR_LENGTH, `expected at most ${MAX_ERROR_LENGTH} characters`),
  ),
);

export const NavigationRowSchema = v.strictObject(
  {
    day: dayString,
    category: v.pipe(
      v.string('expected a category name'),
      v.regex(CATEGORY_PATTERN, 'expected a category name of 1-40 characters a-z, 0-9, _ or -'),
    ),
    outcome: oneOf(NAVIGATION_OUTCOMES),
    count: positiveCount,
  },
  'expected an object with day, category, outcome and count only',
);

export const EmailRowSchema = v.pipe(
  v.strictObject(
    {
      day: dayString,
      detector: oneOf(EMAIL_DETECTORS),
      outcome: oneOf(EMAIL_OUTCOMES),
      count: positiveCount,
    },
    'expected an object with day, detector, outcome and count only',
  ),
  v.check(
    (row) => isEmailPair(row.detector, row.outcome),
    (issue) => {
      const row = issue.input as { detector: string; outcome: string };
      return row.detector === 'disclaimer'
        ? `the disclaimer's outcome must be one of ${DISCLAIMER_OUTCOMES.join(', ')}`
        : `a warning's outcome must be one of ${WARNING_OUTCOMES.join(', ')}`;
    },
  ),
);

const wholeCount = v.pipe(
  v.number('expected a whole number'),
  v.integer('expected a whole number'),
  v.minValue(0, 'expected a whole number'),
  v.maxValue(MAX_COUNT, `expected a count of at most ${MAX_COUNT}`),
);

/**
 * How often Steward's worker needed help since the last delivered batch (lib/worker-recovery.ts):
 * its registration lost and made again by a page, and browser sessions in which the browser
 * delivered it nothing, so staff were asked to restart the browser.
 */
export const WorkerRecoverySchema = v.strictObject(
  {
    registrationsRepaired: wholeCount,
    restartsNeeded: wholeCount,
  },
  'expected an object with registrationsRepaired and restartsNeeded only',
);

export const AdapterHealthSchema = v.strictObject(
  {
    service: oneOf(WEBMAIL_SERVICES),
    problem: oneOf(ADAPTER_PROBLEMS),
    count: positiveCount,
  },
  'expected an object with service, problem and count only',
);

/** One blocked or warned navigation, sent only when the school's policy sets `reportDetail: "events"`. */
export const EventRowSchema = v.strictObject(
  {
    at: v.pipe(
      v.string('expected an ISO 8601 timestamp'),
      v.regex(ISO_TIMESTAMP_PATTERN, 'expected an ISO 8601 timestamp such as 2025-03-04T09:15:00Z'),
    ),
    category: v.pipe(
      v.string('expected a category name'),
      v.regex(CATEGORY_PATTERN, 'expected a category name of 1-40 characters a-z, 0-9, _ or -'),
    ),
    outcome: oneOf(EVENT_OUTCOMES),
    domain: v.pipe(
      v.string('expected a registrable domain such as bbc.co.uk'),
      v.check(
        isRegistrableDomain,
        'expected a registrable domain only (such as bbc.co.uk): no sub-domain, path or query',
      ),
    ),
  },
  'expected an object with at, category, outcome and domain only',
);

export const StatusSchema = v.strictObject(
  {
    extensionVersion: v.pipe(
      v.string('expected a version such as "0.1.0"'),
      v.regex(VERSION_PATTERN, 'expected a version such as "0.1.0"'),
    ),
    browser: oneOf(BROWSERS),
    policySource: oneOf(POLICY_SOURCES),
    policyVersion: v.pipe(
      v.string('expected a short policy hash'),
      v.regex(POLICY_VERSION_PATTERN, 'expected a short policy hash (1-64 characters)'),
    ),
    policyError: shortError,
    ruleListVersion: v.nullable(
      v.pipe(
        v.number('expected a whole number or null'),
        v.integer('expected a whole number or null'),
        v.minValue(0, 'expected a whole number or null'),
        v.maxValue(Number.MAX_SAFE_INTEGER, 'expected a whole number or null'),
      ),
    ),
    ruleListError: shortError,
    install: v.optional(
      v.strictObject(
        {
          policyInstalled: v.boolean('expected true or false'),
          incognito: oneOf(INCOGNITO_STATES),
        },
        'expected an object with policyInstalled and incognito only',
      ),
    ),
    adapterHealth: v.optional(
      v.pipe(
        v.array(AdapterHealthSchema, 'expected a list'),
        v.maxLength(MAX_ADAPTER_HEALTH_ROWS, `expected at most ${MAX_ADAPTER_HEALTH_ROWS} rows`),
      ),
    ),
    workerRecovery: v.optional(WorkerRecoverySchema),
    group: v.optional(
      v.pipe(v.string('expected a group name'), v.check(isGroupName, `expected ${GROUP_RULE}`)),
    ),
  },
  'expected the installation status object',
);

export const ReportBatchSchema = v.strictObject(
  {
    schema: v.literal(REPORT_SCHEMA, `expected "${REPORT_SCHEMA}"`),
    batchId: v.pipe(
      v.string('expected a lowercase UUID v4'),
      v.regex(UUID_V4_PATTERN, 'expected a lowercase UUID v4'),
    ),
    installationId: v.pipe(
      v.string('expected a lowercase UUID v4'),
      v.regex(UUID_V4_PATTERN, 'expected a lowercase UUID v4'),
    ),
    identity: v.optional(
      v.pipe(
        v.string('expected an email address'),
        v.maxLength(254, 'expected an email address of at most 254 characters'),
        v.regex(EMAIL_PATTERN, 'expected an email address'),
      ),
    ),
    createdAt: v.pipe(
      v.string('expected an ISO 8601 timestamp'),
      v.regex(ISO_TIMESTAMP_PATTERN, 'expected an ISO 8601 timestamp such as 2025-03-04T09:15:00Z'),
    ),
    status: StatusSchema,
    navigation: v.pipe(
      v.array(NavigationRowSchema, 'expected a list'),
      v.maxLength(MAX_ROWS, `expected at most ${MAX_ROWS} rows`),
    ),
    email: v.pipe(
      v.array(EmailRowSchema, 'expected a list'),
      v.maxLength(MAX_ROWS, `expected at most ${MAX_ROWS} rows`),
    ),
    events: v.optional(
      v.pipe(
        v.array(EventRowSchema, 'expected a list'),
        v.maxLength(MAX_EVENT_ROWS, `expected at most ${MAX_EVENT_ROWS} events`),
      ),
    ),
  },
  'expected a report batch object',
);

export type NavigationRow = v.InferOutput<typeof NavigationRowSchema>;
export type EmailRow = v.InferOutput<typeof EmailRowSchema>;
export type AdapterHealth = v.InferOutput<typeof AdapterHealthSchema>;
export type EventRow = v.InferOutput<typeof EventRowSchema>;
export type InstallationStatus = v.InferOutput<typeof StatusSchema>;
export type ReportBatch = v.InferOutput<typeof ReportBatchSchema>;

/** One problem with a batch: where (`navigation[3].count`) and what was expected. */
export interface PayloadProblem {
  path: string;
  message: string;
}

export type ParseReportResult =
  | { ok: true; batch: ReportBatch }
  | { ok: false; problems: PayloadProblem[] };

/** Most problems listed for one refused batch, so a broken client gets a short answer. */
const MAX_PROBLEMS = 20;

/**
 * Validate an uploaded value (already JSON-parsed) against the v1 contract.
 * Problems name the field, e.g. `navigation[3].count: expected a positive integer`.
 */
export function parseReportBatch(input: unknown): ParseReportResult {
  const result = v.safeParse(ReportBatchSchema, input, { abortPipeEarly: true });
  if (result.success) return { ok: true, batch: result.output };
  const problems = result.issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const path = issuePath(issue) || '(batch)';
    // valibot reports a missing key and an unknown key as the object's own issue, with the key
    // in the path; say which of the two it is rather than repeat the object's message.
    let message = issue.message;
    if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.path?.length) {
      message =
        issue.expected === 'never'
          ? 'is not part of the report contract (unknown field)'
          : 'is required';
    }
    return { path, message };
  });
  return { ok: false, problems };
}

/** The problems as one line per problem: `navigation[3].count: expected a positive integer`. */
export function describeProblems(problems: readonly PayloadProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('\n');
}

const STATUS_FALLBACK: InstallationStatus = {
  extensionVersion: 'unknown',
  browser: 'other',
  policySource: 'default',
  policyVersion: 'unknown',
  policyError: null,
  ruleListVersion: null,
  ruleListError: null,
};

function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A status the contract accepts, made from whatever the service worker assembled, so that a bad
 * status can never hold back the counts it travels with: error texts are cut to their limit,
 * adapter-health rows the contract would refuse are dropped (and the list cut to its limit), an
 * invalid optional part is left out, and an invalid required field takes a neutral value
 * (`unknown`, `other`, `null`). Says which fields it changed, for the client's log.
 */
export function fitStatus(input: unknown): { status: InstallationStatus; changed: string[] } {
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const changed: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(StatusSchema.entries)) {
    let value = raw[key];
    if ((key === 'policyError' || key === 'ruleListError') && typeof value === 'string') {
      value = truncateText(value, MAX_ERROR_LENGTH);
    }
    if (key === 'adapterHealth' && Array.isArray(value)) {
      const kept = value
        .filter((row) => v.safeParse(AdapterHealthSchema, row).success)
        .slice(0, MAX_ADAPTER_HEALTH_ROWS);
      if (kept.length !== value.length) value = kept;
    }
    if (value !== raw[key]) changed.push(key);
    if (v.safeParse(schema, value).success) {
      if (value !== undefined) out[key] = value;
      continue;
    }
    if (!changed.includes(key)) changed.push(key);
    const fallback = (STATUS_FALLBACK as Record<string, unknown>)[key];
    if (fallback !== undefined) out[key] = fallback;
  }
  const extra = Object.keys(raw).filter((k) => !(k in StatusSchema.entries));
  changed.push(...extra);
  return { status: out as InstallationStatus, changed };
}
