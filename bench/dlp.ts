/**
 * DLP benchmark (issue 5): precision and recall per finding type on the labelled corpus
 * (`tests/fixtures/dlp-corpus/`), split into the template messages (written alongside the
 * detectors: an upper bound) and two held-out hand-written sets (see generate.ts); then the
 * staff-voice sets of issue 13: set 25 first (the session-26 round's held-out set, measured once:
 * 0.983 / 2.5%; development material since h24-tune, an upper bound, still frozen: never edit it), then set 23 (the session-24/25 round's held-out set, measured once:
 * 0.887 / 1.7%; development material since h23-tune, an upper bound, still frozen: never edit it), then set 22 (the session-24 round's held-out set, measured once:
 * 0.941 / 4.2%; development material since h22-tune, an upper bound, still frozen: never edit it), then set 21 (the honest figure of the h19 round, measured once:
 * 0.967 / 2.5%; development material since session 24, an upper bound, still frozen), then set 20 (the honest figure of the h18 round, measured once:
 * 0.907 / 4.2%; development material since h19-tune, an upper bound, still frozen: never edit it), then set 19 (the honest figure of the h17 round, measured once:
 * 0.983 / 3.4%; development material since h18-tune, an upper bound, still frozen), then set 18 (the honest figure of the h16 round, measured once:
 * 0.975 / 1.7%; development material since h17-tune, an upper bound, still frozen), then set 17 (the honest figure of the h15
 * round, 0.941 / 0.8%; development material since h16-tune, an upper bound), then dev-16b (a blind batch
 * in the weakest categories, held out as a second yardstick), then sets 16, 15, 14, 13, 12, 11 and 10 (honest in their rounds, trained on since: upper bounds), then
 * held-out set 9 (the honest figure of the h7 round: written
 * apart from its tuners, halves written to share voices, lengths, sign-offs and names, frozen before
 * any detector saw it, and kept out of the learned check's training), then the learned check's
 * leave-one-set-out cross-validation (its estimate on the sets it trains on, h7-learned), then set 8
 * (the honest figure of the h6 round, 0.882 / 5.4%, taken after h6-recall6; development material
 * since h7-learned, an upper bound), then set 7 (the honest figure of the h5 round, read and tuned
 * on since h6-recall6) and sets 6, 5, 4 and 3 (measured after tuning: development material, upper
 * bounds); then the time
 * to scan a 100 KB message, p50/p95/p99 over 300 runs, with the default policy and with a policy
 * carrying custom patterns and a word list. Target: p95 < 10 ms.
 *
 *   node --import tsx bench/dlp.ts
 */
import '../lib/dlp/custom-patterns.ts'; // the pattern engine (lib/dlp/custom-rules.ts)
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreMessage } from '../lib/dlp/learned.ts';
import {
  type ComposePolicy,
  DEFAULT_COMPOSE_POLICY,
  parseComposePolicy,
} from '../lib/dlp/policy.ts';
import { scanMessage } from '../lib/dlp/scan.ts';
import { crossValidate, loadExamples } from '../scripts/send-model.ts';
import {
  CORPUS_NOW,
  type Evaluation,
  evaluate,
  evaluateWarnings,
  type LABELLED_SETS,
  loadCorpus,
  loadLabelledSet,
  STILL_HELD_OUT,
  type WarnEvaluation,
} from '../tests/fixtures/dlp-corpus/evaluate.ts';
import { pooledLines } from '../tests/fixtures/dlp-corpus/measured-once.ts';
import { corpusMessage, numbersMessage } from '../tests/fixtures/dlp-corpus/scan-snapshot.ts';

const RUNS = 300;
const WARMUP = 30;
const TARGET_BYTES = 100 * 1024;

function table(title: string, e: Evaluation): string {
  const lines = [
    `${title} (${e.messages} messages)`,
    `  ${'type'.padEnd(18)} ${'TP'.padStart(4)} ${'FP'.padStart(4)} ${'FN'.padStart(4)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}`,
  ];
  for (const s of e.scores) {
    lines.push(
      `  ${(s.type === 'any' ? 'any (would warn)' : s.type).padEnd(18)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)} ${s.precision.toFixed(3).padStart(9)} ${s.recall.toFixed(3).padStart(7)}`,
    );
  }
  return lines.join('\n');
}

/** Would-warn recall on the confidential half, false warnings on the ordinary half, per category. */
function warnTable(title: string, w: WarnEvaluation, listErrors: boolean): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `${title} (${w.confidential + w.ordinary} messages)`,
    `  would-warn recall ${w.recall.toFixed(3)} on ${w.confidential} confidential (target >= 0.95); false warnings ${pct(w.falseWarningRate)} of ${w.ordinary} ordinary (target <= 3%)`,
    `  ${'category'.padEnd(26)} ${'warned'.padStart(9)}`,
  ];
  for (const c of w.categories) {
    const label = `${c.outcome === 'warn' ? 'confidential' : 'ordinary'}: ${c.category}`;
    lines.push(`  ${label.padEnd(40)} ${`${c.warned}/${c.messages}`.padStart(6)}`);
  }
  // Only for the development set: listing the held-out set's misses would invite tuning on it.
  if (listErrors && w.missed.length > 0) lines.push(`  missed: ${w.missed.join(' ')}`);
  if (listErrors && w.falseWarnings.length > 0)
    lines.push(`  false warnings: ${w.falseWarnings.join(' ')}`);
  return lines.join('\n');
}

/**
 * The webmail content script carries the detectors: its size is what every Gmail/Outlook tab
 * loads. Measured from the last `npx wxt build` in this checkout; the figure before issue 13 is
 * kept here for comparison.
 */
const CONTENT_SCRIPT_BEFORE_ISSUE_13 = { 'webmail.js': 283_005, 'webmail-sites.js': 282_880 };
/**
 * With re2js inside (issue 13 part 4, measured on main at 59ca07e^): since then the pattern engine
 * is a separate script (`pattern-engine.js`) injected only into webmail pages whose policy has
 * school patterns.
 */
const CONTENT_SCRIPT_WITH_RE2_INSIDE = { 'webmail.js': 461_654, 'webmail-sites.js': 461_529 };

function contentScriptSizes(): string {
  const dir = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '.output',
    'chrome-mv3',
    'content-scripts',
  );
  const lines = [
    'Webmail content script size (bytes; run `npx wxt build` first for the current figure)',
  ];
  for (const [file, before] of Object.entries(CONTENT_SCRIPT_BEFORE_ISSUE_13)) {
    const full = path.join(dir, file);
    const now = existsSync(full) ? statSync(full).size : null;
    const withRe2 =
      CONTENT_SCRIPT_WITH_RE2_INSIDE[file as keyof typeof CONTENT_SCRIPT_WITH_RE2_INSIDE];
    lines.push(
      `  ${file.padEnd(18)} before issue 13 ${before.toLocaleString('en-GB')}, with re2js inside ${withRe2.toLocaleString('en-GB')}, now ${now === null ? 'not built' : `${now.toLocaleString('en-GB')} (${now - before >= 0 ? '+' : ''}${(now - before).toLocaleString('en-GB')} on before issue 13)`}`,
    );
  }
  const engine = path.join(dir, 'pattern-engine.js');
  lines.push(
    `  ${'pattern-engine.js'.padEnd(18)} ${existsSync(engine) ? statSync(engine).size.toLocaleString('en-GB') : 'not built'} (re2js; injected only where the policy has school patterns)`,
  );
  return lines.join('\n');
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** A 100 KB body made of real corpus messages (identifiers, vocabulary, look-alikes and all). */
const bigMessage = () => corpusMessage(TARGET_BYTES);

/**
 * Wall-clock percentiles, what a member of staff waits, plus the process's CPU time per scan: on
 * this shared two-core machine other work can pre-empt a run, which inflates wall-clock tails
 * but not CPU time, so both are shown.
 */
function time(
  label: string,
  message: ReturnType<typeof bigMessage>,
  policy: ComposePolicy,
): string {
  for (let i = 0; i < WARMUP; i++) scanMessage(message, policy, { now: CORPUS_NOW });
  const wall: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    findings = scanMessage(message, policy, { now: CORPUS_NOW }).length;
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(2)} ms`;
  return [
    `  ${label} (${findings} findings, ${RUNS} runs)`,
    `    wall  p50 ${f(percentile(wall, 50))}  p95 ${f(percentile(wall, 95))}  p99 ${f(percentile(wall, 99))}`,
    `    cpu   p50 ${f(percentile(cpu, 50))}  p95 ${f(percentile(cpu, 95))}  p99 ${f(percentile(cpu, 99))}  (load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')})`,
  ].join('\n');
}

/**
 * The learned check's honest estimate: leave one labelled set out, train on the rest and the
 * template corpus, judge the set left out (scripts/send-model.ts). Beside it, the detectors alone
 * (tuned on every set but the last held-out one: those rows flatter the detectors, and so the
 * combined decision too), and the model alone at its add threshold.
 */
function learnedCrossValidation(): string {
  const started = performance.now();
  const cv = crossValidate(loadExamples());
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}% (${a}/${b})`;
  const rec = (a: number, b: number) => `${(a / b).toFixed(3)} (${a}/${b})`;
  const lines = [
    'Learned check, leave-one-set-out cross-validation (each set judged by a model trained without it; thresholds from the pooled out-of-fold scores: ' +
      `add at ${cv.thresholds.addThreshold}, quiet at ${cv.thresholds.quietThreshold}). ESTIMATES: every set was written by the same kind of writer, so a model may learn their habits.`,
    `  ${'set'.padEnd(14)} ${'detectors alone: recall'.padEnd(24)} ${'false warnings'.padEnd(16)} ${'model alone: recall'.padEnd(20)} ${'false warnings'.padEnd(16)} ${'detectors + model: recall'.padEnd(26)} false warnings`,
  ];
  const total = { p: 0, o: 0, dc: 0, df: 0, mc: 0, mf: 0, cc: 0, cf: 0 };
  for (const r of cv.rows) {
    const mine = cv.scored.filter((e) => e.set === r.set);
    const mc = mine.filter((e) => e.warn && e.score >= cv.thresholds.addThreshold).length;
    const mf = mine.filter((e) => !e.warn && e.score >= cv.thresholds.addThreshold).length;
    total.p += r.confidential;
    total.o += r.ordinary;
    total.dc += r.detectors.caught;
    total.df += r.detectors.falseWarnings;
    total.mc += mc;
    total.mf += mf;
    total.cc += r.combined.caught;
    total.cf += r.combined.falseWarnings;
    lines.push(
      `  ${r.set.padEnd(14)} ${rec(r.detectors.caught, r.confidential).padEnd(24)} ${pct(r.detectors.falseWarnings, r.ordinary).padEnd(16)} ${rec(mc, r.confidential).padEnd(20)} ${pct(mf, r.ordinary).padEnd(16)} ${rec(r.combined.caught, r.confidential).padEnd(26)} ${pct(r.combined.falseWarnings, r.ordinary)}`,
    );
  }
  lines.push(
    `  ${'all twelve'.padEnd(14)} ${rec(total.dc, total.p).padEnd(24)} ${pct(total.df, total.o).padEnd(16)} ${rec(total.mc, total.p).padEnd(20)} ${pct(total.mf, total.o).padEnd(16)} ${rec(total.cc, total.p).padEnd(26)} ${pct(total.cf, total.o)}`,
  );
  lines.push(
    `  (holdout8 is the one row where the detectors were not tuned on the set; ${((performance.now() - started) / 1000).toFixed(1)} s to scan and cross-validate, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')})`,
  );
  return lines.join('\n');
}

/**
 * The learned check's own cost on the 100 KB message: features and score, CPU time. Reading the
 * message (`scoreMessage`), not `applyLearnedCheck`: since h26-scan the scan does not read it when
 * a warning the check may not quiet stands (this message's identifiers), which would time nothing.
 */
function timeLearned(message: ReturnType<typeof bigMessage>): string {
  const findings = scanMessage(
    message,
    { ...DEFAULT_COMPOSE_POLICY, disabledDetectors: ['learned'] },
    { now: CORPUS_NOW },
  );
  for (let i = 0; i < WARMUP; i++) scoreMessage(message, findings);
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    scoreMessage(message, findings);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  const f = (v: number) => `${v.toFixed(2)} ms`;
  return `  the learned check alone (words, bigrams, score; ${RUNS} runs)\n    cpu   p50 ${f(percentile(cpu, 50))}  p95 ${f(percentile(cpu, 95))}  p99 ${f(percentile(cpu, 99))}`;
}

export async function run(): Promise<void> {
  const corpus = loadCorpus();
  const out: string[] = [
    'DLP detectors: precision and recall at the default threshold (medium)',
    '',
  ];
  const of = (t: string) => corpus.filter((m) => m.template === t);
  out.push(
    table(
      'Template messages (written alongside the detectors: an upper bound)',
      evaluate(corpus.filter((m) => !m.template.startsWith('holdout'))),
    ),
  );
  out.push('');
  out.push(
    table(
      'Held-out set 1 (hand-written; then used for one round of fixes, before which would-warn was P 0.923 R 0.600)',
      evaluate(of('holdout')),
    ),
  );
  out.push('');
  out.push(
    table(
      'Held-out set 2 (hand-written after that round; not tuned on)',
      evaluate(of('holdout-2')),
    ),
  );
  out.push('');
  out.push(table('Whole corpus', evaluate(corpus)));
  out.push('');
  // Sets 26 to 39: each written blind by a helper apart from the tuner, frozen by hash, measured
  // once on what shipped then (the figure in brackets), development material since (upper bounds
  // now). Sets still held out are never scored here; their once-only figure is quoted as text.
  const measuredOnce: readonly { set: keyof typeof LABELLED_SETS; writer: string; once: string }[] =
    [
      {
        set: 'holdout39',
        writer: 'h35-holdout39',
        once: 'session 36: recall 0.983, false warnings 3.4%',
      },
      {
        set: 'holdout38',
        writer: 'h34-holdout38',
        once: 'session 35: recall 0.992, false warnings 1.7%',
      },
      {
        set: 'holdout37',
        writer: 'h33-holdout37',
        once: 'session 34: recall 0.966, false warnings 0.0%',
      },
      {
        set: 'holdout36',
        writer: 'h32-holdout36',
        once: 'session 33: recall 0.975, false warnings 2.5%',
      },
      {
        set: 'holdout35',
        writer: 'h31-holdout35',
        once: 'session 32: recall 0.992, false warnings 2.5%',
      },
      {
        set: 'holdout34',
        writer: 'h30-holdout34',
        once: 'session 31: recall 0.966, false warnings 1.7%',
      },
      {
        set: 'holdout33',
        writer: 'h28-holdout33',
        once: 'session 30: recall 0.975, false warnings 4.2%',
      },
      {
        set: 'holdout32',
        writer: 'h28-holdout32',
        once: 'session 29: recall 1.000, false warnings 0.8%',
      },
      {
        set: 'holdout31',
        writer: 'h28-holdout31',
        once: 'session 29: recall 0.992, false warnings 0.0%',
      },
      {
        set: 'holdout30',
        writer: 'h26-holdout30',
        once: 'session 29: recall 0.958, false warnings 3.4%',
      },
      {
        set: 'holdout29',
        writer: 'h25-holdout29',
        once: 'session 28: recall 0.949, false warnings 1.7%',
      },
      {
        set: 'holdout28',
        writer: 'h25-holdout28',
        once: 'session 27: recall 0.958, false warnings 1.7%',
      },
      { set: 'holdout27', writer: 'h24-holdout27', once: 'recall 1.000, false warnings 1.7%' },
      { set: 'holdout26', writer: 'h23-holdout26', once: 'recall 0.966, false warnings 0.8%' },
    ];
  out.push(
    'Held-out set 45 (h39-holdout45, written blind in session 39 while the detectors were changed to read terms joined by a space or a hyphen either way; its brief asked for varied spellings in about a fifth of each half): still held out, not scored here; measured once in session 39 on what ships (979b8b3), by a rule written down before: recall 0.992 (117/118), false warnings 1.7% (2/118), both targets met; detectors alone 0.898 / 5.9%. Sets 40 to 44 give byte-identical output on this build.',
    'Held-out set 44 (h38-holdout44, written blind in session 38 after set 43 was measured, before any change): still held out, not scored here; measured once in session 38 on what ships, the same detectors and learned check as sets 42 and 43 measured (c731b9c): recall 0.992 (117/118), false warnings 1.7% (2/118), both targets met; detectors alone 0.898 / 0.8%.',
    'Held-out set 43 (h38-holdout43, written blind at the start of session 38 after set 42 was measured, before any change): still held out, not scored here; measured once in session 38 on what ships, the same detectors and learned check as set 42 measured (c731b9c): recall 0.958 (113/118), false warnings 2.5% (3/118), both targets met; detectors alone 0.864 / 1.7%.',
    'Held-out set 42 (h37-holdout42, written blind at the end of session 37 after set 41 was measured): still held out, not scored here; measured once at the start of session 38 on what ships (c731b9c): recall 0.958 (113/118), false warnings 0.8% (1/118), both targets met; detectors alone 0.831 / 1.7%.',
    'Held-out set 41 (h37-holdout41, written blind in session 37 before its tuning round): still held out, not scored here; measured once at the end of session 37 on what ships: recall 0.932 (110/118, three short of the target), false warnings 2.5% (3/118), detectors alone 0.839 / 0.8%; the build before that round gave the same 0.932 / 2.5%.',
    'Held-out set 40 (h36-holdout40, written blind in session 36): still held out, not scored here; measured once in session 37 on what ships: recall 0.975 (115/118), false warnings 5.1% (6/118, three over the target), detectors alone 0.915 / 6.8%; measured again after h37-tune (nothing chosen on it): 0.975 / 3.4%, detectors alone 0.915 / 5.1%.',
    '',
    // One set of 118 and 118 moves 0.8 points a message: the sets pooled, with 95% intervals.
    ...pooledLines(),
    '',
  );
  for (const { set, writer, once } of measuredOnce) {
    if (STILL_HELD_OUT.includes(set)) continue;
    const n = set.slice('holdout'.length);
    const messages = loadLabelledSet(set);
    out.push(
      warnTable(
        `Held-out set ${n} (${writer}: written blind to the detectors and the learned model, frozen by hash before any detector ran over it; measured once, ${once}; development material since then, so what is printed is an upper bound; still frozen: never edit it)`,
        evaluateWarnings(messages),
        false,
      ),
    );
    out.push(table(`Held-out set ${n} per finding type`, evaluate(messages)));
    out.push('');
  }
  const holdout25 = loadLabelledSet('holdout25');
  out.push(
    warnTable(
      "Held-out set 25 (h22-holdout25: 236 staff emails, 118 confidential and 118 ordinary, at least 4 confidential in every category; written blind to the detectors and the learned model while a tuner worked apart, frozen by hash before any detector ran over it; the session-26 round's held-out set, measured once: recall 0.983, false warnings 2.5%; development material since h24-tune (an upper bound), still frozen: never edit it)",
      evaluateWarnings(holdout25),
      false,
    ),
  );
  out.push(table('Held-out set 25 per finding type', evaluate(holdout25)));
  out.push('');
  const holdout23 = loadLabelledSet('holdout23');
  out.push(
    warnTable(
      "Held-out set 23 (h21-holdout23: 244 staff emails, 124 confidential and 120 ordinary, at least 4 confidential in every category; written blind to the detectors and the learned model while a tuner worked apart, frozen by hash before any detector ran over it; the session-24/25 round's held-out set, measured once: recall 0.887, false warnings 1.7%; development material since h23-tune (an upper bound), still frozen: never edit it)",
      evaluateWarnings(holdout23),
      false,
    ),
  );
  out.push(table('Held-out set 23 per finding type', evaluate(holdout23)));
  out.push('');
  const holdout22 = loadLabelledSet('holdout22');
  out.push(
    warnTable(
      "Held-out set 22 (h20-holdout22: 237 staff emails, 119 confidential and 118 ordinary, at least 4 confidential in every category; written blind to the detectors and the learned model while a tuner worked apart, frozen by hash before any detector ran over it; the session-24 round's held-out set, measured once: recall 0.941, false warnings 4.2%; development material since h22-tune (an upper bound), still frozen: never edit it)",
      evaluateWarnings(holdout22),
      false,
    ),
  );
  out.push(table('Held-out set 22 per finding type', evaluate(holdout22)));
  out.push('');
  const holdout21 = loadLabelledSet('holdout21');
  out.push(
    warnTable(
      'Held-out set 21 (h19-holdout21: 242 staff emails, 122 confidential and 120 ordinary, at least 4 confidential in every category; pronoun shares of the halves 41% / 48%, median lengths 35 / 31 words, Re:/Fwd: subjects 30% / 35%; written blind to the detectors and the learned model while a tuner worked apart, frozen by hash before any detector ran over it; the honest figure of the h19 round: measured once after h19-tune was merged, recall 0.967, false warnings 2.5%; development material since session 24 (an upper bound), still frozen: never edit it)',
      evaluateWarnings(holdout21),
      false,
    ),
  );
  out.push(table('Held-out set 21 per finding type', evaluate(holdout21)));
  out.push('');
  const holdout20 = loadLabelledSet('holdout20');
  out.push(
    warnTable(
      'Held-out set 20 (h18-holdout20: 236 staff emails, 118 confidential and 118 ordinary, at least 4 confidential in every category; pronoun shares of the halves 42% / 46%, median lengths 37 / 32 words, Re:/Fwd: subjects 28% / 27%; written blind to the detectors and the learned model while a tuner worked apart, frozen by hash before any detector ran over it; the honest figure of the h18 round: measured once after h18-tune was merged, recall 0.907, false warnings 4.2%; development material since h19-tune (an upper bound), still frozen: never edit it)',
      evaluateWarnings(holdout20),
      false,
    ),
  );
  out.push(table('Held-out set 20 per finding type', evaluate(holdout20)));
  out.push('');
  const holdout19 = loadLabelledSet('holdout19');
  out.push(
    warnTable(
      'Held-out set 19 (h17-holdout19: 236 staff emails, 118 confidential and 118 ordinary, at least 4 confidential in every category; 60% of the confidential half told without he/she; pronoun shares of the halves 40% / 46%, median lengths 56 / 48 words, Re:/Fwd: subjects 27% / 34%; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h17 round: measured once after h17-tune was merged, recall 0.983, false warnings 3.4%; development material since h18-tune: an upper bound, still frozen: never edited)',
      evaluateWarnings(holdout19),
      false,
    ),
  );
  out.push(table('Held-out set 19 per finding type', evaluate(holdout19)));
  out.push('');
  const holdout18 = loadLabelledSet('holdout18');
  out.push(
    warnTable(
      'Held-out set 18 (h16-holdout18: 238 staff emails, 118 confidential and 120 ordinary, at least 4 confidential in every category; 59% of the confidential half told without he/she; pronoun shares of the halves 41% / 47% and first-name shares 65% / 65%, median lengths 42 / 44 words, Re:/Fwd: subjects 33% / 45%; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h16 round: measured once after h16-tune, recall 0.975, false warnings 1.7%; development material since h17-tune: an upper bound, still frozen)',
      evaluateWarnings(holdout18),
      false,
    ),
  );
  out.push(table('Held-out set 18 per finding type', evaluate(holdout18)));
  out.push('');
  const holdout17 = loadLabelledSet('holdout17');
  out.push(
    warnTable(
      'Held-out set 17 (h15-holdout17: 237 staff emails, 119 confidential and 118 ordinary, at least 4 confidential in every category; 46% of the ordinary half about one or two named people with he/she, 56% of the confidential half told without he/she; pronoun shares of the halves 45% / 48% and first-name shares 53% / 57%, median lengths, greetings, sign-offs and Re:/Fwd: subjects alike; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h15 round: measured once after h15-tune, recall 0.941, false warnings 0.8%; read and tuned on in h16-tune, trained on since: an upper bound; still frozen, never edited)',
      evaluateWarnings(holdout17),
      false,
    ),
  );
  out.push(table('Held-out set 17 per finding type', evaluate(holdout17)));
  out.push('');
  const weakest = loadLabelledSet('development16b');
  out.push(
    warnTable(
      'Development set 16b, held out (h15-devbatch: 250 staff emails, 123 confidential in the eleven categories fresh sets miss most and 127 ordinary on the same topics or about named people; written blind as training material, held out and frozen by hash at the merge instead; measured blind by the lead with the h14 model 0.829 / 2.4% and the h15 model 0.837 / 2.4%, misses never listed)',
      evaluateWarnings(weakest),
      false,
    ),
  );
  out.push('');
  const holdout16 = loadLabelledSet('holdout16');
  out.push(
    warnTable(
      'Held-out set 16 (h14-holdout16: 237 staff emails, 118 confidential and 119 ordinary, at least 4 confidential in every category; about half the ordinary half about one or two named people with he/she, about half the confidential half told without he/she; pronoun shares of the halves 53% / 50% and first-name shares 64% / 64%, median lengths, greetings, sign-offs and Re:/Fwd: subjects alike; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h14 round: measured once after h14-tune and h14-scan13, recall 0.924, false warnings 0.0%; read and tuned on in h15-tune, trained on since: an upper bound)',
      evaluateWarnings(holdout16),
      false,
    ),
  );
  out.push(table('Held-out set 16 per finding type', evaluate(holdout16)));
  out.push('');
  const holdout15 = loadLabelledSet('holdout15');
  out.push(
    warnTable(
      'Held-out set 15 (h13-holdout15: 234 staff emails, 119 confidential and 115 ordinary, at least 4 confidential in every category; 47% of the ordinary half about one or two named people with he/she, about half the confidential half told without he/she; pronoun shares of the halves within 1 point and first-name shares within 8, median lengths, greetings, sign-offs and Re:/Fwd: subjects alike; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h13 round: measured once after h13-tune, recall 0.882, false warnings 0.9%; read and tuned on in h14-tune, trained on since: an upper bound)',
      evaluateWarnings(holdout15),
      false,
    ),
  );
  out.push(table('Held-out set 15 per finding type', evaluate(holdout15)));
  out.push('');
  const holdout14 = loadLabelledSet('holdout14');
  out.push(
    warnTable(
      'Held-out set 14 (h12-holdout14: 222 staff emails, 113 confidential and 109 ordinary, at least 4 confidential in every category; 45% of the ordinary half about named people, about half the confidential half told without he/she; pronoun and first-name shares of the halves within 4 points, median lengths, greetings, sign-offs and Re:/Fwd: subjects alike; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h12 round: measured once after h12-tune, recall 0.938, false warnings 0.9%; read and tuned on in h13-tune, trained on since: an upper bound)',
      evaluateWarnings(holdout14),
      false,
    ),
  );
  out.push(table('Held-out set 14 per finding type', evaluate(holdout14)));
  out.push('');
  const holdout13 = loadLabelledSet('holdout13');
  out.push(
    warnTable(
      'Held-out set 13 (h11-holdout13: 252 staff emails, 126 confidential and 126 ordinary, at least 4 confidential in every category; half the ordinary half about one or two named people, about 40% of the confidential half told without he/she; pronoun and first-name shares of the halves within 10 points, median lengths, greetings, sign-offs and Re:/Fwd: subjects alike; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h11 round: measured once after h11-tune, recall 0.952, false warnings 3.2%; read and tuned on in h12-tune, trained on since: an upper bound)',
      evaluateWarnings(holdout13),
      false,
    ),
  );
  out.push(table('Held-out set 13 per finding type', evaluate(holdout13)));
  out.push('');
  const holdout12 = loadLabelledSet('holdout12');
  out.push(
    warnTable(
      'Held-out set 12 (h10-holdout12: 233 staff emails, 118 confidential and 115 ordinary, at least 4 confidential in every category; half the ordinary half about one or two named people; pronoun and first-name shares of the halves within 6 points, lengths and greetings evened out before freezing; written blind to the detectors and the learned model, frozen by hash before any detector ran over it; the honest figure of the h10 round: measured once after h10-tune and h10-scan10, recall 0.915, false warnings 0.9%; read and tuned on in h11-tune, trained on since: an upper bound)',
      evaluateWarnings(holdout12),
      false,
    ),
  );
  out.push(table('Held-out set 12 per finding type', evaluate(holdout12)));
  out.push('');
  const holdout11 = loadLabelledSet('holdout11');
  out.push(
    warnTable(
      'Held-out set 11 (h9-holdout11: 226 staff emails; the honest figure of the h9 round, measured once after h9-tune: recall 0.947, false warnings 6.3%; read and tuned on in h10-tune, trained on since: an upper bound)',
      evaluateWarnings(holdout11),
      false,
    ),
  );
  out.push(table('Held-out set 11 per finding type', evaluate(holdout11)));
  out.push('');
  const holdout10 = loadLabelledSet('holdout10');
  out.push(
    warnTable(
      'Held-out set 10 (h8-holdout10: 254 staff emails, half the ordinary half about one or two named people; the honest figure of the h8 round, measured once after h8-learned2: recall 0.960, false warnings 3.1%; read and tuned on in h9-tune, trained on since: an upper bound)',
      evaluateWarnings(holdout10),
      false,
    ),
  );
  out.push(table('Held-out set 10 per finding type', evaluate(holdout10)));
  out.push('');
  const holdout9 = loadLabelledSet('holdout9');
  out.push(
    warnTable(
      'Held-out set 9 (h7-holdout9: 224 staff emails, at least 3 confidential in every category, halves written to share voices, lengths, sign-offs and names; written apart from the tuners, frozen by hash before any detector ran over it; the honest figure of h7 (measured once there), trained on by the learned check since h8-learned2: an upper bound)',
      evaluateWarnings(holdout9),
      false,
    ),
  );
  out.push(table('Held-out set 9 per finding type', evaluate(holdout9)));
  out.push('');
  out.push(
    warnTable(
      'Probe set 9 (h7-probe9: 70 ordinary staff emails about one named person, 20 confidential in the same style; written blind, frozen by hash, measured once in h7, trained on since h8-learned2: an upper bound; what set 9 cannot say: false warnings on mail about one person)',
      evaluateWarnings(loadLabelledSet('probe9')),
      false,
    ),
  );
  out.push('');
  out.push(learnedCrossValidation());
  out.push('');
  out.push(
    'The tables below run the scan as shipped, learned check included: the model was trained on every one of these sets, so for it they are in-sample (upper bounds). Its estimate is the table above.',
  );
  out.push('');
  const holdout8 = loadLabelledSet('holdout8');
  out.push(
    warnTable(
      'Set 8 (h6-holdout8: 186 staff emails, frozen by hash; honest in the h6 round: recall 0.882 (82/93), false warnings 5.4% (5/93) after h6-recall6; development material since h7-learned (the learned check trains on it), so an upper bound now)',
      evaluateWarnings(holdout8),
      false,
    ),
  );
  out.push(table('Set 8 per finding type', evaluate(holdout8)));
  out.push('');
  const holdout7 = loadLabelledSet('holdout7');
  out.push(
    warnTable(
      'Set 7 (h5-holdout7: 183 staff emails, frozen by hash; honest in the h5 round: recall 0.913 (84/92), false warnings 3.3% (3/91) after h5-recall5; SEEN and tuned on in h6-recall6, so an upper bound now)',
      evaluateWarnings(holdout7),
      true,
    ),
  );
  out.push(table('Set 7 per finding type', evaluate(holdout7)));
  out.push('');
  const holdout6 = loadLabelledSet('holdout6');
  out.push(
    warnTable(
      'Set 6 (h4-holdout6: 182 staff emails, frozen by hash; honest in the h4 round: recall 0.804 -> 0.859, false warnings 8.9% -> 7.8%; SEEN and tuned on in h5-recall5, so an upper bound now)',
      evaluateWarnings(holdout6),
      true,
    ),
  );
  out.push(table('Set 6 per finding type', evaluate(holdout6)));
  out.push('');
  const holdout5 = loadLabelledSet('holdout5');
  out.push(
    warnTable(
      'Set 5 (h3-holdout5: 174 staff emails, frozen by hash; honest in the h3-recall round: recall 0.733 -> 0.895, false warnings 3.4% -> 2.3%; SEEN and tuned on in h4-recall4, so an upper bound now)',
      evaluateWarnings(holdout5),
      true,
    ),
  );
  out.push(table('Set 5 per finding type', evaluate(holdout5)));
  out.push('');
  const holdout4 = loadLabelledSet('holdout4');
  out.push(
    warnTable(
      'Set 4 (h2-dlp: 160 staff emails, frozen by hash; honest in h2-dlp: recall 0.768 -> 0.793, false warnings 6.4% -> 0.0%; SEEN and tuned on in h3-recall, so an upper bound now)',
      evaluateWarnings(holdout4),
      true,
    ),
  );
  out.push(table('Set 4 per finding type', evaluate(holdout4)));
  out.push('');
  const holdout3 = loadLabelledSet('holdout');
  out.push(
    warnTable(
      'Set 3 (first measured: recall 0.333, false warnings 13.8%, then 0.845 and 6.3%, then 0.881 and 2.5%; SEEN and tuned on in h3-recall, so an upper bound now)',
      evaluateWarnings(holdout3),
      true,
    ),
  );
  out.push(table('Set 3 per finding type', evaluate(holdout3)));
  out.push('');
  for (const [set, title] of [
    ['development', 'Development set 3 (staff voices, tuned on: an upper bound)'],
    [
      'development4',
      "Development set 4 (h2-dlp, written for set 3's weak categories; tuned on: an upper bound)",
    ],
    [
      'development5',
      'Development set 5 (h3-recall: 339 messages across the taxonomy in seven batches, each measured blind before tuning: recall 0.458, 0.77, 0.54, 0.72, 0.60, 0.72, 0.76; tuned on: an upper bound)',
    ],
    [
      'development6',
      "Development set 6 (h4-recall4: 401 messages, set 5's weak categories then the whole taxonomy, in eight batches, each measured blind before tuning: recall 0.415, 0.500, 0.615, 0.640, 0.885, 0.654, 0.500, 0.500; false warnings 3.2%, 4.3%, 0%, 0%, 0%, 4.8%, 0%, 5.0%; tuned on: an upper bound)",
    ],
    [
      'development7',
      "Development set 7 (h5-recall5: set 6's false-warning shapes and missed blocks, then the taxonomy, in batches each measured blind before tuning (figures in the README); tuned on: an upper bound)",
    ],
    [
      'development8',
      'Development set 8 (h6-recall6: staff mail across the taxonomy and its near-misses, in batches each measured blind before tuning (figures in evaluate.ts, LABELLED_SETS); tuned on: an upper bound)',
    ],
  ] as const) {
    out.push(warnTable(title, evaluateWarnings(loadLabelledSet(set)), true));
    out.push('');
  }
  out.push(contentScriptSizes());
  out.push('');

  const message = bigMessage();
  const custom = parseComposePolicy({
    customPatterns: [
      { name: 'Staff number', pattern: 'STF-\\d{6}' },
      { name: 'Exam candidate', pattern: '\\b\\d{5}[A-Z]?\\d{4}\\b', keywords: ['candidate'] },
      { name: 'Case ref', pattern: 'CASE-[A-Z]{2}\\d{5}', flags: 'i' },
    ],
    customWords: [{ name: 'Projects', words: ['Operation Falcon', 'Bluebird', 'Kestrel review'] }],
  });
  if (!custom.ok) throw new Error(custom.errors.join('\n'));
  const digits = numbersMessage(TARGET_BYTES);
  out.push(
    `Scanning a ${Math.round(Buffer.byteLength(message.body) / 1024)} KB message (target p95 < 10 ms)`,
  );
  out.push(time('default policy', message, DEFAULT_COMPOSE_POLICY));
  out.push(time('3 custom patterns + a word list', message, custom.policy));
  out.push(time('100 KB of numbers (worst case for identifiers)', digits, DEFAULT_COMPOSE_POLICY));
  out.push(timeLearned(message));
  const load = os.loadavg().map((l) => l.toFixed(2));
  out.push(`  load average at the end: ${load.join(', ')} (${os.cpus().length} cores)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) await run();
