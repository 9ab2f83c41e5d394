/**
 * What the dashboard and the governors' report call things: category ids to the names staff see
 * on the block page (taken from the extension's own en-GB messages, so the two never disagree),
 * detectors and outcomes in plain words, rule-list versions as the dates they were published,
 * and counted nouns ("1 installation", "2 installations").
 *
 * Plain module with no Node API: the dashboard bundle (esbuild) and the server both import it.
 */
import messages from '../public/_locales/en_GB/messages.json';

const MESSAGES = messages as Record<string, { message: string }>;

/** The report's own spelling of the school's block list (`blockList` on the block page). */
const REPORT_ALIASES: Record<string, string> = { blocklist: 'blockList' };

/**
 * A category's name: built-in and the school's list from the extension's messages; a category
 * from the school's rule list by its label there (`labels`), else its id, said to be the school's.
 */
export function categoryName(id: string, labels: Record<string, string> = {}): string {
  const key = REPORT_ALIASES[id] ?? id;
  const known = MESSAGES[`category_${key}`]?.message;
  if (known) return known;
  if (labels[id]) return labels[id]!;
  return `${id} (a category from your rule list)`;
}

export const NAV_OUTCOMES: Record<string, string> = {
  blocked: 'Blocked',
  warned: 'Warned',
  continued: 'Continued after a warning',
};

/** What staff did when warned (the warning's outcomes; lib/report/payload.ts WARNING_OUTCOMES). */
export const EMAIL_OUTCOMES: Record<string, string> = {
  warned: 'Warned',
  went_back: 'Went back',
  removed_recipient: 'Removed a recipient',
  sent_anyway: 'Sent anyway',
  blocked: 'Blocked',
};

/** What staff did about the school's disclaimer (detector `disclaimer`; DISCLAIMER_OUTCOMES). */
export const DISCLAIMER_OUTCOMES: Record<string, string> = {
  reminded: 'Reminded',
  disclaimer_added: 'Added the disclaimer',
  sent_without_disclaimer: 'Sent without it',
  went_back: 'Went back',
};

export const DETECTORS: Record<string, string> = {
  upn: 'Pupil number (UPN)',
  nino: 'National Insurance number',
  nhs_number: 'NHS number',
  uln: 'Unique learner number (ULN)',
  uci: 'Exam candidate identifier (UCI)',
  chi_number: 'Scottish health number (CHI)',
  postal_address: 'Home address',
  people_list: 'List of people with personal details',
  payment_card: 'Payment card number',
  bank_account: 'Bank account details',
  passport: 'Passport number',
  driving_licence: 'Driving licence number',
  date_of_birth: 'Date of birth',
  special_category: 'Special category data',
  safeguarding: 'Safeguarding words',
  credential: 'Password or key',
  custom: "The school's own pattern",
  learned: 'Learned check (wording, no listed term)',
  recipient_risk: 'Risky recipient',
  disclaimer: "The school's disclaimer",
};

export const detectorName = (id: string): string => DETECTORS[id] ?? id;

export const BROWSERS: Record<string, string> = {
  chrome: 'Chrome',
  edge: 'Edge',
  firefox: 'Firefox',
  other: 'Other',
};

const numberFormat = new Intl.NumberFormat('en-GB');
export const fmt = (n: number): string => numberFormat.format(n);

const IRREGULAR: Record<string, string> = { batch: 'batches', person: 'people' };

/** "1 installation", "2 installations", "1,204 batches". */
export function plural(n: number, noun: string, many = IRREGULAR[noun] ?? `${noun}s`): string {
  return `${fmt(n)} ${n === 1 ? noun : many}`;
}

const publishedFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

// Versions made by `steward rules build` are the Unix time of publishing (seconds): 2001 to 2286.
const FIRST_TIME_VERSION = 1_000_000_000;
const LAST_TIME_VERSION = 9_999_999_999;

/**
 * A rule-list version as an admin reads it: "published 12 Dec 2026, 10:15" for the usual
 * time-based versions, "version 7" for a hand-numbered list, "none yet" for null.
 */
export function ruleListVersionName(version: number | null): string {
  if (version === null) return 'None yet';
  if (version >= FIRST_TIME_VERSION && version <= LAST_TIME_VERSION) {
    return `Published ${publishedFormat.format(new Date(version * 1000))}`;
  }
  return `Version ${version}`;
}

/** A group name, or what installations reporting none are called. */
export const groupName = (group: string | null): string => group || 'No group set';

/**
 * A webmail problem a browser reported (`status.adapterHealth`, codes from lib/adapter-health.ts)
 * in the words the popup uses: "Gmail: The recipient fields of an email could not be found, so it
 * was sent without a check (3 times)". An unknown code is shown as it is, said to be unknown.
 */
export function adapterProblemText(service: string, problem: string, count: number): string {
  const name = MESSAGES[`webmail_service_${service}`]?.message ?? service;
  const text =
    MESSAGES[`health_problem_${problem}`]?.message ??
    `a problem this server does not know (${problem})`;
  return `${name}: ${text} (${count === 1 ? 'once' : `${count.toLocaleString('en-GB')} times`})`;
}
