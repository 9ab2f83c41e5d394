/**
 * h19-tune's experiment: structural features for the learned check, judged leave-one-set-out.
 * Nothing written; none shipped (lib/dlp/README.md, "Structural round (h19-tune)"). Run:
 *   node --import tsx scripts/tune-structural.ts [A,B,C,D,AC,X]   # about 2 minutes a run
 *   node --import tsx scripts/tune-structural.ts A,B,C,D,AC count # how often each fires
 *
 * Features that describe a person and something that happened to them, not a topic, each read
 * inside one sentence (split at . ! ? and line ends) of the subject and body:
 * - A `#s/person-event`: a person cue (he/she/his/her/him, a given name, a role noun such as
 *   pupil, child, son) within 8 words of a generic event verb (hit, pushed, hurt, cried, upset…);
 * - B `#s/speech`: reported speech ("told me", "said that", "disclosed", …);
 * - C `#s/person-time`: a time of an event (yesterday, at break, on Monday…) in a sentence with a
 *   person cue; D `#s/person-concern`: a concern verb near a person cue; AC both A and C;
 * - X: A and B split by whether the vocabulary found anything at any strength (a linear model
 *   cannot make that AND itself);
 * - E `#s/keep-quiet` (a request to keep it quiet: "please don't tell/forward/share", "in
 *   confidence", "rather … didn't know") and `#s/recorded` ("logged it", "on CPOMS", "on the
 *   system"), each one feature over many phrasings;
 * - L: with any of the above, their L2 penalty a tenth of a word's.
 */

import { words } from '../lib/dlp/learned.ts';
import { loadCorpus, loadLabelledSet } from '../tests/fixtures/dlp-corpus/evaluate.ts';
import {
  crossValidate,
  type Example,
  loadExamples,
  TRAINING_SETS,
  withTraining,
} from './send-model.ts';

const PERSON = new Set([
  'he',
  'she',
  'him',
  'his',
  'her',
  '_name',
  "_name's",
  'pupil',
  'student',
  'child',
  'boy',
  'girl',
  'son',
  'daughter',
  "he's",
  "she's",
  'they',
  'them',
]);
const EVENT = new Set([
  'hit',
  'hitting',
  'punched',
  'kicked',
  'pushed',
  'grabbed',
  'touched',
  'threatened',
  'hurt',
  'injured',
  'bruise',
  'bruises',
  'bruising',
  'marks',
  'cried',
  'crying',
  'upset',
  'scared',
  'frightened',
  'disclosed',
  'admitted',
  'shouted',
  'slapped',
  'attacked',
  'harmed',
  'refused',
  'ran',
  'left',
  'sent',
  'shared',
  'took',
  'taken',
  'stopped',
  'happened',
  'assaulted',
  'forced',
  'made',
]);
const SPEECH: [string, string][] = [
  ['told', 'me'],
  ['told', 'us'],
  ['told', 'her'],
  ['told', 'him'],
  ['said', 'that'],
  ['said', 'her'],
  ['said', 'his'],
  ['said', 'he'],
  ['said', 'she'],
  ['disclosed', ''],
  ['confided', ''],
  ['mentioned', 'that'],
];
const TIME = new Set([
  'yesterday',
  'tonight',
  'weekend',
  'lunchtime',
  'break',
  'morning',
  'evening',
  'night',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'earlier',
  'today',
]);
const CONCERN = new Set([
  'worried',
  'concerned',
  'concern',
  'concerns',
  'noticed',
  'worrying',
  'disclosure',
  'alleged',
  'allegation',
]);
const WINDOW = 8;

function structural(text: string, which: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const sentence of text.split(/[.!?\n]+/)) {
    const ws = words(sentence);
    const people: number[] = [];
    ws.forEach((w, i) => {
      if (PERSON.has(w)) people.push(i);
    });
    const near = (i: number) => people.some((p) => p !== i && Math.abs(p - i) <= WINDOW);
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (which.has('A') && EVENT.has(w) && near(i)) out.add('#s/person-event');
      if (which.has('C') && TIME.has(w) && people.length > 0) out.add('#s/person-time');
      if (which.has('D') && CONCERN.has(w) && near(i)) out.add('#s/person-concern');
      if (which.has('B') && SPEECH.some(([a, b]) => w === a && (b === '' || ws[i + 1] === b)))
        out.add('#s/speech');
    }
  }
  if (which.has('E')) {
    const flat = words(text).join(' ');
    if (
      /\b(?:don't|do not|please don't|not to) (?:tell|forward|share|pass|mention)\b|\bin confidence\b|\bkeep (?:this|it) between\b|\brather (?:\w+ )?didn't know\b/.test(
        flat,
      )
    )
      out.add('#s/keep-quiet');
    if (
      /\b(?:logged|recorded) (?:it|this|on)\b|\bon (?:cpoms|myconcern|the system|the form)\b|^logged\b| logged$/.test(
        flat,
      )
    )
      out.add('#s/recorded');
  }
  if (which.has('AC') && out.has('#s/person-event') && out.has('#s/person-time'))
    out.add('#s/event+time');
  return [...out];
}

const which = new Set((process.argv[2] ?? '').split(',').filter(Boolean));
const examples = loadExamples();
const texts = TRAINING_SETS.flatMap((set) =>
  (set === 'corpus' ? loadCorpus() : loadLabelledSet(set)).map((m) => `${m.subject}\n${m.body}`),
);
if (texts.length !== examples.length) throw new Error('examples and messages out of step');
const mapped: Example[] = examples.map((e, i) => {
  let extra = structural(texts[i]!, new Set([...which, 'A', 'B']));
  if (!which.has('A') && !which.has('X')) extra = extra.filter((f) => f !== '#s/person-event');
  if (!which.has('B') && !which.has('X')) extra = extra.filter((f) => f !== '#s/speech');
  if (which.has('X')) {
    const vocabulary = e.features.some((f) => f === '#special_category' || f === '#safeguarding');
    const split = extra.map((f) => `${f}${vocabulary ? '+vocab' : '-vocab'}`);
    extra = which.has('A') ? [...extra, ...split] : split;
  }
  return { ...e, features: [...e.features, ...extra] };
});
if (process.argv[3] === 'count') {
  const staff = mapped.filter((e) => e.set !== 'corpus');
  for (const f of [
    '#s/person-event',
    '#s/speech',
    '#s/person-time',
    '#s/person-concern',
    '#s/event+time',
    '#s/keep-quiet',
    '#s/recorded',
  ]) {
    const warn = staff.filter((e) => e.warn && e.features.includes(f)).length;
    const ordinary = staff.filter((e) => !e.warn && e.features.includes(f)).length;
    console.log(f, 'confidential', warn, 'ordinary', ordinary);
  }
} else {
  // L: the structural features penalised a tenth as much as a word (so the n-grams that say the
  // same thing in many small pieces do not take their weight).
  const cv = withTraining(
    which.has('L') ? { l2Times: (f) => (f.startsWith('#s/') ? 0.1 : 1) } : {},
    undefined,
    () => crossValidate(mapped),
  );
  const sum = (rows: typeof cv.rows) =>
    rows.reduce(
      (a, r) => [
        a[0]! + r.combined.caught,
        a[1]! + r.confidential,
        a[2]! + r.combined.falseWarnings,
        a[3]! + r.ordinary,
      ],
      [0, 0, 0, 0],
    );
  const fresh = Array.from({ length: 10 }, (_, k) => `holdout${10 + k}`);
  const all = sum(cv.rows);
  const f = sum(cv.rows.filter((r) => fresh.includes(r.set)));
  const cells = cv.rows.map(
    (r) =>
      `${r.set.replace('holdout', 'h').replace('development', 'd')} ${r.combined.caught}/${r.confidential} ${r.combined.falseWarnings}/${r.ordinary}`,
  );
  console.log(
    `${[...which].join(',') || 'base'} add ${cv.thresholds.addThreshold} quiet ${cv.thresholds.quietThreshold} | all ${all[0]}/${all[1]} ${all[2]}/${all[3]} | fresh 10-19 ${f[0]}/${f[1]} ${f[2]}/${f[3]} | ${cells.join('  ')}`,
  );
}
