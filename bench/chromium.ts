/**
 * Debian's Chromium with the built Steward extension, for the apply and rule-list benchmarks.
 * Puppeteer rather than Playwright here because the figures need CDP on the extension's service
 * worker itself (`Runtime.getHeapUsage`), which Playwright only offers for pages.
 *
 * The built extension is copied to a temporary folder first: other work on this machine rebuilds
 * `.output/chrome-mv3` while a benchmark may be running, and the copy keeps the manifest `key`, so
 * the extension ID is the same.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type CDPSession, type WebWorker } from 'puppeteer-core';
import { extensionIdFor, extensionPublicKey } from '../config/extension.ts';
import { repoRoot } from './domain-sets.ts';

/** The slice of the extension APIs the benchmarks call inside the service worker. */
export type WorkerApis = {
  declarativeNetRequest: {
    getDynamicRules(): Promise<{ id: number }[]>;
    updateDynamicRules(options: { removeRuleIds?: number[]; addRules?: unknown[] }): Promise<void>;
  };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
  scripting: {
    getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]>;
  };
};

export const EXTENSION_ID = extensionIdFor(extensionPublicKey());
export const BUILT_EXTENSION = path.resolve(
  process.env.STEWARD_EXTENSION_DIR ?? path.join(repoRoot, '.output/chrome-mv3'),
);
/** `STEWARD_BENCH_CHROMIUM`: another binary or a wrapper (e.g. stdbuf -oL, so --trace-gc lines are not lost in a buffer). */
export const CHROMIUM = process.env.STEWARD_BENCH_CHROMIUM ?? '/usr/bin/chromium';
export const POLICY_DIR = '/etc/chromium/policies/managed';
/** Not the e2e suite's file, so a benchmark never deletes a policy a test run wrote. */
export const POLICY_FILE = path.join(POLICY_DIR, 'steward-bench.json');

export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed`;
}

/** Build the extension when it has not been built yet (`npx wxt build`). */
export function ensureBuilt(): void {
  if (existsSync(path.join(BUILT_EXTENSION, 'manifest.json'))) return;
  console.log(`  ${BUILT_EXTENSION} is missing: running npx wxt build …`);
  execFileSync('npx', ['wxt', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}

export function writeBenchPolicy(policy: Record<string, unknown> | null): void {
  if (policy === null) {
    rmSync(POLICY_FILE, { force: true });
    return;
  }
  mkdirSync(POLICY_DIR, { recursive: true });
  writeFileSync(
    POLICY_FILE,
    JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }),
  );
}

export type Steward = {
  browser: Browser;
  worker: WebWorker;
  /** CDP on the service worker target (heap figures). */
  workerCdp: CDPSession;
  extensionDir: string;
  close(): Promise<void>;
};

/**
 * Chromium with the built extension in a new profile, or (`profile`) in a folder an earlier launch
 * kept (`keep: true`), for a restart.
 */
export async function launchSteward(
  options: { profile?: string; keep?: boolean } = {},
): Promise<Steward & { scratch: string }> {
  ensureBuilt();
  const scratch = options.profile ?? mkdtempSync(path.join(tmpdir(), 'steward-bench-'));
  const extensionDir = path.join(scratch, 'extension');
  if (!options.profile) cpSync(BUILT_EXTENSION, extensionDir, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: path.join(scratch, 'profile'),
    ignoreDefaultArgs: ['--disable-extensions'],
    protocolTimeout: 180_000,
    // Diagnostics: `STEWARD_BENCH_CHROMIUM_ARGS="--js-flags=--trace-gc"` with
    // `STEWARD_BENCH_DUMPIO=1` prints every isolate's garbage collections (the worker's among them).
    dumpio: process.env.STEWARD_BENCH_DUMPIO === '1',
    args: [
      ...(process.env.STEWARD_BENCH_CHROMIUM_ARGS?.split(' ').filter(Boolean) ?? []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  try {
    const target = await browser.waitForTarget(
      (t) =>
        t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
      { timeout: 20_000 },
    );
    const worker = await target.worker();
    if (!worker) throw new Error('the service worker target has no worker');
    const workerCdp = await target.createCDPSession();
    return {
      browser,
      worker,
      workerCdp,
      extensionDir,
      scratch,
      async close() {
        await browser.close();
        if (!options.keep) rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser.close();
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Wait until Steward has applied its start-up policy, so its own update never overlaps ours.
 * Evaluation errors are retried: a worker that has only just started may not have its extension
 * bindings yet.
 */
export async function waitForStartupApply(worker: WebWorker): Promise<void> {
  let lastError: unknown = null;
  for (let i = 0; i < 150; i++) {
    try {
      const appliedAt = await worker.evaluate(async () => {
        const { chrome } = globalThis as unknown as { chrome: WorkerApis };
        const { enforcement } = await chrome.storage.local.get('enforcement');
        return (enforcement as { appliedAt?: number | null } | undefined)?.appliedAt ?? null;
      });
      if (appliedAt !== null) {
        await new Promise((r) => setTimeout(r, 500));
        return;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Steward did not apply its start-up policy within 15 s (${String(lastError)})`);
}

/** JS heap of the service worker after a full GC, in bytes. */
export async function workerHeap(cdp: CDPSession): Promise<{ used: number; total: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  return { used: usedSize, total: totalSize };
}

/** Resident memory (kB) of the browser process and of every Chromium process under it. */
export function chromiumRss(rootPid: number): {
  browserKb: number;
  allKb: number;
  processes: number;
} {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kb]) => [pid, kb]));
  const tree: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return {
    browserKb: rss.get(rootPid) ?? 0,
    allKb: tree.reduce((sum, pid) => sum + (rss.get(pid) ?? 0), 0),
    processes: tree.length,
  };
}

/** A loopback HTTP server answering fixed paths with fixed bodies (rules, lists, signatures). */
export type FileServer = {
  origin: string;
  set(pathname: string, body: string | Uint8Array, type?: string): void;
  /** Stop serving a path (404 from now on). */
  remove(pathname: string): void;
  close(): Promise<void>;
};

export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, { body: string | Uint8Array; type: string }>();
  const server: Server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    // With its length, as a static file server or CDN answers (Node's writeHead without it sent
    // the list chunked); `STEWARD_BENCH_CHUNKED=1` for the old answers. In Steward's worker the
    // 100k list's last byte came in no sooner or later either way (h36-update, median of 25).
    const headers: Record<string, string | number> = {
      'Content-Type': file.type,
      'Cache-Control': 'no-store',
    };
    if (process.env.STEWARD_BENCH_CHUNKED !== '1')
      headers['Content-Length'] = Buffer.byteLength(file.body);
    res.writeHead(200, headers);
    res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    set(pathname, body, type = 'application/json') {
      files.set(pathname, { body, type });
    },
    remove(pathname) {
      files.delete(pathname);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Remove every dynamic rule (not timed). */
export async function clearDynamicRules(worker: WebWorker): Promise<void> {
  await worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: WorkerApis };
    const existing = await chrome.declarativeNetRequest.getDynamicRules();
    await chrome.declarativeNetRequest.updateDynamicRules({
      removeRuleIds: existing.map((r) => r.id),
    });
  });
}

/** Fetch a JSON rules array into the worker's global `benchRules[key]` (not timed). */
export async function loadRulesIntoWorker(
  worker: WebWorker,
  key: string,
  url: string,
): Promise<number> {
  return worker.evaluate(
    async (key, url) => {
      const g = globalThis as unknown as { benchRules?: Record<string, unknown[]> };
      g.benchRules ??= {};
      const rules = (await (await fetch(url)).json()) as unknown[];
      g.benchRules[key] = rules;
      return rules.length;
    },
    key,
    url,
  );
}

/** Time one `updateDynamicRules({ removeRuleIds, addRules })` in the worker, in ms. */
export async function timeApply(worker: WebWorker, key: string): Promise<number> {
  return worker.evaluate(async (key) => {
    const g = globalThis as unknown as {
      benchRules: Record<string, { id: number }[]>;
      chrome: WorkerApis;
    };
    const addRules = g.benchRules[key]!;
    const start = performance.now();
    await g.chrome.declarativeNetRequest.updateDynamicRules({
      removeRuleIds: addRules.map((r) => r.id),
      addRules,
    });
    return performance.now() - start;
  }, key);
}

export async function dropWorkerRules(worker: WebWorker): Promise<void> {
  await worker.evaluate(() => {
    (globalThis as unknown as { benchRules?: unknown }).benchRules = undefined;
  });
}
