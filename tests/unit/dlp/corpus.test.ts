import { describe, expect, it } from 'vitest';
import { FINDING_TYPES } from '../../../lib/dlp/finding-types.ts';
import {
  evaluate,
  evaluateWarnings,
  type LABELLED_SETS,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';
import { generate } from '../../fixtures/dlp-corpus/generate.ts';

const corpus = loadCorpus();

describe('labelled DLP corpus', () => {
  it('is the committed output of the generator (regenerate it when templates change)', () => {
    expect(corpus).toEqual(generate());
  });

  it('has at least 300 messages, sensitive and benign, covering every built-in type', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(corpus.filter((m) => m.expected.length === 0).length).toBeGreaterThanOrEqual(120);
    const types = new Set(corpus.flatMap((m) => m.expected));
    // Every built-in type; `custom` depends on a school's own patterns, and `learned` is the
    // learned check's finding, never an expected label (it counts only for "would warn").
    for (const t of FINDING_TYPES.filter((type) => type !== 'custom' && type !== 'learned')) {
      expect(types.has(t as never), t).toBe(true);
    }
  });

  // Floors are what the detectors achieve today, rounded down: a regression fails here.
  it('keeps precision and recall per type on the whole corpus', () => {
    const { scores } = evaluate(corpus);
    const byType = Object.fromEntries(scores.map((s) => [s.type, s]));
    const identifiers = [
      'upn',
      'nino',
      'nhs_number',
      'payment_card',
      'bank_account',
      'passport',
      'driving_licence',
      'date_of_birth',
    ];
    for (const t of identifiers) {
      expect(byType[t]!.precision, `${t} precision`).toBeGreaterThanOrEqual(0.95);
      expect(byType[t]!.recall, `${t} recall`).toBeGreaterThanOrEqual(0.95);
    }
    for (const t of ['special_category', 'safeguarding', 'credential']) {
      expect(byType[t]!.precision, `${t} precision`).toBeGreaterThanOrEqual(0.95);
      expect(byType[t]!.recall, `${t} recall`).toBeGreaterThanOrEqual(0.9);
    }
    // Raised in h3-recall (0.980 and 0.978 then).
    for (const t of ['special_category', 'safeguarding']) {
      expect(byType[t]!.recall, `${t} recall`).toBeGreaterThanOrEqual(0.95);
    }
    expect(byType.any!.precision).toBeGreaterThanOrEqual(0.95);
    expect(byType.any!.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps its figures on the held-out hand-written messages', () => {
    const any = (template: string) =>
      evaluate(corpus.filter((m) => m.template === template)).scores.find((s) => s.type === 'any')!;
    // Set 1 was used for one round of fixes; set 2 has not been tuned on.
    expect(any('holdout').precision).toBeGreaterThanOrEqual(0.95);
    expect(any('holdout').recall).toBeGreaterThanOrEqual(0.95);
    expect(any('holdout-2').precision).toBeGreaterThanOrEqual(0.9);
    expect(any('holdout-2').recall).toBeGreaterThanOrEqual(0.8);
  });

  // Sets 3 and 4 were held out once; since h3-recall they are development material with dev-3, 4
  // and 5, and since h5-recall5 set 6 (tuned on: floors against regressions, not honest figures;
  // those come from held-out set 7, never measured here).
  it('keeps its would-warn figures on the development material', () => {
    // Named one by one: a held-out set added later is measured by the lead, never here.
    const development: (keyof typeof LABELLED_SETS)[] = [
      'holdout',
      'holdout4',
      'development',
      'development4',
      'development5',
      // Set 5 was read and tuned on in h4-recall4; dev-6 was written there.
      'holdout5',
      'development6',
      // Set 6 was read and tuned on in h5-recall5; dev-7 was written there.
      'holdout6',
      'development7',
    ];
    for (const set of development) {
      const w = evaluateWarnings(loadLabelledSet(set));
      expect(w.recall, `${set} recall, missed ${w.missed.join(' ')}`).toBeGreaterThanOrEqual(0.98);
      expect(
        w.falseWarningRate,
        `${set} false warnings ${w.falseWarnings.join(' ')}`,
      ).toBeLessThanOrEqual(0.02);
    }
  });

  it('never warns on the benign look-alike templates', () => {
    const lookalikes = [
      'supplier-invoice',
      'timetable',
      'book-order',
      'delivery',
      'exam-entries',
      'maths-homework',
      'invalid-identifiers',
      'fixtures',
    ];
    const { errors } = evaluate(corpus.filter((m) => lookalikes.includes(m.template)));
    expect(errors).toEqual([]);
  });
});
