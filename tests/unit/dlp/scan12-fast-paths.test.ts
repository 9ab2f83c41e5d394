/**
 * h13-scan12's fast paths, each against the plain computation it replaced:
 * - `mask` (the redacted preview) reads character codes instead of testing a regular expression
 *   on each code point: the same preview for every finding of the labelled messages and issue
 *   13's 100 KB message, and for seeded strings built to break it (letters and digits at the keep
 *   boundaries, separators, non-ASCII letters, surrogate pairs and lone surrogates, the bullet).
 * - `findingFeatures` makes each feature string once per type and vocabulary group: the same
 *   features, in the same order, for the findings of every labelled message and of seeded lists.
 */
import { describe, expect, it } from 'vitest';
import type { Detection } from '../../../lib/dlp/detectors.ts';
import { detect, FINDING_TYPES } from '../../../lib/dlp/detectors.ts';
import { mask } from '../../../lib/dlp/finding-text.ts';
import { findingFeatures, QUIETABLE } from '../../../lib/dlp/learned.ts';
import { nearMissesOf } from '../../../lib/dlp/near-miss.ts';
import { endsPossessive, isTitle } from '../../../lib/dlp/people.ts';
import { parseComposePolicy } from '../../../lib/dlp/policy.ts';
import { scanMessageWithReport } from '../../../lib/dlp/scan.ts';
import {
  CORPUS_NOW,
  labelledSetsNotHeldOut,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';
import { SCHOOL_PATTERNS, schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** `mask` as it was before h13-scan12. */
function maskReference(value: string, keepStart: number, keepEnd: number): string {
  const alnum = value.replace(/[^A-Za-z0-9]/g, '').length;
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (/[A-Za-z0-9]/.test(ch)) {
      out += seen < keepStart || seen >= alnum - keepEnd ? ch : '•';
      seen++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** `findingFeatures` as it was before h13-scan12. */
function featuresReference(findings: readonly Detection[]): string[] {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.type === 'learned') continue;
    out.add(`#${f.type}`);
    if (f.name && QUIETABLE.has(f.type)) out.add(`#${f.type}/${f.name}`);
    // The near-miss evidence the vocabulary recorded for this finding (h15-tune).
    for (const n of nearMissesOf(f) ?? []) out.add(n);
  }
  return [...out];
}

// Not the holdout sets 14 and 15: nothing here needs them.
const labelled = () =>
  [
    loadCorpus(),
    ...labelledSetsNotHeldOut()
      .filter((set) => !/holdout1[45]/.test(set))
      .map(loadLabelledSet),
  ].flat();

const UNITS = [
  'a',
  'Z',
  '0',
  '9',
  'm',
  'Q',
  ' ',
  '-',
  '/',
  '.',
  '•',
  '’',
  'é',
  'ß',
  '\u00a0',
  '\n',
  '\ud83d\ude00',
  '\ud83d',
  '\ude00',
  '@',
  '_',
  '`',
  '{',
  '[',
  ':',
];

describe('the redacted preview by character code', () => {
  it('masks as before on seeded strings, at every keep boundary', () => {
    let compared = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const r = seededRandom(seed);
      let value = '';
      const n = r.int(30);
      for (let k = 0; k < n; k++) value += r.pick(UNITS);
      for (const [a, b] of [
        [0, 0],
        [2, 2],
        [1, 3],
        [4, 0],
        [r.int(6), r.int(6)],
        [40, 40],
      ] as const) {
        expect(mask(value, a, b), `seed ${seed} ${a},${b}: ${JSON.stringify(value)}`).toBe(
          maskReference(value, a, b),
        );
        compared++;
      }
    }
    expect(compared).toBe(18_000);
  });

  it('masks every finding of the labelled messages and issue 13’s message as before', () => {
    const school = parseComposePolicy(SCHOOL_PATTERNS);
    if (!school.ok) throw new Error(school.errors.join('\n'));
    const big = schoolCodesMessage();
    const texts = [...labelled().map((m) => m.body), big.body];
    let compared = 0;
    for (const text of texts) {
      for (const d of detect(text, { now: CORPUS_NOW })) {
        const value = text.slice(d.start, d.end);
        for (const [a, b] of [
          [2, 2],
          [2, 0],
          [0, 4],
        ] as const) {
          expect(mask(value, a, b)).toBe(maskReference(value, a, b));
          compared++;
        }
      }
    }
    for (const f of scanMessageWithReport(big, school.policy, { now: CORPUS_NOW }).findings) {
      if (f.field !== 'body') continue;
      const value = big.body.slice(f.start, f.end);
      expect(mask(value, 2, 2)).toBe(maskReference(value, 2, 2));
      compared++;
    }
    expect(compared).toBeGreaterThan(3000);
  }, 120_000);
});

describe('the finding features, each string made once', () => {
  it('gives the same features in the same order for every labelled message', () => {
    let compared = 0;
    for (const m of labelled()) {
      const findings = detect(m.body, { context: m.subject, now: CORPUS_NOW });
      expect(findingFeatures(findings), m.id).toEqual(featuresReference(findings));
      compared += findings.length;
    }
    expect(compared).toBeGreaterThan(500);
  }, 120_000);

  it('gives the same features for seeded lists of findings', () => {
    const names = ['health', 'sen', 'neglect', 'Payroll', undefined, '', 'a/b', '#x'];
    for (let seed = 1; seed <= 500; seed++) {
      const r = seededRandom(seed);
      const findings: Detection[] = [];
      for (let k = r.int(20); k > 0; k--) {
        const name = r.pick(names);
        findings.push({
          type: r.pick([...FINDING_TYPES, 'learned' as const]),
          confidence: 'medium',
          start: 0,
          end: 1,
          preview: '',
          ...(name === undefined ? {} : { name }),
        } as Detection);
      }
      expect(findingFeatures(findings), `seed ${seed}`).toEqual(featuresReference(findings));
    }
  });
});

describe('titles and possessives in the names pass, by character code', () => {
  it('agree with the regexps they stand for, on seeded words', () => {
    const bits = ['M', 'r', 's', 'D', 'i', 'Miss', 'Mr', 'Dr', "'", '’', 'S', 'x', '\n', ' ', 'é'];
    for (let seed = 1; seed <= 5000; seed++) {
      const r = seededRandom(seed);
      let word = '';
      for (let k = r.int(7); k > 0; k--) word += r.pick(bits);
      expect(isTitle(word), JSON.stringify(word)).toBe(/^(?:Mr|Mrs|Ms|Miss|Dr)$/.test(word));
      expect(endsPossessive(word), JSON.stringify(word)).toBe(/['’]s$/.test(word));
    }
    for (const w of ['Mr', 'Mrs', 'Ms', 'Miss', 'Dr']) expect(isTitle(w)).toBe(true);
    for (const w of ["Tia's", 'Tia’s', "'s"]) expect(endsPossessive(w)).toBe(true);
  });
});
