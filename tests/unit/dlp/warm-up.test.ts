/**
 * The webmail page's idle warm-up (lib/dlp/warm-up.ts): it compiles what the first Send would,
 * changes nothing any Send finds, and gives way to the page between steps.
 */
import { describe, expect, it } from 'vitest';
import {
  type CompiledVocabulary,
  compileBeforeVocabulary,
  compileVocabulary,
  compileVocabularyInSteps,
  vocabulary,
} from '../../../lib/dlp/detectors.ts';
import {
  type IdleDeadline,
  representationOf,
  runWhileIdle,
  vocabularyGroupsReachedBy,
  WARM_UP_LINE,
  WARM_UP_TEXT,
  WARM_UP_TEXT_TWO_BYTE,
  type WarmUpOutcome,
  warmUpSteps,
} from '../../../lib/dlp/warm-up.ts';
import { checkCompose, sendCheckPolicy } from '../../../lib/send-warning.ts';
import { labelledSetsNotHeldOut, loadLabelledSet } from '../../fixtures/dlp-corpus/evaluate.ts';

const policy = sendCheckPolicy({ orgDomains: ['school.example'], compose: {} });
const toOutside = (body: string) =>
  checkCompose(
    {
      recipients: { to: ['someone@gmail.com'], cc: [], bcc: [] },
      subject: 'Re: next week',
      body,
      attachmentNames: [],
    },
    policy,
  );

describe('the warm-up text', () => {
  it('is ordinary mail about nobody: sent to an outside address, it warns on nothing', () => {
    expect(WARM_UP_TEXT.length).toBeGreaterThan(1_000); // machine code at once (compile-first.ts)
    expect(toOutside(WARM_UP_TEXT).decision.action).toBe('send');
  });

  it('is one-byte text; its two-byte twin differs only in a dash and quote marks, and warns on nothing', () => {
    expect(representationOf(WARM_UP_TEXT)).toBe('one-byte');
    expect(representationOf(WARM_UP_TEXT_TWO_BYTE)).toBe('two-byte');
    expect(WARM_UP_TEXT_TWO_BYTE.replace(/[—“”]/g, '').replace(/\s+/g, ' ')).toBe(
      WARM_UP_TEXT.replace('Hi all,', 'Hi all').replace(/\s+/g, ' '),
    );
    expect(toOutside(WARM_UP_TEXT_TWO_BYTE).decision.action).toBe('send');
  });

  it('reaches the groups of the commonest word starts of English', () => {
    const reached = new Set(vocabularyGroupsReachedBy(WARM_UP_TEXT));
    const [insensitive] = vocabulary();
    const common = ['th', 'an', 'to', 'of', 'in', 'is', 'it', 'he', 'sh', 'be', 'ha', 'wa', 'we'];
    const groups = common
      .map((pair) => insensitive?.byFirst?.byFirst.get(pair))
      .filter((g): g is RegExp => g !== undefined);
    expect(groups.length).toBeGreaterThan(8);
    for (const group of groups) expect(reached.has(group)).toBe(true);
    expect(reached.size).toBeGreaterThan(100);
  });
});

describe('warmUpSteps', () => {
  it("compiles the detectors' patterns first, then checks the short line, then the text", () => {
    const checked: string[] = [];
    const steps = [...warmUpSteps((body) => checked.push(body))];
    expect(steps[0]).toBe(compileBeforeVocabulary);
    for (const step of steps) step();
    expect(checked).toEqual([WARM_UP_LINE, WARM_UP_TEXT]);
    expect(steps.length).toBeGreaterThan(100);
  });

  it('for two-byte text: the same steps on the two-byte twin', () => {
    const checked: string[] = [];
    const steps = [...warmUpSteps((body) => checked.push(body), 'two-byte')];
    for (const step of steps) step();
    expect(checked).toEqual([WARM_UP_LINE, WARM_UP_TEXT_TWO_BYTE]);
    expect(steps.length).toBe([...warmUpSteps(() => {})].length);
  });

  it('changes nothing a Send finds: the same decisions and findings before and after', () => {
    const sets = labelledSetsNotHeldOut().slice(-3);
    const messages = sets.flatMap((set) => loadLabelledSet(set).slice(0, 40));
    const bodies = [
      ...messages.map((m) => m.body),
      ...messages.slice(0, 30).map((m) => m.body.replace(/, /, ' — ').replace("'", '’')),
      WARM_UP_TEXT,
    ];
    expect(bodies.filter((b) => representationOf(b) === 'two-byte').length).toBeGreaterThan(20);
    const before = bodies.map((b) => toOutside(b).decision);
    for (const step of warmUpSteps((body) => toOutside(body))) step();
    for (const step of warmUpSteps((body) => toOutside(body), 'two-byte')) step();
    const after = bodies.map((b) => toOutside(b).decision);
    expect(after).toEqual(before);
    expect(before.some((d) => d.action !== 'send')).toBe(true);
  });
});

describe('compileVocabularyInSteps', () => {
  /** What a compiled vocabulary does, without its RegExp objects' identity. */
  const shape = (v: CompiledVocabulary) => ({
    re: v.re.source,
    groups: [...(v.byFirst?.byFirst ?? [])].map(([k, re]) => [k, re.source, re.flags]),
    starts: [...(v.byFirst?.starts ?? [])],
    gate: v.byFirst?.gate
      ? JSON.stringify(v.byFirst.gate, (_, x) =>
          ArrayBuffer.isView(x) ? [...(x as Uint8Array)] : x,
        )
      : null,
    terms: v.terms.map((t) => [t.term.pattern, t.whole.source]),
  });

  it('builds what compileVocabulary builds, in pauses of a few hundred terms', () => {
    for (const caseSensitive of [false, true]) {
      const steps = compileVocabularyInSteps(caseSensitive);
      let pauses = 0;
      let next = steps.next();
      while (!next.done) {
        pauses++;
        next = steps.next();
      }
      expect(shape(next.value)).toEqual(shape(compileVocabulary(caseSensitive)));
      if (!caseSensitive) expect(pauses).toBeGreaterThan(10);
    }
  });
});

describe('representationOf', () => {
  it('says two-byte for any character beyond Latin-1, as V8 stores it', () => {
    expect(representationOf('Dear Zoë, the café trip is £5')).toBe('one-byte');
    expect(representationOf('it’s')).toBe('two-byte');
    expect(representationOf('Łukasz in 9T')).toBe('two-byte');
    expect(representationOf('')).toBe('one-byte');
  });
});

describe('runWhileIdle', () => {
  /** An idle period with `ms` milliseconds, counted down by each step's cost on a fake clock. */
  function idleLoop(periods: number[], stepMs: number) {
    let clock = 0;
    let left = 0;
    const requested: ((d: IdleDeadline) => void)[] = [];
    const deadline: IdleDeadline = { didTimeout: false, timeRemaining: () => Math.max(0, left) };
    return {
      now: () => clock,
      spend: () => {
        clock += stepMs;
        left -= stepMs;
      },
      requestIdle: (cb: (d: IdleDeadline) => void) => requested.push(cb),
      /** Give the next idle period; false when nothing asked for one. */
      idle(): boolean {
        const cb = requested.shift();
        if (!cb) return false;
        left = periods.shift() ?? 50;
        cb(deadline);
        return true;
      },
    };
  }

  it('takes steps while a period has time, then waits for the next; says when it is done', () => {
    const loop = idleLoop([50, 12, 50], 10);
    let ran = 0;
    const steps = Array.from({ length: 7 }, () => () => {
      ran++;
      loop.spend();
    });
    let outcome: WarmUpOutcome | null = null;
    runWhileIdle(steps.values(), loop.requestIdle, (o) => (outcome = o), { now: loop.now });
    expect(ran).toBe(0); // nothing before the browser is idle
    loop.idle(); // 50 ms: steps while more than 5 ms are left → 5 steps (50 → 0)
    expect(ran).toBe(5);
    loop.idle(); // 12 ms: one step (12 → 2), then it asks again
    expect(ran).toBe(6);
    expect(outcome).toBeNull();
    loop.idle();
    expect(ran).toBe(7);
    expect(outcome).toEqual({ steps: 7, busyMs: 70, longestMs: 10 });
    expect(loop.idle()).toBe(false); // asks for no more
  });

  it('stops at a pull that throws (a generator failing between steps) and says so', () => {
    const loop = idleLoop([], 1);
    let failure: WarmUpOutcome | null = null;
    function* failing(): Generator<() => void> {
      yield () => loop.spend();
      throw new Error('vocabulary would not build');
    }
    runWhileIdle(failing(), loop.requestIdle, (o) => (failure = o), { now: loop.now });
    loop.idle();
    expect(failure).toMatchObject({ steps: 1, failed: 'Error: vocabulary would not build' });
    expect(loop.idle()).toBe(false);
  });

  it('stops when the page has unloaded it, and at a step that throws', () => {
    const loop = idleLoop([], 1);
    let stopped = false;
    let ran = 0;
    const steps = [
      () => ran++,
      () => {
        stopped = true;
      },
    ];
    let outcome: WarmUpOutcome | null = null;
    runWhileIdle(steps.values(), loop.requestIdle, (o) => (outcome = o), {
      now: loop.now,
      stopped: () => stopped,
      reserveMs: 1_000, // one step per period
    });
    loop.idle();
    loop.idle();
    expect(loop.idle()).toBe(true); // the period after the stop runs nothing
    expect(ran).toBe(1);
    expect(outcome).toBeNull();
    expect(loop.idle()).toBe(false);

    const failing = idleLoop([], 1);
    let failure: WarmUpOutcome | null = null;
    runWhileIdle(
      [
        () => {
          throw new Error('compile failed');
        },
        () => ran++,
      ].values(),
      failing.requestIdle,
      (o) => (failure = o),
      { now: failing.now },
    );
    failing.idle();
    expect(failure).toMatchObject({ steps: 0, failed: 'Error: compile failed' });
    expect(ran).toBe(1);
    expect(failing.idle()).toBe(false);
  });
});
