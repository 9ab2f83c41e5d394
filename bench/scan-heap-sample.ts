/**
 * Where a scan's allocation comes from (h30-scan2): issue 13's case as in `scan-allocation.ts`,
 * V8's sampling heap profiler over 60 scans with the objects minor and major collections freed
 * kept, summed by function (self), in KB per scan.
 *
 *   node --import tsx bench/scan-heap-sample.ts
 */
import './dlp-patterns.ts';
import { Session } from 'node:inspector/promises';
import { parseComposePolicy } from '../lib/dlp/policy.ts';
import { scanMessageWithReport } from '../lib/dlp/scan.ts';
import { CORPUS_NOW } from '../tests/fixtures/dlp-corpus/evaluate.ts';
import { SCHOOL_PATTERNS, schoolCodesMessage } from '../tests/fixtures/dlp-corpus/scan-snapshot.ts';

type Node = {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
};
const parsed = parseComposePolicy(SCHOOL_PATTERNS);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const message = schoolCodesMessage();
const scan = () => scanMessageWithReport(message, parsed.policy, { now: CORPUS_NOW });
for (let i = 0; i < 30; i++) scan();
const SCANS = 60;
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 512,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
for (let i = 0; i < SCANS; i++) scan();
const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
  profile: { head: Node };
};
const by = new Map<string, number>();
let total = 0;
// A built-in (exec, join, push…) is named with the function that called it.
const walk = (n: Node, caller = '') => {
  const f = n.callFrame;
  const own = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}`;
  const k = f.url === '' && caller !== '' ? `${own}← ${caller}` : own;
  by.set(k, (by.get(k) ?? 0) + n.selfSize);
  total += n.selfSize;
  for (const c of n.children) walk(c, f.url === '' ? caller : own);
};
walk(profile.head);
console.log(`sampled ${(total / SCANS / 1024).toFixed(0)} KB per scan`);
for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) {
  console.log(`${(v / SCANS / 1024).toFixed(1).padStart(7)} KB  ${k}`);
}
