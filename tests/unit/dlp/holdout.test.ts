import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_TYPES } from '../../../lib/dlp/finding-types.ts';
import {
  LABELLED_SETS,
  labelledSetPath,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';

/**
 * The third held-out set (issue 13) was written before any detector change and frozen: its hash
 * is committed beside it. Editing a message, a label or the order changes the hash and fails
 * here, so nobody can quietly tune the set to the detectors. Tune on `dev-3.jsonl` instead.
 */
describe('frozen held-out set 3', () => {
  const file = labelledSetPath('holdout');
  const recorded = readFileSync(path.join(path.dirname(file), 'holdout-3.sha256'), 'utf8')
    .trim()
    .split(/\s+/)[0];

  it('has not changed since it was frozen', () => {
    const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(actual).toBe(recorded);
  });

  it('is at least 150 messages, about half confidential, every one labelled', () => {
    const set = loadLabelledSet('holdout');
    expect(set.length).toBeGreaterThanOrEqual(150);
    const confidential = set.filter((m) => m.outcome === 'warn');
    const ordinary = set.filter((m) => m.outcome === 'send');
    expect(confidential.length).toBeGreaterThanOrEqual(75);
    expect(ordinary.length).toBeGreaterThanOrEqual(75);
    for (const m of set) {
      expect(m.category, m.id).toMatch(/^[a-z_]+$/);
      expect(m.voice, m.id).toMatch(/^[a-z]+$/);
      // A confidential message names what should be found; an ordinary one names nothing.
      expect(m.expected.length > 0, m.id).toBe(m.outcome === 'warn');
    }
  });

  it('is a different set from the development set (no shared message text)', () => {
    const dev = new Set(loadLabelledSet('development').map((m) => m.body));
    expect(loadLabelledSet('holdout').filter((m) => dev.has(m.body))).toEqual([]);
  });
});

/**
 * Held-out set 4 (h2-dlp): written and frozen before any detector change in that round, because
 * set 3 had been measured and looked at in aggregate. Same rules: never tuned on, never edited.
 */
describe('frozen held-out set 4', () => {
  const file = labelledSetPath('holdout4');
  const recorded = readFileSync(path.join(path.dirname(file), 'holdout-4.sha256'), 'utf8')
    .trim()
    .split(/\s+/)[0];

  it('has not changed since it was frozen', () => {
    const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(actual).toBe(recorded);
  });

  it('is at least 150 messages, about half confidential, every one labelled', () => {
    const set = loadLabelledSet('holdout4');
    expect(set.length).toBeGreaterThanOrEqual(150);
    expect(set.filter((m) => m.outcome === 'warn').length).toBeGreaterThanOrEqual(75);
    expect(set.filter((m) => m.outcome === 'send').length).toBeGreaterThanOrEqual(75);
    for (const m of set) {
      expect(m.template, m.id).toBe('holdout-4');
      expect(m.category, m.id).toMatch(/^[a-z_]+$/);
      expect(m.voice, m.id).toMatch(/^[a-z]+$/);
      expect(m.expected.length > 0, m.id).toBe(m.outcome === 'warn');
    }
  });

  it('shares no message with set 3 or the development set', () => {
    const seen = new Set(
      [...loadLabelledSet('development'), ...loadLabelledSet('holdout')].map((m) => m.body),
    );
    expect(loadLabelledSet('holdout4').filter((m) => seen.has(m.body))).toEqual([]);
  });
});

/**
 * Held-out set 5 (h3-holdout5): written fresh and committed with its hash before any detector ran
 * over it; its honest figure was taken after h3-recall (recall 0.895, false warnings 2.3%). Since
 * h4-recall4 read and tuned on it, it is development material like sets 3 and 4 (an upper bound),
 * but it stays frozen: never edited, so its figures stay comparable across rounds.
 */
describe('frozen held-out set 5', () => {
  const file = labelledSetPath('holdout5');
  const recorded = readFileSync(path.join(path.dirname(file), 'holdout-5.sha256'), 'utf8')
    .trim()
    .split(/\s+/)[0];
  const set = loadLabelledSet('holdout5');
  const confidential = set.filter((m) => m.outcome === 'warn');
  const ordinary = set.filter((m) => m.outcome === 'send');

  it('has not changed since it was frozen', () => {
    const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(actual).toBe(recorded);
  });

  it('is at least 150 messages, numbered in order, with balanced halves', () => {
    expect(set.length).toBeGreaterThanOrEqual(150);
    expect(set.map((m) => m.id)).toEqual(set.map((_, i) => `h5-${String(i + 1).padStart(3, '0')}`));
    expect(confidential.length).toBeGreaterThanOrEqual(75);
    expect(ordinary.length).toBeGreaterThanOrEqual(75);
    // Neither half more than 55% of the set: recall and false warnings are on equal footing.
    expect(Math.abs(confidential.length - ordinary.length)).toBeLessThanOrEqual(set.length * 0.1);
  });

  it('labels every message as set 4 does, with finding types the detectors report', () => {
    const known = new Set<string>(FINDING_TYPES);
    for (const m of set) {
      expect(m.template, m.id).toBe('holdout-5');
      expect(m.category, m.id).toMatch(/^[a-z_]+$/);
      expect(m.voice, m.id).toMatch(/^[a-z]+$/);
      expect(m.subject.length, m.id).toBeGreaterThan(0);
      expect(m.expected.length > 0, m.id).toBe(m.outcome === 'warn');
      for (const t of m.expected) expect(known.has(t), `${m.id}: ${t}`).toBe(true);
    }
  });

  it('speaks in every staff voice the issue names, in both halves', () => {
    for (const voice of ['teacher', 'office', 'senco', 'dsl', 'hr', 'finance', 'head']) {
      expect(
        confidential.some((m) => m.voice === voice),
        `confidential: ${voice}`,
      ).toBe(true);
      expect(
        ordinary.some((m) => m.voice === voice),
        `ordinary: ${voice}`,
      ).toBe(true);
    }
  });

  it("covers the issue's taxonomy in the confidential half", () => {
    const categories = new Set(confidential.map((m) => m.category));
    for (const category of [
      'physical',
      'emotional',
      'sexual',
      'neglect',
      'cse',
      'cce',
      'county_lines',
      'fgm',
      'radicalisation',
      'domestic_abuse',
      'child_on_child',
      'online_sexual_harm',
      'social_care_process',
      'health',
      'medication',
      'pregnancy',
      'mental_health',
      'sexual_orientation',
      'gender_identity',
      'religion_ethnicity',
      'trade_union',
      'criminal',
      'send',
      'financial_hardship',
      'staff_hr',
      'bulk_list',
      'identifier',
    ]) {
      expect(categories.has(category), category).toBe(true);
    }
    const expected = new Set<string>(confidential.flatMap((m) => m.expected));
    for (const id of ['upn', 'uln', 'uci', 'nino', 'nhs_number', 'chi_number', 'people_list']) {
      expect(expected.has(id), id).toBe(true);
    }
    // A pasted table (tab-separated) is among the lists.
    expect(confidential.some((m) => m.category === 'bulk_list' && m.body.includes('\t'))).toBe(
      true,
    );
    // Identifier look-alikes sit in the ordinary half.
    expect(ordinary.filter((m) => m.category === 'lookalike').length).toBeGreaterThanOrEqual(3);
  });

  it('shares no message, and no run of eight words, with any other set', () => {
    const others = [
      ...loadCorpus(),
      ...(Object.keys(LABELLED_SETS) as (keyof typeof LABELLED_SETS)[])
        .filter((s) => s !== 'holdout5')
        .flatMap((s) => loadLabelledSet(s)),
    ];
    const bodies = new Set(others.map((m) => m.body));
    expect(set.filter((m) => bodies.has(m.body)).map((m) => m.id)).toEqual([]);
    const runs = (text: string): string[] => {
      const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
      return words
        .slice(0, Math.max(0, words.length - 7))
        .map((_, i) => words.slice(i, i + 8).join(' '));
    };
    const seen = new Set(others.flatMap((m) => runs(m.body)));
    expect(set.filter((m) => runs(m.body).some((r) => seen.has(r))).map((m) => m.id)).toEqual([]);
  });
});
