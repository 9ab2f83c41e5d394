/**
 * Parsers for the list formats admins really have. One parser per format, one result shape, used
 * by the build-time compile of `rules/`, the admin CLI (`steward rules build`) and the tests.
 *
 * Every format accepts CRLF or LF line ends, a UTF-8 byte-order mark, blank lines and
 * international (IDN) names, which come out as punycode. A line that cannot be used is never
 * guessed at: it is reported in `skipped` with its file, line number and the reason, so an admin
 * sees exactly what a source list lost. Lines are scanned character by character rather than with
 * a regex each, because a 1,000,000-line list must parse in well under a second.
 *
 * | format        | a usable line                                   | comments        |
 * |---------------|-------------------------------------------------|-----------------|
 * | `plain`       | a domain or a URL prefix (`host/path`)          | `#`             |
 * | `hosts`       | an IP address, then one or more host names      | `#`             |
 * | `adblock`     | `\|\|domain^`, `\|\|domain^$important`, a bare domain | `!`, `# `, `[Adblock Plus]` |
 * | `dnsmasq`     | `server=/d/`, `address=/d/…`, `local=/d/`       | `#`             |
 * | `ut1-domains` | a domain                                        | `#`             |
 * | `ut1-urls`    | a URL prefix without scheme (`host/path`)       | `#`             |
 *
 * `auto` picks one of these from the content (see `detectFormat`).
 */
import { normaliseDomain, normaliseEntry, type UrlPrefix } from '../domains.ts';

export const LIST_FORMATS = [
  'plain',
  'hosts',
  'adblock',
  'dnsmasq',
  'ut1-domains',
  'ut1-urls',
] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export type SkippedLine = { file: string; line: number; text: string; reason: string };

export type ParsedList = {
  domains: string[];
  urlPrefixes: UrlPrefix[];
  skipped: SkippedLine[];
  /** Lines read, comments and blanks included (a final line end does not start a new line). */
  lines: number;
  /** The format the text was read as (the detected one when `auto` was asked for). */
  format: ListFormat;
};

export function isListFormat(value: string): value is ListFormat {
  return (LIST_FORMATS as readonly string[]).includes(value);
}

/** Skipped lines keep at most this much of their text: a binary file must not fill the report. */
const MAX_SKIPPED_TEXT = 200;

/** Names every hosts file carries for the machine itself: part of the format, not blocklist entries. */
const HOSTS_BOILERPLATE = new Set([
  'localhost',
  'localhost.localdomain',
  'local',
  'broadcasthost',
  'ip6-localhost',
  'ip6-loopback',
  'ip6-localnet',
  'ip6-mcastprefix',
  'ip6-allnodes',
  'ip6-allrouters',
  'ip6-allhosts',
  '0.0.0.0',
]);

/** AdBlock options that still mean "block this whole site" when a school blocks navigations. */
const ADBLOCK_WHOLE_SITE_OPTIONS = new Set(['important', 'all', 'document', 'doc']);

type Sink = {
  result: ParsedList;
  file: string;
};

function skip(sink: Sink, line: number, text: string, reason: string): void {
  const shown = text.length > MAX_SKIPPED_TEXT ? `${text.slice(0, MAX_SKIPPED_TEXT)}…` : text;
  sink.result.skipped.push({ file: sink.file, line, text: shown, reason });
}

function addDomain(sink: Sink, line: number, text: string, name: string): void {
  const domain = normaliseDomain(name);
  if (domain.ok) sink.result.domains.push(domain.domain);
  else skip(sink, line, text, domain.reason);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/** Splits on `\n` (a `\r` before it is trimmed away by each parser) and drops a leading BOM. */
function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The part of a line before a `#` comment, trimmed. */
function beforeHash(line: string): string {
  const hash = line.indexOf('#');
  return (hash === -1 ? line : line.slice(0, hash)).trim();
}

/**
 * Parse `text` in `format`. `file` names the source in skipped-line reports.
 * Never throws on content: every unusable line is reported in `skipped`.
 */
export function parseList(text: string, format: ListFormat | 'auto', file = '<input>'): ParsedList {
  const chosen = format === 'auto' ? detectFormat(text) : format;
  const result: ParsedList = {
    domains: [],
    urlPrefixes: [],
    skipped: [],
    lines: 0,
    format: chosen,
  };
  const sink: Sink = { result, file };
  const lines = splitLines(text);
  result.lines = lines.length;
  const parseLine = LINE_PARSERS[chosen];
  if (!parseLine) throw new Error(`unsupported list format ${String(chosen)}`);
  for (let i = 0; i < lines.length; i++) parseLine(sink, i + 1, lines[i]!);
  return result;
}

type LineParser = (sink: Sink, lineNo: number, line: string) => void;

/** Plain: a domain or a URL prefix per line, `#` comments. */
function plainLine(sink: Sink, lineNo: number, raw: string): void {
  const line = beforeHash(raw);
  if (line.length === 0) return;
  const entry = normaliseEntry(line);
  if (!entry.ok) skip(sink, lineNo, line, entry.reason);
  else if (entry.kind === 'domain') sink.result.domains.push(entry.domain);
  else sink.result.urlPrefixes.push(entry.prefix);
}

/** UT1 `domains`: one domain per line; a path here is a mistake in the source, not a prefix. */
function ut1DomainLine(sink: Sink, lineNo: number, raw: string): void {
  const line = beforeHash(raw);
  if (line.length === 0) return;
  if (line.indexOf('/') !== -1) {
    skip(sink, lineNo, line, 'a URL in a domains file: list it in a urls file instead');
    return;
  }
  addDomain(sink, lineNo, line, line);
}

/** UT1 `urls`: host and path without a scheme; each is a URL prefix (a bare host is a domain). */
function ut1UrlLine(sink: Sink, lineNo: number, raw: string): void {
  const line = beforeHash(raw);
  if (line.length === 0) return;
  plainLine(sink, lineNo, line);
}

/**
 * Hosts file: `0.0.0.0 a.example b.example  # comment`. Any IP address may lead the line (a
 * hosts-based blocklist points names at a sink address); the names after it are the entries.
 */
function hostsLine(sink: Sink, lineNo: number, raw: string): void {
  const line = beforeHash(raw);
  if (line.length === 0) return;
  // Fast path for the usual `0.0.0.0 name` line: one name, nothing else to tokenise.
  if (line.startsWith('0.0.0.0 ') && firstSpace(line, 8) === -1) {
    const name = line.slice(8);
    const boilerplate =
      HOSTS_BOILERPLATE.has(name) ||
      (name.length < 24 && HOSTS_BOILERPLATE.has(name.toLowerCase()));
    if (!boilerplate) addDomain(sink, lineNo, line, name);
    return;
  }
  const n = line.length;
  let i = 0;
  while (i < n && !isSpace(line.charCodeAt(i))) i++;
  const address = line.slice(0, i);
  if (!looksLikeIpAddress(address)) {
    skip(
      sink,
      lineNo,
      line,
      i === n
        ? 'not a hosts line: expected an IP address and then host names'
        : `not a hosts line: "${address}" is not an IP address`,
    );
    return;
  }
  let names = 0;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(line.charCodeAt(i))) i++;
    const name = line.slice(start, i);
    names++;
    if (HOSTS_BOILERPLATE.has(name.toLowerCase())) continue;
    addDomain(sink, lineNo, line, name);
  }
  if (names === 0) skip(sink, lineNo, line, 'not a hosts line: an IP address with no host name');
}

function firstSpace(s: string, from: number): number {
  for (let i = from; i < s.length; i++) if (isSpace(s.charCodeAt(i))) return i;
  return -1;
}

/** IPv4 dotted quad or an IPv6 address (hex digits and colons); cheap, no regex. */
function looksLikeIpAddress(s: string): boolean {
  if (s.length === 0) return false;
  if (s.indexOf(':') !== -1) {
    const zone = s.indexOf('%'); // fe80::1%lo0: the zone after % is an interface name
    const end = zone === -1 ? s.length : zone;
    for (let i = 0; i < end; i++) {
      const c = s.charCodeAt(i);
      const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
      if (!hex && c !== 58 && c !== 46) return false; // hex digits, :, . (an IPv4 tail)
    }
    return true;
  }
  let parts = 1;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return false;
      parts++;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
    } else return false;
  }
  return parts === 4 && digits > 0;
}

/**
 * AdBlock Plus / AdGuard: only rules that block a whole site are usable by a filter of pages:
 * `||domain^` (optionally `$important`, `$all`, `$document`), `||*.domain^`, `||domain^|`, and a bare
 * domain (how AdGuard DNS reads it). Everything else is reported with why it is not used.
 */
function adblockLine(sink: Sink, lineNo: number, raw: string): void {
  const line = raw.trim();
  const n = line.length;
  if (n === 0) return;
  const first = line.charCodeAt(0);
  if (first === 33) return; // ! comment
  if (first === 91 && line.charCodeAt(n - 1) === 93) return; // [Adblock Plus 2.0] header
  if (first === 35 && (n === 1 || line.charCodeAt(1) === 32)) return; // "# " comment (hosts-style)
  if (isCosmetic(line)) {
    skip(
      sink,
      lineNo,
      line,
      'element-hiding or scriptlet rule: Steward blocks sites, not page parts',
    );
    return;
  }
  if (line.startsWith('@@')) {
    skip(sink, lineNo, line, 'exception rule (@@): put sites to allow in the allow list instead');
    return;
  }
  if (first === 47 && n > 1 && (line.charCodeAt(n - 1) === 47 || line.indexOf('/$') > 0)) {
    skip(sink, lineNo, line, 'regular-expression rule: not supported, list domains instead');
    return;
  }
  // Split off options: `$` ends the pattern (a `$` inside a regex was handled above).
  const dollar = line.indexOf('$');
  const pattern = dollar === -1 ? line : line.slice(0, dollar);
  if (dollar !== -1) {
    const options = line.slice(dollar + 1).split(',');
    for (const option of options) {
      const name = option.trim().toLowerCase();
      if (!ADBLOCK_WHOLE_SITE_OPTIONS.has(name)) {
        skip(
          sink,
          lineNo,
          line,
          `unsupported option "$${option.trim()}": only whole-site rules (no options, or $important, $all, $document) are used`,
        );
        return;
      }
    }
  }
  if (pattern.startsWith('||')) {
    let end = pattern.length;
    // `^` (separator) and an optional closing `|` end a whole-domain rule.
    if (pattern.charCodeAt(end - 1) === 124) end--;
    if (pattern.charCodeAt(end - 1) === 94) end--;
    const name = pattern.slice(2, end);
    const bad = firstNonHostChar(name);
    if (bad === 47 || bad === 94) {
      skip(sink, lineNo, line, 'rule with a path: only whole-domain rules (||domain^) are used');
      return;
    }
    if (bad === 42 && !(name.startsWith('*.') && firstNonHostChar(name.slice(2)) === -1)) {
      skip(sink, lineNo, line, 'wildcard rule: only whole-domain rules (||domain^) are used');
      return;
    }
    if (bad !== -1 && bad !== 42 && bad < 128) {
      skip(sink, lineNo, line, `"${pattern}" is not a domain rule`);
      return;
    }
    addDomain(sink, lineNo, line, name);
    return;
  }
  if (first === 124) {
    skip(sink, lineNo, line, 'address rule (|…): only whole-domain rules (||domain^) are used');
    return;
  }
  const bad = firstNonHostChar(pattern);
  if (bad === -1 || bad >= 128) {
    addDomain(sink, lineNo, line, pattern);
    return;
  }
  skip(
    sink,
    lineNo,
    line,
    'not a whole-domain rule: only ||domain^ rules and bare domains are used',
  );
}

/** Cosmetic / scriptlet / HTML-filter markers of ABP, uBO and AdGuard. */
function isCosmetic(line: string): boolean {
  const hash = line.indexOf('#');
  if (hash !== -1) {
    const next = line.charCodeAt(hash + 1);
    // ##, #@#, #?#, #$#, #%#, #@$#, #@?#, #@%#
    if (next === 35 || next === 64 || next === 63 || next === 36 || next === 37) return true;
  }
  return line.indexOf('$$') !== -1 || line.indexOf('$@$') !== -1;
}

/**
 * Index-free check of a host name's characters: -1 when every char is a letter, digit, `.`, `-`
 * or `_`; otherwise the first other char code (so the caller can say path, wildcard or garbage).
 * Non-ASCII (IDN) chars are returned as-is (≥ 128) for the caller to allow.
 */
function firstNonHostChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 46 ||
      c === 45 ||
      c === 95 ||
      (c >= 65 && c <= 90)
    ) {
      continue;
    }
    if (c >= 128) {
      // Keep scanning: IDN is allowed; report only a later ASCII problem.
      const rest = firstNonHostChar(s.slice(i + 1));
      return rest === -1 ? c : rest;
    }
    return c;
  }
  return -1;
}

/**
 * dnsmasq: `server=/a.example/b.example/` (no upstream: answered locally, i.e. blocked),
 * `address=/a.example/0.0.0.0` or `address=/a.example/` (a sink), `local=/a.example/`.
 * `server=/a.example/1.1.1.1` forwards the name to another resolver: that is not a block.
 */
function dnsmasqLine(sink: Sink, lineNo: number, raw: string): void {
  // `#` is a comment only at the start or after a space: in `server=/d/#` it is a value ("use the
  // standard resolvers"), and cutting it off would turn a forward into a block.
  let line = raw.trim();
  if (line.length === 0 || line.charCodeAt(0) === 35) return;
  for (let hash = line.indexOf('#'); hash !== -1; hash = line.indexOf('#', hash + 1)) {
    if (isSpace(line.charCodeAt(hash - 1))) {
      line = line.slice(0, hash).trim();
      break;
    }
  }
  const eq = line.indexOf('=');
  const directive = eq === -1 ? line : line.slice(0, eq).trim();
  if (directive !== 'server' && directive !== 'address' && directive !== 'local') {
    skip(sink, lineNo, line, 'not a server=/…/, address=/…/ or local=/…/ line');
    return;
  }
  const value = line.slice(eq + 1).trim();
  if (value.charCodeAt(0) !== 47) {
    skip(sink, lineNo, line, `${directive}= without /domain/: not a per-domain rule`);
    return;
  }
  const last = value.lastIndexOf('/');
  if (last === 0) {
    skip(sink, lineNo, line, `${directive}=/… has no closing "/"`);
    return;
  }
  const target = value.slice(last + 1).trim();
  if ((directive === 'server' || directive === 'local') && target !== '') {
    skip(sink, lineNo, line, `forwards to the resolver "${target}" rather than blocking`);
    return;
  }
  if (value.indexOf('/', 1) === last) {
    // One domain, the common case: no split.
    const name = value.slice(1, last);
    if (name === '#')
      skip(sink, lineNo, line, '"#" means every domain: a list may not block the whole web');
    else if (name !== '') addDomain(sink, lineNo, line, name);
    return;
  }
  const names = value.slice(1, last).split('/');
  for (const name of names) {
    if (name === '') continue;
    if (name === '#') {
      skip(sink, lineNo, line, '"#" means every domain: a list may not block the whole web');
      continue;
    }
    addDomain(sink, lineNo, line, name);
  }
}

const LINE_PARSERS: Record<ListFormat, LineParser> = {
  plain: plainLine,
  hosts: hostsLine,
  adblock: adblockLine,
  dnsmasq: dnsmasqLine,
  'ut1-domains': ut1DomainLine,
  'ut1-urls': ut1UrlLine,
};

/** How many non-comment lines `detectFormat` looks at. */
const DETECT_SAMPLE = 500;

/**
 * Picks a format from the content, for `--category ID=FILE` without `:FORMAT`:
 *
 * 1. A `[Adblock …]` / `[AdGuard …]` header line means `adblock`.
 * 2. Otherwise up to 500 lines that are not blank and not comments (`#…`, `!…`) each vote:
 *    an IP address then a space → `hosts`; `server=/`, `address=/` or `local=/` → `dnsmasq`;
 *    starts with `||`, `|`, `@@`, or holds `##`/`#@#` → `adblock`; anything else → `plain`.
 *    `!` comment lines also vote `adblock` (only AdBlock lists use `!`).
 * 3. The format with most votes wins; a tie or no vote at all means `plain`, which reads both
 *    domains and URL prefixes (so it covers UT1 `domains` and `urls` files too).
 */
export function detectFormat(text: string): ListFormat {
  const votes: Record<'hosts' | 'dnsmasq' | 'adblock' | 'plain', number> = {
    hosts: 0,
    dnsmasq: 0,
    adblock: 0,
    plain: 0,
  };
  let seen = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length && seen < DETECT_SAMPLE) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    const first = line.charCodeAt(0);
    if (first === 91 && /^\[(?:adblock|adguard|ublock)/i.test(line)) return 'adblock';
    if (first === 33) {
      votes.adblock++;
      continue;
    }
    if (first === 35 && !line.startsWith('##') && !line.startsWith('#@#')) continue;
    seen++;
    const space = line.search(/\s/);
    if (space > 0 && looksLikeIpAddress(line.slice(0, space))) votes.hosts++;
    else if (/^(?:server|address|local)=\//.test(line)) votes.dnsmasq++;
    else if (first === 124 || line.startsWith('@@') || isCosmetic(line)) votes.adblock++;
    else votes.plain++;
  }
  let best: keyof typeof votes = 'plain';
  for (const format of ['hosts', 'dnsmasq', 'adblock'] as const) {
    if (votes[format] > votes[best]) best = format;
  }
  return best;
}
