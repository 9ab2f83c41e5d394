/**
 * What the block page may show and do, decided from the rules in force and nothing else. Pure:
 * the service worker passes the dynamic rules it reads from the browser and the URL the block page
 * was given; the block page's own address (`?c=…&m=…`) is never read.
 *
 * Continue ("I have a reason to open this warned site") is granted only when, at that moment:
 * - the rules in force give that URL a `warn` verdict (the same matching as "test a URL");
 * - the host is not a public suffix (`com`, `co.uk`), so one grant can never open a whole registry;
 * - (checked by the worker) the request comes from the block page as the top frame of a tab.
 * A warned URL prefix grants that prefix (the warn rule's own regular expression); a warned domain
 * grants the host that was warned, at the warn rule's own priority, so any more specific block
 * (a blocked path, a blocked subdomain, the school's block list) still wins.
 */
import { type DnrRule, explainUrl } from './compiler.ts';
import { isPublicSuffixHost } from './public-suffixes.ts';

export type BlockedUrl =
  | { kind: 'invalid' }
  | { kind: 'allowed'; url: string; host: string }
  | {
      kind: 'blocked' | 'warned';
      url: string;
      host: string;
      /** Category id, or `blockList`. */
      category: string;
      /**
       * Decided by a category a signed rule list locks (IWF/CTIRU-style): nothing the school sets
       * opens it, so there is no access to ask for (the block page offers a wrong-block report).
       */
      locked: boolean;
      /** The rule that decided. */
      rule: DnrRule;
    };

/** The verdict for a navigation to `rawUrl` under `rules` (http and https only). */
export function verdictForUrl(rules: readonly DnrRule[], rawUrl: string): BlockedUrl {
  let parsed: URL;
  try {
    parsed = new URL(rawUrl);
  } catch {
    return { kind: 'invalid' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'invalid' };
  const host = parsed.hostname.replace(/\.$/, '');
  if (host === '') return { kind: 'invalid' };
  const url = parsed.href;
  const verdict = explainUrl(rules as DnrRule[], url);
  if (verdict.outcome === 'allowed' || !('ruleId' in verdict)) {
    return { kind: 'allowed', url, host };
  }
  const rule = rules.find((r) => r.id === verdict.ruleId);
  if (!rule) return { kind: 'allowed', url, host };
  return {
    kind: verdict.outcome === 'warned' ? 'warned' : 'blocked',
    url,
    host,
    category: verdict.source,
    locked: verdict.locked === true,
    rule,
  };
}

/** A session rule that lets one tab through one warning. */
export type ContinueGrantRule = {
  id: number;
  priority: number;
  action: { type: 'allow' };
  condition: {
    requestDomains?: string[];
    regexFilter?: string;
    tabIds: number[];
    resourceTypes: ('main_frame' | 'sub_frame')[];
  };
};

export type ContinueDecision =
  | { ok: true; rule: Omit<ContinueGrantRule, 'id'>; url: string; category: string }
  | { ok: false; reason: string };

export function decideContinue(
  rules: readonly DnrRule[],
  rawUrl: string,
  tabId: number,
): ContinueDecision {
  const verdict = verdictForUrl(rules, rawUrl);
  if (verdict.kind === 'invalid') return { ok: false, reason: 'That is not a web address.' };
  if (verdict.kind === 'allowed') {
    return { ok: false, reason: 'The rules in force do not warn about this site.' };
  }
  if (verdict.kind === 'blocked') {
    return { ok: false, reason: 'This site is blocked, not warned: there is no Continue.' };
  }
  if (isPublicSuffixHost(verdict.host)) {
    return { ok: false, reason: 'Continue is never granted for a whole domain ending.' };
  }
  const { rule } = verdict;
  const resourceTypes: ('main_frame' | 'sub_frame')[] = ['main_frame', 'sub_frame'];
  // A prefix rule (regexFilter without requestDomains): grant exactly that prefix.
  const condition =
    rule.condition.regexFilter !== undefined && rule.condition.requestDomains === undefined
      ? { regexFilter: rule.condition.regexFilter, tabIds: [tabId], resourceTypes }
      : { requestDomains: [verdict.host], tabIds: [tabId], resourceTypes };
  return {
    ok: true,
    // Same priority as the warn rule: on a tie DNR prefers allow, and anything more specific
    // (a blocked path or subdomain, the block list) keeps its higher priority and still wins.
    rule: { priority: rule.priority, action: { type: 'allow' }, condition },
    url: verdict.url,
    category: verdict.category,
  };
}

/**
 * What staff typed into "test a site", as a web address, or null if it is not one: `youtube.com`
 * becomes `https://youtube.com/`; `hello`, `a b` or `ftp://x.org` are not web addresses.
 */
export function webAddressFrom(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || /\s/.test(trimmed)) return null;
  const candidate =
    /^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^:/]+:\d/.test(trimmed)
      ? trimmed
      : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/\.$/, '');
  const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
  if (!isIp && host !== 'localhost' && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host)) return null;
  return url.href;
}
