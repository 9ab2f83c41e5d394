/**
 * Software downloads in the browser: the `downloads` API adapter over lib/downloads.ts.
 *
 *   Chrome/Edge: downloads.onDeterminingFilename (the name is known, Content-Disposition included,
 *                and nothing has been written under it yet)
 *   Firefox:     downloads.onCreated (Firefox has no onDeterminingFilename; the name is known here)
 *        │
 *        ├─ the download "Download anyway" started (its id)? ───> let it through, pass spent
 *        ├─ decideDownload(policy.downloads) = allow ──────────> let it through
 *        └─ block | warn ──> cancel + erase ──> remember it under a random token (session storage)
 *                          ──> count it ──> open download-stopped.html?t=<token>
 *
 * The page only holds the token; it asks the worker for the details and for "Download anyway".
 * The worker re-reads the policy before granting the pass, which lets exactly the one download
 * the worker starts for that URL through, once (another download of the same URL meets the rules).
 * Every step is serialised on one promise chain, so two downloads (or a download and a page's
 * request) never race on the ledger.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import {
  bindPass,
  DEFAULT_DOWNLOADS,
  type DownloadFacts,
  type DownloadLedger,
  decideDownload,
  dropPass,
  EMPTY_LEDGER,
  grantPass,
  recordStopped,
  type StoppedDownload,
  siteOf,
  usePass,
} from '../lib/downloads.ts';
import type { DownloadStoppedDetails } from '../lib/messages.ts';
import { getReporter } from './reporting.ts';
import { blockPageInfo, effectivePolicy } from './storage.ts';

export const DOWNLOAD_PAGE_PATH = '/download-stopped.html';
/** The report's category for download outcomes (counted like navigations: blocked/warned/continued). */
export const DOWNLOADS_CATEGORY = 'downloads';

const ledgerItem = storage.defineItem<DownloadLedger>('session:downloads', {
  fallback: EMPTY_LEDGER,
});

let chain: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = chain.then(task);
  chain = run.catch(() => undefined);
  return run;
}

type BrowserDownload = {
  id: number;
  url: string;
  finalUrl?: string;
  filename?: string;
  mime?: string;
  referrer?: string;
  state?: string;
};

const factsOf = (item: BrowserDownload): DownloadFacts => ({
  url: item.url,
  ...(item.finalUrl ? { finalUrl: item.finalUrl } : {}),
  ...(item.filename ? { filename: item.filename } : {}),
  ...(item.mime ? { mime: item.mime } : {}),
  ...(item.referrer ? { referrer: item.referrer } : {}),
});

/** Decide one download; stops it (and opens the page) if policy says so. */
export function reviewDownload(item: BrowserDownload): Promise<'allowed' | 'stopped'> {
  return serial(async () => {
    const facts = factsOf(item);
    const now = Date.now();
    const pass = usePass(await ledgerItem.getValue(), facts, item.id, now);
    if (pass.used) {
      await ledgerItem.setValue(pass.ledger);
      return 'allowed';
    }
    const policy = await effectivePolicy.getValue();
    // A policy stored by an older version has no `downloads`: the default (block) applies.
    const decision = decideDownload({ ...DEFAULT_DOWNLOADS, ...policy.downloads }, facts);
    if (decision.action === 'allow') return 'allowed';

    await stop(item.id);
    const { classification } = decision;
    const stopped: StoppedDownload = {
      token: crypto.randomUUID(),
      url: item.finalUrl || item.url,
      name: classification.name,
      kind: classification.kind,
      evidence: classification.evidence,
      disguised: classification.disguised,
      site: siteOf(facts),
      mode: decision.action,
      stoppedAt: now,
    };
    await ledgerItem.setValue(recordStopped(pass.ledger, stopped, now));
    await getReporter()
      .count({
        kind: 'navigation',
        category: DOWNLOADS_CATEGORY,
        outcome: decision.action === 'warn' ? 'warned' : 'blocked',
      })
      .catch((e: unknown) => console.warn('[steward] download count', e));
    await browser.tabs.create({
      url: browser.runtime.getURL(`${DOWNLOAD_PAGE_PATH}?t=${stopped.token}`),
    });
    return 'stopped';
  });
}

/** Cancel and forget the download, so no file (partial or whole) stays on disk or in the list. */
async function stop(id: number): Promise<void> {
  try {
    await browser.downloads.cancel(id);
  } catch (e) {
    console.warn('[steward] download cancel', e);
  }
  // Firefox announces a download only once it has started, and a small installer can be complete
  // by then: cancelling a finished download does nothing, so the file itself is removed. (Chrome
  // holds the file's name until Steward has decided, so nothing is on disk there.)
  try {
    const [item] = await browser.downloads.search({ id });
    if (item?.state === 'complete') await browser.downloads.removeFile(id);
  } catch (e) {
    console.warn('[steward] download remove file', e);
  }
  try {
    await browser.downloads.erase({ id });
  } catch (e) {
    console.warn('[steward] download erase', e);
  }
}

/** What the download page shows, looked up by its token (null if unknown or expired). */
export function stoppedDetails(token: string): Promise<DownloadStoppedDetails | null> {
  return serial(async () => {
    const stopped = (await ledgerItem.getValue()).stopped[token];
    if (!stopped || Date.now() - stopped.stoppedAt > 30 * 60_000) return null;
    const { name, kind, site, mode, disguised, evidence } = stopped;
    const info = await blockPageInfo.getValue();
    return {
      name,
      kind,
      site,
      mode,
      disguised,
      evidence,
      clause: info.clauses.downloads ?? null,
      accessRequest: info.accessRequest,
      ...(info.schoolName ? { schoolName: info.schoolName } : {}),
    };
  });
}

/**
 * "Download anyway": spend the token, re-check the policy, and fetch that one file once. The
 * download is started inside the chain and its pass bound to the id the browser gives it, so the
 * review of that download (queued behind this) meets its own pass, and no other download of the
 * same URL can use it. The browser names a download before it asks for its filename (Chrome) or
 * announces it (Firefox), so waiting here cannot hold up the review it is waiting for.
 */
export async function downloadAnyway(
  token: string,
): Promise<{ ok: true } | { ok: false; reason: 'unknown' | 'not-warn' | 'failed' }> {
  const outcome = await serial(
    async (): Promise<{ ok: true } | { ok: false; reason: 'unknown' | 'not-warn' | 'failed' }> => {
      const policy = await effectivePolicy.getValue();
      const granted = grantPass(
        await ledgerItem.getValue(),
        token,
        { ...DEFAULT_DOWNLOADS, ...policy.downloads },
        Date.now(),
      );
      await ledgerItem.setValue(granted.ledger);
      if (!granted.ok) return { ok: false, reason: granted.reason };
      try {
        const id = await browser.downloads.download({ url: granted.url });
        await ledgerItem.setValue(
          bindPass(await ledgerItem.getValue(), granted.url, id, Date.now()),
        );
        return { ok: true };
      } catch (e) {
        console.warn('[steward] download anyway', e);
        await ledgerItem.setValue(dropPass(await ledgerItem.getValue(), granted.url, Date.now()));
        return { ok: false, reason: 'failed' };
      }
    },
  );
  if (outcome.ok) {
    await getReporter()
      .count({ kind: 'navigation', category: DOWNLOADS_CATEGORY, outcome: 'continued' })
      .catch((e: unknown) => console.warn('[steward] download count', e));
  }
  return outcome;
}

/**
 * Register the download listener. Call synchronously at the top of the worker's main(), so a
 * download that wakes the worker is seen.
 */
export function watchDownloads(): void {
  const downloads = browser.downloads as typeof browser.downloads & {
    onDeterminingFilename?: {
      addListener(
        cb: (item: BrowserDownload, suggest: (s?: { filename: string }) => void) => boolean,
      ): void;
    };
  };
  if (downloads.onDeterminingFilename) {
    // Chrome and Edge: hold the file's name until Steward has decided.
    downloads.onDeterminingFilename.addListener((item, suggest) => {
      void reviewDownload(item)
        .catch((e: unknown) => console.warn('[steward] download review', e))
        .finally(() => {
          try {
            suggest();
          } catch {
            // The download was cancelled: nothing to name.
          }
        });
      return true;
    });
    return;
  }
  browser.downloads.onCreated.addListener((item) => {
    void reviewDownload(item as BrowserDownload).catch((e: unknown) =>
      console.warn('[steward] download review', e),
    );
  });
}
