/**
 * Measure one blind batch of a development set with the model as it is shipped now, before the
 * batch is trained on (issue 13, h8-learned2): would-warn counts with the learned check and with
 * it off, per half. Run:
 *   node --import tsx scripts/measure-batch.ts tests/fixtures/dlp-corpus/dev-9.jsonl d9-001 d9-040
 * Add --ids to list which messages warned wrongly or were missed (only for a batch already measured).
 */
import '../lib/dlp/custom-patterns.ts';
import { readFileSync } from 'node:fs';
import { confidenceAtLeast } from '../lib/dlp/detectors.ts';
import { type ComposePolicy, DEFAULT_COMPOSE_POLICY } from '../lib/dlp/policy.ts';
import { scanMessage } from '../lib/dlp/scan.ts';
import { CORPUS_NOW, type LabelledMessage } from '../tests/fixtures/dlp-corpus/evaluate.ts';

const [file, from, to] = process.argv.slice(2);
if (!file || !from || !to) throw new Error('usage: measure-batch.ts FILE FIRST-ID LAST-ID');
const messages = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as LabelledMessage)
  .filter((m) => m.id >= from && m.id <= to);
const off: ComposePolicy = { ...DEFAULT_COMPOSE_POLICY, disabledDetectors: ['learned'] };
const types = (m: LabelledMessage, policy: ComposePolicy) =>
  scanMessage(m, policy, { now: CORPUS_NOW })
    .filter((f) => confidenceAtLeast(f.confidence, policy.minConfidence))
    .map((f) => f.type as string);
const confidential = messages.filter((m) => m.outcome === 'warn');
const ordinary = messages.filter((m) => m.outcome === 'send');
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
for (const [label, policy] of [
  ['with the learned check', DEFAULT_COMPOSE_POLICY],
  ['detectors alone', off],
] as const) {
  const caught = confidential.filter((m) => types(m, policy).length > 0);
  const wrong = ordinary.filter((m) => types(m, policy).length > 0);
  const byLearned = wrong.filter((m) => types(m, policy).every((t) => t === 'learned')).length;
  console.log(
    `${label}: recall ${(caught.length / Math.max(1, confidential.length)).toFixed(3)} (${caught.length}/${confidential.length}), false warnings ${pct(wrong.length, ordinary.length)} (${wrong.length}/${ordinary.length}; learned alone ${byLearned})`,
  );
  if (process.argv.includes('--ids')) {
    console.log(
      `  missed: ${confidential
        .filter((m) => !caught.includes(m))
        .map((m) => m.id)
        .join(' ')}`,
    );
    console.log(
      `  false warnings: ${wrong.map((m) => `${m.id}[${types(m, policy).join(',')}]`).join(' ')}`,
    );
  }
}
