/**
 * Safe search: DNR rules that add each search engine's own "strict" parameter to its search
 * requests (a redirect with a `queryTransform`, so whatever the member of staff typed, e.g.
 * `safe=off`, is replaced) and send YouTube's `YouTube-Restrict` header. Pure; the service worker
 * applies these rules in the same atomic update as the policy's own (platform/enforcement.ts).
 *
 * The UK Safer Internet Centre's "appropriate filtering" definition and the DfE filtering standard
 * expect safe search to be enforced. Chrome's own `ForceGoogleSafeSearch` and `ForceYouTubeRestrict`
 * policies cover only Google and YouTube, and only in Chrome; these rules also cover Bing,
 * DuckDuckGo and Yahoo, in Chrome, Edge and Firefox.
 *
 * | engine     | requests                                     | what is added                    |
 * |------------|----------------------------------------------|----------------------------------|
 * | Google     | www.google.<every country domain>/search …   | `safe=active` (web, images, video)|
 * | Bing       | bing.com /search, /images/search, /videos/…  | `adlt=strict`                    |
 * | DuckDuckGo | duckduckgo.com/?q=, /html, /lite, result XHRs| `kp=1`                           |
 * | Yahoo      | search.yahoo.com (and its country and images hosts) /search | `vm=r`            |
 * | YouTube    | youtube.com, youtube-nocookie.com, its APIs  | header `YouTube-Restrict: Moderate|Strict` |
 *
 * Ecosia is not covered. Its only enforcement is a DNS mapping (www.ecosia.org CNAME
 * strict-safe-search.ecosia.org, as in AdGuard's safe-search rewrites). An extension cannot change
 * what a name resolves to, and redirecting to that name changes the Host header, which Ecosia does
 * not document serving. Its own switch lives in an unpublished cookie format. README "Safe search"
 * gives the evidence and what a school can do instead (the CNAME at its DNS, or blockList).
 *
 * Rules are only made for engine hosts the policy leaves open (a school that blocks or warns on an
 * engine keeps its block page: a redirect rule at this priority would otherwise answer first).
 * Their priority is above the allow list, so allowing `youtube.com` or `bing.com` does not turn
 * safe search off; only `safeSearch.enabled: false` (or `youtube: "off"`) does.
 */
import * as v from 'valibot';
import { PRIORITY, RULE_IDS } from './compiler.ts';

export const YOUTUBE_MODES = ['moderate', 'strict', 'off'] as const;
export type YouTubeMode = (typeof YOUTUBE_MODES)[number];

export type SafeSearchPolicy = {
  /** Safe search on Google, Bing, DuckDuckGo and Yahoo. */
  enabled: boolean;
  /** YouTube's restricted mode (independent of `enabled`). */
  youtube: YouTubeMode;
};

/** On by default: the seed policies' schools are bound by the DfE filtering standard. */
export const DEFAULT_SAFE_SEARCH: SafeSearchPolicy = { enabled: true, youtube: 'moderate' };

export const SafeSearchPolicySchema = v.object({
  enabled: v.optional(v.boolean('safeSearch.enabled must be true or false')),
  youtube: v.optional(
    v.picklist(YOUTUBE_MODES, 'safeSearch.youtube must be "moderate", "strict" or "off"'),
  ),
});

/** Google's search country domains (https://www.google.com/supported_domains). */
export const GOOGLE_DOMAINS = `google.com google.ad google.ae google.com.af google.com.ag google.al
google.am google.co.ao google.com.ar google.as google.at google.com.au google.az google.ba
google.com.bd google.be google.bf google.bg google.com.bh google.bi google.bj google.com.bn
google.com.bo google.com.br google.bs google.bt google.co.bw google.by google.com.bz google.ca
google.cd google.cf google.cg google.ch google.ci google.co.ck google.cl google.cm google.cn
google.com.co google.co.cr google.com.cu google.cv google.com.cy google.cz google.de google.dj
google.dk google.dm google.com.do google.dz google.com.ec google.ee google.com.eg google.es
google.com.et google.fi google.com.fj google.fm google.fr google.ga google.ge google.gg
google.com.gh google.com.gi google.gl google.gm google.gr google.com.gt google.gy google.com.hk
google.hn google.hr google.ht google.hu google.co.id google.ie google.co.il google.im google.co.in
google.iq google.is google.it google.je google.com.jm google.jo google.co.jp google.co.ke
google.com.kh google.ki google.kg google.co.kr google.com.kw google.kz google.la google.com.lb
google.li google.lk google.co.ls google.lt google.lu google.lv google.com.ly google.co.ma google.md
google.me google.mg google.mk google.ml google.com.mm google.mn google.com.mt google.mu google.mv
google.mw google.com.mx google.com.my google.co.mz google.com.na google.com.ng google.com.ni
google.ne google.nl google.no google.com.np google.nr google.nu google.co.nz google.com.om
google.com.pa google.com.pe google.com.pg google.com.ph google.com.pk google.pl google.pn
google.com.pr google.ps google.pt google.com.py google.com.qa google.ro google.ru google.rw
google.com.sa google.com.sb google.sc google.se google.com.sg google.sh google.si google.sk
google.com.sl google.sn google.so google.sm google.sr google.st google.com.sv google.td google.tg
google.co.th google.com.tj google.tl google.tm google.tn google.to google.com.tr google.tt
google.com.tw google.co.tz google.com.ua google.co.ug google.co.uk google.com.uy google.co.uz
google.com.vc google.co.ve google.co.vi google.com.vn google.vu google.ws google.rs google.co.za
google.co.zm google.co.zw google.cat`.split(/\s+/);

type ResourceType = 'main_frame' | 'sub_frame' | 'xmlhttprequest' | 'script' | 'media' | 'other';

/** The subset of chrome.declarativeNetRequest.Rule that safe search emits. */
export type SafeSearchRule = {
  id: number;
  priority: number;
  action:
    | {
        type: 'redirect';
        redirect: {
          transform: { queryTransform: { addOrReplaceParams: { key: string; value: string }[] } };
        };
      }
    | {
        type: 'modifyHeaders';
        requestHeaders: { header: string; operation: 'set'; value: string }[];
      };
  condition: { requestDomains: string[]; regexFilter?: string; resourceTypes: ResourceType[] };
};

export type SearchEngine = {
  id: 'google' | 'bing' | 'duckduckgo' | 'yahoo';
  /** The hosts searched on (each covers its subdomains in DNR). */
  hosts: string[];
  /** Which requests on those hosts are searches (path and query, after the host). */
  searchPath: string;
  param: { key: string; value: string };
  /** A search URL on `host`, to ask whether the policy leaves it open. */
  sample: (host: string) => string;
};

const SEARCH_TYPES: ResourceType[] = ['main_frame', 'sub_frame', 'xmlhttprequest'];

export const SEARCH_ENGINES: SearchEngine[] = [
  {
    id: 'google',
    // www. only: `google.com` in requestDomains would also take docs., mail. and classroom.
    hosts: GOOGLE_DOMAINS.map((d) => `www.${d}`),
    // Web, images (tbm=isch / udm=2) and video (tbm=vid) are all /search.
    searchPath: '/(search|webhp|imghp)([?#/]|$)',
    param: { key: 'safe', value: 'active' },
    sample: (host) => `https://${host}/search?q=steward`,
  },
  {
    id: 'bing',
    hosts: ['bing.com'],
    searchPath: '/((images|videos|news)/)?(search|async)([?#/]|$)',
    param: { key: 'adlt', value: 'strict' },
    sample: (host) => `https://www.${host}/search?q=steward`,
  },
  {
    id: 'duckduckgo',
    hosts: ['duckduckgo.com'],
    // duckduckgo.com/?q=, html.duckduckgo.com/html/?q=, lite, and the result requests d.js / i.js.
    searchPath: '/(html/?|lite/?|d\\.js|i\\.js|v\\.js)?\\?',
    param: { key: 'kp', value: '1' },
    sample: (host) => `https://${host}/?q=steward`,
  },
  {
    id: 'yahoo',
    // Covers uk.search.yahoo.com, images.search.yahoo.com and video.search.yahoo.com.
    hosts: ['search.yahoo.com'],
    searchPath: '/(yhs/)?search',
    param: { key: 'vm', value: 'r' },
    sample: (host) => `https://${host}/search?p=steward`,
  },
];

/** The hosts YouTube's restricted mode is enforced on (Google's documented list). */
export const YOUTUBE_HOSTS = [
  'youtube.com',
  'youtube-nocookie.com',
  'youtubei.googleapis.com',
  'youtube.googleapis.com',
];

export const YOUTUBE_RESTRICT_HEADER = 'YouTube-Restrict';

/**
 * One search URL per engine host, in SEARCH_ENGINES order: the same every plan, so made once and
 * frozen, which lets `explainUrls` keep what it parses from them (lib/compiler.ts) instead of
 * parsing ~190 URLs and sorting ~650 names on every update (h32-update).
 */
let samples: readonly string[] | null = null;
export function searchSamples(): readonly string[] {
  samples ??= Object.freeze(
    SEARCH_ENGINES.flatMap((engine) => engine.hosts.map((h) => engine.sample(h))),
  );
  return samples;
}

/**
 * The safe-search rules for `policy`. `areOpen(urls)` says, for each search URL, whether the
 * policy in force leaves it reachable (the planner answers from the compiled rules with
 * `explainUrls`, all at once); engine hosts it blocks or warns on get no rule, so their block page
 * still shows.
 */
export function safeSearchRules(
  policy: SafeSearchPolicy,
  areOpen: (urls: readonly string[]) => boolean[] = (urls) => urls.map(() => true),
): SafeSearchRule[] {
  const rules: Omit<SafeSearchRule, 'id'>[] = [];
  if (policy.enabled) {
    const open = areOpen(searchSamples());
    let next = 0;
    for (const engine of SEARCH_ENGINES) {
      const hosts = engine.hosts.filter(() => open[next++] === true);
      if (hosts.length === 0) continue;
      rules.push({
        priority: PRIORITY.safeSearch,
        action: {
          type: 'redirect',
          redirect: { transform: { queryTransform: { addOrReplaceParams: [engine.param] } } },
        },
        condition: {
          requestDomains: hosts,
          regexFilter: `^https?://[^/]+${engine.searchPath}`,
          resourceTypes: SEARCH_TYPES,
        },
      });
    }
  }
  if (policy.youtube !== 'off') {
    rules.push({
      priority: PRIORITY.safeSearch,
      action: {
        type: 'modifyHeaders',
        requestHeaders: [
          {
            header: YOUTUBE_RESTRICT_HEADER,
            operation: 'set',
            value: policy.youtube === 'strict' ? 'Strict' : 'Moderate',
          },
        ],
      },
      condition: {
        requestDomains: YOUTUBE_HOSTS,
        resourceTypes: ['main_frame', 'sub_frame', 'xmlhttprequest', 'script', 'media', 'other'],
      },
    });
  }
  return rules.map((rule, i) => ({ id: RULE_IDS.safeSearch.first + i, ...rule }));
}

/** Every id safe search may use, so an update removes the previous set whatever its size. */
export function safeSearchRuleIds(): number[] {
  const ids: number[] = [];
  for (let id = RULE_IDS.safeSearch.first; id <= RULE_IDS.safeSearch.last; id++) ids.push(id);
  return ids;
}
