/**
 * A probe of short ordinary admin mail (h25-tune): twenty messages written for this round, in no
 * labelled set and never trained on, each a body of one to twelve words with one topic word in the
 * subject (payroll, grievance, medication, Prevent, …). None should warn. It prints each message's
 * learned score and whether the scan (learned check on) would warn, and the end-to-end pattern
 * test's control ("Payroll" / "Hi, please update the record for STF-004512 before Friday.
 * Thanks"), which warned on the learned check alone once word pieces were summed (h24-tune).
 *
 *   node --import tsx scripts/probe-short-admin.ts                    # the shipped model
 *   node --import tsx scripts/probe-short-admin.ts --weighting mean   # a model trained now (minutes)
 *   node --import tsx scripts/probe-short-admin.ts --known            # trained now, known words without pieces (h26-tune)
 *
 * With `--weighting` (binary, mean or sqrt), the model is trained here on every training set (as
 * the shipped model is, the pieces valued by that weighting) and warns at the add threshold 0.5
 * (what each weighting's cross-validation picked in h25-tune); short mail is never quieted
 * (MIN_WORDS_TO_QUIET).
 */
import '../lib/dlp/custom-patterns.ts';
import { confidenceAtLeast } from '../lib/dlp/detectors.ts';
import {
  featuresOf,
  type LearnedModel,
  type PieceWeighting,
  scoreFeatures,
  scoreMessage,
} from '../lib/dlp/learned.ts';
import { LEARNED_MODEL } from '../lib/dlp/learned-model.ts';
import { DEFAULT_COMPOSE_POLICY } from '../lib/dlp/policy.ts';
import { scanMessage } from '../lib/dlp/scan.ts';
import { CORPUS_NOW } from '../tests/fixtures/dlp-corpus/evaluate.ts';
import { alsoWeighPieces, knownWordsOf, loadExamples, train, withTraining } from './send-model.ts';

export const SHORT_ADMIN: readonly { subject: string; body: string }[] = [
  { subject: 'Payroll', body: 'Thanks, received.' },
  { subject: 'Payroll deadline', body: 'Overtime claims to the office by Wednesday please.' },
  { subject: 'Grievance procedure', body: 'The updated policy is on the shared drive.' },
  { subject: 'Grievance policy review', body: 'Governors meet on Tuesday to sign it off.' },
  { subject: 'Medication', body: 'New fridge for the medical room arrives Monday.' },
  { subject: 'Medication forms', body: 'Blank copies are in the office tray. Thanks' },
  { subject: 'Prevent', body: 'Reminder: online module due by half term.' },
  { subject: 'Prevent training', body: 'Certificates to Sue when done please.' },
  { subject: 'Safeguarding training', body: 'Hall, 3.30 Thursday. Tea provided.' },
  { subject: 'Safeguarding', body: 'Lanyards are in reception.' },
  {
    subject: 'Disciplinary policy',
    body: 'Attached for the staff handbook, no changes this year.',
  },
  { subject: 'Attendance', body: 'Registers close at 9.05 from next week.' },
  { subject: 'Counselling room', body: 'Booked out Friday afternoon for the photographer.' },
  { subject: 'Bereavement leave', body: 'HR have updated the form, link below.' },
  { subject: 'Exclusions report', body: 'Termly template attached, due 20th.' },
  { subject: 'SEN register', body: 'Can we move the meeting to 4pm?' },
  { subject: 'Maternity cover', body: 'Interviews confirmed for Monday, panel as agreed.' },
  { subject: 'Sickness absence', body: 'Return to work form now online.' },
  { subject: 'Allergy', body: 'Kitchen menu for next term attached.' },
  { subject: 'Referrals', body: 'Please use the new portal from Monday. Thanks' },
];

export const CONTROL = {
  subject: 'Payroll',
  body: 'Hi, please update the record for STF-004512 before Friday. Thanks',
};

const RAW = { ...DEFAULT_COMPOSE_POLICY, disabledDetectors: ['learned' as const] };

const at = process.argv.indexOf('--weighting');
const knownOnly = process.argv.includes('--known');
const weighting =
  at > 0 ? (process.argv[at + 1] as PieceWeighting) : knownOnly ? 'binary' : undefined;
/** A model trained here with the pieces valued by `weighting`, or none (the shipped model). */
const trained: LearnedModel | undefined = (() => {
  if (!weighting) return undefined;
  alsoWeighPieces([weighting]);
  const examples = loadExamples().map((e) => ({ ...e, values: e.valuesBy?.[weighting] ?? [] }));
  const { model } = withTraining(
    { piecesOfUnknownOnly: knownOnly, knownWeighting: weighting },
    undefined,
    () => train(examples),
  );
  return { ...model, addThreshold: 0.5, quietThreshold: -8 };
})();
/** Under `--known`, the words the model trained here gives no pieces. */
const known = trained && knownOnly ? knownWordsOf(trained) : new Set<string>();

function probe(m: { subject: string; body: string }): { score: number; warns: boolean } {
  const message = { ...m, attachmentNames: [] };
  const raw = scanMessage(message, RAW, { now: CORPUS_NOW });
  if (trained && weighting) {
    const read = featuresOf(message, raw, weighting, (w) => known.has(w));
    const { score } = scoreFeatures(read.features, trained, read.values);
    const detectorsWarn = raw.some((f) =>
      confidenceAtLeast(f.confidence, DEFAULT_COMPOSE_POLICY.minConfidence),
    );
    return { score, warns: detectorsWarn || score >= trained.addThreshold };
  }
  const { score } = scoreMessage(message, raw);
  const warns = scanMessage(message, DEFAULT_COMPOSE_POLICY, { now: CORPUS_NOW }).some((f) =>
    confidenceAtLeast(f.confidence, DEFAULT_COMPOSE_POLICY.minConfidence),
  );
  return { score, warns };
}

let warned = 0;
for (const m of SHORT_ADMIN) {
  const { score, warns } = probe(m);
  if (warns) warned++;
  console.log(
    `${warns ? 'WARN' : '    '} ${score.toFixed(3).padStart(7)}  ${m.subject} / ${m.body}`,
  );
}
const control = probe(CONTROL);
console.log(
  `${weighting ? `trained now, pieces ${weighting}${knownOnly ? ', known words none' : ''}` : 'shipped model'}: ` +
    `warned on ${warned} of ${SHORT_ADMIN.length}; ` +
    `add threshold ${(trained ?? LEARNED_MODEL).addThreshold}` +
    (trained || !LEARNED_MODEL.shortWords
      ? '; '
      : ` (under ${LEARNED_MODEL.shortWords} words + ${LEARNED_MODEL.shortExtra} × (${LEARNED_MODEL.shortWords} − words) / ${LEARNED_MODEL.shortWords}); `) +
    `control ${control.score.toFixed(3)} ${control.warns ? '(warns)' : '(no warning)'}`,
);
