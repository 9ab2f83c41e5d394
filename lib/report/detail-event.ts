/**
 * The detailed event for a blocked or warned navigation (policy `reportDetail: "events"`), derived
 * by the service worker from the rules in force, never from what the block page says: a page can
 * only name a URL, and an event is kept only when the rules in force block or warn that URL, with
 * the category the rules give it. What is kept of the URL is its registrable domain (Public Suffix
 * List): `https://news.bbc.co.uk/sport/x?q=y` becomes `bbc.co.uk`. No path, query, fragment,
 * sub-domain, port or user name ever reaches storage.
 *
 * Pure module.
 */
import { BLOCK_LIST_CATEGORY, type UrlVerdict } from '../compiler.ts';
import type { DetailEvent } from './counters.ts';
import { registrableDomainOf } from './payload.ts';

/** The report's category names are lower case; the school's own list is reported as "blocklist". */
export const reportCategory = (category: string): string =>
  category === BLOCK_LIST_CATEGORY ? 'blocklist' : category;

/**
 * The event to keep for `url`, blocked or warned in `category` by the rules in force (the
 * worker's own verdict), or null when the URL has no registrable domain.
 */
export function detailEventOf(
  category: string,
  outcome: 'blocked' | 'warned',
  url: string,
): DetailEvent | null {
  const domain = registrableDomainOf(url);
  return domain ? { category: reportCategory(category), outcome, domain } : null;
}

/** The event to keep for `url` given the rules' verdict on it, or null when there is none. */
export function detailEventFor(verdict: UrlVerdict, url: string): DetailEvent | null {
  if (verdict.outcome !== 'blocked' && verdict.outcome !== 'warned') return null;
  if (!('source' in verdict)) return null;
  return detailEventOf(verdict.source, verdict.outcome, url);
}
