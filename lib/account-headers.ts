/**
 * Keeping school and personal accounts apart with request headers the identity providers honour,
 * set by DNR `modifyHeaders` rules (no proxy, no TLS interception). Pure: the service worker adds
 * these rules to the policy's own in one atomic `updateDynamicRules` call.
 *
 * - Google: `X-GoogApps-Allowed-Domains: <orgDomains>` makes Google refuse sign-in to any account
 *   outside those Workspace domains, consumer Gmail included. Sent to every `google.com` host (what
 *   Chrome's own AllowedDomainsForApps policy does) and `googleusercontent.com` (named in Google's
 *   proxy instructions, support.google.com/a/answer/1668854): sign-in pages, Gmail, Drive and
 *   their frames all check it.
 * - Microsoft 365 tenant restrictions v1: `Restrict-Access-To-Tenants` (tenants staff may sign in
 *   to) and `Restrict-Access-Context` (the school's own tenant id, against which Microsoft logs
 *   refusals) on the three Entra ID sign-in hosts.
 * - Consumer Microsoft accounts: `sec-Restrict-Tenant-Access-Policy: restrict-msa` on
 *   login.live.com refuses Outlook.com, Hotmail, Xbox and Skype sign-in.
 * - YouTube restricted mode (optional): `YouTube-Restrict: Strict|Moderate` on the hosts Google
 *   lists for it.
 *
 * Every rule exists only when the policy asks for it. Consequences for staff are in
 * docs/mailboxes.md ("Consequences").
 */
import { PRIORITY, RULE_IDS } from './compiler.ts';
import { type MailboxPolicy, parseMailboxPolicy } from './mailbox/policy.ts';
import type { StewardPolicy } from './policy.ts';

export type HeaderResourceType = 'main_frame' | 'sub_frame' | 'xmlhttprequest';

/** A DNR rule that sets request headers (the shape `updateDynamicRules` takes). */
export type AccountHeaderRule = {
  id: number;
  priority: number;
  action: {
    type: 'modifyHeaders';
    requestHeaders: { header: string; operation: 'set'; value: string }[];
  };
  condition: { requestDomains: string[]; resourceTypes: HeaderResourceType[] };
};

/**
 * Above every allow rule the compiler emits (allowList tier + specificity < 1,000): Chrome drops a
 * `modifyHeaders` rule whose priority is below a matching `allow` rule's, and an admin who
 * allow-lists google.com must not thereby switch account separation off. Block and redirect rules
 * still win (the request is never sent, so there is nothing to add headers to).
 */
export const ACCOUNT_HEADER_PRIORITY = PRIORITY.allowList + 4_000;

/** Fixed ids per purpose (not per position), so a rule's id says what it is in DevTools. */
export const ACCOUNT_HEADER_RULE_IDS = {
  google: RULE_IDS.accountHeaders.first,
  microsoftTenants: RULE_IDS.accountHeaders.first + 1,
  consumerMicrosoft: RULE_IDS.accountHeaders.first + 2,
  youtube: RULE_IDS.accountHeaders.first + 3,
} as const;

export const GOOGLE_ACCOUNT_DOMAINS = ['google.com', 'googleusercontent.com'];
export const MICROSOFT_LOGIN_HOSTS = [
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
];
export const CONSUMER_MICROSOFT_LOGIN_HOSTS = ['login.live.com'];
export const YOUTUBE_HOSTS = [
  'youtube.com',
  'youtube-nocookie.com',
  'youtubei.googleapis.com',
  'youtube.googleapis.com',
];

const RESOURCE_TYPES: HeaderResourceType[] = ['main_frame', 'sub_frame', 'xmlhttprequest'];

function rule(
  id: number,
  requestDomains: string[],
  header: string,
  value: string,
): AccountHeaderRule {
  return {
    id,
    priority: ACCOUNT_HEADER_PRIORITY,
    action: { type: 'modifyHeaders', requestHeaders: [{ header, operation: 'set', value }] },
    condition: { requestDomains: [...requestDomains], resourceTypes: [...RESOURCE_TYPES] },
  };
}

/**
 * The header rules this policy asks for (none by default). `mailbox` is the parsed `mailbox` key.
 * Google's rule needs orgDomains; without them it is left out and `accountHeaderProblems` says so.
 */
export function accountHeaderRules(
  policy: Pick<StewardPolicy, 'orgDomains'>,
  mailbox: MailboxPolicy,
): AccountHeaderRule[] {
  const rules: AccountHeaderRule[] = [];
  if (mailbox.restrictGoogleAccounts && policy.orgDomains.length > 0) {
    rules.push(
      rule(
        ACCOUNT_HEADER_RULE_IDS.google,
        GOOGLE_ACCOUNT_DOMAINS,
        'X-GoogApps-Allowed-Domains',
        policy.orgDomains.join(','),
      ),
    );
  }
  const tenants = mailbox.restrictMicrosoftTenants;
  if (tenants) {
    const r = rule(
      ACCOUNT_HEADER_RULE_IDS.microsoftTenants,
      MICROSOFT_LOGIN_HOSTS,
      'Restrict-Access-To-Tenants',
      [...tenants.tenantDomains, ...tenants.tenantIds].join(','),
    );
    r.action.requestHeaders.push({
      header: 'Restrict-Access-Context',
      operation: 'set',
      value: tenants.tenantContext,
    });
    rules.push(r);
  }
  if (mailbox.blockConsumerMicrosoft) {
    rules.push(
      rule(
        ACCOUNT_HEADER_RULE_IDS.consumerMicrosoft,
        CONSUMER_MICROSOFT_LOGIN_HOSTS,
        'sec-Restrict-Tenant-Access-Policy',
        'restrict-msa',
      ),
    );
  }
  if (mailbox.youtubeRestrict) {
    rules.push(
      rule(
        ACCOUNT_HEADER_RULE_IDS.youtube,
        YOUTUBE_HOSTS,
        'YouTube-Restrict',
        mailbox.youtubeRestrict,
      ),
    );
  }
  return rules;
}

/** What the admin should hear about (shown with the policy's warnings). */
export function accountHeaderProblems(
  policy: Pick<StewardPolicy, 'orgDomains'>,
  mailbox: MailboxPolicy,
): string[] {
  const problems: string[] = [];
  if (mailbox.restrictGoogleAccounts && policy.orgDomains.length === 0) {
    problems.push(
      'mailbox.restrictGoogleAccounts: needs orgDomains (the Google Workspace domains to allow); ' +
        'no Google header is sent until they are set',
    );
  }
  return problems;
}

/**
 * One call for the service worker: parse `policy.mailbox` strictly and build the rules. An invalid
 * `mailbox` gives errors and no rules (the caller keeps the last good rules, as for any policy
 * error).
 */
export function accountHeadersFor(
  policy: Pick<StewardPolicy, 'orgDomains' | 'mailbox'>,
): { ok: true; rules: AccountHeaderRule[]; warnings: string[] } | { ok: false; errors: string[] } {
  const parsed = parseMailboxPolicy(policy.mailbox);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  return {
    ok: true,
    rules: accountHeaderRules(policy, parsed.policy),
    warnings: accountHeaderProblems(policy, parsed.policy),
  };
}
