/**
 * Rule-list benchmark (issue 3): parse + normalise throughput of the list parsers on UT1's
 * `redirector` list (~132,000 lines; skipped if ../shared/lists is absent) and on generated
 * 1,000,000-line lists in each format; then, for a 1,000,000-domain rule-list document:
 * serialise, sign, verify and parse/validate times. Every figure is a median of several runs.
 *
 *   node --import tsx bench/rule-lists.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ListFormat, parseList } from '../lib/lists/parse.ts';
import {
  parseRuleList,
  RULE_LIST_FORMAT,
  type RuleListDocument,
  serialiseRuleList,
} from '../lib/rule-list/document.ts';
import {
  generateRuleListKeyPair,
  signRuleList,
  verifyRuleList,
} from '../lib/rule-list/signature.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REDIRECTOR = path.join(path.resolve(repoRoot, '../shared'), 'lists/ut1/redirector/domains');
const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  await fn(); // warm-up: JIT and first-touch allocation are not what an admin waits for twice
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return median(ms);
}

const n = (x: number) => Math.round(x).toLocaleString('en-GB');

/** Domains shaped like real ones: mixed label counts and lengths, a few hyphens and digits. */
function generatedDomains(count: number): string[] {
  const tlds = ['com', 'net', 'org', 'co.uk', 'de', 'fr', 'io', 'info', 'ru', 'xyz'];
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const base = `site-${i.toString(36)}${i % 7 === 0 ? 'shop' : ''}`;
    const sub = i % 3 === 0 ? `cdn${i % 10}.` : i % 5 === 0 ? 'www.' : '';
    out[i] = `${sub}${base}.${tlds[i % tlds.length]}`;
  }
  return out;
}

function asFormat(domains: string[], format: ListFormat): string {
  switch (format) {
    case 'hosts':
      return `# hosts\n${domains.map((d) => `0.0.0.0 ${d}`).join('\n')}\n`;
    case 'adblock':
      return `[Adblock Plus 2.0]\n! list\n${domains.map((d) => `||${d}^`).join('\n')}\n`;
    case 'dnsmasq':
      return domains.map((d) => `server=/${d}/`).join('\n');
    default:
      return `${domains.join('\n')}\n`;
  }
}

async function parseFigure(label: string, text: string, format: ListFormat | 'auto') {
  let result = parseList(text, format);
  const ms = await time(() => {
    result = parseList(text, format);
  });
  console.log(
    `  ${label.padEnd(34)} ${n(result.lines).padStart(9)} lines  ${ms.toFixed(0).padStart(5)} ms  ${n((result.lines / ms) * 1000).padStart(10)} lines/s  (${n(result.domains.length)} kept, ${n(result.skipped.length)} skipped)`,
  );
}

export async function run(): Promise<void> {
  console.log(`Rule lists (median of ${RUNS} runs, Node ${process.version})`);
  console.log('Parse + normalise:');
  if (existsSync(REDIRECTOR)) {
    await parseFigure(
      'UT1 redirector (ut1-domains)',
      readFileSync(REDIRECTOR, 'utf8'),
      'ut1-domains',
    );
  } else {
    console.log(`  UT1 redirector: skipped (${REDIRECTOR} is absent)`);
  }
  const domains = generatedDomains(1_000_000);
  for (const format of ['plain', 'hosts', 'adblock', 'dnsmasq'] as const) {
    await parseFigure(`generated 1M (${format})`, asFormat(domains, format), format);
  }
  await parseFigure('generated 1M (auto → hosts)', asFormat(domains, 'hosts'), 'auto');

  console.log('1,000,000-domain rule-list document:');
  const canonical = [...new Set(parseList(asFormat(domains, 'plain'), 'plain').domains)];
  const document: RuleListDocument = {
    format: RULE_LIST_FORMAT,
    version: 1,
    issuedAt: new Date().toISOString(),
    categories: { proxy: { domains: canonical } },
  };
  let text = '';
  const serialiseMs = await time(() => {
    text = serialiseRuleList(document);
  });
  const bytes = new TextEncoder().encode(text);
  console.log(`  ${n(canonical.length)} domains, ${(bytes.length / 1024 / 1024).toFixed(1)} MB`);
  console.log(`  serialise                ${serialiseMs.toFixed(0).padStart(6)} ms`);
  const keys = await generateRuleListKeyPair();
  let signature = '';
  const signMs = await time(async () => {
    signature = await signRuleList(bytes, keys.privateKeyPem);
  });
  console.log(`  sign (ECDSA P-256)       ${signMs.toFixed(0).padStart(6)} ms`);
  let verified = false;
  const verifyMs = await time(async () => {
    verified = (await verifyRuleList(bytes, signature, keys.publicKey)).ok;
  });
  if (!verified) throw new Error('benchmark list failed to verify');
  console.log(`  verify                   ${verifyMs.toFixed(0).padStart(6)} ms`);
  let entries = 0;
  const parseMs = await time(() => {
    const parsed = parseRuleList(bytes);
    if (!parsed.ok) throw new Error(parsed.reason);
    entries = parsed.entries;
  });
  console.log(
    `  parse + validate         ${parseMs.toFixed(0).padStart(6)} ms  (${n(entries)} entries)`,
  );
  console.log(`  verify + parse, total    ${(verifyMs + parseMs).toFixed(0).padStart(6)} ms`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
