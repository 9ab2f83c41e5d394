/**
 * The school's policy as Steward enforces it: managed policy (from Google Admin console, Group
 * Policy, Intune or a policy file) laid over the built-in default. Pure: the service worker reads
 * `storage.managed` and hands the raw object here.
 *
 * Validation is all-or-nothing: a policy with any invalid value is rejected with messages that say
 * what and where, and the caller keeps the last good rules in force. Half-applying a policy would
 * leave a school unsure what is enforced.
 */
import * as v from 'valibot';
import { WEBMAIL_SERVICES, type WebmailService } from './adapter-health.ts';
import { BUILT_IN_CATEGORIES, type BuiltInCategory } from './categories.ts';
import { normaliseDomain, normaliseEntry } from './domains.ts';
import { DEFAULT_DOWNLOADS, type DownloadsPolicy, DownloadsPolicySchema } from './downloads.ts';
import {
  closedDayCount,
  MAX_CLOSED_DAYS,
  MAX_WINDOWS,
  NO_PERSONAL_USE,
  type PersonalUsePolicy,
  parseClosedDate,
  TIME,
  WEEKDAYS,
} from './personal-use.ts';
import { GROUP_RULE, isGroupName } from './report/group.ts';
import {
  DEFAULT_SAFE_SEARCH,
  type SafeSearchPolicy,
  SafeSearchPolicySchema,
} from './safe-search.ts';
import { describeIssue, plainTypeMessage } from './validation.ts';

/** Categories Steward ships lists for (`rules/<id>.txt`; lib/categories.ts). Rule lists may add more. */
export { BUILT_IN_CATEGORIES, type BuiltInCategory };

export const CATEGORY_MODES = ['block', 'warn', 'allow'] as const;
export type CategoryMode = (typeof CATEGORY_MODES)[number];

export const CATEGORY_ID = /^[a-z][a-z0-9_-]{0,39}$/;

/** Self-hosted or custom-domain webmail named in policy: the services with an adapter. */
export type WebmailSite = { service: WebmailService; host: string };
const SERVICES_IN_WORDS = `${WEBMAIL_SERVICES.slice(0, -1).join(', ')} or ${WEBMAIL_SERVICES.at(-1)}`;

export type AccessRequest = {
  email?: string;
  url?: string;
  note?: string;
  /** Send "Ask for access" requests to the school's Steward admin server (reportUrl's origin). */
  server?: boolean;
  /** That server's https:// address, when it is not the one at reportUrl. */
  serverUrl?: string;
};

export type StewardPolicy = {
  /** The school's own domains: internal recipients, work accounts. */
  orgDomains: string[];
  /** Mode per category; categories not named keep the default. */
  categories: Record<string, CategoryMode>;
  /** Domains or URL prefixes always allowed (beats everything). */
  allowList: string[];
  /** Domains or URL prefixes always blocked (beats categories). */
  blockList: string[];
  /** Policy clause shown on the block page, per category (and `blockList`). */
  clauses: Record<string, string>;
  /** How staff ask for access, shown on the block page. */
  accessRequest: AccessRequest;
  /** The school's name, shown on the block page and popup. */
  schoolName?: string;
  /** How long "Continue" on a warning allows the site in that tab. */
  warnContinueMinutes: number;
  ruleListUrl?: string;
  ruleListPublicKey?: string;
  ruleListPollMinutes: number;
  reportUrl?: string;
  reportToken?: string;
  reportIntervalMinutes: number;
  reportIdentity: 'installation' | 'email';
  /** The group or school this installation belongs to (set per organisational unit), in reports. */
  reportGroup?: string;
  /**
   * `counts` (default): counts per category per day only. `events`: each blocked or warned
   * navigation is also sent as time, category and registrable domain (README, "Detailed events").
   */
  reportDetail: 'counts' | 'events';
  /** Time zone in which counts are grouped into days. */
  timeZone: string;
  /** Self-hosted webmail (e.g. Roundcube) where send warnings and labels run. */
  webmailSites: WebmailSite[];
  /** Send-warning settings (validated by the email feature's own schema). */
  compose?: unknown;
  /** Personal-mailbox settings (validated by the mailbox feature's own schema). */
  mailbox?: unknown;
  /** Software downloads: block, warn or allow installers, and the approved sources. */
  downloads: DownloadsPolicy;
  /** Safe search on the search engines and YouTube's restricted mode. */
  safeSearch: SafeSearchPolicy;
  /** Personal-use windows (lib/personal-use.ts), in `timeZone`: other category modes inside them. */
  personalUse: PersonalUsePolicy;
};

/**
 * Categories whose default is not "block": only seed 003 (§6.10) forbids auctions and buying
 * online; the other four seed policies say nothing about them.
 */
const DEFAULT_MODES: Partial<Record<BuiltInCategory, CategoryMode>> = { auctions: 'allow' };

/**
 * With no managed policy, Steward follows the seed policies: every category they name is blocked
 * (streaming, web mail, social networking, chat and instant messaging, gambling, pornography, and
 * tools that bypass the school's security).
 */
export const DEFAULT_POLICY: StewardPolicy = {
  orgDomains: [],
  categories: Object.fromEntries(BUILT_IN_CATEGORIES.map((c) => [c, DEFAULT_MODES[c] ?? 'block'])),
  allowList: [],
  blockList: [],
  clauses: {},
  accessRequest: {},
  warnContinueMinutes: 15,
  ruleListPollMinutes: 60,
  reportIntervalMinutes: 60,
  reportIdentity: 'installation',
  reportDetail: 'counts',
  timeZone: 'Europe/London',
  webmailSites: [],
  downloads: DEFAULT_DOWNLOADS,
  safeSearch: DEFAULT_SAFE_SEARCH,
  personalUse: NO_PERSONAL_USE,
};

const domainList = (key: string) =>
  v.pipe(
    v.array(v.string(), `${key} must be a list of domains`),
    v.maxLength(
      10_000,
      `${key} may hold at most 10,000 entries; publish longer lists as a rule list`,
    ),
  );

const entryList = (key: string) =>
  v.pipe(
    v.array(v.string(), `${key} must be a list of domains or URL prefixes`),
    v.maxLength(
      10_000,
      `${key} may hold at most 10,000 entries; publish longer lists as a rule list`,
    ),
  );

const secureUrl = (key: string) =>
  v.pipe(
    v.string(`${key} must be a URL`),
    v.check(
      isAllowedEndpoint,
      `${key} must be an https:// URL (http://localhost is allowed for testing)`,
    ),
  );

const minutes = (key: string, min: number) =>
  v.pipe(
    v.number(`${key} must be a number of minutes`),
    v.integer(`${key} must be a whole number of minutes`),
    v.minValue(min, `${key} must be at least ${min}`),
    v.maxValue(60 * 24 * 7, `${key} must be at most a week (10,080 minutes)`),
  );

/** `personalUse`: weekly windows, closed dates and the modes inside a window. */
const PersonalUseWindowSchema = v.object({
  days: v.pipe(
    v.array(
      v.picklist(WEEKDAYS, 'a day is one of "mon", "tue", "wed", "thu", "fri", "sat", "sun"'),
      'days must be a list of days such as ["mon", "tue"]',
    ),
    v.minLength(1, 'days must name at least one day'),
  ),
  from: v.pipe(
    v.string('from must be a time such as "12:15"'),
    v.regex(TIME, 'from must be a 24-hour time such as "12:15"'),
    v.check((t) => t !== '24:00', 'from must be a time of day, 00:00 to 23:59'),
  ),
  to: v.pipe(
    v.string('to must be a time such as "13:15"'),
    v.regex(TIME, 'to must be a 24-hour time such as "13:15" (24:00 for midnight)'),
  ),
});

const PersonalUsePolicySchema = v.pipe(
  v.object({
    windows: v.optional(
      v.pipe(
        v.array(PersonalUseWindowSchema, 'personalUse.windows must be a list of windows'),
        v.maxLength(MAX_WINDOWS, `personalUse.windows may hold at most ${MAX_WINDOWS} windows`),
      ),
    ),
    closedDates: v.optional(
      v.array(
        v.pipe(
          v.string('a closed date is text such as "2026-12-21"'),
          v.check(
            (s) => parseClosedDate(s) !== null,
            'a closed date is a real date "YYYY-MM-DD" or a range "YYYY-MM-DD/YYYY-MM-DD" (first day no later than the last)',
          ),
        ),
        'personalUse.closedDates must be a list of dates',
      ),
    ),
    modes: v.optional(
      v.record(
        v.pipe(
          v.string(),
          v.regex(CATEGORY_ID, 'category names are lower-case letters, digits, - and _'),
        ),
        v.picklist(CATEGORY_MODES, 'a category mode must be "block", "warn" or "allow"'),
      ),
    ),
  }),
  v.check(
    (p) => closedDayCount(p.closedDates ?? []) <= MAX_CLOSED_DAYS,
    `personalUse.closedDates may cover at most ${MAX_CLOSED_DAYS} days`,
  ),
  v.forward(
    v.check(
      (p) => (p.windows ?? []).every((w) => w.from !== w.to),
      'a window from a time to the same time is empty; give different times (00:00 to 24:00 for a whole day)',
    ),
    ['windows'],
  ),
);

const ManagedPolicySchema = v.object({
  orgDomains: v.optional(domainList('orgDomains')),
  categories: v.optional(
    v.record(
      v.pipe(
        v.string(),
        v.regex(CATEGORY_ID, 'category names are lower-case letters, digits, - and _'),
      ),
      v.picklist(CATEGORY_MODES, 'a category mode must be "block", "warn" or "allow"'),
    ),
  ),
  allowList: v.optional(entryList('allowList')),
  blockList: v.optional(entryList('blockList')),
  clauses: v.optional(
    v.record(v.string(), v.pipe(v.string(), v.maxLength(2000, 'a clause may be 2,000 characters'))),
  ),
  accessRequest: v.optional(
    v.object({
      email: v.optional(
        v.pipe(v.string(), v.email('accessRequest.email must be an email address')),
      ),
      url: v.optional(secureUrl('accessRequest.url')),
      note: v.optional(v.pipe(v.string(), v.maxLength(500))),
      server: v.optional(v.boolean('accessRequest.server must be true or false')),
      serverUrl: v.optional(secureUrl('accessRequest.serverUrl')),
    }),
  ),
  schoolName: v.optional(v.pipe(v.string(), v.maxLength(200))),
  warnContinueMinutes: v.optional(minutes('warnContinueMinutes', 1)),
  ruleListUrl: v.optional(secureUrl('ruleListUrl')),
  ruleListPublicKey: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/=\s]+$/, 'must be base64')),
  ),
  ruleListPollMinutes: v.optional(minutes('ruleListPollMinutes', 5)),
  reportUrl: v.optional(secureUrl('reportUrl')),
  reportToken: v.optional(v.pipe(v.string(), v.maxLength(500))),
  reportIntervalMinutes: v.optional(minutes('reportIntervalMinutes', 1)),
  reportIdentity: v.optional(v.picklist(['installation', 'email'])),
  reportGroup: v.optional(
    v.pipe(
      v.string('reportGroup must be text'),
      v.check(isGroupName, `reportGroup must be ${GROUP_RULE}`),
    ),
  ),
  reportDetail: v.optional(
    v.picklist(['counts', 'events'], 'reportDetail must be "counts" or "events"'),
  ),
  timeZone: v.optional(
    v.pipe(v.string(), v.check(isTimeZone, 'timeZone must be an IANA time zone')),
  ),
  webmailSites: v.optional(
    v.pipe(
      v.array(
        v.object({
          service: v.picklist(WEBMAIL_SERVICES, `service must be ${SERVICES_IN_WORDS}`),
          host: v.pipe(
            v.string(),
            v.regex(/^[a-z0-9.-]+(:\d+)?$/i, 'host is a host name such as webmail.school.org.uk'),
          ),
        }),
      ),
      v.maxLength(50),
    ),
  ),
  compose: v.optional(v.unknown()),
  mailbox: v.optional(v.unknown()),
  downloads: v.optional(DownloadsPolicySchema),
  safeSearch: v.optional(SafeSearchPolicySchema),
  personalUse: v.optional(PersonalUsePolicySchema),
});

export type PolicySource = 'managed' | 'default';

export type PolicyResult =
  | { ok: true; policy: StewardPolicy; source: PolicySource; warnings: string[] }
  | { ok: false; errors: string[] };

/** Resolve the raw managed-storage object into the effective policy, or explain what is wrong. */
export function resolvePolicy(managed: unknown): PolicyResult {
  const raw = (managed ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: ['The managed policy is not an object of settings.'] };
  }
  const known = new Set(Object.keys(ManagedPolicySchema.entries));
  const warnings = Object.keys(raw)
    .filter((k) => !known.has(k))
    .map((k) => `Unknown policy setting "${k}" was ignored.`);
  const parsed = v.safeParse(ManagedPolicySchema, raw);
  if (!parsed.success) return { ok: false, errors: parsed.issues.map(describePolicyIssue) };
  const m = parsed.output;
  const errors: string[] = [];
  for (const [key, list] of [
    ['orgDomains', m.orgDomains],
    ['allowList', m.allowList],
    ['blockList', m.blockList],
    ['downloads.allowFrom', m.downloads?.allowFrom],
  ] as const) {
    list?.forEach((entry, i) => {
      const result = key === 'orgDomains' ? normaliseDomain(entry) : normaliseEntry(entry);
      if (!result.ok) errors.push(`${key}[${i}]: ${result.reason}.`);
    });
  }
  if (m.accessRequest?.server === true && !m.reportUrl && !m.accessRequest.serverUrl) {
    errors.push(
      "accessRequest.server: true sends requests to the server at reportUrl, but there is no reportUrl; set reportUrl and reportToken, or the server's address in accessRequest.serverUrl.",
    );
  }
  if ((m.accessRequest?.server || m.accessRequest?.serverUrl) && !m.reportToken) {
    errors.push(
      'accessRequest.server: requests are sent with the report token, but there is no reportToken.',
    );
  }
  if (errors.length > 0) return { ok: false, errors };

  const source: PolicySource = Object.keys(raw).some((k) => known.has(k)) ? 'managed' : 'default';
  const policy: StewardPolicy = {
    ...DEFAULT_POLICY,
    ...stripUndefined(m),
    orgDomains: (m.orgDomains ?? []).map((d) => (normaliseDomain(d) as { domain: string }).domain),
    categories: { ...DEFAULT_POLICY.categories, ...(m.categories ?? {}) },
    clauses: { ...(m.clauses ?? {}) },
    accessRequest: { ...(m.accessRequest ?? {}) },
    allowList: m.allowList ?? [],
    blockList: m.blockList ?? [],
    webmailSites: (m.webmailSites ?? []).map((s) => ({ ...s, host: s.host.toLowerCase() })),
    downloads: { ...DEFAULT_DOWNLOADS, ...stripUndefined(m.downloads ?? {}) },
    safeSearch: { ...DEFAULT_SAFE_SEARCH, ...stripUndefined(m.safeSearch ?? {}) },
    personalUse: {
      windows: m.personalUse?.windows ?? [],
      closedDates: m.personalUse?.closedDates ?? [],
      modes: { ...(m.personalUse?.modes ?? {}) },
    },
  };
  return { ok: true, policy, source, warnings };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** `categories.gambling: a category mode must be "block", "warn" or "allow".` */
function describePolicyIssue(issue: v.BaseIssue<unknown>): string {
  return describeIssue(issue, { message: plainTypeMessage(issue.message), fullStop: true });
}

/** HTTPS, or plain http only to this machine (tests and local trials). The one such check. */
export function isHttpsOrLocalhost(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export function isAllowedEndpoint(value: string): boolean {
  try {
    return isHttpsOrLocalhost(new URL(value));
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A short, stable fingerprint of a policy, reported so admins can see which browsers run which. */
export function policyFingerprint(policy: StewardPolicy): string {
  const text = canonicalJson(policy);
  let h1 = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h1 ^= text.charCodeAt(i);
    h1 = Math.imul(h1, 0x01000193);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0');
}

/** JSON with object keys sorted at every level, so equal policies give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
