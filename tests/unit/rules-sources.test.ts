/**
 * The built-in category lists in `rules/` are hand-curated text. These tests hold them to the
 * rules in rules/README.md: every line parses, nothing is listed twice, each category carries the
 * services staff actually meet, and no shared host that would cut staff off from school mail,
 * Office, Google or BBC News ever appears.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules, explainUrl } from '../../lib/compiler.ts';
import { parentDomains } from '../../lib/domains.ts';
import { type ParsedList, parseList } from '../../lib/lists/parse.ts';
import { DEFAULT_POLICY } from '../../lib/policy.ts';
import { loadBuiltInCategories } from '../../rules/load.ts';

const rulesDir = resolve(import.meta.dirname, '../../rules');

/** Categories Steward curates a list for. */
const CATEGORIES = [
  'streaming',
  'webmail',
  'social',
  'gambling',
  'adult',
  'chat',
  'proxy',
  'piracy',
  'auctions',
];
/** Categories whose domains only the school's signed rule list supplies: shipped empty. */
const SUPPLIED_BY_SCHOOL = ['extremism'];

const files = readdirSync(rulesDir).filter((f) => f.endsWith('.txt'));

function load(category: string): ParsedList {
  const file = `rules/${category}.txt`;
  return parseList(readFileSync(join(rulesDir, `${category}.txt`), 'utf8'), 'plain', file);
}

const lists = Object.fromEntries(CATEGORIES.map((c) => [c, load(c)])) as Record<string, ParsedList>;

const MUST_HAVE: Record<string, string[]> = {
  streaming: [
    'youtube.com',
    'youtu.be',
    'youtube-nocookie.com',
    'googlevideo.com',
    'ytimg.com',
    'netflix.com',
    'nflxvideo.net',
    'itv.com',
    'channel4.com',
    'channel5.com',
    'disneyplus.com',
    'primevideo.com',
    'nowtv.com',
    'twitch.tv',
    'spotify.com',
    'tiktok.com',
    'tiktokcdn.com',
    'vimeo.com',
    'soundcloud.com',
    'globalplayer.com',
    'radioplayer.co.uk',
  ],
  webmail: [
    'outlook.live.com',
    'hotmail.com',
    'mail.yahoo.com',
    'mail.aol.com',
    'proton.me',
    'protonmail.com',
    'tuta.com',
    'gmx.com',
    'gmx.co.uk',
    'mail.com',
    'mail.zoho.com',
    'mailinator.com',
    'guerrillamail.com',
  ],
  social: [
    'facebook.com',
    'fbcdn.net',
    'instagram.com',
    'cdninstagram.com',
    'x.com',
    'twitter.com',
    'twimg.com',
    't.co',
    'snapchat.com',
    'reddit.com',
    'pinterest.com',
    'tumblr.com',
    'linkedin.com',
    'threads.net',
    'bsky.app',
  ],
  gambling: [
    'bet365.com',
    'skybet.com',
    'williamhill.com',
    'paddypower.com',
    'betfair.com',
    'ladbrokes.com',
    'coral.co.uk',
    'national-lottery.co.uk',
    'betfred.com',
    'betway.com',
    'pokerstars.com',
    'tombola.co.uk',
    'meccabingo.com',
    'oddschecker.com',
    'polymarket.com',
  ],
  adult: [
    'pornhub.com',
    'xvideos.com',
    'xnxx.com',
    'xhamster.com',
    'onlyfans.com',
    'chaturbate.com',
  ],
  chat: [
    'whatsapp.com',
    'discord.com',
    'discord.gg',
    'telegram.org',
    't.me',
    'messenger.com',
    'omegle.com',
    'chatroulette.com',
  ],
  proxy: [
    'nordvpn.com',
    'expressvpn.com',
    'surfshark.com',
    'protonvpn.com',
    'torproject.org',
    'croxyproxy.com',
    'cloudflare-dns.com',
  ],
  piracy: [
    'thepiratebay.org',
    '1337x.to',
    'yts.mx',
    'nyaa.si',
    'libgen.is',
    'z-lib.org',
    'sci-hub.se',
    'annas-archive.org',
    'y2mate.com',
    'savefrom.net',
    'getintopc.com',
    'fmovies.to',
  ],
  auctions: [
    'ebay.co.uk',
    'ebay.com',
    'ebayimg.com',
    'ebaystatic.com',
    'gumtree.com',
    'vinted.co.uk',
    'depop.com',
    'the-saleroom.com',
    'easyliveauction.com',
    'bidspotter.co.uk',
  ],
};

/**
 * Never in any built-in list: each serves school work (school mail, Office, Google Workspace,
 * Teams, BBC News, GOV.UK) or is infrastructure shared by thousands of unrelated sites.
 */
const FORBIDDEN = [
  'mail.google.com',
  'outlook.office.com',
  'outlook.office365.com',
  'outlook.cloud.microsoft',
  'outlook.com',
  'google.com',
  'gstatic.com',
  'googleapis.com',
  'googleusercontent.com',
  'ggpht.com',
  'bbc.co.uk',
  'bbci.co.uk',
  'bbc.com',
  'gov.uk',
  'microsoft.com',
  'office.com',
  'live.com',
  'login.live.com',
  'microsoftonline.com',
  'teams.microsoft.com',
  'teams.live.com',
  'chat.google.com',
  'slack.com',
  'apple.com',
  'icloud.com',
  'amazon.co.uk',
  'amazon.com',
  'media-amazon.com',
  'yahoo.com',
  'aol.com',
  'cloudfront.net',
  'akamaihd.net',
  'akamaized.net',
  'amazonaws.com',
  'cloudflare.com',
  'fastly.net',
  'translate.google.com',
  'archive.org',
  'wikipedia.org',
  'opendns.com',
];

describe('rules/*.txt category sources', () => {
  it('has exactly one source file per built-in category', () => {
    expect(files.sort()).toEqual(
      [...CATEGORIES, ...SUPPLIED_BY_SCHOOL].map((c) => `${c}.txt`).sort(),
    );
  });

  for (const category of SUPPLIED_BY_SCHOOL) {
    it(`ships ${category} empty, and says so and why in its header`, () => {
      const list = load(category);
      expect(list.domains).toEqual([]);
      expect(list.urlPrefixes).toEqual([]);
      expect(list.skipped).toEqual([]);
      const text = readFileSync(join(rulesDir, `${category}.txt`), 'utf8');
      expect(text.startsWith('# Steward built-in category: ')).toBe(true);
      expect(text).toContain('EMPTY ON PURPOSE');
      expect(text).toMatch(/seed 00\d/);
      expect(text).toContain('signed rule list');
    });
  }

  for (const category of CATEGORIES) {
    describe(category, () => {
      const list = lists[category]!;

      it('parses every line as a domain (or a documented URL prefix)', () => {
        expect(list.skipped).toEqual([]);
      });

      it('lists nothing twice', () => {
        const seen = new Set<string>();
        const repeated = list.domains.filter((d) => seen.size === seen.add(d).size);
        expect(repeated).toEqual([]);
      });

      it('does not list a host whose parent domain is already in the same file', () => {
        const set = new Set(list.domains);
        const covered = list.domains.filter((d) => [...parentDomains(d)].some((p) => set.has(p)));
        expect(covered).toEqual([]);
      });

      it('carries at least 40 domains', () => {
        expect(list.domains.length).toBeGreaterThanOrEqual(40);
      });

      it('carries the services staff most often meet', () => {
        const missing = MUST_HAVE[category]!.filter((d) => !list.domains.includes(d));
        expect(missing).toEqual([]);
      });

      it('never lists a shared or school-work host', () => {
        const present = FORBIDDEN.filter((d) => list.domains.includes(d));
        expect(present).toEqual([]);
      });

      it('never lists a parent of a shared or school-work host', () => {
        // e.g. listing google.com would also take mail.google.com: check the other direction too.
        const set = new Set(list.domains);
        const swallowed = FORBIDDEN.filter((d) => [...parentDomains(d)].some((p) => set.has(p)));
        expect(swallowed).toEqual([]);
      });

      it('is written with a header that quotes the seed policies', () => {
        const text = readFileSync(join(rulesDir, `${category}.txt`), 'utf8');
        expect(text.startsWith('# Steward built-in category: ')).toBe(true);
        expect(text).toMatch(/seed 00\d/);
        expect(text).toContain('rules/README.md');
      });
    });
  }

  it('keeps URL prefixes to the documented BBC iPlayer and Sounds paths', () => {
    const prefixes = CATEGORIES.flatMap((c) =>
      lists[c]!.urlPrefixes.map((p) => `${c}:${p.host}${p.path}`),
    );
    expect(prefixes.sort()).toEqual(['streaming:bbc.co.uk/iplayer', 'streaming:bbc.co.uk/sounds']);
  });

  it('blocks BBC iPlayer without listing bbc.co.uk, so BBC News stays reachable', () => {
    const streaming = lists.streaming!;
    expect(streaming.domains).not.toContain('bbc.co.uk');
    expect(streaming.domains).toContain('iplayer-web.files.bbci.co.uk');
    expect(streaming.urlPrefixes).toContainEqual({ host: 'bbc.co.uk', path: '/iplayer' });
    expect(streaming.urlPrefixes.some((p) => p.path.startsWith('/news'))).toBe(false);
  });

  it('puts a domain in two categories only where rules/README.md says it belongs to both', () => {
    const owners = new Map<string, string[]>();
    for (const c of CATEGORIES) {
      for (const d of lists[c]!.domains) owners.set(d, [...(owners.get(d) ?? []), c]);
    }
    const shared = [...owners]
      .filter(([, cs]) => cs.length > 1)
      .map(([d, cs]) => `${d}:${cs.join('+')}`);
    expect(shared.sort()).toEqual(['tiktok.com:streaming+social']);
  });

  it('totals a few hundred domains across the categories', () => {
    const total = CATEGORIES.reduce((n, c) => n + lists[c]!.domains.length, 0);
    expect(total).toBeGreaterThanOrEqual(400);
  });
});

describe('rules/categories.json default clauses', () => {
  const meta = JSON.parse(readFileSync(join(rulesDir, 'categories.json'), 'utf8')) as Record<
    string,
    { clause?: unknown; clauseSource?: unknown }
  >;

  const CLAUSE_IDS = [...CATEGORIES, ...SUPPLIED_BY_SCHOOL, 'downloads', 'blockList'];
  for (const id of CLAUSE_IDS) {
    it(`has a quoted clause and its source for ${id}`, () => {
      const entry = meta[id];
      expect(typeof entry?.clause).toBe('string');
      expect((entry!.clause as string).trim().length).toBeGreaterThan(20);
      // A clause quotes the policy: it carries quotation marks, not a paraphrase.
      expect(entry!.clause as string).toMatch(/[“"]/);
      expect(typeof entry?.clauseSource).toBe('string');
      expect(entry!.clauseSource as string).toMatch(/seed 00\d/);
    });
  }

  it('has no entries for unknown categories', () => {
    expect(Object.keys(meta).sort()).toEqual([...CLAUSE_IDS].sort());
  });

  it('quotes words that really are in the seed policies', () => {
    // The seed policies live outside the repo; skip cleanly where they are absent.
    const seedsDir = resolve(import.meta.dirname, '../../../shared/seeds');
    let seeds: string;
    try {
      seeds = readdirSync(seedsDir)
        .filter((f) => f.endsWith('.txt'))
        .map((f) => readFileSync(join(seedsDir, f), 'utf8'))
        .join('\n')
        .replace(/\s+/g, ' ')
        .replace(/[‘’]/g, "'")
        .toLowerCase();
    } catch {
      console.warn(`seed policies not found at ${seedsDir}; skipping the quotation check`);
      return;
    }
    const unquoted: string[] = [];
    for (const [id, entry] of Object.entries(meta)) {
      const clause = String(entry.clause);
      for (const match of clause.matchAll(/“([^”]+)”/g)) {
        for (const piece of match[1]!.split('…')) {
          const words = piece
            .trim()
            .replace(/^[.,;: ]+|[.,;: ]+$/g, '')
            .toLowerCase();
          if (words.length > 0 && !seeds.includes(words)) unquoted.push(`${id}: ${words}`);
        }
      }
    }
    expect(unquoted).toEqual([]);
  });
});

describe('the built-in lists under the default policy (every category but auctions blocked)', () => {
  const built = loadBuiltInCategories();
  const compiled = compileRules({
    policy: DEFAULT_POLICY,
    categoryLists: built.lists,
    blockPageUrl: 'chrome-extension://steward/blocked.html',
    target: 'chrome',
  });
  if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
  const verdict = (url: string) => explainUrl(compiled.rules, url);

  // What staff do every day at work: none of it may land on a block page.
  const schoolWork = [
    'https://mail.google.com/mail/u/0/#inbox',
    'https://classroom.google.com/',
    'https://docs.google.com/document/d/1',
    'https://drive.google.com/',
    'https://www.google.com/search?q=photosynthesis',
    'https://translate.google.com/',
    'https://outlook.office.com/mail/',
    'https://outlook.office365.com/owa/',
    'https://outlook.cloud.microsoft/mail/',
    'https://login.microsoftonline.com/',
    'https://login.live.com/',
    'https://teams.microsoft.com/',
    'https://www.office.com/',
    'https://www.bbc.co.uk/news',
    'https://www.bbc.co.uk/bitesize',
    'https://www.bbc.com/news',
    'https://www.gov.uk/government/organisations/department-for-education',
    'https://www.thenational.academy/',
    'https://www.tes.com/',
    'https://en.wikipedia.org/wiki/Main_Page',
    'https://web.archive.org/',
    'https://www.apple.com/uk/',
    'https://www.icloud.com/find',
    'https://www.amazon.co.uk/',
    'https://news.sky.com/',
    'https://www.yahoo.com/',
    'https://www.sportsengland.org/',
    // Auctions are allowed by default: only seed 003 forbids them.
    'https://www.ebay.co.uk/itm/1',
  ];
  for (const url of schoolWork) {
    it(`leaves ${url} reachable`, () => {
      expect(verdict(url).outcome).toBe('allowed');
    });
  }

  const blocked: [string, string][] = [
    ['https://www.youtube.com/watch?v=x', 'streaming'],
    ['https://youtu.be/x', 'streaming'],
    ['https://www.bbc.co.uk/iplayer', 'streaming'],
    ['https://www.bbc.co.uk/sounds/play/live:bbc_radio_one', 'streaming'],
    ['https://www.netflix.com/browse', 'streaming'],
    ['https://www.itv.com/watch', 'streaming'],
    ['https://open.spotify.com/', 'streaming'],
    ['https://outlook.live.com/mail/0/', 'webmail'],
    ['https://mail.yahoo.com/', 'webmail'],
    ['https://mail.proton.me/u/0/inbox', 'webmail'],
    ['https://www.facebook.com/', 'social'],
    ['https://x.com/home', 'social'],
    ['https://www.linkedin.com/feed/', 'social'],
    // tiktok.com is in both streaming and social; either may be named.
    ['https://www.tiktok.com/foryou', 'streaming|social'],
    ['https://www.bet365.com/', 'gambling'],
    ['https://www.national-lottery.co.uk/', 'gambling'],
    ['https://www.pornhub.com/', 'adult'],
    ['https://web.whatsapp.com/', 'chat'],
    ['https://web.telegram.org/a/', 'chat'],
    ['https://discord.com/channels/@me', 'chat'],
    ['https://web.snapchat.com/', 'chat'],
    ['https://nordvpn.com/', 'proxy'],
    ['https://www.croxyproxy.com/', 'proxy'],
    ['https://mozilla.cloudflare-dns.com/dns-query', 'proxy'],
    ['https://thepiratebay.org/search.php?q=x', 'piracy'],
    ['https://www.y2mate.com/', 'piracy'],
    ['https://libgen.is/', 'piracy'],
  ];
  for (const [url, category] of blocked) {
    it(`blocks ${url} as ${category}`, () => {
      const v = verdict(url);
      expect(v.outcome).toBe('blocked');
      expect(category.split('|')).toContain('source' in v ? v.source : undefined);
    });
  }

  it('gives every built-in category a default clause', () => {
    for (const category of CATEGORIES) expect(built.clauses[category]).toBeTruthy();
    expect(built.clauses.blockList).toBeTruthy();
  });
});
