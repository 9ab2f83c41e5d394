/**
 * h26-scan's fast paths, each against the plain computation it replaced:
 * - The learned check reads the message only when its score can change the findings
 *   (`applyLearnedCheck`): with a warning it may not quiet (an identifier, an address, a list, a
 *   date of birth, a school pattern) it neither adds nor quiets, so it returns null and leaves the
 *   findings as they were. On every labelled message (not the held-out sets) the decision the full
 *   reading would take is worked out from `scoreMessage` and compared: whenever the check returns
 *   null that decision changes nothing; otherwise it returns the same score, to the bit, and makes
 *   the same change. Seeded finding lists mix every type and confidence.
 * - People lists ask whether a line has two capitalised words in a row by searching on through the
 *   text (`nameShapeReader`) instead of testing each line: the same answer as the test on the
 *   line's slice for every line of the labelled messages and issue 13's message, asked in order
 *   with lines skipped at random, and for seeded texts of names, commas, tabs, apostrophes and line
 *   breaks placed around the lines' ends.
 * - `notBlank` answers as `/\S/` for every line of those messages and for lines led by every
 *   character up to U+3000 and the Unicode spaces.
 */
import { describe, expect, it } from 'vitest';
import type { Detection, FindingType } from '../../../lib/dlp/detectors.ts';
import {
  addThresholdFor,
  applyLearnedCheck,
  MIN_WORDS_TO_QUIET,
  QUIETABLE,
  refersToSomeone,
  scoreMessage,
} from '../../../lib/dlp/learned.ts';
import { LEARNED_MODEL } from '../../../lib/dlp/learned-model.ts';
import { nameShapeReader, notBlank } from '../../../lib/dlp/people.ts';
import { DEFAULT_COMPOSE_POLICY } from '../../../lib/dlp/policy.ts';
import { type Finding, scanMessage } from '../../../lib/dlp/scan.ts';
import {
  CORPUS_NOW,
  LABELLED_SETS,
  labelledSetsNotHeldOut,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';
import { schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';
import { seededRandom } from '../support/seeded-random.ts';

type Message = { subject: string; body: string; attachmentNames: string[] };

/** The corpus and every labelled set that is not a held-out set (no `holdout` file is read). */
function labelledMessages(): Message[] {
  const out: Message[] = [];
  out.push(...loadCorpus());
  for (const set of labelledSetsNotHeldOut()) {
    if (LABELLED_SETS[set].includes('holdout')) continue;
    out.push(...loadLabelledSet(set));
  }
  return out;
}

const RANK = { low: 1, medium: 2, high: 3 } as const;

describe('the learned check reads the message only when its score can change the findings', () => {
  const OFF = { ...DEFAULT_COMPOSE_POLICY, disabledDetectors: ['learned' as const] };

  /** What the check did before h26-scan, from the full reading: add, quiet or nothing. */
  function fullDecision(m: Message, findings: readonly Finding[]): 'add' | 'quiet' | null {
    const { score, words } = scoreMessage(m, findings);
    const warning = findings.filter((f) => RANK[f.confidence] >= RANK.medium);
    // On mail about nobody the model's own finding needs `nobodyExtra` more (h28-tune).
    const nobody = LEARNED_MODEL.nobodyExtra && !refersToSomeone(m) ? LEARNED_MODEL.nobodyExtra : 0;
    if (score >= addThresholdFor(words, LEARNED_MODEL) + nobody && warning.length === 0)
      return 'add';
    if (
      score <= LEARNED_MODEL.quietThreshold &&
      words >= MIN_WORDS_TO_QUIET &&
      warning.length > 0 &&
      warning.every((f) => QUIETABLE.has(f.type))
    ) {
      return 'quiet';
    }
    return null;
  }

  /**
   * The check on the scan's own finding objects (their near-miss evidence is kept by object,
   * `near-miss.ts`), compared with a copy taken before it ran.
   */
  function compare(m: Message, findings: Finding[], tally: Record<string, number>): void {
    const decision = fullDecision(m, findings);
    const { score } = scoreMessage(m, findings);
    const before = findings.map((f) => ({ ...f }));
    const after = findings;
    const result = applyLearnedCheck(m, after);
    if (result === null) {
      tally.skipped = (tally.skipped ?? 0) + 1;
      expect(decision).toBeNull();
      expect(after).toEqual(before);
      return;
    }
    expect(result.score).toBe(score);
    tally[decision ?? 'none'] = (tally[decision ?? 'none'] ?? 0) + 1;
    if (decision === 'add') {
      expect(after.length).toBe(before.length + 1);
      expect(after[after.length - 1]!.type).toBe('learned');
    } else if (decision === 'quiet') {
      expect(after.length).toBe(before.length);
      for (let i = 0; i < before.length; i++) {
        const lowered = RANK[before[i]!.confidence] >= RANK.medium;
        expect(after[i]).toEqual(lowered ? { ...before[i], confidence: 'low' } : before[i]);
      }
    } else {
      expect(after).toEqual(before);
    }
  }

  it('on every labelled message: the same findings, and null only where nothing could change', () => {
    const tally: Record<string, number> = {};
    for (const m of labelledMessages()) {
      compare(m, scanMessage(m, OFF, { now: CORPUS_NOW }), tally);
    }
    // Each way through is taken: not read, read and added, read and quieted, read and left.
    expect(tally.skipped).toBeGreaterThan(100);
    expect(tally.add).toBeGreaterThan(0);
    expect(tally.quiet).toBeGreaterThan(0);
    expect(tally.none).toBeGreaterThan(100);
  }, 120_000);

  it("on issue 13's 100 KB message it is not read: an identifier warns", () => {
    const m = { ...schoolCodesMessage(), attachmentNames: [] };
    const findings = scanMessage(m, OFF, { now: CORPUS_NOW });
    expect(applyLearnedCheck(m, findings)).toBeNull();
  });

  it('on seeded finding lists of every type and confidence', () => {
    const random = seededRandom(2626);
    const types: FindingType[] = [
      'special_category',
      'safeguarding',
      'upn',
      'nhs_number',
      'postal_address',
      'people_list',
      'date_of_birth',
      'custom',
    ];
    const confidences = ['low', 'medium', 'high'] as const;
    const bodies = [
      // Words the model weighs towards a warning, and ordinary mail, long enough to be quieted.
      'She told me her dad hits her when he has been drinking and she is scared to go home tonight.',
      'The whole school assembly on Friday covers online safety; parents are welcome to join us. '.repeat(
        4,
      ),
      'Thanks for the minutes. The next meeting is on Tuesday in the library at 3.30.',
    ];
    const tally: Record<string, number> = {};
    for (let round = 0; round < 600; round++) {
      const body = random.pick(bodies);
      const findings: Finding[] = [];
      const n = random.int(4);
      for (let k = 0; k < n; k++) {
        const type = random.pick(types);
        const d: Detection = {
          type,
          confidence: random.pick(confidences),
          start: 0,
          end: 3,
          preview: 'x',
          ...(QUIETABLE.has(type) ? { name: random.pick(['health', 'physical_abuse']) } : {}),
        };
        findings.push({ ...d, field: 'body' } as Finding);
      }
      compare({ subject: '', body, attachmentNames: [] }, findings, tally);
    }
    expect(tally.skipped).toBeGreaterThan(50);
    expect((tally.add ?? 0) + (tally.quiet ?? 0)).toBeGreaterThan(0);
  });
});

const LINE_NAME_SHAPE = /[A-Z][a-z'’-]+,?[\t ][A-Z][a-z]/;

/** Every line [start, end) of `text`, as `findPeopleLists` reads them. */
function linesOf(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    out.push([start, end]);
    start = end + 1;
  }
  return out;
}

function checkLines(text: string, skip: number, random: ReturnType<typeof seededRandom>): number {
  const reader = nameShapeReader(text);
  let asked = 0;
  for (const [start, end] of linesOf(text)) {
    if (random.next() < skip) continue;
    const expected = LINE_NAME_SHAPE.test(text.slice(start, end));
    expect(reader(start, end), JSON.stringify(text.slice(start, end))).toBe(expected);
    asked++;
  }
  return asked;
}

describe('people lists: name-shaped lines searched on through the text', () => {
  it('answers as the test on each line, for every line of the labelled messages', () => {
    const random = seededRandom(26);
    let asked = 0;
    const texts = [schoolCodesMessage().body];
    for (const m of labelledMessages()) texts.push(m.subject, m.body);
    for (const text of texts) {
      asked += checkLines(text, 0, random);
      asked += checkLines(text, 0.5, random);
    }
    expect(asked).toBeGreaterThan(20_000);
  }, 60_000);

  it('answers as the test on each line, for seeded texts of names around line ends', () => {
    const random = seededRandom(2601);
    const pieces = [
      'Ella Thompson',
      "O'Neil Smith",
      'Smith,\tJo',
      'Smith, Jo',
      'Mae-Lily Ro',
      'A Bc',
      'Ab Cd',
      'Ab  Cd',
      'ab Cd',
      'Ab\nCd',
      'Ab\tCd',
      'Ab’s Cd',
      'Ab ',
      ' Cd',
      'Cd',
      'x',
      ',',
      ' ',
      '\n',
      '\n\n',
      '\t',
      'É Ab',
    ];
    let asked = 0;
    for (let round = 0; round < 3000; round++) {
      let text = '';
      const n = 1 + random.int(12);
      for (let k = 0; k < n; k++) text += random.pick(pieces);
      asked += checkLines(text, random.pick([0, 0.3, 0.7]), random);
    }
    expect(asked).toBeGreaterThan(3_000);
  });
});

describe('notBlank', () => {
  it('answers as /\\S/ for every line of the labelled messages', () => {
    let asked = 0;
    for (const m of labelledMessages()) {
      for (const line of `${m.subject}\n${m.body}`.split('\n')) {
        expect(notBlank(line), JSON.stringify(line)).toBe(/\S/.test(line));
        asked++;
      }
    }
    expect(asked).toBeGreaterThan(10_000);
  });

  it('answers as /\\S/ for lines led by every character up to U+3000 and the Unicode spaces', () => {
    const spaces = [
      0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a, 0x2028,
      0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
    ];
    const leads = [...Array.from({ length: 0x3001 }, (_, c) => c), ...spaces];
    for (const c of leads) {
      const lead = String.fromCharCode(c);
      for (const line of [lead, `${lead}x`, `${lead} `, `${lead}\u3000`, `${lead}${lead}`]) {
        expect(notBlank(line), `U+${c.toString(16)}`).toBe(/\S/.test(line));
      }
    }
    expect(notBlank('')).toBe(false);
  });
});
