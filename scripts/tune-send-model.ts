/**
 * Experiments on the learned check's training (h8-learned2): each variant's leave-one-set-out
 * rows for the sets that matter most, nothing written. Run:
 *   node --import tsx scripts/tune-send-model.ts [variant…]
 */
import {
  crossValidate,
  loadExamples,
  PERSON_WORDS,
  type TrainingOptions,
  withTraining,
} from './send-model.ts';

const personWord = (w: string) => PERSON_WORDS.has(w) || w.startsWith('_name');
type Example = ReturnType<typeof loadExamples>[number];
const hasPerson = (e: Example) => e.features.some((f) => !f.includes(' ') && personWord(f));
const withPersonFinding = (e: Example): Example =>
  hasPerson(e) && e.features.some((f) => f.startsWith('#'))
    ? { ...e, features: [...e.features, '#person+finding'] }
    : e;
const withPersonPerType = (e: Example): Example => {
  if (!hasPerson(e)) return e;
  const extra = e.features
    .filter((f) => f.startsWith('#') && !f.includes('/'))
    .map((f) => `#person+${f.slice(1)}`);
  return { ...e, features: [...e.features, ...extra] };
};
const variants: Record<
  string,
  { o: Partial<TrainingOptions>; drop?: (f: string) => boolean; map?: (e: Example) => Example }
> = {
  noPersonUniAdd1: { o: { addFalseWarnings: 0.01 }, drop: (f) => personWord(f) },
  personL2x10: { o: { l2Times: (f) => (personWord(f) ? 10 : 1) } },
  personL2x30: { o: { l2Times: (f) => (personWord(f) ? 30 : 1) } },
  personAnyL2x10: { o: { l2Times: (f) => (f.split(' ').some(personWord) ? 10 : 1) } },
  xAnyFinding: { o: {}, drop: (f) => f.split(' ').some(personWord), map: withPersonFinding },
  xUniFinding: { o: {}, drop: (f) => personWord(f), map: withPersonFinding },
  xAnyType: { o: {}, drop: (f) => f.split(' ').some(personWord), map: withPersonPerType },
  xUniType: { o: {}, drop: (f) => personWord(f), map: withPersonPerType },
  xUniTypeAdd1: {
    o: { addFalseWarnings: 0.01 },
    drop: (f) => personWord(f),
    map: withPersonPerType,
  },
  base: { o: {} },
  withPersonWords: { o: { personWordsAlone: true } },
  l2half: { o: { l2: 0.001 } },
  tmpl01: { o: { templateWeight: 0.1 } },
  keep5000: { o: { keep: 5000 } },
  keep1500: { o: { keep: 1500 } },
  df2: { o: { minDocumentFrequency: 2 } },
  steps400: { o: { steps: 400 } },
  add15: { o: { addFalseWarnings: 0.015 } },
  quiet1: { o: { quietMissRate: 0.01 } },
  noPersonUnigrams: { o: {}, drop: (f) => personWord(f) },
  noPersonAny: { o: {}, drop: (f) => f.split(' ').some(personWord) },
  l2x3: { o: { l2: 0.006 } },
  l2x5: { o: { l2: 0.01 } },
  tmpl0: { o: { templateWeight: 0 } },
  tmpl1: { o: { templateWeight: 1 } },
  add1: { o: { addFalseWarnings: 0.01 } },
  noPersonUnigramsL2x3: { o: { l2: 0.006 }, drop: (f) => personWord(f) },
  noPersonAnyL2x3: { o: { l2: 0.006 }, drop: (f) => f.split(' ').some(personWord) },
};
const examples = loadExamples();
const chosen = process.argv.slice(2);
for (const name of chosen.length > 0 ? chosen : Object.keys(variants)) {
  const v = variants[name]!;
  const cv = withTraining(v.o, v.drop, () => crossValidate(v.map ? examples.map(v.map) : examples));
  const cells = cv.rows.map((r) => {
    const rec = r.combined.caught / Math.max(1, r.confidential);
    const fw = (100 * r.combined.falseWarnings) / Math.max(1, r.ordinary);
    return `${r.set.replace('development', 'd').replace('holdout', 'h')} ${rec.toFixed(3)}/${fw.toFixed(1)}`;
  });
  const tot = cv.rows.reduce(
    (a, r) => [
      a[0]! + r.combined.caught,
      a[1]! + r.confidential,
      a[2]! + r.combined.falseWarnings,
      a[3]! + r.ordinary,
    ],
    [0, 0, 0, 0],
  );
  console.log(
    `${name.padEnd(22)} add ${cv.thresholds.addThreshold} quiet ${cv.thresholds.quietThreshold} | all ${(tot[0]! / tot[1]!).toFixed(3)}/${((100 * tot[2]!) / tot[3]!).toFixed(1)} | ${cells.join('  ')}`,
  );
}
