/**
 * The IndexedDB store, tested in the real thing: headless Chromium (Node has no IndexedDB, and
 * fake-indexeddb is not installed). The harness is bundled with esbuild and served with a small
 * report server from 127.0.0.1, so the browser's own fetch posts to it. Closing the page mid-
 * request is the closest Node can get to a service worker being killed: the IndexedDB state
 * survives, the request does not. Skips when Chromium is absent.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportBatch, type ReportBatch } from '../../../lib/report/payload.ts';
import type { CounterRow, PendingBatch } from '../../../lib/report/store.ts';
import type { ReportState, UploadResult } from '../../../lib/report/uploader.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));

type Mode = 'ok' | 'error500' | 'hang' | 'drop';

/** An idempotent report server, like the reference one, with switchable failures. */
class ReportServer {
  readonly stored = new Map<string, ReportBatch>();
  requests: string[] = [];
  duplicates = 0;
  mode: Mode = 'ok';
  private hung: ServerResponse[] = [];
  private server: Server | null = null;
  origin = '';

  constructor(private readonly harnessJs: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  total(): number {
    let n = 0;
    for (const b of this.stored.values()) for (const r of b.navigation) n += r.count;
    return n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url?.startsWith('/harness.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(this.harnessJs);
      return;
    }
    if (req.method === 'GET') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><script src="/harness.js"></script>');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batchId?: string };
    this.requests.push(String(body.batchId));
    if (req.headers.authorization !== 'Bearer tok') {
      res.writeHead(401).end();
      return;
    }
    if (this.mode === 'error500') {
      res.writeHead(500).end('down');
      return;
    }
    if (this.mode === 'hang') {
      this.hung.push(res);
      return;
    }
    const parsed = parseReportBatch(body);
    if (!parsed.ok) {
      res.writeHead(400).end(JSON.stringify({ error: 'invalid', problems: parsed.problems }));
      return;
    }
    if (this.stored.has(parsed.batch.batchId)) this.duplicates++;
    else this.stored.set(parsed.batch.batchId, parsed.batch);
    if (this.mode === 'drop') {
      res.destroy(); // stored, but the answer never arrives
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}

interface Harness {
  setClock(t: number): void;
  count(category: string, n: number, at?: number): Promise<void>;
  countDuringUpload(category: string, n: number): Promise<UploadResult>;
  upload(): Promise<UploadResult>;
  startUpload(): void;
  state(): Promise<ReportState>;
  counters(): Promise<CounterRow[]>;
  batches(): Promise<PendingBatch[]>;
  installationId(): Promise<string>;
  contract(): Promise<Record<string, unknown>>;
}
declare const harness: Harness;

const START = Date.UTC(2026, 5, 15, 9, 0);

describe.skipIf(!existsSync(CHROMIUM))(
  'IndexedDB report store in Chromium',
  () => {
    let browser: Browser;
    let server: ReportServer;

    beforeAll(async () => {
      const bundle = await build({
        entryPoints: [path.join(here, 'idb-harness.ts')],
        bundle: true,
        format: 'iife',
        target: 'chrome120',
        write: false,
      });
      server = new ReportServer(bundle.outputFiles[0]!.text);
      await server.start();
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu'],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    async function open(db: string): Promise<Page> {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/?db=${db}`);
      await page.waitForFunction(() => 'harness' in globalThis);
      return page;
    }

    function reset(): void {
      server.stored.clear();
      server.requests = [];
      server.duplicates = 0;
      server.mode = 'ok';
    }

    it('keeps the store contract (atomic increment cap, cut order, no resurrection, prune)', async () => {
      const page = await open('contract');
      const r = await page.evaluate(() => harness.contract());
      await page.close();
      expect(r).toMatchObject({
        first: true,
        second: true,
        full: false,
        meta: { a: [1, 2] },
        cutNone: null,
        rowsAfterNone: 1,
        cutSeq: 1,
        cut2Seq: 2,
        rowsAfterCut: 0,
        order: [
          ['00000000-0000-4000-8000-000000000001', 1],
          ['00000000-0000-4000-8000-000000000003', 2],
        ],
        afterUpdate: ['00000000-0000-4000-8000-000000000003'],
        replacedMissing: false,
        replaced: true,
        afterReplace: [
          ['00000000-0000-4000-8000-000000000004', 3],
          ['00000000-0000-4000-8000-000000000005', 4],
        ],
        pruned: ['00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000005'],
        drops: { batches: 2 },
        left: 0,
      });
      expect(r.missing).toBeUndefined();
    });

    it('aggregates, uploads and forgets after the 2xx; the installation id survives a reload', async () => {
      reset();
      let page = await open('basic');
      await page.evaluate(() => harness.count('gambling', 25));
      await page.evaluate(() => harness.count('streaming', 3));
      const rows = await page.evaluate(() => harness.counters());
      expect(rows.map((r) => [r.key, r.count]).sort()).toEqual([
        ['gambling', 25],
        ['streaming', 3],
      ]);
      const id = await page.evaluate(() => harness.installationId());
      const result = await page.evaluate(() => harness.upload());
      expect(result.delivered).toHaveLength(1);
      expect(server.total()).toBe(28);
      expect(await page.evaluate(() => harness.batches())).toEqual([]);
      await page.close();
      page = await open('basic');
      expect(await page.evaluate(() => harness.installationId())).toBe(id);
      expect([...server.stored.values()][0]?.installationId).toBe(id);
      await page.close();
    });

    it('counts arriving during a cut are neither lost nor doubled', async () => {
      reset();
      const page = await open('concurrent');
      await page.evaluate(() => harness.count('social', 50));
      const during = await page.evaluate(() => harness.countDuringUpload('social', 300));
      // The run may cut again for counts that arrived after its first cut; the sum is what matters.
      expect(during.delivered.length).toBeGreaterThanOrEqual(1);
      const left = await page.evaluate(() => harness.counters());
      const inCounters = left.reduce((n, r) => n + r.count, 0);
      expect(server.total() + inCounters).toBe(350);
      await page.evaluate(() => harness.upload());
      expect(server.total()).toBe(350);
      await page.close();
    });

    it('page killed mid-request: the batch survives and is re-sent once with the same id', async () => {
      reset();
      server.mode = 'hang';
      let page = await open('killed');
      await page.evaluate(() => harness.count('gambling', 4));
      await page.evaluate(() => harness.startUpload());
      await expect.poll(() => server.requests.length, { timeout: 5_000 }).toBe(1);
      await page.close(); // the worker dies with the request in flight
      const firstId = server.requests[0];

      server.mode = 'ok';
      page = await open('killed');
      const pending = await page.evaluate(() => harness.batches());
      expect(pending.map((b) => [b.batchId, b.attempts])).toEqual([[firstId, 1]]);
      // The attempt was recorded before the request, so the new instance waits out the backoff.
      expect((await page.evaluate(() => harness.upload())).outcome).toBe('waiting');
      const due = pending[0]!.nextAttemptAt;
      await page.evaluate((t) => harness.setClock(t), due);
      await page.evaluate(() => harness.count('gambling', 1));
      const result = await page.evaluate(() => harness.upload());
      expect(result.delivered[0]).toBe(firstId);
      expect(server.requests.filter((id) => id === firstId)).toHaveLength(2);
      expect(server.total()).toBe(5);
      expect(server.duplicates).toBe(0);
      await page.close();
    });

    it('500, then a dropped connection after storing, then recovery: every count exactly once', async () => {
      reset();
      const page = await open('flaky');
      let clock = START;
      let expected = 0;
      const modes: Mode[] = ['error500', 'error500', 'drop', 'drop', 'ok', 'ok'];
      for (const mode of modes) {
        server.mode = mode;
        await page.evaluate((t) => harness.setClock(t), clock);
        await page.evaluate(() => harness.count('streaming', 3));
        expected += 3;
        await page.evaluate(() => harness.upload());
        clock += 7 * 60 * 60 * 1000; // past any backoff
      }
      expect(server.total()).toBe(expected);
      expect(server.duplicates).toBeGreaterThanOrEqual(1);
      expect(await page.evaluate(() => harness.batches())).toEqual([]);
      expect((await page.evaluate(() => harness.state())).lastError).toBeNull();
      await page.close();
    });
  },
  120_000,
);
