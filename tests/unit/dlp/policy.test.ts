import { describe, expect, it } from 'vitest';
import {
  checkPatternSafety,
  compilePattern,
  DEFAULT_SCAN_BUDGET_MS,
  scanCustomPatterns,
} from '../../../lib/dlp/custom-patterns.ts';
import {
  COMPOSE_POLICY_DEFAULTS,
  DEFAULT_COMPOSE_POLICY,
  parseComposePolicy,
  resolveComposePolicy,
} from '../../../lib/dlp/policy.ts';

describe('compose policy defaults', () => {
  it('documents and applies the defaults', () => {
    expect(DEFAULT_COMPOSE_POLICY).toMatchObject({
      mode: 'warn',
      override: 'acknowledge',
      minConfidence: 'medium',
      disabledDetectors: [],
      customPatterns: [],
      customWords: [],
      bulkRecipientThreshold: 10,
    });
    expect(DEFAULT_COMPOSE_POLICY.blockMessage).toBe(COMPOSE_POLICY_DEFAULTS.blockMessage);
    const parsed = parseComposePolicy(undefined);
    expect(parsed.ok && parsed.policy).toEqual(DEFAULT_COMPOSE_POLICY);
  });
  it('accepts a full, valid policy', () => {
    const r = parseComposePolicy({
      mode: 'block',
      override: 'reason',
      minConfidence: 'high',
      disabledDetectors: ['passport'],
      customPatterns: [
        {
          name: 'Staff ID',
          pattern: 'STF-\\d{6}',
          flags: 'i',
          minConfidence: 'low',
          keywords: ['staff'],
        },
        { name: 'Phone format', pattern: '(\\d{3}-){2}\\d{4}' },
      ],
      customWords: [{ name: 'Project names', words: ['Operation Falcon', 'Bluebird'] }],
      bulkRecipientThreshold: 25,
      blockMessage: 'Use Egress for pupil data.',
    });
    expect(r.ok).toBe(true);
  });
});

describe('compose policy errors name the field', () => {
  const errorsOf = (input: unknown) => {
    const r = parseComposePolicy(input);
    return r.ok ? [] : r.errors;
  };
  it('reports a syntax error in a custom pattern with its index', () => {
    expect(
      errorsOf({
        customPatterns: [
          { name: 'a', pattern: 'A\\d+' },
          { name: 'b', pattern: 'B\\d+' },
          { name: 'c', pattern: '(abc' },
        ],
      }),
    ).toEqual(['compose.customPatterns[2].pattern: unterminated group']);
  });
  it('reports bad enums, numbers, unknown keys and detector names', () => {
    expect(errorsOf({ mode: 'warm' })).toEqual([
      'compose.mode: must be one of "off", "warn", "block"',
    ]);
    expect(errorsOf({ minConfidance: 'high' })[0]).toMatch(
      /^compose\.minConfidance: unknown setting/,
    );
    expect(errorsOf({ bulkRecipientThreshold: 1 })).toEqual([
      'compose.bulkRecipientThreshold: must be at least 2',
    ]);
    expect(errorsOf({ disabledDetectors: ['upn', 'postcode'] })[0]).toMatch(
      /^compose\.disabledDetectors\[1\]: must be one of/,
    );
    expect(errorsOf({ customWords: [{ name: 'x', words: [] }] })).toEqual([
      'compose.customWords[0].words: must list at least one word',
    ]);
    expect(errorsOf({ customPatterns: [{ name: 'x', pattern: 'a', flags: 'gi' }] })).toEqual([
      'compose.customPatterns[0].flags: flag "g" is not allowed (use only i, m, s, u)',
    ]);
    expect(errorsOf('warn')).toEqual(['compose: the "compose" policy must be an object']);
  });
  it('rejects a pattern that matches empty text', () => {
    expect(errorsOf({ customPatterns: [{ name: 'x', pattern: '\\d*' }] })).toEqual([
      'compose.customPatterns[0].pattern: matches empty text',
    ]);
  });
});

describe('pathological custom patterns', () => {
  const rejected = [
    ['(a+)+$', /nested quantifier/],
    ['(\\w+\\s?)+$', /nested quantifier/],
    ['(\\d*){10,}x', /nested quantifier/],
    ['((ab)*c)+', /nested quantifier/],
    ['(a|ab)*c', /repeated alternation/],
    ['(\\w)\\1{5}', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['a'.repeat(301), /longer than 300/],
  ] as const;
  for (const [pattern, reason] of rejected) {
    it(`rejects ${pattern.slice(0, 30)}`, () => {
      expect(checkPatternSafety(pattern)).toMatch(reason);
    });
  }
  it('rejects a polynomial pattern the static check misses, by timing it', () => {
    // Three overlapping unbounded runs before a character that never comes: O(n^3) backtracking.
    const reason = checkPatternSafety('\\d+\\d+\\d+\\d+x');
    expect(reason).toMatch(/too slow/);
  });
  it('accepts ordinary admin patterns quickly', () => {
    const started = performance.now();
    for (const p of [
      'STF-\\d{6}',
      '(\\d{3}-){2}\\d{4}',
      '\\b[A-Z]{3}\\d{4}\\b',
      'Project (?:Falcon|Kestrel)',
    ]) {
      expect(checkPatternSafety(p), p).toBeNull();
    }
    expect(performance.now() - started).toBeLessThan(500);
  });
  it('bounds scan time: windows plus a deadline, and says what was cut short', () => {
    // Quadratic on long digit runs but under the probe's limit, so a policy may contain it:
    // about 0.7 ms per 1 KB window here, so 250 windows of digits take far longer than the budget.
    const compiled = compilePattern({ name: 'slowish', pattern: '\\d+x' });
    if ('error' in compiled) throw new Error(compiled.error);
    const text = '1'.repeat(256 * 1024);
    const started = performance.now();
    const result = scanCustomPatterns(text, [compiled], performance.now() + DEFAULT_SCAN_BUDGET_MS);
    const took = performance.now() - started;
    expect(result.incomplete).toHaveLength(1);
    const reason = result.incomplete[0]!.reason;
    expect(reason).toMatch(/time budget/);
    // It stopped early (the number of characters it got through), and it did not hang. The time
    // bound is loose because a loaded two-core test machine can pre-empt any single window.
    const scanned = Number(/stopped after (\d+) of/.exec(reason)![1]);
    expect(scanned).toBeLessThan(text.length / 2);
    expect(took).toBeLessThan(DEFAULT_SCAN_BUDGET_MS + 500);
  });
  it('refuses at compile time a pattern that bypassed the policy schema', () => {
    const compiled = compilePattern({ name: 'evil', pattern: '(a+)+$' });
    expect(compiled).toEqual({ name: 'evil', error: expect.stringMatching(/nested quantifier/) });
  });
  it('finds matches across window boundaries exactly once', () => {
    const p = compilePattern({ name: 'ref', pattern: 'REF-\\d{4}' });
    if ('error' in p) throw new Error(p.error);
    const text = `${'x'.repeat(1020)}REF-1234 ${'y'.repeat(3000)} REF-5678`;
    const result = scanCustomPatterns(text, [p], performance.now() + 1000);
    expect(result.detections.map((d) => [d.start, d.name, d.confidence])).toEqual([
      [1020, 'ref', 'medium'],
      [text.length - 8, 'ref', 'medium'],
    ]);
  });
});

describe('lenient resolution for the extension', () => {
  it('keeps the good fields and patterns of a partly bad policy', () => {
    const r = resolveComposePolicy({
      mode: 'block',
      minConfidence: 'extreme',
      customPatterns: [
        { name: 'bad', pattern: '(a+)+' },
        { name: 'good', pattern: 'STF-\\d{6}' },
      ],
    });
    expect(r.policy.mode).toBe('block');
    expect(r.policy.minConfidence).toBe('medium');
    expect(r.policy.customPatterns.map((p) => p.name)).toEqual(['good']);
    expect(r.errors).toHaveLength(2);
  });
  it('falls back to defaults for a policy that is not an object', () => {
    expect(resolveComposePolicy(42).policy).toEqual(DEFAULT_COMPOSE_POLICY);
  });
});
