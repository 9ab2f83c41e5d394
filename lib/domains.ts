/**
 * Domain and URL-prefix normalisation, shared by the rule compiler, the list parsers, the admin CLI
 * and the extension. Imports no browser API.
 *
 * Every entry an admin or a list gives us ends up in a DNR `requestDomains` array or a `urlFilter`.
 * Chrome lower-cases and sorts `requestDomains`, but Firefox rejects anything that is not already
 * canonical (`new URL('http://' + d).hostname === d`), so we canonicalise here, once, for both.
 */

import { isBarePublicSuffix } from './public-suffixes.ts';

export type DomainResult = { ok: true; domain: string } | { ok: false; reason: string };

export type UrlPrefix = {
  /** Canonical host, e.g. `www.youtube.com`. */
  host: string;
  /** Path and query prefix starting with `/`, case preserved, e.g. `/channel/UC123`. */
  path: string;
};

export type EntryResult =
  | { ok: true; kind: 'domain'; domain: string }
  | { ok: true; kind: 'urlPrefix'; prefix: UrlPrefix }
  | { ok: false; reason: string };

const FAST_ASCII = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/;
const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/**
 * Canonical form of a domain entry: lower case, punycode (IDN), no trailing dot, no `*.` or `www.`
 * prefix (a listed domain matches all its subdomains anyway, so `www.x` and `*.x` mean `x`).
 *
 * Rejects bare public suffixes (`com`, `co.uk`): one such entry in a tampered list would block, or
 * allow, a whole country's web.
 */
export function normaliseDomain(input: string): DomainResult {
  // Fastest path: input that is already canonical and valid (what every published list and most
  // source lines are) is checked in one character scan, with no regex, split or allocation.
  const canonical = canonicalAsciiDomain(input);
  if (canonical !== null) return { ok: true, domain: canonical };
  return normaliseDomainSlow(input);
}

/**
 * One scan over `input`: returns the result `normaliseDomainSlow` would give if `input` is
 * lower-case ASCII `[a-z0-9_-]` labels (1–63 characters, no leading or trailing `-`) joined by
 * dots, at least two labels, at most 253 characters, with a non-numeric last label and not a
 * public suffix; null otherwise (including on any doubt), so the slow path decides.
 */
function canonicalAsciiDomain(input: string): string | null {
  const n = input.length;
  if (n < 3 || n > 253) return null;
  let labelStart = 0;
  let dots = 0;
  let lastLabelNumeric = true;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : input.charCodeAt(i);
    if (c === 46) {
      const len = i - labelStart;
      if (len === 0 || len > 63) return null;
      if (input.charCodeAt(labelStart) === 45 || input.charCodeAt(i - 1) === 45) return null;
      if (i < n) dots++;
      labelStart = i + 1;
      if (i < n) lastLabelNumeric = true;
      continue;
    }
    if (c >= 48 && c <= 57) continue; // 0-9
    lastLabelNumeric = false;
    if ((c >= 97 && c <= 122) || c === 45 || c === 95) continue; // a-z - _
    return null;
  }
  if (dots === 0 || lastLabelNumeric) return null;
  const d = input.charCodeAt(0) === 119 ? stripWww(input) : input;
  if (isBarePublicSuffix(d)) return null;
  return d;
}

function normaliseDomainSlow(input: string): DomainResult {
  let d = input.trim();
  if (d.length === 0) return { ok: false, reason: 'empty entry' };
  // Fast path for the common case (already canonical): 1M-entry lists must compile in well under
  // a second, and URL parsing every entry would take several.
  if (!FAST_ASCII.test(d)) {
    d = d.toLowerCase();
    if (d.endsWith('.')) d = d.slice(0, -1);
    if (d.startsWith('*.')) d = d.slice(2);
    if (d.startsWith('.')) d = d.slice(1);
    if (/[\s/:?#@*\\]/.test(d))
      return { ok: false, reason: `"${input.trim()}" is not a domain name` };
    if (!/^[\x21-\x7e]*$/.test(d)) {
      // Non-ASCII (IDN): let the WHATWG URL parser do IDNA/punycode, as the browser will.
      try {
        d = new URL(`http://${d}`).hostname;
      } catch {
        return { ok: false, reason: `"${input.trim()}" is not a valid international domain name` };
      }
    }
  }
  d = stripWww(d);
  if (d.length > 253) return { ok: false, reason: 'domain name longer than 253 characters' };
  const labels = d.split('.');
  if (labels.length < 2) {
    return { ok: false, reason: `"${d}" is a single label, not a registrable domain` };
  }
  for (const label of labels) {
    if (!LABEL.test(label)) return { ok: false, reason: `"${d}" has an invalid label "${label}"` };
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) {
    return { ok: false, reason: `"${d}" is an IP address; list host names` };
  }
  if (isBarePublicSuffix(d)) {
    return { ok: false, reason: `"${d}" is a public suffix: it would match every site under it` };
  }
  return { ok: true, domain: d };
}

/**
 * An allow/block entry is either a domain or a URL prefix (`youtube.com/edu`,
 * `https://www.example.org/path`). URL prefixes keep their path's case: paths are case-sensitive.
 */
export function normaliseEntry(input: string): EntryResult {
  const raw = input.trim();
  if (raw.length === 0) return { ok: false, reason: 'empty entry' };
  // Most entries are bare domains: no scheme (`:`) and no path (`/`, `?`, `#`) to split off.
  if (!hasUrlPunctuation(raw)) {
    const domain = normaliseDomain(raw);
    return domain.ok ? { ok: true, kind: 'domain', domain: domain.domain } : domain;
  }
  const withoutScheme = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = withoutScheme.search(/[/?#]/);
  if (slash === -1) {
    const domain = normaliseDomain(withoutScheme);
    return domain.ok ? { ok: true, kind: 'domain', domain: domain.domain } : domain;
  }
  const hostPart = withoutScheme.slice(0, slash).replace(/:\d+$/, '');
  let path = withoutScheme.slice(slash);
  const hash = path.indexOf('#');
  if (hash !== -1) path = path.slice(0, hash);
  if (!path.startsWith('/')) path = `/${path}`;
  if (/[|^\s]/.test(path)) {
    return { ok: false, reason: `"${raw}": a URL prefix may not contain spaces, "|" or "^"` };
  }
  const host = normaliseHostKeepingWww(hostPart);
  if (!host.ok) return host;
  if (path === '/') return { ok: true, kind: 'domain', domain: stripWww(host.domain) };
  return { ok: true, kind: 'urlPrefix', prefix: { host: host.domain, path } };
}

function hasUrlPunctuation(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58 || c === 47 || c === 63 || c === 35) return true; // : / ? #
  }
  return false;
}

/** URL prefixes name a host exactly as written (`www.` matters in a URL), but canonically. */
function normaliseHostKeepingWww(hostPart: string): DomainResult {
  const keepsWww = /^www\./i.test(hostPart);
  const result = normaliseDomain(hostPart);
  if (!result.ok || !keepsWww || result.domain.startsWith('www.')) return result;
  return { ok: true, domain: `www.${result.domain}` };
}

function stripWww(d: string): string {
  // Every leading `www.` (lists contain `www.www.x`), so normalising twice changes nothing.
  let out = d;
  while (out.startsWith('www.') && out.indexOf('.', 4) !== -1) out = out.slice(4);
  return out;
}

/** Number of labels: `a.b.example.com` → 4. The compiler's measure of how specific a domain is. */
export function domainDepth(domain: string): number {
  // indexOf searches natively: about half the time of a character loop over a million names.
  let n = 1;
  for (let i = domain.indexOf('.'); i !== -1; i = domain.indexOf('.', i + 1)) n++;
  return n;
}

/** `a.b.example.com` → [`b.example.com`, `example.com`, `com`]: each proper parent, nearest first. */
export function* parentDomains(domain: string): Generator<string> {
  let i = domain.indexOf('.');
  while (i !== -1) {
    yield domain.slice(i + 1);
    i = domain.indexOf('.', i + 1);
  }
}

/** The host of a URL as DNR sees it (lower case, punycode, no trailing dot), or null. */
export function hostOf(url: string): string | null {
  try {
    const host = new URL(url).hostname;
    return host.endsWith('.') ? host.slice(0, -1) : host;
  } catch {
    return null;
  }
}
