/** What `steward rules build` and the dashboard show before publishing (lib/rule-list/draft.ts). */
import { describe, expect, it } from 'vitest';
import { changesBetween, documentOf, findingsOf } from '../../../lib/rule-list/draft.ts';

const doc = (categories: Record<string, string[]>, allow: string[] = [], block: string[] = []) =>
  documentOf(
    1,
    new Date('2026-12-01T09:00:00Z'),
    Object.fromEntries(Object.entries(categories).map(([id, domains]) => [id, { domains }])),
    allow,
    block,
  );

describe('findings before publishing', () => {
  it('names a domain in two categories the policy treats differently, also through a parent', () => {
    const d = doc({
      social: ['soundcloud.com', 'facebook.com'],
      streaming: ['soundcloud.com', 'm.facebook.com'],
    });
    const f = findingsOf(d, { social: 'warn' });
    expect(f[0]!.kind).toBe('mode-conflict');
    expect(f[0]!.examples).toEqual([
      'm.facebook.com: social (warn) and streaming (block)',
      'soundcloud.com: social (warn) and streaming (block)',
    ]);
    // The same mode is no conflict.
    expect(findingsOf(d, {})).toEqual([]);
  });

  it('names block-list entries the allow list cancels, and covered entries', () => {
    const d = doc({}, ['example.org'], ['shop.example.org', 'other.example.net']);
    const f = findingsOf(d, {}, [{ entry: 'a.b.com', parent: 'b.com', where: 'gambling' }]);
    expect(f.map((x) => x.kind)).toEqual(['covered', 'allow-and-block']);
    expect(f[1]!.examples).toEqual(['shop.example.org']);
  });

  it('says what changed between versions', () => {
    const before = doc({ gambling: ['a.com', 'b.com'] });
    const after = doc({ gambling: ['b.com', 'c.com'] }, ['d.com']);
    expect(changesBetween(before, after)).toEqual([
      { part: 'allow list', added: 1, removed: 0, examples: ['+ d.com'] },
      { part: 'category gambling', added: 1, removed: 1, examples: ['+ c.com', '− a.com'] },
    ]);
  });
});
