import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isValidChi,
  isValidNhsNumber,
  isValidNino,
  isValidUci,
  isValidUln,
  isValidUpn,
} from '../../../lib/dlp/checksums.ts';
import { FINDING_TYPES } from '../../../lib/dlp/finding-types.ts';
import {
  LABELLED_SETS,
  labelledSetPath,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';
import { snapshotMessages } from '../../fixtures/dlp-corpus/scan-snapshot.ts';

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

/** The taxonomy: every confidential category a staff-voice held-out set must cover. */
const TAXONOMY = [
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
] as const;

/** The staff voices issue 13 names; each must write in both halves. */
const VOICES = ['teacher', 'office', 'senco', 'dsl', 'hr', 'finance', 'head'] as const;

/** A frozen staff-voice set (held out when written; `STILL_HELD_OUT` says which still are). */
type StaffVoiceSet = Extract<
  keyof typeof LABELLED_SETS,
  `holdout${number}` | `development${number}`
>;

/**
 * The checks every frozen staff-voice held-out set passes: its hash, its size and numbering, the
 * balance of its halves, labels the detectors can report, every voice in both halves, the whole
 * taxonomy (at least `perCategory` confidential messages in each category), and nothing shared
 * with any other set. Never tune on such a set, never list its misses, never edit it.
 */
function frozenStaffVoiceSet(
  set: StaffVoiceSet,
  { minimum, perCategory }: { minimum: number; perCategory: number },
) {
  const file = labelledSetPath(set);
  const name = LABELLED_SETS[set].replace(/\.jsonl$/, '');
  // holdout-21 → h21-001…; a development set written the same way, dev-24 → d24-001….
  const prefix = name.startsWith('dev-')
    ? `d${name.slice('dev-'.length)}`
    : `h${name.slice('holdout-'.length)}`;
  const recorded = readFileSync(path.join(path.dirname(file), `${name}.sha256`), 'utf8')
    .trim()
    .split(/\s+/)[0];
  const messages = loadLabelledSet(set);
  const confidential = messages.filter((m) => m.outcome === 'warn');
  const ordinary = messages.filter((m) => m.outcome === 'send');

  it('has not changed since it was frozen', () => {
    const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(actual).toBe(recorded);
  });

  it(`is at least ${minimum} messages, numbered in order, with balanced halves`, () => {
    expect(messages.length).toBeGreaterThanOrEqual(minimum);
    expect(messages.map((m) => m.id)).toEqual(
      messages.map((_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`),
    );
    expect(confidential.length).toBeGreaterThanOrEqual(75);
    expect(ordinary.length).toBeGreaterThanOrEqual(75);
    // Neither half more than 55% of the set: recall and false warnings are on equal footing.
    expect(Math.abs(confidential.length - ordinary.length)).toBeLessThanOrEqual(
      messages.length * 0.1,
    );
  });

  it('labels every message as set 4 does, with finding types the detectors report', () => {
    const known = new Set<string>(FINDING_TYPES);
    for (const m of messages) {
      expect(m.template, m.id).toBe(name);
      expect(m.category, m.id).toMatch(/^[a-z_]+$/);
      expect(m.voice, m.id).toMatch(/^[a-z]+$/);
      expect(m.subject.length, m.id).toBeGreaterThan(0);
      expect(m.expected.length > 0, m.id).toBe(m.outcome === 'warn');
      for (const t of m.expected) expect(known.has(t), `${m.id}: ${t}`).toBe(true);
    }
  });

  it('speaks in every staff voice the issue names, in both halves', () => {
    for (const voice of VOICES) {
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

  it(`covers the issue's taxonomy in the confidential half (at least ${perCategory} in each category)`, () => {
    for (const category of TAXONOMY) {
      expect(
        confidential.filter((m) => m.category === category).length,
        category,
      ).toBeGreaterThanOrEqual(perCategory);
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
    expect(sharedWithOtherSets(set)).toEqual({ messages: [], runsOfEightWords: [] });
  });
}

/** The ids of `set`'s messages found whole, or by a run of eight words, in any other set. */
function sharedWithOtherSets(set: keyof typeof LABELLED_SETS): {
  messages: string[];
  runsOfEightWords: string[];
} {
  const others = [
    ...loadCorpus(),
    ...(Object.keys(LABELLED_SETS) as (keyof typeof LABELLED_SETS)[])
      .filter((s) => s !== set)
      .flatMap((s) => loadLabelledSet(s)),
  ];
  const runs = (text: string): string[] => {
    const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
    return words
      .slice(0, Math.max(0, words.length - 7))
      .map((_, i) => words.slice(i, i + 8).join(' '));
  };
  const bodies = new Set(others.map((m) => m.body));
  const seen = new Set(others.flatMap((m) => runs(m.body)));
  const messages = loadLabelledSet(set);
  return {
    messages: messages.filter((m) => bodies.has(m.body)).map((m) => m.id),
    runsOfEightWords: messages
      .filter((m) => runs(m.body).some((r) => seen.has(r)))
      .map((m) => m.id),
  };
}

/**
 * Held-out set 5 (h3-holdout5): written fresh when sets 3 and 4 had been read by tuners, and
 * committed with its hash before any detector ran over it. It was the honest figure of the
 * h3-recall round; measured after that round's tuning, it is development material now (an upper
 * bound), but still frozen: its figures stay comparable.
 */
describe('frozen held-out set 5', () => {
  frozenStaffVoiceSet('holdout5', { minimum: 150, perCategory: 1 });
});

/**
 * Checks for a set written from set 6 on: every identifier's check digit is right and every
 * look-alike passes no identifier's check, and the scan snapshot (which any tuner regenerates and
 * reads) never reads the set.
 */
function identifiersAndUnseen(set: StaffVoiceSet, { unseen = true }: { unseen?: boolean } = {}) {
  const messages = loadLabelledSet(set);
  const name = LABELLED_SETS[set].replace(/\.jsonl$/, '');

  it("has identifiers whose check digits are right, and look-alikes that pass no identifier's check", () => {
    const candidates = (text: string): string[] =>
      [
        ...(text.match(/\b[A-Z]\d{11}[0-9A-Z]\b/g) ?? []),
        ...(text.match(/\b\d{12}[A-Z]\b/g) ?? []),
        ...(text.match(/\b[A-Z]{2} ?\d\d ?\d\d ?\d\d ?[A-D]\b/g) ?? []),
        ...(text.match(/\b\d[\d ]{8,11}\d\b/g) ?? []),
      ].map((c) => c.replace(/ /g, ''));
    const valid: Record<string, (id: string) => boolean> = {
      upn: isValidUpn,
      uci: isValidUci,
      nino: isValidNino,
      nhs_number: isValidNhsNumber,
      uln: isValidUln,
      chi_number: isValidChi,
    };
    for (const m of messages) {
      const found = candidates(m.body);
      if (m.category === 'lookalike') {
        expect(found.length, m.id).toBeGreaterThan(0);
        for (const c of found) {
          for (const [type, check] of Object.entries(valid)) {
            expect(check(c), `${m.id}: ${c} is a valid ${type}`).toBe(false);
          }
        }
      }
      for (const type of m.expected.filter((t) => t in valid)) {
        expect(
          found.some((c) => valid[type]!(c)),
          `${m.id}: a valid ${type}`,
        ).toBe(true);
      }
    }
  });

  // A development set (trained on) is meant to be read by the scan snapshot: only held-out sets skip it.
  if (!unseen) return;
  it('is never read by the scan snapshot (which any tuner regenerates and reads)', () => {
    expect(snapshotMessages().filter((m) => m.set.startsWith(name))).toEqual([]);
  });
}

/**
 * Held-out set 6 (h4-holdout6): set 5 had been measured after tuning, so set 6 was written fresh
 * (at least three confidential messages in every category, so per-category figures are not
 * all-or-nothing) and committed with its hash, alone, before any detector ran over it. It was the
 * honest figure of the h4 round (recall 0.859, false warnings 7.8% after it); measured after
 * tuning, it is development material now (an upper bound), but still frozen: its figures stay
 * comparable.
 */
describe('frozen held-out set 6', () => {
  frozenStaffVoiceSet('holdout6', { minimum: 170, perCategory: 3 });
  identifiersAndUnseen('holdout6');
});

/**
 * Held-out set 7 (h5-holdout7): set 6 has been measured after tuning, so set 7 was written fresh
 * the same way, apart from the round's tuner, and committed with its hash, alone, before any
 * detector ran over it. It was the honest figure of the h5 round (recall 0.913, false warnings
 * 3.3% after h5-recall5); since h6-recall6 it is development material, read and tuned on (an upper
 * bound), but still frozen: never edit it, so its figures stay comparable.
 */
describe('frozen held-out set 7', () => {
  frozenStaffVoiceSet('holdout7', { minimum: 170, perCategory: 3 });
  identifiersAndUnseen('holdout7');
});

/**
 * Held-out set 8 (h6-holdout8): set 7 has been measured and looked at, so set 8 was written fresh
 * the same way (at least three confidential messages in every category, 186 in all), apart from
 * the round's tuner, and committed with its hash, alone, before any detector ran over it. It was
 * the honest figure of the h6 round (recall 0.882, false warnings 5.4% after h6-recall6); since
 * h7-learned it is development material (the learned check trains on it, and its design was chosen
 * with set 8's cross-validation row in view): an upper bound, but still frozen: never edit it, so
 * its figures stay comparable. Its run-of-eight-words check covers it against every other set,
 * and every other set's check covers it in turn.
 */
describe('frozen held-out set 8', () => {
  frozenStaffVoiceSet('holdout8', { minimum: 180, perCategory: 3 });
  identifiersAndUnseen('holdout8');
});

/**
 * Held-out set 9 (h7-holdout9): set 8 has been measured and looked at, so set 9 was written fresh
 * the same way (at least three confidential messages in every category, 224 in all), apart from
 * the round's tuners (a learned classifier among them), and committed with its hash, alone, before
 * any detector ran over it. Its two halves were written to share voices, lengths, greetings,
 * sign-offs, typos and names, so that a model that learned a writer's habits gains little.
 * It was the honest figure of the h7 round (recall 0.946, false warnings 0.9% with the learned
 * check); since h8-learned2 it is development material (the learned check trains on it): an upper
 * bound, but still frozen: never edit it. Its run-of-eight-words check covers it against every other set, and every other set's check
 * covers it in turn.
 */
describe('frozen held-out set 9', () => {
  frozenStaffVoiceSet('holdout9', { minimum: 180, perCategory: 3 });
  identifiersAndUnseen('holdout9');
});

/**
 * Set 9's cue, checked on the text alone (no detector): the share of each half using
 * he/she/his/her/him/hers within 15 points, and mail about one person common in the ordinary half.
 */
/**
 * The halves' shares of messages using he/she/his/her/him/hers are within `points` (15 for sets
 * 10–12, 10 from set 13 on), with at least 40% of the ordinary half using them: no pronoun cue.
 */
function noPronounCue(set: StaffVoiceSet, points = 15) {
  it(`has no pronoun cue: the shares of each half using he/she/his/her/him/hers are within ${points} points`, () => {
    const messages = loadLabelledSet(set);
    const share = (outcome: 'warn' | 'send'): number => {
      const half = messages.filter((m) => m.outcome === outcome);
      return (
        half.filter((m) => /\b(?:he|she|his|her|him|hers)\b/i.test(m.body)).length / half.length
      );
    };
    expect(share('send')).toBeGreaterThanOrEqual(0.4);
    expect(Math.abs(share('warn') - share('send'))).toBeLessThanOrEqual(points / 100);
  });
}

/**
 * Held-out set 10 (h8-holdout10): set 9 left one cue (its confidential half mostly about one
 * person, its ordinary half mostly general), so set 10 was written fresh without it, blind to the
 * detectors and the learned model (254 messages, at least four confidential in every category),
 * and committed with its hash, alone, before any detector ran over it. Half its ordinary mail is
 * about one or two named people; half its confidential mail is told without "he"/"she". It is the
 * honest figure of the h8 round. Never tune on it, never list its misses, never edit it.
 */
describe('frozen held-out set 10', () => {
  frozenStaffVoiceSet('holdout10', { minimum: 220, perCategory: 4 });
  identifiersAndUnseen('holdout10');

  noPronounCue('holdout10');
});

/**
 * Held-out set 11 (h9-holdout11): written for the next round the same way as set 10, blind to the
 * detectors and the learned model (226 messages, at least four confidential in every category),
 * and committed with its hash, alone, before any detector ran over it. Over half its ordinary mail
 * is about one or two named people; about half its confidential mail is told without "he"/"she".
 * It was the h9 round's held-out set; since set 12 was frozen it is development material (an upper
 * bound), but still frozen: never edit it.
 */
describe('frozen held-out set 11', () => {
  frozenStaffVoiceSet('holdout11', { minimum: 220, perCategory: 4 });
  identifiersAndUnseen('holdout11');

  noPronounCue('holdout11');
});

/**
 * Held-out set 12 (h10-holdout12): written for the next round the same way as sets 10 and 11,
 * blind to the detectors and the learned model (233 messages, at least four confidential in every
 * category), and committed with its hash, alone, before any detector ran over it. About half its
 * ordinary mail is about one or two named people; a good share of its confidential mail is told
 * without "he"/"she". It was the h10 round's held-out set (measured once: recall 0.915, false
 * warnings 0.9%); since set 13 was frozen it is development material (tuned on in
 * h11-tune: an upper bound), but still
 * frozen: never edit it.
 */
describe('frozen held-out set 12', () => {
  frozenStaffVoiceSet('holdout12', { minimum: 220, perCategory: 4 });
  identifiersAndUnseen('holdout12');

  noPronounCue('holdout12');
});

/**
 * Held-out set 13 (h11-holdout13): written for the next round the same way as sets 10 to 12,
 * blind to the detectors and the learned model (252 messages, 126 in each half, at least four
 * confidential in every category), and committed with its hash, alone, before any detector ran
 * over it. Half its ordinary mail is about one or two named people; about 40% of its confidential
 * mail is told without "he"/"she"; the halves' pronoun shares are within 10 points (checked here,
 * on the text alone). Measured once after h11-tune; development material since h12-tune (read,
 * tuned and trained on: an upper bound). Still frozen: never edit it.
 */
describe('frozen held-out set 13', () => {
  frozenStaffVoiceSet('holdout13', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout13');

  noPronounCue('holdout13', 10);
});

/**
 * Held-out set 14 (h12-holdout14): written for the next round the same way as set 13, blind to the
 * detectors and the learned model (222 messages, 113 confidential and 109 ordinary, at least four
 * confidential in every category), and committed with its hash, alone, before any detector ran
 * over it. Over 40% of its ordinary mail is about one or two named people; about half its
 * confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10 points
 * (checked here, on the text alone). It was the h12 round's held-out set (measured once after
 * h12-tune); development material since h13-tune (an upper bound), still frozen: never edit it.
 */
describe('frozen held-out set 14', () => {
  frozenStaffVoiceSet('holdout14', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout14');

  noPronounCue('holdout14', 10);
});

/**
 * Held-out set 15 (h13-holdout15): written for the next round the same way as sets 13 and 14,
 * blind to the detectors and the learned model (234 messages, 119 confidential and 115 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; about half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The h13 round's held-out set (measured once: recall
 * 0.882, false warnings 0.9%); development material since h14-tune, but still frozen: never edit it.
 */
describe('frozen held-out set 15', () => {
  frozenStaffVoiceSet('holdout15', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout15');

  noPronounCue('holdout15', 10);
});

/**
 * Held-out set 16 (h14-holdout16): written for the next round the same way as sets 13 to 15,
 * blind to the detectors and the learned model (237 messages, 118 confidential and 119 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; about half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The h14 round's held-out set (measured once: recall
 * 0.924, false warnings 0.0%); development material since h15-tune, but still frozen: never edit it.
 */
describe('frozen held-out set 16', () => {
  frozenStaffVoiceSet('holdout16', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout16');

  noPronounCue('holdout16', 10);
});

/**
 * Held-out set 17 (h15-holdout17): written for the next round the same way as sets 13 to 16,
 * blind to the detectors and the learned model (237 messages, 119 confidential and 118 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The h15 round's held-out set (measured once: recall
 * 0.941, false warnings 0.8%); development material since h16-tune (an upper bound), but still
 * frozen: never edit it.
 */
describe('frozen held-out set 17', () => {
  frozenStaffVoiceSet('holdout17', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout17');

  noPronounCue('holdout17', 10);
});

/**
 * Held-out set 18 (h16-holdout18): written for the next round the same way as sets 13 to 17,
 * blind to the detectors and the learned model (238 messages, 118 confidential and 120 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The h16 round's held-out set (measured once after
 * h16-tune: recall 0.975, false warnings 1.7%); development material since h17-tune (an upper
 * bound), but still frozen: never edit it.
 */
describe('frozen held-out set 18', () => {
  frozenStaffVoiceSet('holdout18', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout18');

  noPronounCue('holdout18', 10);
});

/**
 * Held-out set 19 (h17-holdout19): written for the next round the same way as sets 13 to 18,
 * blind to the detectors and the learned model (236 messages, 118 confidential and 118 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The h17 round's held-out set (measured once: recall
 * 0.983, false warnings 3.4%); development material since h18-tune (an upper bound), still frozen:
 * never edit it.
 */
describe('frozen held-out set 19', () => {
  frozenStaffVoiceSet('holdout19', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout19');

  noPronounCue('holdout19', 10);
});

/**
 * Held-out set 20 (h18-holdout20): written for the next round the same way as sets 13 to 19,
 * blind to the detectors and the learned model (236 messages, 118 confidential and 118 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The h18 round's held-out set (measured once: recall
 * 0.907, false warnings 4.2%); development material since h19-tune (an upper bound), still
 * frozen: never edit it.
 */
describe('frozen held-out set 20', () => {
  frozenStaffVoiceSet('holdout20', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout20');

  noPronounCue('holdout20', 10);
});

/**
 * Held-out set 21 (h19-holdout21): written for the next round the same way as sets 13 to 20,
 * blind to the detectors and the learned model (242 messages, 122 confidential and 120 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The h19 round's held-out set (measured once: recall
 * 0.967, false warnings 2.5%); development material since session 24 (an upper bound), still
 * frozen: never edit it.
 */
describe('frozen held-out set 21', () => {
  frozenStaffVoiceSet('holdout21', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout21');

  noPronounCue('holdout21', 10);
});

/**
 * Held-out set 22 (h20-holdout22): written for the next round the same way as sets 13 to 21,
 * blind to the detectors and the learned model (237 messages, 119 confidential and 118 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The session-24 round's held-out set (measured once:
 * recall 0.941, false warnings 4.2%); development material since h22-tune (an upper bound), still
 * frozen: never edit it.
 */
describe('frozen held-out set 22', () => {
  frozenStaffVoiceSet('holdout22', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout22');

  noPronounCue('holdout22', 10);
});

/**
 * Held-out set 23 (h21-holdout23): written for the next round the same way as sets 13 to 22,
 * blind to the detectors and the learned model (244 messages, 124 confidential and 120 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The session-24/25 round's held-out set (measured
 * once: recall 0.887, false warnings 1.7%); development material since h23-tune (an upper bound), still
 * frozen: never edit it.
 */
describe('frozen held-out set 23', () => {
  frozenStaffVoiceSet('holdout23', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout23');

  noPronounCue('holdout23', 10);
});

/**
 * Development set 24 (h21-dev24): training material written the same way as the held-out sets 13
 * to 22, blind to the detectors and the learned model (236 messages, 118 confidential and 118
 * ordinary, at least four confidential in every category), and committed with its hash, alone,
 * before any detector ran over it. Over 40% of its ordinary mail is about one or two named people;
 * over half its confidential mail is told without "he"/"she"; the halves' pronoun shares are
 * within 10 points (checked here, on the text alone). Development material: the learned check
 * trains on it and the scan snapshot reads it (so the "never read by the scan snapshot" check is
 * left out); still frozen: never edit it.
 */
describe('frozen development set 24', () => {
  frozenStaffVoiceSet('development24', { minimum: 200, perCategory: 4 });
  // Development material: the scan snapshot reads it (it is never added to STILL_HELD_OUT).
  identifiersAndUnseen('development24', { unseen: false });

  noPronounCue('development24', 10);
});

/**
 * Held-out set 25 (h22-holdout25): written for the next round the same way as sets 13 to 24,
 * blind to the detectors and the learned model (236 messages, 118 confidential and 118 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). The session-26 round's held-out set (measured once:
 * recall 0.983, false warnings 2.5%); development material since h24-tune (an upper bound): the
 * learned check trains on it; still frozen: never edit it.
 */
describe('frozen held-out set 25', () => {
  frozenStaffVoiceSet('holdout25', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout25');

  noPronounCue('holdout25', 10);
});

/**
 * Held-out set 26 (h23-holdout26): written for the next round the same way as sets 13 to 25,
 * blind to the detectors and the learned model (237 messages, 119 confidential and 118 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). Still held out: never tune on it, never list its
 * misses, never edit it.
 */
describe('frozen held-out set 26', () => {
  frozenStaffVoiceSet('holdout26', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout26');

  noPronounCue('holdout26', 10);
});

/**
 * Held-out set 27 (h24-holdout27): written for the next round the same way as sets 13 to 26,
 * blind to the detectors and the learned model (236 messages, 118 confidential and 118 ordinary,
 * at least four confidential in every category), and committed with its hash, alone, before any
 * detector ran over it. Over 40% of its ordinary mail is about one or two named people; over half
 * its confidential mail is told without "he"/"she"; the halves' pronoun shares are within 10
 * points (checked here, on the text alone). Still held out: never tune on it, never list its
 * misses, never edit it.
 */
describe('frozen held-out set 27', () => {
  frozenStaffVoiceSet('holdout27', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout27');

  noPronounCue('holdout27', 10);
});

/**
 * Held-out set 28 (h25-holdout28): written for the round after set 27's the same way as sets 13
 * to 27, blind to the detectors and the learned model (236 messages, 118 confidential and 118
 * ordinary, at least four confidential in every category), and committed with its hash, alone,
 * before any detector ran over it (its labels, never its text, were corrected by the lead before
 * any detector ran: two commits, each with a new hash). Still held out: never tune on it, never list its misses, never
 * edit it.
 */
describe('frozen held-out set 28', () => {
  frozenStaffVoiceSet('holdout28', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout28');

  noPronounCue('holdout28', 10);
});

/**
 * Held-out set 29 (h25-holdout29): written in the same session as set 28, the same way, blind to
 * the detectors and the learned model (236 messages, 118 confidential and 118 ordinary, at least
 * four confidential in every category), and committed with its hash, alone, before any detector
 * ran over it. Held in reserve for the round after set 28's; measured once after h27 (recall 0.949,
 * false warnings 1.7%). Development material since session 29 (h28-tune reads it and the learned
 * check trains on it): an upper bound; still frozen: never edit it. The scan snapshot's file rule
 * still leaves out every two-digit held-out set, as it does sets 25 to 28, so the "never read by
 * the scan snapshot" check stays true and stays.
 */
describe('frozen held-out set 29', () => {
  frozenStaffVoiceSet('holdout29', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout29');

  noPronounCue('holdout29', 10);
});

/**
 * Held-out set 30 (h26-holdout30): written in session 28 the same way, blind to the detectors and
 * the learned model (236 messages, 118 confidential and 118 ordinary, at least four confidential
 * in every category), and committed with its hash, alone, before any detector ran over it. Held in
 * reserve after set 29; measured once on what shipped after h27 (recall 0.958, false warnings
 * 3.4%). Development material since session 29 (h28-tune reads it and the learned check trains on
 * it): an upper bound; still frozen: never edit it. The scan snapshot leaves it out by its file
 * rule, as set 29, so its "never read by the scan snapshot" check stays.
 */
describe('frozen held-out set 30', () => {
  frozenStaffVoiceSet('holdout30', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout30');

  noPronounCue('holdout30', 10);
});

/**
 * Held-out set 31 (h28-holdout31): written after set 30 was measured, the same way, blind to the detectors and
 * the learned model (236 messages, 118 confidential and 118 ordinary, at least four confidential
 * in every category), and committed with its hash, alone, before any detector ran over it. Held in
 * reserve after set 30. Still held out: never tune on it, never list its misses, never edit it.
 */
describe('frozen held-out set 31', () => {
  frozenStaffVoiceSet('holdout31', { minimum: 200, perCategory: 4 });
  // Development material since h30-nobody (session 30): the scan snapshot reads it.
  identifiersAndUnseen('holdout31', { unseen: false });

  noPronounCue('holdout31', 10);
});

/**
 * Held-out set 32 (h28-holdout32): written after set 31, the same way, blind to the detectors and
 * the learned model (236 messages, 118 confidential and 118 ordinary, at least four confidential
 * in every category, every voice at least eight times in each half), as staff of other schools
 * than set 31's, and committed with its hash, alone, before any detector ran over it. Held in
 * reserve after set 31. Still held out: never tune on it, never list its misses, never edit it.
 */
describe('frozen held-out set 32', () => {
  frozenStaffVoiceSet('holdout32', { minimum: 200, perCategory: 4 });
  // Development material since h30-nobody (session 30): the scan snapshot reads it.
  identifiersAndUnseen('holdout32', { unseen: false });

  noPronounCue('holdout32', 10);
});

/**
 * Held-out set 33 (h28-holdout33): written after set 32, the same way, blind to the detectors and
 * the learned model (236 messages, 118 confidential and 118 ordinary, at least four confidential
 * in every category, every voice at least eight times in each half), as staff of other schools
 * than sets 31 and 32, harder in the realistic way (hurried, oblique confidential mail; ordinary
 * mail using heavy words harmlessly), and committed with its hash, alone, before any detector ran
 * over it. Measured once in session 30 (0.975, 4.2%); development material since session 31
 * (h31-tune reads it): an upper bound from now on. Never edit it.
 */
describe('frozen held-out set 33', () => {
  frozenStaffVoiceSet('holdout33', { minimum: 200, perCategory: 4 });
  // Development material since h31-tune (session 31): the scan snapshot reads it.
  identifiersAndUnseen('holdout33', { unseen: false });

  noPronounCue('holdout33', 10);
});

/**
 * Held-out set 34 (h30-holdout34): written after set 33, the same way, blind to the detectors and
 * the learned model (236 messages, 118 confidential and 118 ordinary, at least four confidential in
 * every category, every voice at least eight times in each half), as staff of other schools than
 * sets 31 to 33 (an infant school, a PRU, an all-through academy, a Northern Irish and a
 * Welsh-medium school), mixed in difficulty (hurried and oblique, ordinary prose, explicit), and
 * committed with its hash, alone, before any detector ran over it. Measured once when held out;
 * development material since session 37 (h37-tune reads it and the learned check trains on it): an
 * upper bound from now on. Never edit it.
 */
describe('frozen held-out set 34', () => {
  frozenStaffVoiceSet('holdout34', { minimum: 200, perCategory: 4 });
  // Development material since h37-tune (session 37): the scan snapshot reads it.
  identifiersAndUnseen('holdout34', { unseen: false });

  noPronounCue('holdout34', 10);
});

/**
 * Held-out set 35 (h31-holdout35): written and frozen like set 34, blind to the detectors and the
 * learned model, as staff of other schools (a rural primary federation, a Catholic secondary, a
 * PMLD special school, a sixth-form college, a Scottish secondary), every voice at least eight
 * times in each half. Measured once when held out; development material since session 37 (h37-tune
 * reads it and the learned check trains on it): an upper bound from now on. Never edit it.
 */
describe('frozen held-out set 35', () => {
  frozenStaffVoiceSet('holdout35', { minimum: 200, perCategory: 4 });
  // Development material since h37-tune (session 37): the scan snapshot reads it.
  identifiersAndUnseen('holdout35', { unseen: false });

  noPronounCue('holdout35', 10);
});

/**
 * Held-out set 36 (h32-holdout36): written and frozen like set 35, blind to the detectors and the
 * learned model, as staff of other schools (an inner-city all-through academy in a trust, a
 * Welsh-medium primary, a pupil referral unit, an independent boarding school, a Scottish primary),
 * every voice at least eight times in each half. Measured once when held out; development material
 * since session 37 (h37-tune reads it and the learned check trains on it): an upper bound from now
 * on. Never edit it.
 */
describe('frozen held-out set 36', () => {
  frozenStaffVoiceSet('holdout36', { minimum: 200, perCategory: 4 });
  // Development material since h37-tune (session 37): the scan snapshot reads it.
  identifiersAndUnseen('holdout36', { unseen: false });

  noPronounCue('holdout36', 10);
});

/**
 * Held-out set 37 (h33-holdout37): written and frozen like set 36, blind to the detectors and the
 * learned model, as staff of other schools (a coastal secondary modern, a Church of England infant
 * school, a further-education college's 14-16 centre, a secure children's home's education unit, a
 * Northern Ireland primary), every voice at least eight times in each half. Measured once when held
 * out; development material since session 37 (h37-tune reads it and the learned check trains on
 * it): an upper bound from now on. Never edit it.
 */
describe('frozen held-out set 37', () => {
  frozenStaffVoiceSet('holdout37', { minimum: 200, perCategory: 4 });
  // Development material since h37-tune (session 37): the scan snapshot reads it.
  identifiersAndUnseen('holdout37', { unseen: false });

  noPronounCue('holdout37', 10);
});

/**
 * Held-out set 38 (h34-holdout38): written and frozen like set 37, blind to the detectors and the
 * learned model, as staff of other schools (a rural three-village primary federation, a Catholic
 * secondary with a sixth form, a PMLD/SLD special school, a hospital school and medical tuition
 * service, a Traveller Education Service, a trust's central HR and finance team), every voice at
 * least eight times in each half. Measured once when held out; development material since session
 * 37 (h37-tune reads it and the learned check trains on it): an upper bound from now on. Never edit
 * it.
 */
describe('frozen held-out set 38', () => {
  frozenStaffVoiceSet('holdout38', { minimum: 200, perCategory: 4 });
  // Development material since h37-tune (session 37): the scan snapshot reads it.
  identifiersAndUnseen('holdout38', { unseen: false });

  noPronounCue('holdout38', 10);
});

/**
 * Held-out set 39 (h35-holdout39): written and frozen like set 38, blind to the detectors and the
 * learned model, as staff of other schools (an inner-city nursery school and children's centre, a
 * Welsh-medium valley secondary, a PRU/alternative provision academy, an independent boarding
 * school with houses, an all-through 3-18 academy on two sites, an LA virtual school), every voice
 * at least eight times in each half. Measured once when held out; development material since
 * session 37 (h37-tune reads it and the learned check trains on it): an upper bound from now on.
 * Never edit it.
 */
describe('frozen held-out set 39', () => {
  frozenStaffVoiceSet('holdout39', { minimum: 200, perCategory: 4 });
  // Development material since h37-tune (session 37): the scan snapshot reads it.
  identifiersAndUnseen('holdout39', { unseen: false });

  noPronounCue('holdout39', 10);
});

/**
 * Held-out set 40 (h36-holdout40): written and frozen like set 39, blind to the detectors and the
 * learned model, as staff of other schools (a coastal primary academy with service families, a
 * boys' grammar with a mixed sixth form, a secondary special school for autistic pupils, an FE
 * college's 14-16 provision, a Church of England junior school, a trust's central safeguarding and
 * attendance team), every voice at least eight times in each half. Never tune on it, never list its
 * misses, never edit it.
 */
describe('frozen held-out set 40', () => {
  frozenStaffVoiceSet('holdout40', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout40');

  noPronounCue('holdout40', 10);
});

/**
 * Held-out set 41 (h37-holdout41): written and frozen like set 40, blind to the detectors and the
 * learned model, as staff of other schools (a federation of two village primaries with mixed-age
 * classes and one head, a Roman Catholic voluntary-aided secondary in a northern city, a hospital
 * and home-tuition education service, a standalone sixth-form college, a university technical
 * college, a local authority's SEND casework and inclusion team), every voice at least eight times
 * in each half. Never tune on it, never list its misses, never edit it.
 */
describe('frozen held-out set 41', () => {
  frozenStaffVoiceSet('holdout41', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout41');

  noPronounCue('holdout41', 10);
});

/**
 * Held-out set 42 (h37-holdout42): written and frozen like set 41, blind to the detectors and the
 * learned model, as staff of other schools (a middle school for 9-13 in a three-tier area, a Jewish
 * voluntary-aided primary, a large girls' comprehensive in outer London, a school for deaf children
 * with a residential provision, a small all-through school on an island, a local authority's
 * elective home education and children-missing-education team), every voice at least eight times in
 * each half. Never tune on it, never list its misses, never edit it.
 */
describe('frozen held-out set 42', () => {
  frozenStaffVoiceSet('holdout42', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout42');

  noPronounCue('holdout42', 10);
});

/**
 * Held-out set 43 (h38-holdout43): written and frozen like set 42, blind to the detectors and the
 * learned model, as staff of other schools (a secondary modern high school in a county that keeps
 * grammar schools, a primary beside an army garrison with mostly service families, a Sikh-ethos
 * free school primary, an independent day prep school for 3 to 13, a primary with a resourced
 * provision for speech, language and communication needs, a rural secondary in a National Park with
 * a school farm and long bus routes), every voice at least eight times in each half. Never tune on
 * it, never list its misses, never edit it.
 */
describe('frozen held-out set 43', () => {
  frozenStaffVoiceSet('holdout43', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout43');

  noPronounCue('holdout43', 10);
});

/**
 * Held-out set 44 (h38-holdout44): written and frozen like set 43, blind to the detectors and the
 * learned model, as staff of other schools (an inner-city primary where most pupils speak English as
 * an additional language, a studio school for 14 to 19, a Muslim-ethos voluntary-aided girls'
 * secondary, a coastal-town secondary with high deprivation and seasonal work, a village primary
 * with a governor-run nursery class, a multi-academy trust's attendance and inclusion hub serving
 * ten schools), every voice at least eight times in each half. Never tune on it, never list its
 * misses, never edit it.
 */
describe('frozen held-out set 44', () => {
  frozenStaffVoiceSet('holdout44', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout44');

  noPronounCue('holdout44', 10);
});

/**
 * Held-out set 45 (h39-holdout45): written and frozen like set 44, blind to the detectors and the
 * learned model, as staff of other schools (a secondary free school in a new town, still growing,
 * a day special school for pupils aged 8 to 16 with SEMH needs, an independent cathedral choir
 * school with boarding choristers, a secondary on two sites after a merger, a market-town primary
 * with a small farm, a local authority's children-missing-education team), every voice at least
 * eight times in each half. Never tune on it, never list its misses, never edit it.
 */
describe('frozen held-out set 45', () => {
  frozenStaffVoiceSet('holdout45', { minimum: 200, perCategory: 4 });
  identifiersAndUnseen('holdout45');

  noPronounCue('holdout45', 10);
});

/**
 * Probe set 9 (h7-probe9): ordinary mail about one named person, and a confidential fifth in the
 * same style, written blind and frozen before any detector ran over it. Measured once in h7 (false
 * warnings 8.6% with the learned check); since h8-learned2 development material (the learned check
 * trains on it): an upper bound, but still frozen: never edit it.
 */
describe('frozen probe set 9', () => {
  const file = labelledSetPath('probe9');
  const recorded = readFileSync(path.join(path.dirname(file), 'probe-9.sha256'), 'utf8')
    .trim()
    .split(/\s+/)[0];
  const messages = loadLabelledSet('probe9');

  it('has not changed since it was frozen', () => {
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(recorded);
  });

  it('is 90 messages numbered in order, 70 ordinary and 20 confidential, labelled as set 9 is', () => {
    expect(messages.map((m) => m.id)).toEqual(
      messages.map((_, i) => `p9-${String(i + 1).padStart(3, '0')}`),
    );
    expect(messages.filter((m) => m.outcome === 'send').length).toBe(70);
    expect(messages.filter((m) => m.outcome === 'warn').length).toBe(20);
    const known = new Set<string>(FINDING_TYPES);
    for (const m of messages) {
      expect(m.template, m.id).toBe('probe-9');
      expect(m.expected.length > 0, m.id).toBe(m.outcome === 'warn');
      for (const t of m.expected) expect(known.has(t), `${m.id}: ${t}`).toBe(true);
    }
  });

  it('shares no message, and no run of eight words, with any other set', () => {
    expect(sharedWithOtherSets('probe9')).toEqual({ messages: [], runsOfEightWords: [] });
  });
});

/**
 * Development set 9 (h8-learned2): ordinary mail about one or two named people and confidential
 * mail in the same style, written in blind batches for the learned check. Not frozen (it grew by
 * batches), but written fresh: it shares no run of eight words with any other set.
 */
describe('development set 9', () => {
  const messages = loadLabelledSet('development9');

  it('is numbered in order and labelled as the other sets are', () => {
    expect(messages.map((m) => m.id)).toEqual(
      messages.map((_, i) => `d9-${String(i + 1).padStart(3, '0')}`),
    );
    const known = new Set<string>(FINDING_TYPES);
    for (const m of messages) {
      expect(m.template, m.id).toBe('dev-9');
      expect(m.category, m.id).toMatch(/^[a-z_]+$/);
      expect(m.voice, m.id).toMatch(/^[a-z]+$/);
      expect(m.subject.length, m.id).toBeGreaterThan(0);
      expect(m.expected.length > 0, m.id).toBe(m.outcome === 'warn');
      for (const t of m.expected) expect(known.has(t), `${m.id}: ${t}`).toBe(true);
    }
  });

  it('shares no message, and no run of eight words, with any other set', () => {
    expect(sharedWithOtherSets('development9')).toEqual({ messages: [], runsOfEightWords: [] });
  });
});

/**
 * A tuner's blind batch (`dev-N.jsonl`, ids `dN-001`…): numbered in order, at least 60 messages,
 * about half confidential, labelled as the other sets are, and sharing no message and no run of
 * eight words with any other set.
 */
function blindBatch(n: 10 | 11 | 12 | 13 | 14 | 15 | 16 | '16b'): void {
  const set = `development${n}` as const;
  const messages = loadLabelledSet(set);

  it('is numbered in order, about half confidential, and labelled as the other sets are', () => {
    expect(messages.map((m) => m.id)).toEqual(
      messages.map((_, i) => `d${n}-${String(i + 1).padStart(3, '0')}`),
    );
    expect(messages.length).toBeGreaterThanOrEqual(60);
    const confidential = messages.filter((m) => m.outcome === 'warn').length;
    expect(Math.abs(confidential - messages.length / 2)).toBeLessThanOrEqual(messages.length / 10);
    const known = new Set<string>(FINDING_TYPES);
    for (const m of messages) {
      expect(m.template, m.id).toBe(`dev-${n}`);
      expect(m.category, m.id).toMatch(/^[a-z_]+$/);
      expect(m.voice, m.id).toMatch(/^[a-z]+$/);
      expect(m.subject.length, m.id).toBeGreaterThan(0);
      expect(m.expected.length > 0, m.id).toBe(m.outcome === 'warn');
      for (const t of m.expected) expect(known.has(t), `${m.id}: ${t}`).toBe(true);
    }
  });

  it('shares no message, and no run of eight words, with any other set', () => {
    expect(sharedWithOtherSets(set)).toEqual({ messages: [], runsOfEightWords: [] });
  });
}

/**
 * Development set 10 (h9-tune): a blind batch of staff mail across the taxonomy, half confidential
 * and half ordinary near-misses (references, trip payments, finance notes, awareness notices, mail
 * about one named person), written before the round's changes. Not frozen, but written fresh: it
 * shares no run of eight words with any other set.
 */
describe('development set 10', () => blindBatch(10));

/**
 * Development set 11 (h10-tune): a blind batch, half confidential in everyday words (financial
 * hardship, gender identity, radicalisation, SEND, trade union, staff HR), half ordinary mail about
 * one named pupil or colleague (quoting parents, praise, cover, set changes, admin, finance),
 * written before the round's changes. Not frozen, but written fresh: it
 * shares no run of eight words with any other set.
 */
describe('development set 11', () => blindBatch(11));

/**
 * Development set 12 (h11-tune): a blind batch, half confidential in everyday words in the
 * categories still missed (religion or ethnicity, staff HR, CSE, domestic abuse, financial
 * hardship, gender identity, neglect, radicalisation), half ordinary mail on the same topics in
 * general or about one named pupil or colleague,
 * written before the round's changes. Not frozen, but written fresh: it
 * shares no run of eight words with any other set.
 */
describe('development set 12', () => blindBatch(12));

/**
 * Development set 13 (h12-tune): a blind batch, half confidential in everyday words in the
 * categories set 13 missed (lists of pupils with details, child-on-child incidents, a family's
 * money trouble, gender identity, medication, mental health), half ordinary mail of the kinds
 * that draw false warnings (clubs, admin about a named pupil, attendance, long order and invoice
 * references, trips, policy reviews, a parent quoted), written before the round's changes. Not
 * frozen, but written fresh: it shares no run of eight words with any other set.
 */
describe('development set 13', () => blindBatch(13));

/**
 * Development set 14 (h13-tune): a blind batch, half confidential in everyday words in the
 * categories set 14 missed (CCE, CSE, emotional harm, FGM, neglect, sexual orientation, staff HR)
 * and a specific family told as "the family in Y3" / "they're on universal credit", half ordinary
 * mail of the kinds that draw false warnings (room and course bookings naming CP, CIN, LAC, EHCP,
 * MASH, DSL in general, work experience, general mentions, clubs, trips, admin about a named
 * pupil), written before the round's changes. Not frozen, but written fresh: it shares no run of
 * eight words with any other set.
 */
describe('development set 14', () => blindBatch(14));

/**
 * Development set 15 (h14-tune): a blind batch, half confidential in short plain words (a concept
 * named by its own word; a person told as "they", "I" or a role noun), half ordinary mail on the
 * same concepts in general and ordinary first-person mail, written before the round's changes and
 * before set 15's messages were read. Not frozen, but written fresh: it shares no run of eight
 * words with any other set.
 */
describe('development set 15', () => blindBatch(15));

/**
 * Development set 16 (h15-tune): a blind batch, half confidential in short plain words in set
 * 16's weak categories (radicalisation, domestic abuse, money trouble, gender identity,
 * orientation, faith or ethnicity, a relative's crime), half ordinary mail including set 2's two
 * false-warning kinds (bookings and agendas naming social-care process acronyms in passing;
 * fostering, adoption, young carers and food bank events to share with families), written before
 * the round's changes and before set 16's messages were read. Not frozen, but written fresh: it
 * shares no run of eight words with any other set.
 */
describe('development set 16', () => blindBatch(16));
/**
 * Development set 16b (h15-devbatch): a blind batch of training material, half confidential in
 * plain everyday words in the categories still missed (gender identity, radicalisation, financial
 * hardship, SEND, sexual orientation, trade union, neglect, child-on-child harm, religion or
 * ethnicity, CCE, staff HR), often told through "they", "I", initials or a role noun; half
 * ordinary mail on the same topics in general or about one or two named people, written blind to
 * the detectors and the model. Not frozen, but written fresh: it shares no run of eight words with
 * any other set. Held out since the h15 merge (see `LABELLED_SETS.development16b`): trained in, it
 * moved no other set's figures and tipped a dev-3 message over corpus.test's 2%; as a yardstick of
 * the weakest categories it is worth more. Frozen by `dev-16b.sha256`.
 */
describe('development set 16b', () => {
  blindBatch('16b');
  // Held out since the h15 merge (STILL_HELD_OUT): frozen by its hash like the held-out sets.
  it('has not changed since it was frozen', () => {
    const file = labelledSetPath('development16b');
    const recorded = readFileSync(path.join(path.dirname(file), 'dev-16b.sha256'), 'utf8')
      .trim()
      .split(/\s+/)[0];
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(recorded);
  });
});
