/**
 * Steward in Debian's Firefox ESR, deployed as a school would: policies.json force-installs the
 * Firefox package from a URL (ExtensionSettings) and configures it (3rdparty), with the hardening
 * policies from the generated template. Driven by puppeteer-core over WebDriver BiDi.
 *
 * Firefox has no --host-resolver-rules: `network.dns.forceResolve` sends every hostname to
 * 127.0.0.1, where ports 80 and 443 forward to the shared site server (so this needs root).
 * Release Firefox installs only signed add-ons; ESR honours xpinstall.signatures.required=false,
 * set in the test profile, so the unsigned package stands in for the school's signed one.
 *
 * Blocking is judged by what the server saw and where the tab ended up, not by `goto`
 * resolving: a navigation redirected to a moz-extension page does not settle in puppeteer.
 * Safe search is judged by the query and headers the server received; downloads by what landed in
 * the profile's download folder (Firefox has no onDeterminingFilename: Steward cancels and erases
 * from downloads.onCreated, so the test checks nothing, not even a partial file, is left).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleConfig } from '../../cli/package.ts';
import { directoryEntries, zipEntries } from '../../cli/packaging/zip.ts';
import { type SiteServer, startSiteServer } from '../e2e/support/sites.ts';
import {
  buildFirefoxPackage,
  firefoxMissing,
  firefoxPolicies,
  forward,
  installFirefoxPolicies,
  launchFirefox,
} from './support.ts';

const XPI_URL = 'http://deploy.school.example/steward.xpi';
/**
 * A real one-minute personal-use window (no test clock in the shipped package): it opens at the
 * first whole minute at least 150 s after the tests start (time for the install), in London.
 */
const WINDOW_OPENS = Math.ceil((Date.now() + 150_000) / 60_000) * 60_000;
const WINDOW_CLOSES = WINDOW_OPENS + 60_000;
const londonTime = (t: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(t);
const CONFIG = {
  ...exampleConfig(),
  schoolName: 'Firefox Policy School',
  blockList: ['forced.example.org'],
  categories: { ...(exampleConfig().categories as object), social: 'allow', webmail: 'block' },
  timeZone: 'Europe/London',
  personalUse: {
    windows: [
      {
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        from: londonTime(WINDOW_OPENS),
        to: londonTime(WINDOW_CLOSES),
      },
    ],
    modes: { webmail: 'allow' },
  },
};

const canRun = firefoxMissing() === null;

let work: string;
let downloadsDir: string;
let sites: SiteServer;
let forwarders: Server[] = [];
let browser: Browser;
let page: Page;
let restorePolicies = () => {};

/** Navigate without waiting for a load that a redirect to the block page never reports. */
async function visit(url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2_000 }).catch(() => undefined);
}

/**
 * Where the tab really is: puppeteer's page.url() stays at the last page it saw load, so ask
 * the document itself (which works on the moz-extension block page too).
 */
async function location(): Promise<string> {
  return page.evaluate(() => globalThis.location.href).catch(() => page.url());
}

async function waitForLocation(test: (url: string) => boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  let url = await location();
  while (!test(url) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    url = await location();
  }
  return url;
}

const PDF_BYTES = Buffer.from('%PDF-1.4\n% a worksheet\n%%EOF\n');
const EXE_BYTES = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2048, 0x90)]);

/** An installer at a vendor's real hostname and a worksheet PDF on gov.uk, both as attachments. */
function serveDownloads(
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
): boolean {
  const host = req.headers.host?.split(':')[0];
  const file =
    host === 'www.7-zip.org' && req.url === '/a/7z2409-x64.exe'
      ? { name: '7z2409-x64.exe', type: 'application/x-msdownload', body: EXE_BYTES }
      : host === 'www.gov.uk' && req.url === '/media/worksheet.pdf'
        ? { name: 'worksheet.pdf', type: 'application/pdf', body: PDF_BYTES }
        : null;
  if (!file) return false;
  res
    .writeHead(200, {
      'content-type': file.type,
      'content-disposition': `attachment; filename="${file.name}"`,
      'cache-control': 'no-store',
    })
    .end(file.body);
  return true;
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return check();
}

const params = (path: string | undefined) => new URL(path ?? '/', 'http://x').searchParams;

const text = (selector: string) =>
  page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);

describe.skipIf(!canRun)('Steward in Firefox ESR, deployed by policies.json', () => {
  beforeAll(async () => {
    const started = Date.now();
    work = mkdtempSync(path.join(tmpdir(), 'steward-firefox-'));
    const extensionDir = buildFirefoxPackage(path.join(work, 'build'));
    const xpi = zipEntries(directoryEntries(extensionDir));
    downloadsDir = path.join(work, 'downloads');
    mkdirSync(downloadsDir);
    sites = await startSiteServer();
    sites.handle((req, res) => {
      if (req.url !== '/steward.xpi') return false;
      res.writeHead(200, { 'content-type': 'application/x-xpinstall' }).end(xpi);
      return true;
    });
    sites.handle(serveDownloads);
    forwarders = [await forward(80, sites.port), await forward(443, sites.port)];

    restorePolicies = installFirefoxPolicies(firefoxPolicies(CONFIG, XPI_URL));

    browser = await launchFirefox({
      prefs: {
        // Downloads go straight to a folder the test reads, as a staff laptop's do to Downloads
        // (no dialog, and PDFs saved rather than opened in the built-in viewer).
        'browser.download.dir': downloadsDir,
        'browser.download.folderList': 2,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.helperApps.neverAsk.saveToDisk':
          'application/pdf,application/x-msdownload,application/octet-stream',
        'pdfjs.disabled': true,
      },
    });
    page = (await browser.pages())[0] ?? (await browser.newPage());
    console.log(`Firefox set-up (build, policies, launch): ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    restorePolicies();
    for (const f of forwarders) f.close();
    await sites?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs Steward from the policy URL and applies the 3rdparty configuration', async () => {
    const started = Date.now();
    // Until Steward is installed and has applied the policy, the blockList host loads normally.
    let url = '';
    for (let i = 0; i < 40 && !url.includes('/blocked.html'); i++) {
      await visit(`http://forced.example.org/probe-${i}`);
      url = await waitForLocation((u) => u.includes('/blocked.html'), 500);
    }
    console.log(`blocking after ${Date.now() - started} ms (policy install + configuration)`);
    expect(sites.requestsTo('deploy.school.example').map((r) => r.path)).toContain('/steward.xpi');
    expect(url).toMatch(/^moz-extension:\/\/[0-9a-f-]+\/blocked\.html\?c=blockList&m=block#/);
    // The school name on the block page comes from the same policies.json.
    expect(await page.evaluate(() => document.body.textContent)).toContain('Firefox Policy School');
    const seen = sites.requestsTo('forced.example.org').length;
    await visit('http://forced.example.org/after');
    expect(await waitForLocation((u) => u.endsWith('#http://forced.example.org/after'))).toContain(
      '/blocked.html?c=blockList',
    );
    expect(sites.requestsTo('forced.example.org')).toHaveLength(seen);
  });

  it('blocks category sites before they reach the network, and shows the block page', async () => {
    for (const [host, category] of [
      ['www.bet365.com', 'gambling'],
      ['www.youtube.com', 'streaming'],
      ['discord.com', 'chat'],
    ] as const) {
      await visit(`http://${host}/`);
      const url = await waitForLocation((u) => u.includes(`#http://${host}/`));
      expect(url, host).toMatch(
        new RegExp(`^moz-extension://[0-9a-f-]+/blocked\\.html\\?c=${category}&m=block#`),
      );
      expect(await text('[data-testid="blocked-host"]')).toBe(host);
      expect(sites.requestsTo(host), `${host} reached the network`).toHaveLength(0);
    }
  });

  it('a personal-use window opens and closes at the minute (a real alarm, real time)', async () => {
    const host = 'outlook.live.com';
    const sleepUntil = (t: number) =>
      new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
    /** One visit: did it reach the server, and the real time before and after. */
    const probe = async (i: number) => {
      const before = sites.requestsTo(host).length;
      const startedAt = Date.now();
      await visit(`http://${host}/probe-${i}`);
      await waitForLocation(
        (u) => u.includes(`/probe-${i}`) && (u.includes('/blocked.html') || u.startsWith('http')),
        2_000,
      );
      return { reached: sites.requestsTo(host).length > before, startedAt, endedAt: Date.now() };
    };
    await sleepUntil(WINDOW_OPENS - 8_000);
    expect((await probe(0)).reached, 'before the window').toBe(false);
    let i = 1;
    let opened: Awaited<ReturnType<typeof probe>> | undefined;
    while (!opened && Date.now() < WINDOW_OPENS + 30_000) {
      const p = await probe(i++);
      if (p.reached) opened = p;
    }
    expect(opened, 'the window opened').toBeDefined();
    expect(opened!.endedAt).toBeGreaterThanOrEqual(WINDOW_OPENS);
    expect(opened!.startedAt).toBeLessThan(WINDOW_OPENS + 5_000);
    console.log(
      `Firefox: window opened, first request ${opened!.startedAt - WINDOW_OPENS} ms after the minute`,
    );
    await sleepUntil(WINDOW_CLOSES - 5_000);
    let closed: Awaited<ReturnType<typeof probe>> | undefined;
    while (!closed && Date.now() < WINDOW_CLOSES + 30_000) {
      const p = await probe(i++);
      if (!p.reached) closed = p;
    }
    expect(closed, 'the window closed').toBeDefined();
    expect(closed!.endedAt).toBeGreaterThanOrEqual(WINDOW_CLOSES);
    expect(closed!.startedAt).toBeLessThan(WINDOW_CLOSES + 5_000);
    console.log(
      `Firefox: window closed, first blocked visit ${closed!.startedAt - WINDOW_CLOSES} ms after the minute`,
    );
  }, 300_000);

  it('follows the configuration: social allowed by policy, other sites untouched', async () => {
    await visit('http://www.reddit.com/r/teachers');
    expect(await waitForLocation((u) => u.startsWith('http://www.reddit.com/'))).toBe(
      'http://www.reddit.com/r/teachers',
    );
    expect(await text('#site')).toBe('Site www.reddit.com');
    await visit('http://www.example.org/lesson');
    await waitForLocation((u) => u.startsWith('http://www.example.org/'));
    expect(await text('#site')).toBe('Site www.example.org');
    expect(sites.requestsTo('www.example.org')).toHaveLength(1);
  });
  it("adds each engine's strict setting to searches, and YouTube-Restrict to YouTube requests", async () => {
    const cases: [string, string, string][] = [
      ['http://www.google.co.uk/search?q=volcanoes&safe=off', 'safe', 'active'],
      ['http://www.bing.com/search?q=volcanoes&adlt=off', 'adlt', 'strict'],
      ['http://duckduckgo.com/?q=volcanoes&kp=-2', 'kp', '1'],
      ['http://uk.search.yahoo.com/search?p=volcanoes', 'vm', 'r'],
    ];
    for (const [url, key, value] of cases) {
      const host = new URL(url).hostname;
      const before = sites.requestsTo(host).length;
      await visit(url);
      expect(await waitFor(() => sites.requestsTo(host).length > before), url).toBe(true);
      const received = params(sites.requestsTo(host).at(-1)?.path);
      expect(received.get(key), url).toBe(value);
      expect(received.get(host.includes('yahoo') ? 'p' : 'q'), url).toBe('volcanoes');
    }
    // youtube.com itself is blocked here (streaming); YouTube's API host is not, and carries the header.
    const api = 'youtubei.googleapis.com';
    await visit(`http://${api}/youtubei/v1/search?query=volcanoes`);
    expect(await waitFor(() => sites.requestsTo(api).length > 0)).toBe(true);
    expect(sites.requestsTo(api).at(-1)?.headers?.['youtube-restrict']).toBe('Moderate');
  });

  it('stops an installer before anything is left on disk, and saves a PDF', async () => {
    const onDisk = () => readdirSync(downloadsDir);
    await visit('http://www.gov.uk/media/worksheet.pdf');
    expect(await waitFor(() => onDisk().includes('worksheet.pdf'))).toBe(true);
    expect(readFileSync(path.join(downloadsDir, 'worksheet.pdf'))).toEqual(PDF_BYTES);

    await visit('http://www.7-zip.org/a/7z2409-x64.exe');
    // The server was asked (Firefox starts a download before any extension hears of it)...
    expect(await waitFor(() => sites.requestsTo('www.7-zip.org').length > 0)).toBe(true);
    // ...but nothing of the installer is in the folder, not even a partial file...
    await new Promise((r) => setTimeout(r, 2_000));
    expect(onDisk().filter((f) => f.startsWith('7z2409'))).toEqual([]);
    expect(onDisk()).toEqual(['worksheet.pdf']);
    // ...and Steward's page names the file, in a tab of its own.
    const stopped = async () => {
      for (const p of await browser.pages()) {
        const href = await p.evaluate(() => globalThis.location.href).catch(() => '');
        if (href.includes('/download-stopped.html')) return p;
      }
      return null;
    };
    let stoppedPage: Page | null = null;
    for (let i = 0; i < 100 && !stoppedPage; i++) {
      stoppedPage = await stopped();
      if (!stoppedPage) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stoppedPage).not.toBeNull();
    const named = async () =>
      (await stoppedPage!.evaluate(() => document.body.textContent).catch(() => '')) ?? '';
    for (let i = 0; i < 50 && !(await named()).includes('7z2409-x64.exe'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await named()).toContain('7z2409-x64.exe');
  });
});
