import { describe, expect, it } from 'vitest';
import {
  categoryListsOf,
  parseRuleList,
  RULE_LIST_LIMITS,
  type RuleListDocument,
  serialiseRuleList,
  validateRuleList,
} from '../../../lib/rule-list/document.ts';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

const valid = () => ({
  format: 'steward.rule-list/1',
  version: 1787400000,
  issuedAt: '2026-08-23T09:00:00Z',
  expiresAt: '2026-09-22T09:00:00.000+01:00',
  categories: {
    gambling: {
      domains: ['bet365.com', 'WWW.Example.COM.', 'bücher.de'],
      urlPrefixes: ['example.org/casino'],
    },
    exams: { label: 'Exam boards', clause: 'Policy 4.2: no exam sites in lessons.', domains: [] },
  },
  allowList: ['youtube.com/edu', 'Example.net'],
  blockList: ['example.info'],
});

describe('parseRuleList', () => {
  it('accepts a valid list and returns canonical entries', () => {
    const result = parseRuleList(encode(valid()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.entries).toBe(7);
    expect(result.document.categories.gambling!.domains).toEqual([
      'bet365.com',
      'example.com',
      'xn--bcher-kva.de',
    ]);
    expect(result.document.allowList).toEqual(['youtube.com/edu', 'example.net']);
    expect(categoryListsOf(result.document).gambling!.urlPrefixes).toEqual([
      { host: 'example.org', path: '/casino' },
    ]);
  });

  it('names where an entry is wrong, and rejects the whole list', () => {
    const list = valid();
    const domains = Array.from({ length: 1300 }, (_, i) => `site${i}.example.com`);
    domains[1203] = 'exa mple.com';
    list.categories.gambling.domains = domains;
    const result = parseRuleList(encode(list));
    expect(result).toMatchObject({ ok: false, problem: 'invalid' });
    if (result.ok) return;
    expect(result.reason).toBe(
      'categories.gambling.domains[1203]: "exa mple.com" is not a domain name.',
    );
  });

  it('says when a URL prefix sits under domains, or a domain under urlPrefixes', () => {
    const list = valid();
    list.categories.gambling.domains = ['example.com/casino'];
    list.categories.gambling.urlPrefixes = ['example.org'];
    const result = parseRuleList(encode(list));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toContain('is a URL prefix: list it under "urlPrefixes"');
    expect(result.errors[1]).toContain('is a whole domain, not a URL prefix');
  });

  it('requires a label for a category Steward does not ship', () => {
    const list = valid() as ReturnType<typeof valid> & { categories: Record<string, unknown> };
    list.categories.revision = { domains: ['example.com'] };
    const result = parseRuleList(encode(list));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.reason).toContain('categories.revision: "revision" is not a built-in category');
  });

  it.each([
    [
      'format',
      'steward.rule-list/3',
      'format: expected "steward.rule-list/1" or "steward.rule-list/2", found "steward.rule-list/3". It was made for a newer version of Steward.',
    ],
    ['version', 0, 'version: must be 1 or more.'],
    ['version', 2.5, 'version: must be a whole number.'],
    ['version', '7', 'version: wrong type'],
    ['issuedAt', '23/08/2026', 'issuedAt: must be an ISO 8601 date and time'],
    ['issuedAt', undefined, 'issuedAt: is missing.'],
    ['expiresAt', '2026-08-01T00:00:00Z', 'expiresAt: must be later than issuedAt.'],
    ['blocklist', ['x.com'], 'blocklist: is not a field of a rule list (check its spelling).'],
    ['categories', { 'Bad Id': { domains: [] } }, 'categories.Bad Id: category ids are a-z'],
    ['categories', { gambling: { domains: 'a.com' } }, 'categories.gambling.domains: wrong type'],
    ['allowList', ['co.uk'], 'allowList[0]: "co.uk" is a public suffix'],
  ])('rejects %s = %j', (key, value, message) => {
    const list: Record<string, unknown> = valid();
    if (value === undefined) delete list[key];
    else list[key] = value;
    const result = parseRuleList(encode(list));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.startsWith(message), result.reason).toBe(true);
  });

  it('rejects bytes that are not JSON, or not UTF-8', () => {
    const bad = parseRuleList(new TextEncoder().encode('{"format": "steward.rule-list/1",'));
    expect(bad).toMatchObject({ ok: false, problem: 'bad-json' });
    const latin1 = parseRuleList(new Uint8Array([0x7b, 0xe9, 0x7d]));
    expect(latin1).toMatchObject({ ok: false, problem: 'bad-json' });
    expect(parseRuleList(encode([1, 2]))).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('enforces the size and entry limits', () => {
    const big = new Uint8Array(RULE_LIST_LIMITS.maxBytes + 1);
    expect(parseRuleList(big)).toMatchObject({ ok: false, problem: 'too-large' });
    const list = valid();
    list.categories.gambling.domains = new Array(RULE_LIST_LIMITS.maxEntries).fill('a.com');
    const result = validateRuleList(list);
    expect(result).toMatchObject({ ok: false, problem: 'too-large' });
    if (!result.ok) expect(result.reason).toContain('over the limit of 2,000,000');
  });

  it('lists at most 20 problems and counts the rest', () => {
    const list = valid();
    list.categories.gambling.domains = new Array(50).fill('not a domain');
    const result = parseRuleList(encode(list));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(21);
    expect(result.errors[20]).toBe('… and 30 more.');
    expect(result.reason).toContain('(and 49 more problems).');
  });
});

describe('serialiseRuleList', () => {
  it('writes JSON that parses back to the same document, one entry per line', () => {
    const parsed = parseRuleList(encode(valid()));
    if (!parsed.ok) throw new Error(parsed.reason);
    const text = serialiseRuleList(parsed.document);
    expect(text).toContain('\n"bet365.com",\n');
    const again = parseRuleList(new TextEncoder().encode(text));
    expect(again.ok && again.document).toEqual(parsed.document);
  });

  it('writes an empty document', () => {
    const doc: RuleListDocument = {
      format: 'steward.rule-list/1',
      version: 1,
      issuedAt: '2026-08-23T09:00:00Z',
      categories: {},
    };
    expect(JSON.parse(serialiseRuleList(doc))).toEqual(doc);
  });
});
