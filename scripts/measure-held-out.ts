/**
 * One measurement of a labelled set (issue 13), with and without the learned check: would-warn
 * recall, false warnings, which finding types warned on ordinary mail, and per category. Prints
 * counts only, never messages or ids, so it may be run once on a set still held out.
 *
 *   node --import tsx scripts/measure-held-out.ts holdout10
 */
import '../lib/dlp/custom-patterns.ts';
import { confidenceAtLeast } from '../lib/dlp/detectors.ts';
import { type ComposePolicy, DEFAULT_COMPOSE_POLICY } from '../lib/dlp/policy.ts';
import { scanMessage } from '../lib/dlp/scan.ts';
import {
  CORPUS_NOW,
  LABELLED_SETS,
  type LabelledMessage,
  loadLabelledSet,
} from '../tests/fixtures/dlp-corpus/evaluate.ts';

const set = process.argv[2] as keyof typeof LABELLED_SETS;
if (!(set in LABELLED_SETS)) {
  console.error(`usage: measure-held-out.ts <${Object.keys(LABELLED_SETS).join('|')}>`);
  process.exit(2);
}
const messages = loadLabelledSet(set);

const withoutLearned: ComposePolicy = {
  ...DEFAULT_COMPOSE_POLICY,
  disabledDetectors: [...DEFAULT_COMPOSE_POLICY.disabledDetectors, 'learned'],
};

function warningTypes(m: LabelledMessage, policy: ComposePolicy): string[] {
  return scanMessage(m, policy, { now: CORPUS_NOW })
    .filter((f) => confidenceAtLeast(f.confidence, policy.minConfidence))
    .map((f) => f.type as string);
}

const ordinary = messages.filter((m) => m.outcome === 'send');
const confidential = messages.filter((m) => m.outcome === 'warn');
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
for (const [label, policy] of [
  ['as shipped (learned check on)', DEFAULT_COMPOSE_POLICY],
  ['detectors alone (learned check off)', withoutLearned],
] as const) {
  const caught = confidential.filter((m) => warningTypes(m, policy).length > 0).length;
  const fw = ordinary.filter((m) => warningTypes(m, policy).length > 0).length;
  console.log(
    `${label}: recall ${(caught / confidential.length).toFixed(3)} (${caught}/${confidential.length}), false warnings ${pct(fw, ordinary.length)} (${fw}/${ordinary.length})`,
  );
}

let onlyLearned = 0;
let learnedQuieted = 0;
const typeCounts = new Map<string, number>();
const perCategory = new Map<string, { n: number; warned: number; warnedNoLearned: number }>();
for (const m of messages) {
  const types = warningTypes(m, DEFAULT_COMPOSE_POLICY);
  const typesNoLearned = warningTypes(m, withoutLearned);
  if (m.outcome === 'send') {
    if (types.length > 0 && types.every((t) => t === 'learned')) onlyLearned++;
    if (types.length === 0 && typesNoLearned.length > 0) learnedQuieted++;
    for (const t of new Set(types)) typeCounts.set(t, (typeCounts.get(t) ?? 0) + 1);
  }
  const key = `${m.outcome}:${m.category}`;
  const c = perCategory.get(key) ?? { n: 0, warned: 0, warnedNoLearned: 0 };
  c.n++;
  if (types.length > 0) c.warned++;
  if (typesNoLearned.length > 0) c.warnedNoLearned++;
  perCategory.set(key, c);
}
console.log(
  `ordinary mail: warned only by the learned check ${onlyLearned}/${ordinary.length}; quieted by it ${learnedQuieted}/${ordinary.length}`,
);
console.log('finding types behind warnings on ordinary mail (messages per type):');
for (const [t, n] of [...typeCounts].sort()) console.log(`  ${t}: ${n}`);
console.log('per category (warned as shipped / warned detectors alone / messages):');
for (const [k, c] of [...perCategory].sort())
  console.log(`  ${k}: ${c.warned} / ${c.warnedNoLearned} / ${c.n}`);
