/**
 * What a webmail content script needs from the policy in force: the answer to `webmail/policy`,
 * made in one place for the two ways a content script gets it.
 *
 * - Asked of the service worker (`webmailPolicyOf`, entrypoints/background.ts), as always.
 * - Read from the policy the worker last applied, in `storage.local` (`webmailPolicyFromStored`),
 *   when the worker does not answer: after a page has registered a lost worker again, the browser
 *   delivers it no message for the rest of the browser session (lib/direct-line.ts), and a web
 *   page's content script cannot use the direct line. The stored policy is the worker's own
 *   decision, written by it; a web page cannot write extension storage. Before this, such a
 *   session's send warning used the default compose policy and the mailbox never learnt the
 *   school's domains (a school account was "unknown": no Personal control, no label settings).
 *
 * Pure: no browser API. Everything read from storage is checked as an answer is (the consumers
 * resolve `compose` and `mailbox` themselves); what cannot be read is left out, never guessed.
 */
import { isWebmailService } from './adapter-health.ts';
import type { WebmailPolicy } from './messages.ts';
import type { StewardPolicy } from './policy.ts';

/** The `storage.local` key of the effective policy (platform/storage.ts `effectivePolicy`). */
export const EFFECTIVE_POLICY_KEY = 'effectivePolicy';

type WebmailParts = Pick<
  StewardPolicy,
  'orgDomains' | 'webmailSites' | 'compose' | 'mailbox' | 'schoolName'
>;

/** The worker's answer to `webmail/policy`, from the policy in force. */
export function webmailPolicyOf(policy: WebmailParts): WebmailPolicy {
  return {
    orgDomains: policy.orgDomains,
    webmailSites: policy.webmailSites,
    compose: policy.compose,
    mailbox: policy.mailbox,
    ...(policy.schoolName ? { schoolName: policy.schoolName } : {}),
  };
}

/**
 * The same answer from the stored effective policy, as a content script reads it raw; null when
 * nothing usable is stored (a fresh install whose worker has applied nothing yet).
 */
export function webmailPolicyFromStored(stored: unknown): WebmailPolicy | null {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return null;
  const raw = stored as Record<string, unknown>;
  const orgDomains = Array.isArray(raw.orgDomains)
    ? raw.orgDomains.filter((d): d is string => typeof d === 'string')
    : [];
  const webmailSites = Array.isArray(raw.webmailSites)
    ? raw.webmailSites.filter(
        (s): s is WebmailPolicy['webmailSites'][number] =>
          !!s &&
          typeof s === 'object' &&
          typeof (s as { host?: unknown }).host === 'string' &&
          isWebmailService((s as { service?: unknown }).service),
      )
    : [];
  return {
    orgDomains,
    webmailSites,
    compose: raw.compose,
    mailbox: raw.mailbox,
    ...(typeof raw.schoolName === 'string' && raw.schoolName ? { schoolName: raw.schoolName } : {}),
  };
}
