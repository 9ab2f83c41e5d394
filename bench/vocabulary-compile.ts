/**
 * Compiling both vocabularies (h30-scan2): the first compile in a fresh process, then the first
 * and second scan of issue 13's message (or its first `bytes`) with them, since a part of the gate
 * built lazily is paid in the first scan, then warm compiles (median of 5). Wall and process CPU
 * time (this machine is shared: CPU time says more), and on trees that build the second check
 * lazily, how many gated terms' starts the first scan read. Alternate processes of two trees.
 *
 *   node --import tsx bench/vocabulary-compile.ts [bytes=102400]
 */
import os from 'node:os';
import { compileVocabulary, shippedVocabularyMatches, vocabulary } from '../lib/dlp/detectors.ts';
import { schoolCodesMessage } from '../tests/fixtures/dlp-corpus/scan-snapshot.ts';

const bytes = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 102_400);
const m = schoolCodesMessage(bytes);
const message = `${m.subject ?? ''}\n${m.body}`;
const timed = (fn: () => void): string => {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const cpu = process.cpuUsage(c);
  return `${(performance.now() - t).toFixed(1)}/${((cpu.user + cpu.system) / 1000).toFixed(1)}`;
};
type Lazy = { pending?: Map<number, unknown[]> };
const filed = (): number | null => {
  let n = 0;
  for (const v of vocabulary()) {
    const d = v.byFirst?.gate?.deep as Lazy | undefined;
    if (!d?.pending) return null;
    for (const l of d.pending.values()) n += l.length;
  }
  return n;
};
const first = timed(() => vocabulary());
const before = filed();
const firstScan = timed(() => shippedVocabularyMatches(message));
const after = filed();
const secondScan = timed(() => shippedVocabularyMatches(message));
const warm: number[] = [];
for (let i = 0; i < 5; i++) {
  const c = process.cpuUsage();
  compileVocabulary(false);
  compileVocabulary(true);
  const cpu = process.cpuUsage(c);
  warm.push((cpu.user + cpu.system) / 1000);
}
warm.sort((a, b) => a - b);
const read = before === null || after === null ? '' : `, terms read ${before - after} of ${before}`;
console.log(
  `${bytes} B, wall/cpu ms: first compile ${first}, first scan ${firstScan}${read}, second ` +
    `${secondScan}, warm compile cpu median ${warm[2]!.toFixed(1)} (load ${os.loadavg()[0]!.toFixed(2)})`,
);
