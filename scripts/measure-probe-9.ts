/**
 * One measurement of probe set 9 (issue 13): how often the compose check warns on ordinary mail
 * about one named person, with and without the learned check. Prints counts only, never messages
 * or ids. Run: node --import tsx scripts/measure-probe-9.ts
 */
import '../lib/dlp/custom-patterns.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { confidenceAtLeast } from '../lib/dlp/detectors.ts';
import { type ComposePolicy, DEFAULT_COMPOSE_POLICY } from '../lib/dlp/policy.ts';
import { scanMessage } from '../lib/dlp/scan.ts';
import { CORPUS_NOW, type LabelledMessage } from '../tests/fixtures/dlp-corpus/evaluate.ts';

const file = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../tests/fixtures/dlp-corpus/probe-9.jsonl',
);
const messages: LabelledMessage[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as LabelledMessage);

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
const row = (label: string, policy: ComposePolicy) => {
  const fw = ordinary.filter((m) => warningTypes(m, policy).length > 0).length;
  const caught = confidential.filter((m) => warningTypes(m, policy).length > 0).length;
  console.log(
    `${label}: false warnings ${fw}/${ordinary.length}, recall ${caught}/${confidential.length}`,
  );
};
row('default policy', DEFAULT_COMPOSE_POLICY);
row('learned disabled', withoutLearned);

let onlyLearned = 0;
const typeCounts = new Map<string, number>();
const perCategory = new Map<string, { n: number; warned: number; warnedNoLearned: number }>();
for (const m of messages) {
  const types = warningTypes(m, DEFAULT_COMPOSE_POLICY);
  const typesNoLearned = warningTypes(m, withoutLearned);
  if (m.outcome === 'send') {
    if (types.length > 0 && types.every((t) => t === 'learned')) onlyLearned++;
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
  `ordinary messages warned only because of a 'learned' finding: ${onlyLearned}/${ordinary.length}`,
);
console.log('finding types behind warnings on ordinary mail (messages per type):');
for (const [t, n] of [...typeCounts].sort()) console.log(`  ${t}: ${n}`);
console.log('per category (warned default / warned learned-disabled / n):');
for (const [k, c] of [...perCategory].sort())
  console.log(`  ${k}: ${c.warned} / ${c.warnedNoLearned} / ${c.n}`);
