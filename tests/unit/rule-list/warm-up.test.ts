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

  it('runs while a changed list downloads (not on an unchanged poll), and the outcome is the same', async () => {
    const keys = await generateRuleListKeyPair();
    const bytes = await realList();
    const sig = await signRuleList(bytes, keys.privateKeyPem);
    const url = 'https://lists.example.org/list.json';
    const fetch: FetchLike = async (u, init) => {
      if (u === signatureUrlOf(url)) return new Response(sig);
      if (init.headers['If-None-Match'] === '"v7"') return new Response(null, { status: 304 });
      return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { etag: '"v7"' } });
    };
    const run = (whileDownloading?: () => void, previous = {}) =>
      checkForUpdate({
        url,
        publicKey: keys.publicKey,
        previous,
        fetch,
        now: () => Date.parse('2026-08-24T00:00:00Z'),
        ...(whileDownloading ? { whileDownloading } : {}),
      });
    const warmUp = vi.fn(() => void warmUpRuleListCheck());
    const plain = await run();
    const warmed = await run(warmUp);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warmUp).toHaveBeenCalledTimes(1);
    expect(plain.kind).toBe('updated');
    const strip = (o: typeof plain) => ({ ...o, checkedAt: 0, timings: null });
    expect(strip(warmed)).toEqual(strip(plain));
    const unchanged = await run(warmUp, { etag: '"v7"', version: 7 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(unchanged.kind).toBe('unchanged');
    expect(warmUp).toHaveBeenCalledTimes(1);
  });
});
