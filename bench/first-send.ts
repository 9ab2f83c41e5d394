/**
 * The first Send in a webmail page (lib/dlp/warm-up.ts): the send check's CPU time on a page's
 * first real message, after the page's idle warm-up, beside a later check of the same message.
 *
 * Each figure comes from a fresh Node process (a fresh V8 heap, as a fresh page has: nothing of
 * the scan compiled yet), once per message and warm-up:
 *  - `line`: the warm-up the page had before (one short line: the detectors' own patterns);
 *  - `steps`: today's, every step of `warmUpSteps` for one-byte text (what a page does on load);
 *  - `both`: then the two-byte steps too (what a page does once a draft holds such characters);
 * on one-byte messages and on the same messages made two-byte (a "—" and a "’" in them). Then
 * the first check of a real message of about 1.5 KB to an outside address, a later check of
 * the same message (every pattern compiled), and the heap after a garbage collection. The
 * messages are consecutive staff mail from development set 24 (written blind, not held out),
 * starting at a different message each time.
 *
 *   node --import tsx bench/first-send.ts            (the whole comparison; ~2 min)
 *   node --expose-gc --import tsx bench/first-send.ts one <line|steps|both> <one-byte|two-byte> <start>
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from './summary.ts';

const MESSAGE_CHARS = 1_500;
const STARTS = [0, 40, 80, 120, 160, 200];
type WarmUp = 'line' | 'steps' | 'both';
type Text = 'one-byte' | 'two-byte';

async function one(warmUp: WarmUp, text: Text, start: number): Promise<void> {
  const [{ checkCompose, sendCheckPolicy }, { WARM_UP_LINE, warmUpSteps }, { loadLabelledSet }] =
    await Promise.all([
      import('../lib/send-warning.ts'),
      import('../lib/dlp/warm-up.ts'),
      import('../tests/fixtures/dlp-corpus/evaluate.ts'),
    ]);
  await import('../lib/dlp/custom-patterns.ts');
  const policy = sendCheckPolicy({ orgDomains: ['school.example'], compose: {} });
  const check = (to: string, body: string) =>
    checkCompose(
      {
        recipients: { to: [to], cc: [], bcc: [] },
        subject: 'Re: Year 9',
        body,
        attachmentNames: [],
      },
      policy,
    );
  let body = '';
  for (const m of loadLabelledSet('development24').slice(start)) {
    if (body.length >= MESSAGE_CHARS) break;
    body += `${m.body}\n\n`;
  }
  // Two-byte: as a word processor writes it, a dash and a closing quote mark.
  if (text === 'two-byte') body = body.replace(', ', ' — ').replace("'", '’');
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let longestMs = 0;
  let t = cpu();
  if (warmUp === 'line') check('warm.up@example.com', WARM_UP_LINE);
  else {
    // Pulled and run one at a time, as the page's idle runner does: each timed, pull included.
    const timed = (steps: Iterator<() => void>) => {
      for (;;) {
        const started = performance.now();
        const next = steps.next();
        if (next.done) return;
        next.value();
        longestMs = Math.max(longestMs, performance.now() - started);
      }
    };
    timed(warmUpSteps((b) => check('warm.up@example.com', b)));
    if (warmUp === 'both') timed(warmUpSteps((b) => check('warm.up@example.com', b), 'two-byte'));
  }
  const warmUpMs = cpu() - t;
  if (warmUp === 'line') longestMs = warmUpMs; // one task
  t = cpu();
  check('someone@gmail.com', body);
  const firstMs = cpu() - t;
  check('someone@gmail.com', `${body} `);
  t = cpu();
  check('someone@gmail.com', `${body}  `);
  const laterMs = cpu() - t;
  (globalThis as { gc?: () => void }).gc?.();
  const heapMB = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(
    JSON.stringify({ warmUpMs, longestMs, firstMs, laterMs, heapMB, chars: body.length }),
  );
}

type Figures = {
  warmUpMs: number;
  longestMs: number;
  firstMs: number;
  laterMs: number;
  heapMB: number;
};

export async function run(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const self = path.join(here, 'first-send.ts');
  const cases = [
    ['line', 'one-byte'],
    ['steps', 'one-byte'],
    ['line', 'two-byte'],
    ['steps', 'two-byte'],
    ['both', 'two-byte'],
  ] as const;
  const by = new Map<string, Figures[]>(cases.map(([w, t]) => [`${w} ${t}`, []]));
  for (const start of STARTS) {
    for (const [warmUp, text] of cases) {
      const printed = execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', self, 'one', warmUp, text, String(start)],
        { encoding: 'utf8', cwd: path.join(here, '..') },
      );
      by.get(`${warmUp} ${text}`)!.push(JSON.parse(printed.trim().split('\n').pop()!) as Figures);
    }
  }
  const of = (warmUp: WarmUp, text: Text) => by.get(`${warmUp} ${text}`)!;
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
  const f = (x: number) => `${x.toFixed(0)} ms`;
  const line = (label: string, xs: Figures[]) =>
    `  ${label.padEnd(34)} warm-up ${f(med(xs.map((x) => x.warmUpMs)))} (longest step ${f(med(xs.map((x) => x.longestMs)))})  first Send ${f(med(xs.map((x) => x.firstMs)))} (${sorted(
      xs.map((x) => x.firstMs),
    )
      .map(f)
      .join(
        ', ',
      )})  later ${med(xs.map((x) => x.laterMs)).toFixed(1)} ms  heap ${med(xs.map((x) => x.heapMB)).toFixed(0)} MB`;
  const load = os.loadavg().map((l) => l.toFixed(2));
  console.log(
    `The first Send in a page (CPU, a fresh process per figure, ${STARTS.length} messages of ~${MESSAGE_CHARS.toLocaleString('en-GB')} characters; medians, every first Send in brackets)`,
  );
  console.log(line('before: warm-up on one short line', of('line', 'one-byte')));
  console.log(line('now: the idle warm-up (warm-up.ts)', of('steps', 'one-byte')));
  console.log('  two-byte messages (a "—" and a "’" in them):');
  console.log(line('before: warm-up on one short line', of('line', 'two-byte')));
  console.log(line('one-byte warm-up only', of('steps', 'two-byte')));
  console.log(line('now: one-byte, then two-byte', of('both', 'two-byte')));
  console.log(`  load average at the end: ${load.join(', ')} (${os.cpus().length} cores)`);
  record({
    area: 'first-send',
    measure: `first Send in a webmail page, ~${MESSAGE_CHARS.toLocaleString('en-GB')} characters, after the idle warm-up: CPU median (before → now), heap after`,
    value: `${f(med(of('line', 'one-byte').map((x) => x.firstMs)))} → ${f(med(of('steps', 'one-byte').map((x) => x.firstMs)))} (later Sends ${med(of('steps', 'one-byte').map((x) => x.laterMs)).toFixed(1)} ms); warm-up ${f(med(of('line', 'one-byte').map((x) => x.warmUpMs)))} → ${f(med(of('steps', 'one-byte').map((x) => x.warmUpMs)))} of idle CPU (longest step ${f(med(of('line', 'one-byte').map((x) => x.longestMs)))} → ${f(med(of('steps', 'one-byte').map((x) => x.longestMs)))}); heap ${med(of('line', 'one-byte').map((x) => x.heapMB)).toFixed(0)} → ${med(of('steps', 'one-byte').map((x) => x.heapMB)).toFixed(0)} MB; two-byte text ${f(med(of('line', 'two-byte').map((x) => x.firstMs)))} → ${f(med(of('both', 'two-byte').map((x) => x.firstMs)))} with both warm-ups, heap ${med(of('both', 'two-byte').map((x) => x.heapMB)).toFixed(0)} MB (load ${load[0]})`,
  });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (process.argv[2] === 'one') {
    await one(process.argv[3] as WarmUp, process.argv[4] as Text, Number(process.argv[5]));
  } else await run();
}
