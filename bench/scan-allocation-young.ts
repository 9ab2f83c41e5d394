/**
 * Bytes a scan allocates with no collection at all (h31-scan): issue 13's case as in
 * `scan-allocation.ts`, run with a young generation large enough for many scans, so no forced
 * `gc()` runs between them (after a full collection a scan allocates ~350 KB more, counted in
 * `scan-allocation.ts`'s figure; not attributed). Allocation is `heapUsed` after 40
 * scans minus before them, over 40, when no collection ran (one scan's own difference moves in
 * steps of the young generation's allocation buffers, so the median of single scans is coarse).
 *
 *   node --expose-gc --max-semi-space-size=512 --min-semi-space-size=512 --import tsx bench/scan-allocation-young.ts [--fresh]
 */
import './dlp-patterns.ts';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseComposePolicy } from '../lib/dlp/policy.ts';
import { scanMessageWithReport } from '../lib/dlp/scan.ts';
import { CORPUS_NOW } from '../tests/fixtures/dlp-corpus/evaluate.ts';
import { SCHOOL_PATTERNS, schoolCodesMessage } from '../tests/fixtures/dlp-corpus/scan-snapshot.ts';

const parsed = parseComposePolicy(SCHOOL_PATTERNS);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const message = schoolCodesMessage();
// `--fresh`: each scan a body not scanned before (the message less its last 1 to 80 characters,
// made before the measure), so that no cache of an earlier scan's searches of the same text
// (V8 keeps some results of `split` and global searches until a full collection) is reused.
const fresh = process.argv.includes('--fresh');
const bodies = Array.from({ length: 80 }, (_, i) =>
  message.body.slice(0, message.body.length - 1 - i),
);
let scans = 0;
const scan = () =>
  scanMessageWithReport(
    fresh ? { ...message, body: bodies[scans++ % bodies.length]! } : message,
    parsed.policy,
    { now: CORPUS_NOW },
  );
for (let i = 0; i < 30; i++) scan();
// A full collection now, then scans again to compile what it dropped: none may run in the measure.
(globalThis as { gc?: () => void }).gc?.();
for (let i = 0; i < 5; i++) scan();
let collections = 0;
const observer = new PerformanceObserver((list) => {
  collections += list.getEntries().length;
});
observer.observe({ entryTypes: ['gc'] });
await new Promise((resolve) => setTimeout(resolve, 10));
const seen = collections;
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 40; i++) scan();
const after = process.memoryUsage().heapUsed;
await new Promise((resolve) => setTimeout(resolve, 10));
observer.disconnect();
console.log(
  collections === seen
    ? `allocated per scan, no collection: ${Math.round((after - before) / 40 / 1024)} KB (mean of 40 scans${fresh ? ', each of a body not scanned before' : ', the same message'})`
    : `a collection ran in the 40 scans (${collections - seen}): run with --expose-gc --max-semi-space-size=512 --min-semi-space-size=512`,
);
