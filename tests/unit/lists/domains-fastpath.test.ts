/**
 * `normaliseDomain` has a one-scan fast path for already-canonical input (1M-entry lists must
 * parse in well under a second). This checks it against the previous regex-only implementation,
 * kept here verbatim as the oracle, on hand-picked edge cases and on random strings.
 */
import { describe, expect, it } from 'vitest';
import { normaliseDomain, normaliseEntry } from '../../../lib/domains.ts';
import { isBarePublicSuffix } from '../../../lib/public-suffixes.ts';

type DomainResult = { ok: true; domain: string } | { ok: false; reason: string };

const FAST_ASCII = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$/;
const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/**
 * Canonical form of a domain entry: lower case, punycode (IDN), no trailing dot, no `*.` or `www.`
 * prefix (a listed domain matches all its subdomains anyway, so `www.x` and `*.x` mean `x`).
 *
 * Rejects bare public suffixes (`com`, `co.uk`): one such entry in a tampered list would block, or
 * allow, a whole country's web.
 */
function referenceNormaliseDomain(input: string): DomainResult {
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
  // Every leading `www.` (changed deliberately so normalising is idempotent: `www.www.x` → `x`).
  while (d.startsWith('www.') && d.indexOf('.', 4) !== -1) d = d.slice(4);
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

const EDGE_CASES = [
  'example.com',
  'www.example.com',
  'www.com',
  'www.co.uk',
  'co.uk',
  'leeds.sch.uk',
  'com',
  'a.b',
  'ex_ample.com',
  '-example.com',
  'example-.com',
  'exa--mple.com',
  '1.2.3.4',
  '1.2.3.com',
  'example.123',
  'a..b',
  '.example.com',
  'example.com.',
  '*.example.com',
  'EXAMPLE.com',
  ' example.com ',
  'exa mple.com',
  'bücher.de',
  'xn--bcher-kva.de',
  `${'a'.repeat(63)}.com`,
  `${'a'.repeat(64)}.com`,
  `${'a.'.repeat(126)}com`,
  `www.${'a.'.repeat(125)}com`,
  `${'a.'.repeat(127)}com`,
  'bet.br',
  'game.tw',
  'x.se',
  'www.x.se',
  'github.io',
  'www.www.example.com',
  'www.',
  'ww.example.com',
  '_dmarc.example.com',
  'example.c_m',
  'a-.b',
  'a.-b',
  '',
  '.',
  'a.b.',
];

function randomDomainish(random: () => number): string {
  // Half the time only canonical characters, so the fast path itself is exercised often.
  const alphabet = random() < 0.5 ? 'abcxyz0189-_...' : 'abcxyz0189-_.....WW*é :/';
  const length = 1 + Math.floor(random() * 20);
  let s = random() < 0.3 ? 'www.' : '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  if (random() < 0.5) s += ['.com', '.co.uk', '.uk', '.fr', '.1', '.'][Math.floor(random() * 6)];
  return s;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('normaliseDomain fast path', () => {
  it('agrees with the reference implementation on edge cases', () => {
    for (const input of EDGE_CASES) {
      expect(normaliseDomain(input), input).toEqual(referenceNormaliseDomain(input));
    }
  });

  it('agrees with the reference implementation on 50,000 random strings', () => {
    const random = mulberry32(20260823);
    let accepted = 0;
    for (let i = 0; i < 50_000; i++) {
      const input = randomDomainish(random);
      const expected = referenceNormaliseDomain(input);
      if (expected.ok) accepted++;
      expect(normaliseDomain(input), input).toEqual(expected);
    }
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(accepted).toBeGreaterThan(5_000);
    expect(accepted).toBeLessThan(45_000);
  });

  it('normaliseEntry still splits URL prefixes off bare domains', () => {
    expect(normaliseEntry('Example.com')).toEqual({
      ok: true,
      kind: 'domain',
      domain: 'example.com',
    });
    expect(normaliseEntry('https://www.example.com/')).toEqual({
      ok: true,
      kind: 'domain',
      domain: 'example.com',
    });
    expect(normaliseEntry('www.example.com/Path?q=1')).toEqual({
      ok: true,
      kind: 'urlPrefix',
      prefix: { host: 'www.example.com', path: '/Path?q=1' },
    });
  });
});
