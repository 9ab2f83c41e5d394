import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLabelledSet } from '../../fixtures/dlp-corpus/evaluate.ts';
import {
  FRESH_SETS_MEASURED_ONCE,
  pooled,
  pooledLines,
  wilsonInterval,
} from '../../fixtures/dlp-corpus/measured-once.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('fresh sets, each measured once, pooled', () => {
  it('counts each set as its file has it (confidential and ordinary halves)', () => {
    for (const s of FRESH_SETS_MEASURED_ONCE) {
      const messages = loadLabelledSet(s.set);
      const warn = messages.filter((m) => m.outcome === 'warn').length;
      expect([s.set, warn, messages.length - warn]).toEqual([s.set, s.confidential, s.ordinary]);
      expect(s.caught).toBeLessThanOrEqual(s.confidential);
      expect(s.falseWarnings).toBeLessThanOrEqual(s.ordinary);
    }
  });

  it('lists each set once, in order', () => {
    const numbers = FRESH_SETS_MEASURED_ONCE.map((s) => Number(s.set.slice('holdout'.length)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  // The bench quotes each set's once-only figure as text (bench/dlp.ts); the counts here must
  // give the same rounded figures, so a typo in either is caught.
  it('agrees with the figures the bench quotes for each set', () => {
    const bench = readFileSync(path.join(here, '../../../bench/dlp.ts'), 'utf8');
    let compared = 0;
    for (const s of FRESH_SETS_MEASURED_ONCE) {
      const n = s.set.slice('holdout'.length);
      const quoted =
        new RegExp(
          `set: '${s.set}',[^}]*?once: '[^']*?recall (\\d\\.\\d{3}), false warnings (\\d+\\.\\d)%`,
        ).exec(bench) ??
        new RegExp(
          `Held-out set ${n} \\([^']*?measured once[^']*?recall (\\d\\.\\d{3}) \\(\\d+/\\d+[^)]*\\), false warnings (\\d+\\.\\d)%`,
        ).exec(bench);
      if (!quoted) continue;
      compared++;
      expect([s.set, (s.caught / s.confidential).toFixed(3)]).toEqual([s.set, quoted[1]]);
      expect([s.set, ((s.falseWarnings / s.ordinary) * 100).toFixed(1)]).toEqual([
        s.set,
        quoted[2],
      ]);
    }
    expect(compared).toBeGreaterThanOrEqual(FRESH_SETS_MEASURED_ONCE.length - 1);
  });

  it("gives Wilson's interval", () => {
    // Closed forms at the ends: none of n gives [0, z²/(n + z²)], all of n gives [n/(n + z²), 1].
    const z2 = 1.96 * 1.96;
    const [lo0, hi0] = wilsonInterval(0, 118);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(z2 / (118 + z2), 12);
    const [loAll, hiAll] = wilsonInterval(118, 118);
    expect(loAll).toBeCloseTo(118 / (118 + z2), 12);
    expect(hiAll).toBe(1);
    // Between them, the roots of (p − 113/118)² = z²·p(1 − p)/118, solved as a quadratic.
    const [lo, hi] = wilsonInterval(113, 118);
    expect(lo).toBeCloseTo(0.904629, 5);
    expect(hi).toBeCloseTo(0.981767, 5);
    const [a, b] = wilsonInterval(1, 2);
    expect(a + b).toBeCloseTo(1, 10);
  });

  it('pools the counts, and counts the sets that met both targets alone', () => {
    const p = pooled([
      {
        set: 'holdout41',
        session: 37,
        caught: 110,
        confidential: 118,
        falseWarnings: 3,
        ordinary: 118,
      },
      {
        set: 'holdout42',
        session: 38,
        caught: 113,
        confidential: 118,
        falseWarnings: 1,
        ordinary: 118,
      },
    ]);
    expect(p.caught).toBe(223);
    expect(p.recall).toBeCloseTo(223 / 236, 10);
    expect(p.falseWarningRate).toBeCloseTo(4 / 236, 10);
    expect(p.bothMet).toBe(1);
    expect(pooledLines().join('\n')).toMatch(/both targets met on \d+ of \d+ sets alone/);
  });
});
