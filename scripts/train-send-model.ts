/**
 * Train the learned check and write `lib/dlp/learned-model.ts`:
 *
 *   node --import tsx scripts/train-send-model.ts          # cross-validate, pick thresholds, train, write
 *   node --import tsx scripts/train-send-model.ts --check  # the same, but fail if the file differs
 *   node --import tsx scripts/train-send-model.ts --nested # nested cross-validation (minutes); writes nothing
 *
 * Deterministic (no randomness, stable order): the same labelled sets give the same file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  crossValidate,
  loadExamples,
  modelModule,
  nestedCrossValidate,
  train,
  trainingFiles,
} from './send-model.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.join(here, '..', 'lib', 'dlp', 'learned-model.ts');

const started = performance.now();
const examples = loadExamples();
if (process.argv.includes('--nested')) {
  // The honest form of the estimate: each set's thresholds picked without it too. Writes nothing.
  for (const { set, thresholds, row: r } of nestedCrossValidate(examples)) {
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
    console.log(
      `${set.padEnd(14)} add ${thresholds.addThreshold} quiet ${thresholds.quietThreshold}  detectors ${(r.detectors.caught / r.confidential).toFixed(3)} (${r.detectors.caught}/${r.confidential}) / ${pct(r.detectors.falseWarnings, r.ordinary)} (${r.detectors.falseWarnings}/${r.ordinary})   with the model ${(r.combined.caught / r.confidential).toFixed(3)} (${r.combined.caught}/${r.confidential}) / ${pct(r.combined.falseWarnings, r.ordinary)} (${r.combined.falseWarnings}/${r.ordinary})`,
    );
  }
  console.log(`${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}
const loadedAt = performance.now();
const cv = crossValidate(examples);
const cvAt = performance.now();
const { model } = train(examples);
const text = modelModule({ ...model, ...cv.thresholds }, trainingFiles(), examples.length);
const done = performance.now();

for (const r of cv.rows) {
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
  console.log(
    `${r.set.padEnd(14)} detectors ${(r.detectors.caught / r.confidential).toFixed(3)} (${r.detectors.caught}/${r.confidential}) / ${pct(r.detectors.falseWarnings, r.ordinary)} (${r.detectors.falseWarnings}/${r.ordinary})   with the model ${(r.combined.caught / r.confidential).toFixed(3)} (${r.combined.caught}/${r.confidential}) / ${pct(r.combined.falseWarnings, r.ordinary)} (${r.combined.falseWarnings}/${r.ordinary})`,
  );
}
console.log(
  `thresholds: add at ${cv.thresholds.addThreshold}, quiet at ${cv.thresholds.quietThreshold}` +
    (cv.thresholds.shortWords
      ? `, short messages (under ${cv.thresholds.shortWords} words) add + ${cv.thresholds.shortExtra} × (${cv.thresholds.shortWords} − words) / ${cv.thresholds.shortWords}; `
      : '; ') +
    `${model.weights.length} features; ${text.length.toLocaleString('en-GB')} characters`,
);
console.log(
  `time: scan ${((loadedAt - started) / 1000).toFixed(1)} s, cross-validation ${((cvAt - loadedAt) / 1000).toFixed(1)} s, final fit ${((done - cvAt) / 1000).toFixed(1)} s`,
);

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error('lib/dlp/learned-model.ts is not what the script makes of the data: retrain');
    process.exit(1);
  }
  console.log('lib/dlp/learned-model.ts matches');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
