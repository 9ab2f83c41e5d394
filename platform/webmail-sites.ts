/**
 * Self-hosted webmail (policy `webmailSites`) gets the webmail content script by runtime
 * registration; the big services are in the manifest. No other page gets a content script.
 */
import { browser } from 'wxt/browser';
import type { WebmailSite } from '../lib/policy.ts';

const SCRIPT_ID = 'steward-webmail-sites';
const SCRIPT_FILE = 'content-scripts/webmail-sites.js';

export async function syncWebmailSites(sites: WebmailSite[]): Promise<void> {
  const matches = sites.flatMap(({ host }) => {
    const name = host.replace(/:\d+$/, '');
    return [`https://${name}/*`, `http://${name}/*`];
  });
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  const current = registered[0]?.matches ?? [];
  if (current.length === matches.length && current.every((m, i) => m === matches[i])) return;
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id: SCRIPT_ID,
      js: [SCRIPT_FILE],
      matches,
      runAt: 'document_idle',
      allFrames: false,
      persistAcrossSessions: true,
    },
  ]);
}
