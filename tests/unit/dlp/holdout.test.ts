import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelledSetPath, loadLabelledSet } from '../../fixtures/dlp-corpus/evaluate.ts';

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
