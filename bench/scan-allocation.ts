/**
 * Bytes allocated per scan and garbage collections, issue 13's case (h28-scan): the 100 KB
 * message with the school's references and `SCHOOL_PATTERNS`, the modules loaded in the order of
 * `bench/dlp-patterns.ts` (imported first, so V8 compiles the regexps in the same order).
 *
 *   node --import tsx --expose-gc bench/scan-allocation.ts [scans=400] [--no-alloc]
 *
 * Allocation: `heapUsed` after a scan minus before it, with a full `gc()` before each, median of
 * 40 (no collection can run inside a scan of ~2–3 MB then). Time: `scans` scans without forced
 * collections, wall p50/p95, and the same over the scans no scavenge ran in (`PerformanceObserver`
 * `gc` entries). `--no-alloc` skips the forced collections: they change the times that follow.
 * Alternate processes of two trees to compare them; allocation is deterministic, times are not.
 */
import './dlp-patterns.ts';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseComposePolicy } from '../lib/dlp/policy.ts';
import { scanMessageWithReport } from '../lib/dlp/scan.ts';
import { CORPUS_NOW } from '../tests/fixtures/dlp-corpus/evaluate.ts';
import { SCHOOL_PATTERNS, schoolCodesMessage } from '../tests/fixtures/dlp-corpus/scan-snapshot.ts';

const gc = (globalThis as { gc?: () => void }).gc;
const scans = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 400);
const parsed = parseComposePolicy(SCHOOL_PATTERNS);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const policy = parsed.policy;
const message = schoolCodesMessage();
const scan = () => scanMessageWithReport(message, policy, { now: CORPUS_NOW });
for (let i = 0; i < 30; i++) scan();

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
};

const allocated: number[] = [];
if (gc && !process.argv.includes('--no-alloc')) {
  for (let i = 0; i < 40; i++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    scan();
    allocated.push(process.memoryUsage().heapUsed - before);
  }
}

const collections: { start: number; duration: number }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) collections.push({ start: e.startTime, duration: e.duration });
});
observer.observe({ entryTypes: ['gc'] });
await new Promise((resolve) => setTimeout(resolve, 10));
collections.length = 0;
const spans: [number, number][] = [];
for (let i = 0; i < scans; i++) {
  const started = performance.now();
  scan();
  spans.push([started, performance.now()]);
}
await new Promise((resolve) => setTimeout(resolve, 20));
observer.disconnect();
const withGc = new Set<number>();
for (const c of collections) {
  spans.forEach(([a, b], i) => {
    if (c.start >= a && c.start < b) withGc.add(i);
  });
}
const wall = spans.map(([a, b]) => b - a);
const clean = wall.filter((_, i) => !withGc.has(i));
const f = (v: number) => v.toFixed(2);
process.stdout.write(
  `${[
    allocated.length > 0
      ? `allocated per scan: median ${Math.round(pct(allocated, 50) / 1024)} KB (${allocated.length} scans, gc() before each)`
      : 'allocated per scan: not measured (run with --expose-gc, without --no-alloc)',
    `whole scan wall, ${scans} scans: p50 ${f(pct(wall, 50))} ms, p95 ${f(pct(wall, 95))} ms`,
    `  the ${clean.length} without a collection inside: p50 ${f(pct(clean, 50))} ms, p95 ${f(pct(clean, 95))} ms`,
    `collections: ${collections.length} (${withGc.size} scans had one), ${f(collections.reduce((s, c) => s + c.duration, 0))} ms in all`,
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  ].join('\n')}\n`,
);
