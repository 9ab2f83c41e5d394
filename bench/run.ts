/**
 * `npm run bench`: every benchmark area in turn, each with its own header and figures, then one
 * summary table to paste into the README. An area that fails or cannot run here (no Chromium, no
 * root for the managed-policy file, a bench still being written) says so and the rest still run.
 *
 *   npm run bench                  all areas
 *   npm run bench -- --only apply  one area (or a comma-separated list: --only compile,apply)
 *   npm run bench -- --list        the areas
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { record, recorded } from './summary.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

type Area = {
  name: string;
  file: string;
  what: string;
  /** For benches that do not record into summary.ts: which printed lines go in the summary. */
  pick?: RegExp;
  /** Or a reader that turns what the bench printed into summary rows. */
  summarise?: (printed: string) => Row[];
};

type Row = { measure: string; value: string; target?: string; met?: boolean };

function summariseRuleLists(printed: string): Row[] {
  const rows: Row[] = [];
  for (const line of printed.split('\n')) {
    const parse = /^\s+(.+?)\s{2,}([\d,]+) lines\s+(\d+) ms\s+([\d,]+) lines\/s/.exec(line);
    if (parse && /UT1 redirector|\(plain\)/.test(parse[1]!)) {
      rows.push({
        measure: `parse + normalise ${parse[1]}, ${parse[2]} lines`,
        value: `${parse[3]} ms, ${parse[4]} lines/s`,
      });
    }
    const total = /verify \+ parse, total\s+(\d+) ms/.exec(line);
    if (total)
      rows.push({ measure: '1M-domain rule list: verify + parse', value: `${total[1]} ms` });
  }
  return rows;
}

function summariseServer(printed: string): Row[] {
  const rows: Row[] = [];
  for (const line of printed.split('\n')) {
    const rate = /(\d+) batches\/s \(target ([\d,]+): (met|NOT met)\)/.exec(line);
    if (rate) {
      rows.push({
        measure: 'ingest, 10-row batches',
        value: `${rate[1]} batches/s`,
        target: `≥ ${rate[2]}/s`,
        met: rate[3] === 'met',
      });
    }
    const latency = /latency (p50 .*)$/.exec(line);
    if (latency) rows.push({ measure: 'ingest latency', value: latency[1]! });
    const once = /batches stored (\d+) \(expected (\d+)\)/.exec(line);
    if (once) {
      rows.push({
        measure: 'exactly once: batches stored / expected',
        value: `${once[1]} / ${once[2]}`,
        target: 'equal',
        met: once[1] === once[2],
      });
    }
  }
  return rows;
}

/** DLP prints tables: keep would-warn precision/recall per corpus and wall-time percentiles. */
function summariseDlp(printed: string): Row[] {
  const rows: Row[] = [];
  let title = '';
  let label = '';
  for (const line of printed.split('\n')) {
    if (/^\S/.test(line)) title = line.replace(/\s*\(.*$/, '').trim();
    const any = /^\s+any \(would warn\)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)/.exec(line);
    if (any) {
      rows.push({
        measure: `${title}: would warn`,
        value: `precision ${any[4]}, recall ${any[5]} (TP ${any[1]}, FP ${any[2]}, FN ${any[3]})`,
      });
    }
    const scan = /^\s{2}(\S.*?) \(\d+ findings/.exec(line);
    if (scan) label = scan[1]!;
    const wall = /^\s+wall\s+(.*)$/.exec(line);
    if (wall) {
      rows.push({
        measure: `scan 100 KB, ${label} (target p95 < 10 ms)`,
        value: wall[1]!.replace(/\s{2,}/g, ', '),
      });
    }
  }
  return rows;
}

const AREAS: Area[] = [
  { name: 'compile', file: 'compile.ts', what: 'rule compiler in Node, 10k/100k/1M domains' },
  {
    name: 'apply',
    file: 'apply.ts',
    what: 'DNR apply in Chromium vs one bare rule; memory; content scripts',
  },
  {
    name: 'startup',
    file: 'startup.ts',
    what: 'time from the service worker starting to rules in force: fresh, restart, woken worker',
  },
  {
    name: 'overlay-plan',
    file: 'overlay-plan.ts',
    what: 'the overlay plan in Node: 1% of a 1M-domain category changed',
  },
  {
    name: 'update',
    file: 'rule-list-update.ts',
    what: 'signed rule list fetched → verified → compiled → applied by Steward in Chromium',
  },
  {
    name: 'lookup',
    file: 'verdict-lookup.ts',
    what: '"test a site" with a 1M-domain list in force: first, warm, after a restart; worker heap',
  },
  {
    name: 'firefox',
    file: 'firefox.ts',
    what: 'Firefox ESR: DNR limits, one huge rule, bare apply vs Steward update, restart → rules in force',
  },
  {
    name: 'personal-use',
    file: 'personal-use.ts',
    what: 'a personal-use window switch with a 1M-domain category in force, beside a full apply',
  },
  {
    name: 'rule-lists',
    file: 'rule-lists.ts',
    what: 'list parsers and the 1M-domain rule-list document (serialise, sign, verify, parse)',
    summarise: summariseRuleLists,
  },
  {
    name: 'server',
    file: 'server.ts',
    what: 'admin server ingest throughput',
    summarise: summariseServer,
  },
  {
    name: 'events',
    file: 'events-postgres.ts',
    what: 'detailed-events table at 10 million rows on PostgreSQL: size and search times',
    pick: /rows over|size:|search |prune/,
  },
  {
    name: 'mailbox',
    file: 'mailbox.ts',
    what: 'personal-mailbox labels: per-check cost in the content script, header rules',
    pick: /µs/,
  },
  {
    name: 'dlp',
    file: 'dlp.ts',
    what: 'send-warning detectors: precision/recall and scan time',
    summarise: summariseDlp,
  },
  {
    name: 'first-send',
    file: 'first-send.ts',
    what: "the first Send in a webmail page: the send check's CPU after the page's idle warm-up",
  },
  {
    name: 'dlp-patterns',
    file: 'dlp-patterns.ts',
    what: 'school patterns on RE2: evil patterns at 1k/10k/100k, 100 KB scan with ten patterns, engine size',
  },
];

function machine(): string {
  const cpus = os.cpus();
  let chromium = 'not installed';
  try {
    chromium =
      /Chromium [\d.]+/.exec(
        execFileSync('/usr/bin/chromium', ['--version'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      )?.[0] ?? 'unknown';
  } catch {
    // absent: the browser areas say so themselves
  }
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}, ${chromium}`;
}

async function runArea(area: Area): Promise<void> {
  const file = path.join(here, area.file);
  console.log(`\n━━ ${area.name}: ${area.what} ━━`);
  if (!existsSync(file)) {
    console.log(`skipped: bench/${area.file} does not exist yet`);
    record({ area: area.name, measure: area.what, value: 'skipped (no bench yet)' });
    return;
  }
  const started = performance.now();
  const printed: string[] = [];
  // Everything the bench prints (console.log or process.stdout.write) is kept for the summary.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  const before = recorded().length;
  try {
    const mod = (await import(pathToFileURL(file).href)) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') throw new Error(`bench/${area.file} exports no run()`);
    await mod.run();
    if (area.summarise && recorded().length === before) {
      for (const row of area.summarise(printed.join(''))) record({ area: area.name, ...row });
    }
    if (area.pick && recorded().length === before) {
      for (const line of printed.join('').split('\n')) {
        if (area.pick.test(line)) {
          const [measure, ...value] = line.trim().split(/:\s+/);
          record({
            area: area.name,
            measure: value.length > 0 ? measure! : '',
            value: value.length > 0 ? value.join(': ') : line.trim().replace(/\s{2,}/g, ' '),
          });
        }
      }
    }
  } catch (error) {
    process.stdout.write = write;
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.log(`FAILED: ${message}`);
    record({ area: area.name, measure: area.what, value: 'FAILED (see output above)' });
  } finally {
    process.stdout.write = write;
  }
  console.log(`(${area.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

function summaryTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| area | measure | figure | target | met |', '|---|---|---|---|---|'];
  for (const row of recorded()) {
    const met = row.met === undefined ? '' : row.met ? 'yes' : '**no**';
    lines.push(
      `| ${row.area} | ${cell(row.measure)} | ${cell(row.value)} | ${cell(row.target ?? '')} | ${met} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, list: { type: 'boolean' } },
  });
  if (values.list) {
    for (const a of AREAS) console.log(`${a.name.padEnd(11)} ${a.what}`);
    return 0;
  }
  const wanted = values.only?.split(',').map((s) => s.trim());
  const unknown = wanted?.filter((w) => !AREAS.some((a) => a.name === w)) ?? [];
  if (unknown.length > 0) {
    console.error(
      `Unknown area ${unknown.join(', ')}. Areas: ${AREAS.map((a) => a.name).join(', ')}.`,
    );
    return 2;
  }
  const areas = wanted ? AREAS.filter((a) => wanted.includes(a.name)) : AREAS;
  const started = performance.now();
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const loadAtStart = load();
  console.log(`Steward benchmarks on ${machine()}; load average ${loadAtStart}`);
  for (const area of areas) await runArea(area);
  console.log(
    `\n━━ summary (${((performance.now() - started) / 1000).toFixed(0)} s in all; paste into the README) ━━\n`,
  );
  console.log(`Machine: ${machine()}; load average ${loadAtStart} at start, ${load()} at end\n`);
  console.log(summaryTable());
  return 0;
}

process.exitCode = await main();
