/**
 * When a block page may add to the school's counts. A block page is an extension page anyone can
 * open (`blocked.html#<any URL>`), and a web page can open it in new tabs as often as it likes, so
 * the page saying "I am showing this URL" is not enough: the worker counts it only when it saw that
 * tab's top frame start a navigation to that URL (webNavigation.onBeforeNavigate) moments before.
 * A reload or re-open of the block page starts no navigation to the blocked URL, and the same URL
 * in the same tab within ten minutes is the same attempt (a retry), so neither counts again.
 *
 * Pure: the ledger is a value the platform keeps in session storage.
 */

/** A navigation the worker saw start must reach its block page within this time to be counted. */
export const START_CLAIM_WITHIN_MS = 60_000;
/** The same URL in the same tab within this time is one attempt (a reload, a retry). */
export const COUNT_ONCE_WITHIN_MS = 10 * 60_000;

type Seen = { url: string; at: number };
/**
 * Per tab: the top-frame navigations started in the last minute (newest last, at most
 * MAX_STARTS_PER_TAB), and the last URL counted. Several, not one: a block page's count can reach
 * the worker after its tab has already moved on (a reconcile holds the queue, or staff type the
 * next address at once), and its own navigation must still be found.
 */
export type BlockPageLedger = Record<string, { started?: Seen[]; counted?: Seen }>;
export const MAX_STARTS_PER_TAB = 8;

/**
 * The form of a URL that both sides agree on: the browser reports the navigation with its
 * fragment, the network request (and so the block page) without it. Null for anything that is not
 * a web address (extension pages, about:blank, data:), which Steward never blocks.
 */
export function navigationKey(raw: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.hash = '';
  return parsed.href;
}

/** A tab's top frame started a navigation; returns the new ledger, or null when nothing changes. */
export function noteNavigationStart(
  ledger: BlockPageLedger,
  tabId: number,
  rawUrl: string,
  now: number,
): BlockPageLedger | null {
  const url = navigationKey(rawUrl);
  if (url === null || tabId < 0) return null;
  const kept = pruned(ledger, now);
  const entry = kept[tabId] ?? {};
  const started = [...(entry.started ?? []), { url, at: now }].slice(-MAX_STARTS_PER_TAB);
  return { ...kept, [tabId]: { ...entry, started } };
}

export type CountDecision =
  | { count: true; ledger: BlockPageLedger }
  | { count: false; why: 'no navigation started' | 'already counted'; ledger: BlockPageLedger };

/**
 * A block page in `tabId` says it shows `url` (already known to be blocked or warned by the rules
 * in force). Count it only if this tab started a navigation to it just now; the start is used up.
 */
export function decideBlockPageCount(
  ledger: BlockPageLedger,
  tabId: number,
  url: string,
  now: number,
): CountDecision {
  const key = navigationKey(url);
  const entry = ledger[tabId];
  const starts = entry?.started ?? [];
  // The oldest matching start is this block page's own navigation.
  const at = starts.findIndex((s) => s.url === key && now - s.at <= START_CLAIM_WITHIN_MS);
  if (key === null || !entry || at < 0) {
    return { count: false, why: 'no navigation started', ledger };
  }
  const started = starts.filter((_, i) => i !== at);
  const counted = entry.counted;
  if (counted && counted.url === key && now - counted.at < COUNT_ONCE_WITHIN_MS) {
    return {
      count: false,
      why: 'already counted',
      ledger: { ...ledger, [tabId]: { ...entry, started } },
    };
  }
  return {
    count: true,
    ledger: { ...pruned(ledger, now), [tabId]: { started, counted: { url: key, at: now } } },
  };
}

/** A closed tab leaves nothing behind. */
export function forgetTabInLedger(ledger: BlockPageLedger, tabId: number): BlockPageLedger | null {
  if (!(tabId in ledger)) return null;
  const { [tabId]: _gone, ...rest } = ledger;
  return rest;
}

/** Entries too old to matter go, so the ledger stays small over a long day. */
function pruned(ledger: BlockPageLedger, now: number): BlockPageLedger {
  const kept: BlockPageLedger = {};
  for (const [tab, entry] of Object.entries(ledger)) {
    const started = (entry.started ?? []).filter((s) => now - s.at <= START_CLAIM_WITHIN_MS);
    const counted =
      entry.counted && now - entry.counted.at < COUNT_ONCE_WITHIN_MS ? entry.counted : undefined;
    if (started.length > 0 || counted) {
      kept[tab] = { ...(started.length > 0 ? { started } : {}), ...(counted ? { counted } : {}) };
    }
  }
  return kept;
}
