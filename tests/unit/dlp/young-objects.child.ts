/**
 * Run by `young-objects.test.ts` in a child process with `--allow-natives-syntax`: after warm
 * scans of issue 13's case, how many of one more scan's vocabulary matches and vocabulary findings
 * V8 allocated straight into the old generation (h33-gc). Printed as JSON.
 */
import { detect, shippedVocabularyMatches } from '../../../lib/dlp/detectors.ts';
import { parseComposePolicy } from '../../../lib/dlp/policy.ts';
import { scanMessageWithReport } from '../../../lib/dlp/scan.ts';
import { textToScan, wordsView } from '../../../lib/dlp/text-to-scan.ts';
import { CORPUS_NOW } from '../../fixtures/dlp-corpus/evaluate.ts';
import { SCHOOL_PATTERNS, schoolCodesMessage } from '../../fixtures/dlp-corpus/scan-snapshot.ts';

const inYoungGeneration = new Function('o', 'return %InYoungGeneration(o)') as (
  o: unknown,
) => boolean;
const parsed = parseComposePolicy(SCHOOL_PATTERNS);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const message = schoolCodesMessage();
for (let i = 0; i < Number(process.argv[2] ?? 60); i++) {
  scanMessageWithReport(message, parsed.policy, { now: CORPUS_NOW });
}
const text = textToScan(message.body ?? '').text;
const matches = shippedVocabularyMatches(wordsView(text).text).flatMap(([, m]) => m);
const findings = detect(text, { now: CORPUS_NOW }).filter(
  (d) => d.type === 'safeguarding' || d.type === 'special_category',
);
const old = (xs: readonly object[]) => xs.filter((x) => !inYoungGeneration(x)).length;
console.log(
  JSON.stringify({
    matches: matches.length,
    oldMatches: old(matches),
    findings: findings.length,
    oldFindings: old(findings),
  }),
);
