import { describe, expect, it, vi } from 'vitest';
import {
  checkCompiledCategory,
  compareReversed,
  groupDepth,
} from '../../../lib/rule-list/compiled.ts';
import {
  COMPILED_RULE_LIST_FORMAT,
  parseRuleList,
  RULE_LIST_FORMAT,
  serialiseRuleList,
  toCompiledRuleList,
} from '../../../lib/rule-list/document.ts';
import { generateRuleListKeyPair, signRuleList } from '../../../lib/rule-list/signature.ts';
import { checkForUpdate, type FetchLike, signatureUrlOf } from '../../../lib/rule-list/update.ts';
import { warmUpListBytes, warmUpRuleListCheck } from '../../../lib/rule-list/warm-up.ts';

const realList = async () =>
  new TextEncoder().encode(
    serialiseRuleList(
      await toCompiledRuleList({
        format: RULE_LIST_FORMAT,
        version: 7,
        issuedAt: '2026-08-23T09:00:00Z',
        categories: {
          gambling: {
            domains: ['bet.com', 'abet.com', 'www2.bet.com', 'casino.co.uk', 'x.y.z.org'],
          },
          social: { domains: ['bet.com', 'social.example', 'a.b.social.example'] },
        },
        allowList: ['abet.com'],
      }),
    ),
  );

describe('the rule-list check warm-up', () => {
  it('its made-up list is a valid compiled list, sorted and at its depths, so the whole check runs', () => {
    const read = parseRuleList(warmUpListBytes());
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.document.format).toBe(COMPILED_RULE_LIST_FORMAT);
    const compiled = read.document.categories.warmup!.compiled!;
    expect(compiled.groups.map((g) => g.depth)).toEqual([2, 3, 4]);
    for (const group of compiled.groups) {
      expect(group.domains.length).toBeGreaterThanOrEqual(600);
      expect([...group.domains].sort(compareReversed)).toEqual(group.domains);
      expect(new Set(group.domains).size).toBe(group.domains.length);
      for (const domain of group.domains) expect(groupDepth(domain)).toBe(group.depth);
      // Names that end others, as real lists have: the comparison reaches a name's end.
      expect(group.domains.some((d, i) => i > 0 && group.domains[i + 1]?.endsWith(d))).toBe(true);
    }
    expect(checkCompiledCategory('warmup', compiled)).toEqual([]);
    expect(warmUpRuleListCheck()).toBe(true);
  });

  it('leaves no state: a list reads the same, refusals included, after it as before it', async () => {
    const bytes = await realList();
    const before = parseRuleList(bytes);
    const bad = new TextEncoder().encode(
      new TextDecoder().decode(bytes).replace('"bet.com"', '"zzz.bet.com"'),
    );
    const badBefore = parseRuleList(bad);
    expect(before.ok).toBe(true);
    expect(badBefore.ok).toBe(false);
    for (let i = 0; i < 3; i++) expect(warmUpRuleListCheck()).toBe(true);
    expect(parseRuleList(bytes)).toEqual(before);
    expect(parseRuleList(bad)).toEqual(badBefore);
    // The made-up list is made once and read the same each time.
    expect(warmUpListBytes()).toBe(warmUpListBytes());
  });

  it('is offered the wait while the list downloads, told when it is over, and the outcome is the same', async () => {
    const keys = await generateRuleListKeyPair();
    const bytes = await realList();
    const sig = await signRuleList(bytes, keys.privateKeyPem);
    const url = 'https://lists.example.org/list.json';
    const fetch: FetchLike = async (u, init) => {
      if (u === signatureUrlOf(url)) return new Response(sig);
      if (init.headers['If-None-Match'] === '"v7"') return new Response(null, { status: 304 });
      return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { etag: '"v7"' } });
    };
    const run = (whileDownloading?: (over: () => boolean) => void, previous = {}) =>
      checkForUpdate({
        url,
        publicKey: keys.publicKey,
        previous,
        fetch,
        now: () => Date.parse('2026-08-24T00:00:00Z'),
        ...(whileDownloading ? { whileDownloading } : {}),
      });
    const overs: (() => boolean)[] = [];
    const warmUp = vi.fn((over: () => boolean) => {
      // Called as the request goes out: the download is not over yet.
      expect(over()).toBe(false);
      overs.push(over);
      warmUpRuleListCheck();
    });
    const plain = await run();
    const warmed = await run(warmUp);
    expect(warmUp).toHaveBeenCalledTimes(1);
    expect(overs[0]!()).toBe(true);
    expect(plain.kind).toBe('updated');
    const strip = (o: typeof plain) => ({ ...o, checkedAt: 0, timings: null });
    expect(strip(warmed)).toEqual(strip(plain));
    // An unchanged poll too (the answer is not known when the request goes out): over at the 304.
    const unchanged = await run(warmUp, { etag: '"v7"', version: 7 });
    expect(unchanged.kind).toBe('unchanged');
    expect(warmUp).toHaveBeenCalledTimes(2);
    expect(overs[1]!()).toBe(true);
  });
});

describe('warmUpWhile', () => {
  it('runs its steps one task at a time, waits while it may not run, stops once the download is over', async () => {
    vi.useFakeTimers();
    try {
      let may = false;
      let over = false;
      const { warmUpWhile } = await import('../../../lib/rule-list/warm-up.ts');
      const parse = vi.spyOn(JSON, 'parse');
      warmUpWhile(
        () => may,
        () => over,
      );
      await vi.advanceTimersByTimeAsync(50);
      expect(parse).not.toHaveBeenCalled();
      may = true;
      await vi.advanceTimersByTimeAsync(10);
      // The made-up list is made in one step and read in the next.
      expect(parse).toHaveBeenCalledTimes(1);
      over = true;
      const calls = vi.getTimerCount();
      await vi.advanceTimersByTimeAsync(50);
      expect(vi.getTimerCount()).toBeLessThanOrEqual(calls);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
      vi.restoreAllMocks();
    }
  });

  it("keeps nothing of a download once its steps are all taken: not the check's scope, not its list", async () => {
    // The worker keeps the warm-up's module for its life: holding the first download's `over`
    // kept the scope of `checkForUpdate` it closes over, the list's bytes among them (the 1M heap
    // figure 36 MB against 3.7, h35-update).
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    vi.resetModules();
    const { warmUpWhile } = await import('../../../lib/rule-list/warm-up.ts');
    const parse = vi.spyOn(JSON, 'parse');
    const download = (): WeakRef<Uint8Array> => {
      const bytes = new Uint8Array(1 << 20);
      // `over` reads the download's scope, as the check's reads whether its list is in.
      warmUpWhile(
        () => true,
        () => bytes.byteLength === 0,
      );
      return new WeakRef(bytes);
    };
    const list = download();
    // The steps have started (the made-up list read); until they are all taken the warm-up may
    // rightly hold the download's `over`, so ask again (a busy machine takes longer) until the
    // list is gone; with the leak it never goes and this fails after five seconds.
    await vi.waitFor(() => expect(parse).toHaveBeenCalled());
    parse.mockRestore();
    await vi.waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
        expect(list.deref()).toBeUndefined();
      },
      { timeout: 5000, interval: 50 },
    );
  });
});
