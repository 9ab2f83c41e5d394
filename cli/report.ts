/**
 * `steward report governors`: the termly report for governors, from the server's own database
 * (the same environment as `npm run server`: STEWARD_DATA_DIR or DATABASE_URL), as print-ready
 * HTML and, with --pdf, as a PDF printed by headless Chromium.
 *
 * Why Chromium for the PDF, and from the CLI: the report is HTML already (the dashboard serves the
 * same page for the browser's Print). Printing that page with the browser the school runs gives a
 * PDF identical to what governors see on screen, with no second layout to keep in step (a PDF
 * library such as pdfkit would need every table and chart drawn again by hand). The server itself
 * never starts a browser: a browser process per request is a poor thing to put behind a login
 * form, and the server must not depend on devDependencies (puppeteer-core, Playwright) at run
 * time. The CLI starts the system Chromium directly (`--headless --print-to-pdf`), so it needs no
 * Node package either; --chromium or STEWARD_CHROMIUM names another browser binary.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { configFromEnv } from '../server/config.ts';
import { renderGovernorsReport } from '../server/governors-report.ts';
import { governorsReportFor } from '../server/governors-routes.ts';
import { AccessRequests } from '../server/requests.ts';
import { openPostgresStore } from '../server/store/postgres.ts';
import { openSqliteStore } from '../server/store/sqlite.ts';
import type { Store } from '../server/store/types.ts';
import {
  HELP_OPTION,
  helpRequested,
  InputError,
  parseCommandLine,
  runCommand,
  UsageError,
} from './common.ts';

export const summary = "print the governors' termly report (HTML or PDF)";

const HELP = `Usage: steward report governors [options]

  The filtering and monitoring report for governors, from the admin server's database. Reads the
  same environment as the server: STEWARD_DATA_DIR (default ./.data) or DATABASE_URL.

      --from YYYY-MM-DD   first day (default: 13 weeks before --to)
      --to YYYY-MM-DD     last day (default: today)
      --group NAME        one group or school only (policy reportGroup)
      --school NAME       the school or trust's name for the title
      --html FILE         write the print-ready HTML here
      --pdf FILE          print it to PDF with headless Chromium
      --chromium PATH     the browser to print with (default: STEWARD_CHROMIUM or /usr/bin/chromium)

  Example: steward report governors --from 2026-09-01 --to 2026-12-18 --pdf autumn-term.pdf
`;

const exec = promisify(execFile);

/** Pages in a PDF, counted from its page objects (enough to check a print produced pages). */
export function pdfPageCount(bytes: Buffer): number {
  return (bytes.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

/** Print an HTML file to PDF with headless Chromium; throws with Chromium's words on failure. */
export async function printToPdf(
  htmlFile: string,
  pdfFile: string,
  chromium: string,
): Promise<void> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'steward-print-'));
  try {
    await exec(
      chromium,
      [
        '--headless',
        '--disable-gpu',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        `--user-data-dir=${profile}`,
        '--no-pdf-header-footer',
        // Chromium refuses to start as root with its sandbox (containers, CI). The page printed
        // is the report this command just wrote, with no script and no network address.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        `--print-to-pdf=${pdfFile}`,
        pathToFileURL(htmlFile).href,
      ],
      { timeout: 60_000 },
    );
  } catch (error) {
    const e = error as { stderr?: string; message: string; code?: string };
    throw new InputError(
      e.code === 'ENOENT'
        ? `no browser at ${chromium}: install Chromium or pass --chromium PATH`
        : `Chromium could not print the report: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' ')}`,
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

async function governors(args: string[]): Promise<number> {
  const { values } = parseCommandLine('governors', () =>
    parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        group: { type: 'string' },
        school: { type: 'string' },
        html: { type: 'string' },
        pdf: { type: 'string' },
        chromium: { type: 'string' },
        ...HELP_OPTION,
      },
    }),
  );
  if (helpRequested(values, HELP)) return 0;
  if (!values.html && !values.pdf) {
    throw new UsageError('governors: give --html FILE, --pdf FILE or both.');
  }
  const query = new URL('http://localhost/reports/governors');
  if (values.from) query.searchParams.set('from', values.from);
  if (values.to) query.searchParams.set('to', values.to);
  if (values.group !== undefined) query.searchParams.set('group', values.group);

  let config: ReturnType<typeof configFromEnv>;
  try {
    config = configFromEnv();
  } catch (error) {
    throw new InputError(String((error as Error).message));
  }
  if (!config.databaseUrl && !existsDir(config.dataDir)) {
    throw new InputError(
      `no database in ${config.dataDir}: set STEWARD_DATA_DIR (or DATABASE_URL) as for the server`,
    );
  }
  const store: Store = config.databaseUrl
    ? openPostgresStore(config.databaseUrl, 2)
    : openSqliteStore(config.dataDir);
  let html: string;
  try {
    await store.migrate();
    // The access-request inbox lives in the data folder beside the database (server/requests.ts).
    const inbox = new AccessRequests(config.dataDir);
    const built = await governorsReportFor(
      {
        store,
        requestTotals: (fromMs, toMs) => inbox.totals(fromMs, toMs),
        ...(values.school ? { schoolName: values.school } : {}),
      },
      query,
      Date.now(),
    );
    if (!built.ok) throw new UsageError(`governors: ${built.message}.`);
    html = renderGovernorsReport(built.data);
  } finally {
    await store.close();
  }

  const written: string[] = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'steward-report-'));
  try {
    const htmlFile = values.html ? path.resolve(values.html) : path.join(tmp, 'report.html');
    writeFileSync(htmlFile, html);
    if (values.html) written.push(htmlFile);
    if (values.pdf) {
      const pdfFile = path.resolve(values.pdf);
      const chromium = values.chromium ?? process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium';
      await printToPdf(htmlFile, pdfFile, chromium);
      const pages = pdfPageCount(readFileSync(pdfFile));
      if (pages === 0) throw new InputError(`Chromium wrote ${pdfFile} but it has no pages`);
      written.push(`${pdfFile} (${pages} ${pages === 1 ? 'page' : 'pages'})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`Wrote ${written.join(' and ')}.\n`);
  return 0;
}

function existsDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export function run(args: string[]): Promise<number> {
  return runCommand('report', HELP, { governors }, args);
}
