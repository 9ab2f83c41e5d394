/**
 * What the block page offers (issue 11 part 2 follow-up): for a category a signed rule list locks,
 * no access request of any kind and no Continue, only a wrong-block report; for everything else
 * the school's usual ways to ask. The verdict comes from the compiled rules (verdictForUrl), the
 * same path the worker takes, so a locked list is recognised from the rules in force.
 */
import { describe, expect, it } from 'vitest';
import { blockPageOffers } from '../../lib/block-page-offers.ts';
import { verdictForUrl } from '../../lib/block-verdict.ts';
import { compileRules } from '../../lib/compiler.ts';
import { normaliseEntry } from '../../lib/domains.ts';
import type { BlockPageVerdict } from '../../lib/messages.ts';
import { DEFAULT_POLICY } from '../../lib/policy.ts';

const prefix = (entry: string) => {
  const e = normaliseEntry(entry);
  if (!e.ok || e.kind !== 'urlPrefix') throw new Error(entry);
  return e.prefix;
};

const compiled = compileRules({
  policy: {
    ...DEFAULT_POLICY,
    categories: { ...DEFAULT_POLICY.categories, extremism: 'allow', social: 'warn' },
    allowList: ['hate.example', 'https://blocked-path.example/research/'],
  },
  categoryLists: {
    extremism: {
      domains: ['hate.example'],
      urlPrefixes: [prefix('blocked-path.example/research/pamphlets')],
    },
    social: { domains: ['reddit.com'], urlPrefixes: [] },
    gambling: { domains: ['bet365.com'], urlPrefixes: [] },
  },
  blockPageUrl: 'chrome-extension://abc/blocked.html',
  target: 'chrome',
  lockedCategories: ['extremism'],
});
if (!compiled.ok) throw new Error(compiled.errors.join());
const rules = compiled.rules;

const ALL_WAYS = {
  email: 'it@stmarys.sch.uk',
  url: 'https://it.stmarys.sch.uk/ask',
  server: true,
};

/** The block page's verdict for a URL, as platform/enforcement.ts builds it. */
function verdictFor(url: string, accessRequest = ALL_WAYS): BlockPageVerdict {
  const v = verdictForUrl(rules, url);
  if (v.kind !== 'blocked' && v.kind !== 'warned') throw new Error(`${url} is ${v.kind}`);
  return {
    url: v.url,
    host: v.host,
    outcome: v.kind,
    category: v.category,
    ...(v.locked ? { locked: true as const } : {}),
    accessRequest,
    warnContinueMinutes: 15,
  };
}

describe('a locked category on the block page', () => {
  it('is recognised from the rules in force, despite allow mode and the allow list', () => {
    for (const url of [
      'https://www.hate.example/',
      'https://blocked-path.example/research/pamphlets/1',
    ]) {
      const v = verdictForUrl(rules, url);
      expect(v).toMatchObject({ kind: 'blocked', category: 'extremism', locked: true });
    }
    expect(verdictForUrl(rules, 'https://bet365.com/')).toMatchObject({ locked: false });
  });

  it('offers no access request (email, form or server) and no Continue', () => {
    const offers = blockPageOffers(
      verdictFor('https://hate.example/'),
      'Site: hate.example',
      false,
    );
    expect(offers).toMatchObject({
      lead: 'block_lead_locked',
      askByEmail: null,
      askOnline: null,
      askThroughServer: false,
      offerContinue: false,
    });
  });

  it('offers "Report a wrong block" by email, labelled as a report, with the details', () => {
    const offers = blockPageOffers(
      verdictFor('https://hate.example/'),
      'Site: hate.example',
      false,
    );
    const href = offers.reportWrongBlock?.href ?? '';
    expect(href.startsWith('mailto:it@stmarys.sch.uk?')).toBe(true);
    const query = new URLSearchParams(href.split('?')[1]);
    expect(query.get('subject')).toBe('Wrong block report: hate.example');
    expect(query.get('subject')).not.toMatch(/access/i);
    expect(query.get('body')).toContain('Site: hate.example');
    expect(query.get('body')).toContain('blocked wrongly');
  });

  it("falls back to the school's form, and to words alone when the policy names no channel", () => {
    const viaForm = blockPageOffers(
      verdictFor('https://hate.example/', { url: 'https://it.stmarys.sch.uk/ask' } as never),
      '',
      false,
    );
    expect(viaForm.reportWrongBlock).toEqual({
      href: 'https://it.stmarys.sch.uk/ask',
      external: true,
    });
    const none = blockPageOffers(verdictFor('https://hate.example/', {} as never), '', false);
    expect(none.reportWrongBlock).toBeNull();
    expect(none.askThroughServer).toBe(false);
  });
});

describe('a category the school controls', () => {
  it('keeps "Ask for access" in every channel the policy sets, and no wrong-block report', () => {
    const offers = blockPageOffers(verdictFor('https://bet365.com/'), 'Site: bet365.com', false);
    expect(offers.lead).toBe('block_lead');
    expect(offers.askByEmail).toContain('subject=Access%20request%3A%20bet365.com');
    expect(offers.askOnline).toBe('https://it.stmarys.sch.uk/ask');
    expect(offers.askThroughServer).toBe(true);
    expect(offers.reportWrongBlock).toBeNull();
    expect(offers.offerContinue).toBe(false);
  });

  it('offers Continue on a warning, but not when a web page frames the block page', () => {
    const warned = verdictFor('https://www.reddit.com/');
    expect(blockPageOffers(warned, '', false)).toMatchObject({
      lead: 'warn_lead',
      offerContinue: true,
    });
    expect(blockPageOffers(warned, '', true)).toMatchObject({
      offerContinue: false,
      askThroughServer: false,
    });
  });

  it('uses the neutral extremism lead when the extremism category is not locked', () => {
    const v = { ...verdictFor('https://bet365.com/'), category: 'extremism' } as BlockPageVerdict;
    expect(blockPageOffers(v, '', false).lead).toBe('block_lead_extremism');
  });
});
