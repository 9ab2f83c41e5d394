import { describe, expect, it } from 'vitest';
import {
  type BlockPageLedger,
  COUNT_ONCE_WITHIN_MS,
  decideBlockPageCount,
  forgetTabInLedger,
  MAX_STARTS_PER_TAB,
  navigationKey,
  noteNavigationStart,
  START_CLAIM_WITHIN_MS,
} from '../../../lib/block-page-count.ts';

const T0 = Date.UTC(2026, 11, 2, 9, 0);
const URL_A = 'https://www.bet365.com/';

function started(tab: number, url: string, at = T0, ledger: BlockPageLedger = {}) {
  const next = noteNavigationStart(ledger, tab, url, at);
  if (!next) throw new Error('nothing noted');
  return next;
}

describe('block page counting', () => {
  it('counts a block page for a navigation its tab started, once', () => {
    const ledger = started(7, URL_A);
    const first = decideBlockPageCount(ledger, 7, URL_A, T0 + 400);
    expect(first.count).toBe(true);
    // The start is used up: the same page reloaded, or a second message, adds nothing.
    const again = decideBlockPageCount(first.ledger, 7, URL_A, T0 + 900);
    expect(again).toMatchObject({ count: false, why: 'no navigation started' });
  });

  it('refuses a block page no navigation led to (opened directly, or in another tab)', () => {
    expect(decideBlockPageCount({}, 7, URL_A, T0).count).toBe(false);
    const ledger = started(7, URL_A);
    expect(decideBlockPageCount(ledger, 8, URL_A, T0 + 10).count).toBe(false);
    expect(decideBlockPageCount(ledger, 7, 'https://www.bet365.com/other', T0 + 10).count).toBe(
      false,
    );
  });

  it('matches with or without the fragment (the network request never carries it)', () => {
    const ledger = started(3, 'https://www.bet365.com/odds?x=1#today');
    expect(decideBlockPageCount(ledger, 3, 'https://www.bet365.com/odds?x=1', T0 + 5).count).toBe(
      true,
    );
    expect(navigationKey('HTTPS://WWW.Bet365.com:443/a#b')).toBe('https://www.bet365.com/a');
  });

  it('ignores starts that are not web addresses and a tab id of -1 (prerender, no tab)', () => {
    expect(
      noteNavigationStart({}, 3, 'chrome-extension://abc/blocked.html#https://x.com/', T0),
    ).toBeNull();
    expect(noteNavigationStart({}, 3, 'about:blank', T0)).toBeNull();
    expect(noteNavigationStart({}, -1, URL_A, T0)).toBeNull();
    expect(noteNavigationStart({}, 3, 'not a url', T0)).toBeNull();
  });

  it('a start older than a minute no longer counts (the block page never came)', () => {
    const ledger = started(7, URL_A);
    expect(decideBlockPageCount(ledger, 7, URL_A, T0 + START_CLAIM_WITHIN_MS).count).toBe(true);
    expect(decideBlockPageCount(ledger, 7, URL_A, T0 + START_CLAIM_WITHIN_MS + 1).count).toBe(
      false,
    );
  });

  it('the same URL again in the same tab within ten minutes is one attempt; after, a new one', () => {
    let ledger = started(7, URL_A);
    ledger = decideBlockPageCount(ledger, 7, URL_A, T0 + 100).ledger;
    ledger = started(7, URL_A, T0 + 60_000, ledger);
    const retry = decideBlockPageCount(ledger, 7, URL_A, T0 + 60_100);
    expect(retry).toMatchObject({ count: false, why: 'already counted' });
    const later = T0 + 100 + COUNT_ONCE_WITHIN_MS;
    ledger = started(7, URL_A, later, retry.ledger);
    expect(decideBlockPageCount(ledger, 7, URL_A, later + 100).count).toBe(true);
  });

  it('a different blocked URL in the same tab is a new attempt', () => {
    let ledger = started(7, URL_A);
    ledger = decideBlockPageCount(ledger, 7, URL_A, T0 + 100).ledger;
    ledger = started(7, 'https://www.tiktok.com/', T0 + 200, ledger);
    expect(decideBlockPageCount(ledger, 7, 'https://www.tiktok.com/', T0 + 300).count).toBe(true);
  });

  it('a block page whose count arrives after its tab moved on is still counted, once', () => {
    // Staff type the next address at once, or a reconcile holds the queue: the count for the
    // first block page reaches the worker after the next navigation has started.
    let ledger = started(7, URL_A);
    ledger = started(7, 'https://www.tiktok.com/', T0 + 50, ledger);
    const late = decideBlockPageCount(ledger, 7, URL_A, T0 + 100);
    expect(late.count).toBe(true);
    expect(decideBlockPageCount(late.ledger, 7, 'https://www.tiktok.com/', T0 + 150).count).toBe(
      true,
    );
    expect(decideBlockPageCount(late.ledger, 7, URL_A, T0 + 200).count).toBe(false);
  });

  it('two real navigations to the same blocked URL count once within ten minutes; a third opened by hand adds nothing', () => {
    let ledger = started(7, URL_A);
    ledger = started(7, URL_A, T0 + 10, ledger);
    const first = decideBlockPageCount(ledger, 7, URL_A, T0 + 20);
    expect(first.count).toBe(true);
    const second = decideBlockPageCount(first.ledger, 7, URL_A, T0 + 30);
    expect(second).toMatchObject({ count: false, why: 'already counted' });
    expect(decideBlockPageCount(second.ledger, 7, URL_A, T0 + 40)).toMatchObject({
      count: false,
      why: 'no navigation started',
    });
  });

  it('keeps at most a few starts per tab', () => {
    let ledger: BlockPageLedger = {};
    for (let i = 0; i < 20; i++) ledger = started(7, `https://site${i}.example/`, T0 + i, ledger);
    expect(ledger[7]!.started!.length).toBe(MAX_STARTS_PER_TAB);
    expect(decideBlockPageCount(ledger, 7, 'https://site0.example/', T0 + 30).count).toBe(false);
    expect(decideBlockPageCount(ledger, 7, 'https://site19.example/', T0 + 30).count).toBe(true);
  });

  it('forgets a closed tab, and old entries are pruned as the day goes on', () => {
    let ledger = started(7, URL_A);
    expect(forgetTabInLedger(ledger, 7)).toEqual({});
    expect(forgetTabInLedger(ledger, 9)).toBeNull();
    for (let tab = 0; tab < 50; tab++) ledger = started(tab, URL_A, T0 + tab, ledger);
    const hourLater = T0 + 3_600_000;
    ledger = started(99, URL_A, hourLater, ledger);
    expect(Object.keys(ledger)).toEqual(['99']);
  });
});
