/**
 * Bytes allocated by parts of issue 13's scan, each run alone 40 times with no collection (h31-scan):
 * the whole scan, `detect` on the body, `wordsView`, the vocabulary's matching, `nameMentions` and
 * `findPeopleLists`. Mean per call, `heapUsed` after minus before; more exact than the sampled
 * profile (`scan-heap-sample.ts`), which put ~30 KB on a change that saved ~6 KB.
 *
 *   node --expose-gc --max-semi-space-size=512 --min-semi-space-size=512 --import tsx bench/scan-allocation-parts.ts
 */
import './dlp-patterns.ts';
import { detect, shippedVocabularyMatches } from '../lib/dlp/detectors.ts';
import { findPeopleLists, nameMentions } from '../lib/dlp/people.ts';
import { parseComposePolicy } from '../lib/dlp/policy.ts';
import { scanMessageWithReport } from '../lib/dlp/scan.ts';
import { textToScan, wordsView } from '../lib/dlp/text-to-scan.ts';
import { CORPUS_NOW } from '../tests/fixtures/dlp-corpus/evaluate.ts';
import { SCHOOL_PATTERNS, schoolCodesMessage } from '../tests/fixtures/dlp-corpus/scan-snapshot.ts';

const parsed = parseComposePolicy(SCHOOL_PATTERNS);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const message = schoolCodesMessage();
const scan = () => scanMessageWithReport(message, parsed.policy, { now: CORPUS_NOW });
for (let i = 0; i < 30; i++) scan();
(globalThis as { gc?: () => void }).gc?.();
for (let i = 0; i < 5; i++) scan();
const text = textToScan(message.body!).text;
const words = wordsView(text).text;
const found = detect(text, { now: CORPUS_NOW });
const parts: [string, () => unknown][] = [
  ['scan', scan],
  ['detect', () => detect(text, { now: CORPUS_NOW })],
  ['textToScan', () => textToScan(message.body!)],
  ['wordsView', () => wordsView(text)],
  ['shippedVocabularyMatches', () => shippedVocabularyMatches(words)],
  ['nameMentions', () => nameMentions(text)],
  ['findPeopleLists', () => findPeopleLists(text, found, CORPUS_NOW)],
];
for (const [name, f] of parts) {
  for (let i = 0; i < 5; i++) f();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 40; i++) f();
  const after = process.memoryUsage().heapUsed;
  // A collection inside the 40 would make the difference meaningless (and usually negative).
  console.log(`${name.padEnd(26)} ${((after - before) / 40 / 1024).toFixed(1)} KB per call`);
}
