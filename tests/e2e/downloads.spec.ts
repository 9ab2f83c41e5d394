/**
 * Software downloads end to end (issue 11 part 2): a real installer at a real hostname is stopped
 * before anything lands on disk, a PDF is not, and in warn mode "Download anyway" fetches that one
 * file exactly once (judged by the local server's request count and the downloads folder).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { axeViolations } from './support/axe.ts';
import {
  applyPolicy,
  EXTENSION_ID,
  enforcement,
  expect,
  launchWithDownloadsFolder,
  serviceWorkerOf,
  test,
  WITHOUT_EXTENSION,
  writePolicy,
} from './support/extension.ts';
import type { SiteServer } from './support/sites.ts';

const STOPPED_PAGE = `chrome-extension://${EXTENSION_ID}/download-stopped.html`;
const VENDOR = 'www.7-zip.org';
const GOV = 'www.gov.uk';
const PDF_BYTES = Buffer.from('%PDF-1.4\n% a worksheet\n%%EOF\n');
const EXE_BYTES = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2048, 0x90)]);

/** Serve an installer, a PDF, a disguised installer and a page that links to them. */
function serveFiles(sites: SiteServer) {
  return sites.handle((req, res) => {
    const host = req.headers.host?.split(':')[0];
    const path = req.url ?? '/';
    if (host === VENDOR && path === '/download.html') {
      res
        .writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' })
        .end(
          '<!doctype html><html lang="en"><title>7-Zip</title><body>' +
            '<a id="exe" href="/a/7z2409-x64.exe">Download 7-Zip</a> ' +
            '<a id="disguised" href="/a/timetable">Timetable</a>' +
            '</body></html>',
        );
      return true;
    }
    if (host === VENDOR && path === '/a/7z2409-x64.exe') {
      res
        .writeHead(200, {
          'content-type': 'application/x-msdownload',
          'content-disposition': 'attachment; filename="7z2409-x64.exe"',
          'cache-control': 'no-store',
        })
        .end(EXE_BYTES);
      return true;
    }
    if (host === VENDOR && path === '/a/timetable') {
      // A harmless-looking URL whose Content-Disposition name hides an .exe.
      res
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-disposition': 'attachment; filename="timetable.pdf.exe"',
        })
        .end(EXE_BYTES);
      return true;
    }
    if (host === GOV && path === '/lesson.html') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html lang="en"><title>Lesson</title><body><a id="pdf" href="/media/worksheet.pdf">Worksheet</a></body></html>',
        );
      return true;
    }
    if (host === GOV && path === '/media/worksheet.pdf') {
      res
        .writeHead(200, {
          'content-type': 'application/pdf',
          'content-disposition': 'attachment; filename="worksheet.pdf"',
        })
        .end(PDF_BYTES);
      return true;
    }
    return false;
  });
}

/** Wait until Steward has applied its first rules after install (slow on a loaded machine). */
async function installed(context: BrowserContext): Promise<void> {
  if (WITHOUT_EXTENSION) return;
  const worker = await serviceWorkerOf(context);
  await expect
    .poll(async () => (await enforcement(worker))?.appliedAt ?? null, { timeout: 120_000 })
    .not.toBeNull();
}

const requests = (sites: SiteServer, path: string) =>
  sites.seen.filter((r) => r.host === VENDOR && r.path === path).length;

/** Files the browser finished writing (Playwright names them by GUID; partials end .crdownload). */
const filesIn = (dir: string) => readdirSync(dir).filter((f) => !f.endsWith('.crdownload'));

test.describe('software downloads', () => {
  let context: BrowserContext;
  let downloadsDir: string;
  let close: () => Promise<void>;
  let stopServing: () => void;

  test.beforeAll(async ({ sites }) => {
    stopServing = serveFiles(sites);
    downloadsDir = mkdtempSync(join(tmpdir(), 'steward-downloads-'));
    writePolicy(null);
    ({ context, close } = await launchWithDownloadsFolder(sites, downloadsDir));
    await installed(context);
  });

  test.afterAll(async () => {
    await close();
    stopServing();
    writePolicy(null);
    rmSync(downloadsDir, { recursive: true, force: true });
  });

  async function clickAndExpectStopped(page: Page, selector: string): Promise<Page> {
    const stoppedPage = context.waitForEvent('page', {
      predicate: (p) => p.url().startsWith(STOPPED_PAGE),
      timeout: 10_000,
    });
    await page.locator(selector).click();
    const opened = await stoppedPage;
    await opened.waitForLoadState();
    return opened;
  }

  test('with no policy, an installer is stopped: nothing on disk, a page names the file, the site and the clause', async () => {
    await applyPolicy(context, null);
    const page = await context.newPage();
    await page.goto(`https://${VENDOR}/download.html`);
    const stopped = await clickAndExpectStopped(page, '#exe');
    await expect(stopped.getByRole('heading', { level: 1 })).toHaveText(
      'This download was stopped',
    );
    await expect(stopped.getByTestId('download-name')).toHaveText('7z2409-x64.exe');
    await expect(stopped.getByTestId('download-site')).toHaveText(VENDOR);
    await expect(stopped.getByTestId('policy-clause')).toContainText(
      'download or install software from external sources',
    );
    await expect(stopped.getByTestId('download-anyway')).toHaveCount(0);
    expect(await axeViolations(stopped)).toEqual([]);
    await page.waitForTimeout(1000);
    expect(filesIn(downloadsDir)).toEqual([]);
    await page.close();
    await stopped.close();
  });

  test('a name that hides the type (Content-Disposition "timetable.pdf.exe") is stopped and flagged', async () => {
    const page = await context.newPage();
    await page.goto(`https://${VENDOR}/download.html`);
    const stopped = await clickAndExpectStopped(page, '#disguised');
    await expect(stopped.getByTestId('download-name')).toHaveText('timetable.pdf.exe');
    await expect(stopped.getByTestId('download-disguised')).toContainText('.exe');
    await page.waitForTimeout(500);
    expect(filesIn(downloadsDir)).toEqual([]);
    await page.close();
    await stopped.close();
  });

  test('a PDF worksheet downloads as normal', async () => {
    const page = await context.newPage();
    await page.goto(`https://${GOV}/lesson.html`);
    await page.locator('#pdf').click();
    await expect.poll(() => filesIn(downloadsDir), { timeout: 15_000 }).toEqual(['worksheet.pdf']);
    expect(readFileSync(join(downloadsDir, 'worksheet.pdf')).equals(PDF_BYTES)).toBe(true);
    expect(context.pages().some((p) => p.url().startsWith(STOPPED_PAGE))).toBe(false);
    rmSync(join(downloadsDir, 'worksheet.pdf'));
    await page.close();
  });

  test('warn mode: "Download anyway" fetches that one file once; the page cannot do it twice', async ({
    sites,
  }) => {
    await applyPolicy(context, { downloads: { mode: 'warn' } });
    const page = await context.newPage();
    await page.goto(`https://${VENDOR}/download.html`);
    const before = requests(sites, '/a/7z2409-x64.exe');
    const stopped = await clickAndExpectStopped(page, '#exe');
    await expect(stopped.getByRole('heading', { level: 1 })).toHaveText(
      'Check before you download this file',
    );
    expect(await axeViolations(stopped)).toEqual([]);
    await page.waitForTimeout(500);
    expect(filesIn(downloadsDir)).toEqual([]);
    const afterStop = requests(sites, '/a/7z2409-x64.exe');
    expect(afterStop).toBe(before + 1);

    await stopped.getByTestId('download-anyway').click();
    await expect(stopped.getByText('The download has started')).toBeVisible();
    await expect.poll(() => filesIn(downloadsDir), { timeout: 15_000 }).toEqual(['7z2409-x64.exe']);
    expect(readFileSync(join(downloadsDir, '7z2409-x64.exe')).equals(EXE_BYTES)).toBe(true);
    expect(requests(sites, '/a/7z2409-x64.exe')).toBe(afterStop + 1);

    // The page asks again with the same token (as a tampered page would): refused, no request.
    const reply = await stopped.evaluate(async () => {
      const token = new URLSearchParams(location.search).get('t');
      const { chrome } = globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      };
      return chrome.runtime.sendMessage({ type: 'downloadPage/downloadAnyway', token });
    });
    expect(reply).toEqual({ ok: false, reason: 'unknown' });
    await page.waitForTimeout(1000);
    expect(requests(sites, '/a/7z2409-x64.exe')).toBe(afterStop + 1);
    expect(filesIn(downloadsDir)).toHaveLength(1);
    await stopped.close();
    await page.close();
  });

  test('an approved source lets the installer through', async () => {
    for (const f of readdirSync(downloadsDir)) rmSync(join(downloadsDir, f), { force: true });
    await applyPolicy(context, { downloads: { mode: 'block', allowFrom: ['7-zip.org'] } });
    const page = await context.newPage();
    await page.goto(`https://${VENDOR}/download.html`);
    await page.locator('#exe').click();
    await expect.poll(() => filesIn(downloadsDir), { timeout: 15_000 }).toEqual(['7z2409-x64.exe']);
    expect(readFileSync(join(downloadsDir, '7z2409-x64.exe')).equals(EXE_BYTES)).toBe(true);
    await page.close();
  });
});
