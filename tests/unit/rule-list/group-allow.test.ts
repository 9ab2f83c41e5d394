/**
 * A rule list's group allow lists (issue 12: access approved for one group): validated like the
 * allow list, serialised and read back the same, and applied only to the browser whose managed
 * policy names that group.
 */
import { describe, expect, it } from 'vitest';
import {
  allowListFor,
  parseRuleList,
  serialiseRuleList,
  validateRuleList,
} from '../../../lib/rule-list/document.ts';
import { documentOf } from '../../../lib/rule-list/draft.ts';

const base = {
  format: 'steward.rule-list/1',
  version: 5,
  issuedAt: '2026-11-30T09:00:00Z',
  categories: {},
};

describe('group allow lists in a rule list', () => {
  it('round-trips through the writer and the parser, entries made canonical', () => {
    const doc = documentOf(
      5,
      new Date('2026-11-30T09:00:00Z'),
      {},
      ['everyone.org'],
      [],
      undefined,
      {
        'Oakfield Primary': ['www.Bet365.com', 'bbc.co.uk/bitesize'],
        'Empty group': [],
      },
    );
    expect(doc.groupAllowLists).toEqual({
      'Oakfield Primary': ['bbc.co.uk/bitesize', 'www.Bet365.com'],
    });
    const parsed = parseRuleList(new TextEncoder().encode(serialiseRuleList(doc)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.document.groupAllowLists).toEqual({
      'Oakfield Primary': ['bbc.co.uk/bitesize', 'bet365.com'],
    });
    expect(parsed.entries).toBe(3);
  });

  it("applies a group's entries only to a browser of that group", () => {
    const parsed = validateRuleList({
      ...base,
      allowList: ['everyone.org'],
      groupAllowLists: { 'Oakfield Primary': ['bet365.com'], 'Riverside Academy': ['skybet.com'] },
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    const doc = parsed.document;
    expect(allowListFor(doc, 'Oakfield Primary')).toEqual(['everyone.org', 'bet365.com']);
    expect(allowListFor(doc, 'Riverside Academy')).toEqual(['everyone.org', 'skybet.com']);
    expect(allowListFor(doc, 'Hillside')).toEqual(['everyone.org']);
    expect(allowListFor(doc, undefined)).toEqual(['everyone.org']);
    // Not a prefix or case-folding match: the name must be the policy's exactly.
    expect(allowListFor(doc, 'oakfield primary')).toEqual(['everyone.org']);
    expect(allowListFor(doc, '__proto__')).toEqual(['everyone.org']);
  });

  it('refuses a bad group name or entry, naming where', () => {
    const badName = validateRuleList({ ...base, groupAllowLists: { '<b>x</b>': ['bet365.com'] } });
    expect(badName.ok).toBe(false);
    if (!badName.ok)
      expect(badName.errors[0]).toMatch(/^groupAllowLists: "<b>x<\/b>" is not a group name/);
    const badEntry = validateRuleList({ ...base, groupAllowLists: { Oakfield: ['not a domain'] } });
    expect(badEntry.ok).toBe(false);
    if (!badEntry.ok) expect(badEntry.errors[0]).toMatch(/^groupAllowLists\["Oakfield"\]\[0\]:/);
    const notList = validateRuleList({ ...base, groupAllowLists: ['bet365.com'] });
    expect(notList.ok).toBe(false);
  });
});
