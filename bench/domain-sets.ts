/**
 * The domain sets the compile and apply benchmarks share: 10,000, 100,000 and 1,000,000 distinct,
 * canonical domains. Real lists from `../shared/lists/` are used first (in the order below, merged
 * and deduplicated); when they run out, or the folder is absent (a fresh clone), generated
 * domains shaped like real ones make up the rest. Every set says where its domains came from, so a
 * figure is never presented as "real lists" when it was not.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normaliseDomain } from '../lib/domains.ts';
import { type ListFormat, parseList } from '../lib/lists/parse.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * `STEWARD_SHARED_LISTS` names the folder when the checkout is not next to `shared/` (a git
 * worktree elsewhere, e.g. /work/wt/<branch> beside /work/main).
 */
export const SHARED_LISTS =
  process.env.STEWARD_SHARED_LISTS || path.join(path.resolve(repoRoot, '../shared'), 'lists');

export const SIZES = [10_000, 100_000, 1_000_000] as const;

/** Real sources, largest and most filter-like first: proxies and redirectors, then the rest. */
const REAL_SOURCES: { file: string; format: ListFormat; label: string }[] = [
  { file: 'ut1/redirector/domains', format: 'ut1-domains', label: 'UT1 redirector' },
  { file: 'ut1/gambling/domains', format: 'ut1-domains', label: 'UT1 gambling' },
  { file: 'ut1/games/domains', format: 'ut1-domains', label: 'UT1 games' },
  { file: 'blocklistproject/basic.txt', format: 'hosts', label: 'BLP basic' },
  { file: 'blocklistproject/redirect.txt', format: 'hosts', label: 'BLP redirect' },
  { file: 'blocklistproject/drugs.txt', format: 'hosts', label: 'BLP drugs' },
  { file: 'blocklistproject/facebook.txt', format: 'hosts', label: 'BLP facebook' },
  { file: 'blocklistproject/youtube.txt', format: 'hosts', label: 'BLP youtube' },
  { file: 'ut1/dating/domains', format: 'ut1-domains', label: 'UT1 dating' },
  { file: 'ut1/vpn/domains', format: 'ut1-domains', label: 'UT1 vpn' },
  { file: 'ut1/shortener/domains', format: 'ut1-domains', label: 'UT1 shortener' },
  { file: 'ut1/audio-video/domains', format: 'ut1-domains', label: 'UT1 audio-video' },
  { file: 'ut1/doh/domains', format: 'ut1-domains', label: 'UT1 doh' },
];

export type DomainSet = {
  size: number;
  /** Distinct canonical domains, exactly `size` of them. */
  domains: string[];
  /** The same domains as one plain list, one per line (what parse + normalise is timed on). */
  text: string;
  real: number;
  generated: number;
  /** e.g. "real: UT1 redirector (10,000)" or "real: … (480,112) + generated (519,888)". */
  source: string;
  /** e.g. "real" or "325,357 real + 674,643 generated", for tables. */
  shortSource: string;
};

const n = (x: number) => x.toLocaleString('en-GB');

/** Domains shaped like real ones: mixed label counts and lengths, some hyphens and digits. */
export function generatedDomains(count: number, seed = 0): string[] {
  const tlds = ['com', 'net', 'org', 'co.uk', 'de', 'fr', 'io', 'info', 'ru', 'xyz'];
  const words = ['bet', 'play', 'stream', 'proxy', 'news', 'shop', 'tube', 'chat', 'free', 'vpn'];
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const k = i + seed;
    const base = `${words[k % words.length]}-${k.toString(36)}${k % 7 === 0 ? 'online' : ''}`;
    const sub = k % 3 === 0 ? `cdn${k % 10}.` : k % 11 === 0 ? 'm.' : '';
    out[i] = `gen-${sub}${base}.${tlds[k % tlds.length]}`;
  }
  return out;
}

let realCache: { domains: string[]; perSource: { label: string; count: number }[] } | null = null;

/** Every real domain, merged and deduplicated in source order; empty when ../shared is absent. */
export function realDomains(): {
  domains: string[];
  perSource: { label: string; count: number }[];
} {
  if (realCache) return realCache;
  const seen = new Set<string>();
  const perSource: { label: string; count: number }[] = [];
  for (const source of REAL_SOURCES) {
    const file = path.join(SHARED_LISTS, source.file);
    if (!existsSync(file)) continue;
    const parsed = parseList(readFileSync(file, 'utf8'), source.format, source.file);
    let added = 0;
    for (const parsedDomain of parsed.domains) {
      const domain = stable(parsedDomain);
      if (seen.has(domain)) continue;
      seen.add(domain);
      added++;
    }
    perSource.push({ label: source.label, count: added });
  }
  realCache = { domains: [...seen], perSource };
  return realCache;
}

/**
 * normaliseDomain strips one `www.` per pass, so `www.www.x` comes out as `www.x` and becomes `x`
 * when parsed again (BLP drugs has such lines). Normalising to a fixed point keeps every set
 * exactly `size` distinct domains after the parse the benchmarks time.
 */
function stable(domain: string): string {
  let current = domain;
  for (;;) {
    const again = normaliseDomain(current);
    if (!again.ok || again.domain === current) return current;
    current = again.domain;
  }
}

export function domainSet(size: number): DomainSet {
  const real = realDomains();
  const fromReal = real.domains.slice(0, size);
  const domains = fromReal;
  let generated = 0;
  if (domains.length < size) {
    const seen = new Set(domains);
    let seed = 0;
    while (domains.length < size) {
      for (const d of generatedDomains(size - domains.length, seed)) {
        if (!seen.has(d)) {
          seen.add(d);
          domains.push(d);
          generated++;
        }
      }
      seed += size;
    }
  }
  const realCount = size - generated;
  const parts: string[] = [];
  let remaining = realCount;
  for (const { label, count } of real.perSource) {
    if (remaining <= 0) break;
    const used = Math.min(count, remaining);
    parts.push(`${label} ${n(used)}`);
    remaining -= used;
  }
  const source =
    realCount === 0
      ? `generated (${n(generated)}; ../shared/lists absent)`
      : generated === 0
        ? `real: ${parts.join(' + ')}`
        : `real (${n(realCount)}: ${parts.join(' + ')}) + generated (${n(generated)})`;
  const shortSource =
    generated === 0
      ? 'real'
      : realCount === 0
        ? 'generated'
        : `${n(realCount)} real + ${n(generated)} gen.`;
  const text = `${domains.join('\n')}\n`;
  return { size, domains, text, real: realCount, generated, source, shortSource };
}

/**
 * `full` with 1% of it changed, as a publisher's small update: every 200th domain (the first
 * 0.5%) removed and as many new names added; `run` keeps each run's new names its own.
 */
export function onePercentChanged(full: string[], run: number): string[] {
  const removed = Math.round(full.length * 0.005);
  const kept = full.filter((_, j) => j % 200 !== 0 || j / 200 >= removed);
  const added = Array.from(
    { length: removed },
    (_, j) => `new${j}-run${run}.overlay-bench.example`,
  );
  return [...kept, ...added];
}
