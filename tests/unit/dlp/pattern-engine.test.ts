/**
 * The pattern engine (re2js) is loaded only where school patterns are used (lib/dlp/custom-rules.ts):
 * a webmail page without it still checks everything else, says the patterns were not run, and runs
 * them once the worker has injected the engine, with the same policy object.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../../lib/dlp/custom-patterns.ts';
import {
  needsPatternEngine,
  type PatternEngine,
  patternEngine,
  registerPatternEngine,
} from '../../../lib/dlp/custom-rules.ts';
import { patternEngineTarget } from '../../../lib/dlp/pattern-engine-request.ts';
import { composePolicyErrors, resolveComposePolicy } from '../../../lib/dlp/policy.ts';
import { ENGINE_NOT_LOADED, scanMessageWithReport } from '../../../lib/dlp/scan.ts';

const engine = patternEngine() as PatternEngine;
afterEach(() => registerPatternEngine(engine));

const message = {
  subject: 'Staff list',
  body: 'Staff ref ST-004512 and NI AB 12 34 56 C for payroll.',
  attachmentNames: [],
};

describe('the pattern engine, loaded only where patterns are used', () => {
  it('is needed only when the policy has patterns and custom detection is on', () => {
    const policy = (compose: unknown) => resolveComposePolicy(compose).policy;
    expect(needsPatternEngine(policy({}))).toBe(false);
    expect(needsPatternEngine(policy({ customWords: [{ name: 'w', words: ['x'] }] }))).toBe(false);
    const withPattern = { customPatterns: [{ name: 'Staff ref', pattern: 'ST-\\d{6}' }] };
    expect(needsPatternEngine(policy(withPattern))).toBe(true);
    expect(needsPatternEngine(policy({ ...withPattern, disabledDetectors: ['custom'] }))).toBe(
      false,
    );
  });

  it('without it, the built-in detectors still run and the patterns are reported as not run', () => {
    const { policy } = resolveComposePolicy({
      customPatterns: [{ name: 'Staff ref', pattern: 'ST-\\d{6}' }],
    });
    registerPatternEngine(null);
    const before = scanMessageWithReport(message, policy);
    expect(before.findings.map((f) => f.type)).toContain('nino');
    expect(before.findings.some((f) => f.type === 'custom')).toBe(false);
    expect(before.incomplete).toEqual([
      { name: 'Staff ref', field: 'body', reason: `not run: ${ENGINE_NOT_LOADED}` },
    ]);
    // The worker injects the engine: the same (cached) policy now runs the pattern.
    registerPatternEngine(engine);
    const after = scanMessageWithReport(message, policy);
    expect(after.incomplete).toEqual([]);
    expect(after.findings.filter((f) => f.type === 'custom').map((f) => f.name)).toEqual([
      'Staff ref',
    ]);
  });

  it('where the engine is loaded (worker, popup, options, CLI), refused patterns are named', () => {
    const policy = { compose: { customPatterns: [{ name: 'Twice', pattern: '(a)\\1' }] } };
    expect(composePolicyErrors(policy)).toEqual([
      expect.stringMatching(/^compose\.customPatterns\[0\]\.pattern: backreference \\1/),
    ]);
    // A page without the engine does not refuse it on its own say-so; the engine refuses it when
    // it compiles the pattern, so the pattern is never run either way.
    registerPatternEngine(null);
    expect(composePolicyErrors(policy)).toEqual([]);
    const inPage = resolveComposePolicy(policy.compose).policy;
    registerPatternEngine(engine);
    const report = scanMessageWithReport(message, inPage);
    expect(report.incomplete[0]?.reason).toMatch(/^not run: backreference/);
  });
});

describe('where the worker injects the engine', () => {
  const sender = { tab: { id: 7 }, frameId: 3 };
  const withPattern = { customPatterns: [{ name: 'Staff ref', pattern: 'ST-\\d{6}' }] };

  it('into the asking tab and frame, only when the policy in force has patterns', () => {
    expect(patternEngineTarget(withPattern, sender)).toEqual({
      inject: true,
      tabId: 7,
      frameId: 3,
    });
    expect(patternEngineTarget({}, sender)).toEqual({ inject: false, reason: 'not-needed' });
    expect(patternEngineTarget(undefined, sender)).toEqual({ inject: false, reason: 'not-needed' });
    expect(patternEngineTarget({ ...withPattern, disabledDetectors: ['custom'] }, sender)).toEqual({
      inject: false,
      reason: 'not-needed',
    });
  });

  it('nowhere when the sender has no tab', () => {
    expect(patternEngineTarget(withPattern, { frameId: 0 })).toEqual({
      inject: false,
      reason: 'failed',
    });
  });
});
