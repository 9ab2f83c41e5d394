import { describe, expect, it } from 'vitest';
import {
  checkPattern,
  compilePattern,
  scanCustomPatterns,
  withoutWordBoundaries,
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
    ).toEqual(['compose.customPatterns[2].pattern: missing closing ): (abc']);
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

describe('custom patterns on a linear-time engine (RE2)', () => {
  const refused = [
    [
      '(\\w)\\1{5}',
      /^backreference \\1 is not supported: Steward runs school patterns on a linear-time engine \(RE2\)/,
    ],
    ['(?<x>a)\\k<x>', /^named backreference .* is not supported/],
    ['Ref(?=\\d)', /^lookahead \(\?=…\) is not supported/],
    ['Ref(?!\\d)', /^lookahead \(\?!…\) is not supported/],
    ['(?<=UPN )\\d+', /^lookbehind \(\?<=…\) is not supported/],
    ['(?<!x)\\d+', /^lookbehind \(\?<!…\) is not supported/],
    ['caf\\u00e9', /write a character by its code as \\x\{00E9\}/],
    ['a{1001}', /repeat count \{1001\} is too large/],
    ['a'.repeat(301), /longer than 300/],
    ['', /empty pattern/],
    ['\\d*', /matches empty text/],
  ] as const;
  for (const [pattern, reason] of refused) {
    it(`refuses ${pattern.slice(0, 30) || 'an empty pattern'} and says why`, () => {
      expect(checkPattern(pattern)).toMatch(reason);
    });
  }
  it('names the pattern and the feature in the policy error', () => {
    expect(
      parseComposePolicy({
        customPatterns: [
          { name: 'Staff ID', pattern: 'STF-\\d{6}' },
          { name: 'Doubled', pattern: '(\\d)\\1' },
        ],
      }),
    ).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(
          /^compose\.customPatterns\[1\]\.pattern: backreference \\1 is not supported/,
        ),
      ],
    });
  });

  // The shapes the old heuristic guards refused, and the one that slipped past them, are all
  // accepted now: none of them can backtrack on RE2.
  const evil = [
    '[A-Z]+\\s*[A-Z]+\\s*[A-Z]+\\d',
    '(a+)+$',
    '(\\w+\\s?)+$',
    '(\\d*){10,}x',
    '((ab)*c)+',
    '(a|ab)*c',
    '\\d+\\d+\\d+\\d+x',
  ];
  for (const pattern of evil) {
    it(`accepts ${pattern} and checks it at once`, () => {
      const started = performance.now();
      expect(checkPattern(pattern)).toBeNull();
      expect(performance.now() - started).toBeLessThan(200);
    });
  }

  it('the old guards’ bypass finishes fast on 800 capital letters (16 s on RegExp)', () => {
    const compiled = compilePattern({ name: 'bypass', pattern: '[A-Z]+\\s*[A-Z]+\\s*[A-Z]+\\d' });
    if ('error' in compiled) throw new Error(compiled.error);
    for (const text of ['A'.repeat(800), `${'A B '.repeat(200)}!`, 'A'.repeat(100_000)]) {
      const started = performance.now();
      const result = scanCustomPatterns(text, [compiled], performance.now() + 10_000);
      // Generous for a loaded two-core machine; RegExp took 16,000 ms on the first text alone.
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(result).toEqual({ detections: [], incomplete: [] });
    }
    const hit = scanCustomPatterns(`${'A'.repeat(800)}1`, [compiled], performance.now() + 10_000);
    expect(hit.detections.map((d) => [d.start, d.end])).toEqual([[0, 801]]);
  });

  it('accepts ordinary admin patterns, with flags', () => {
    for (const [p, flags] of [
      ['STF-\\d{6}', ''],
      ['(\\d{3}-){2}\\d{4}', ''],
      ['\\b[A-Z]{3}\\d{4}\\b', ''],
      ['Project (?:Falcon|Kestrel)', 'i'],
      ['^Ref: .+$', 'm'],
      ['\\p{Lu}{2}\\d{6}', 'u'],
    ] as const) {
      expect(checkPattern(p, flags), p).toBeNull();
    }
  });

  it('flags mean what they mean in JavaScript', () => {
    const run = (pattern: string, flags: string, text: string) => {
      const c = compilePattern({ name: 'x', pattern, flags });
      if ('error' in c) throw new Error(c.error);
      return scanCustomPatterns(text, [c], performance.now() + 1000).detections.map((d) =>
        text.slice(d.start, d.end),
      );
    };
    expect(run('project falcon', '', 'Project Falcon')).toEqual([]);
    expect(run('project falcon', 'i', 'Project Falcon')).toEqual(['Project Falcon']);
    expect(run('^Ref \\d+$', '', 'x\nRef 12\ny')).toEqual([]);
    expect(run('^Ref \\d+$', 'm', 'x\nRef 12\ny')).toEqual(['Ref 12']);
    expect(run('A.B', '', 'A\nB')).toEqual([]);
    expect(run('A.B', 's', 'A\nB')).toEqual(['A\nB']);
    // Offsets are UTF-16 positions, as everywhere else in the scan (an emoji is two units).
    expect(run('REF-\\d+', '', '😀 REF-12')).toEqual(['REF-12']);
  });

  it('a pattern that matches everywhere is bounded by the time budget, and says so', () => {
    const compiled = compilePattern({ name: 'everywhere', pattern: '\\d' });
    if ('error' in compiled) throw new Error(compiled.error);
    const text = '1'.repeat(256 * 1024);
    const result = scanCustomPatterns(text, [compiled], performance.now() + 5);
    expect(result.incomplete).toHaveLength(1);
    const reason = result.incomplete[0]!.reason;
    expect(reason).toMatch(/time budget/);
    const scanned = Number(/stopped after (\d+) of/.exec(reason)![1]);
    expect(scanned).toBeLessThan(text.length);
  });

  it('several patterns at once (one RE2 set), each with its own flags and word boundaries', () => {
    expect(withoutWordBoundaries('\\bA\\d+\\B[\\b]\\\\b')).toBe('A\\d+[\\b]\\\\b');
    const compiled = [
      { name: 'staff', pattern: '\\bSTF-\\d{3}\\b' },
      { name: 'project', pattern: 'project falcon', flags: 'i' },
      { name: 'line', pattern: '^Ref \\d+$', flags: 'm' },
      { name: 'absent', pattern: 'LKR\\d{4}' },
    ].map((p) => {
      const c = compilePattern(p);
      if ('error' in c) throw new Error(c.error);
      return c;
    });
    const text = 'STF-123 and xSTF-456 about Project FALCON\nRef 77\nRef 8 more';
    const found = scanCustomPatterns(text, compiled, performance.now() + 1000).detections;
    expect(found.map((d) => [d.name, text.slice(d.start, d.end)])).toEqual([
      ['staff', 'STF-123'],
      ['project', 'Project FALCON'],
      ['line', 'Ref 77'],
    ]);
  });

  it('refuses at compile time a pattern that bypassed the policy schema', () => {
    const compiled = compilePattern({ name: 'ref', pattern: '(?<=UPN )\\d+' });
    expect(compiled).toEqual({ name: 'ref', error: expect.stringMatching(/^lookbehind/) });
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
        { name: 'bad', pattern: '(a)\\1' },
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
