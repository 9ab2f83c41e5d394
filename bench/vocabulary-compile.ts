/**
 * Compiling both vocabularies (h30-scan2): the first compile in a fresh process, then warm ones
 * (median of 5), then the first scan of issue 13's message with them and the next one, since a
 * lazily built part of the gate is paid in the first scan. Alternate processes of two trees.
 *
 *   node --import tsx bench/vocabulary-compile.ts
 */
import os from 'node:os';
import { compileVocabulary, shippedVocabularyMatches, vocabulary } from '../lib/dlp/detectors.ts';
import { schoolCodesMessage } from '../tests/fixtures/dlp-corpus/scan-snapshot.ts';

const m = schoolCodesMessage();
const message = `${m.subject ?? ''}\n${m.body}`;
const t0 = performance.now();
vocabulary();
const first = performance.now() - t0;
const t1 = performance.now();
shippedVocabularyMatches(message);
const firstScan = performance.now() - t1;
const t2 = performance.now();
shippedVocabularyMatches(message);
const secondScan = performance.now() - t2;
const warm: number[] = [];
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  compileVocabulary(false);
  compileVocabulary(true);
  warm.push(performance.now() - s);
}
warm.sort((a, b) => a - b);
console.log(
  `first compile ${first.toFixed(1)} ms, first vocabulary scan ${firstScan.toFixed(2)} ms, ` +
    `second ${secondScan.toFixed(2)} ms, warm compile median ${warm[2]!.toFixed(1)} ms ` +
    `(load ${os.loadavg()[0]!.toFixed(2)})`,
);
