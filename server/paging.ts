/**
 * Paging for every list endpoint: `?limit=` (default 100, at most 500) and `?cursor=` (the
 * `next` of the previous page, opaque). Keyset paging on (time, id): a page never repeats or
 * skips a row when new rows arrive meanwhile, and the database reads only the page.
 */
import { decodeCursor } from './store/schema.ts';
import type { PageRequest } from './store/types.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 500;

export function pageRequest(
  url: URL,
): { ok: true; page: PageRequest } | { ok: false; message: string } {
  const rawLimit = url.searchParams.get('limit');
  const limit = rawLimit === null || rawLimit === '' ? DEFAULT_PAGE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    return { ok: false, message: `limit: expected a whole number from 1 to ${MAX_PAGE}` };
  }
  const rawCursor = url.searchParams.get('cursor');
  if (rawCursor === null || rawCursor === '') return { ok: true, page: { limit, cursor: null } };
  const cursor = decodeCursor(rawCursor);
  if (!cursor)
    return { ok: false, message: 'cursor: not one this server gave out; start again without it' };
  return { ok: true, page: { limit, cursor } };
}
