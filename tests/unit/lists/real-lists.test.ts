/**
 * The parsers on the real lists in `../shared/lists/` (test data only, not in the repository).
 * Skips cleanly where that folder is absent.
 *
 * Expected counts were computed independently of the parser, with grep on the files:
 *   nonBlank  = grep -c . FILE
 *   ip        = grep -cE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' FILE              (UT1 domains)
 *             = grep -cE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(/|$)' FILE          (UT1 urls)
 *   entries   = the list's own "# Entries:" / "Total number of network filters:" header, which
 *               also equals grep -c '^0\.0\.0\.0 ' (hosts), grep -cE '^\|\|.+\^$' (AdGuard),
 *               grep -cE '^server=/.+/$' (dnsmasq), grep -vc -e '^#' -e '^$' (plain -nl).
 * UT1 lists a few public suffixes as if they were sites (rejected: listing one would block every
 * site under it); they are named below, each checked against the Public Suffix List by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ListFormat, parseList } from '../../../lib/lists/parse.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const LISTS = path.join(path.resolve(repoRoot, '../shared'), 'lists');
const present = existsSync(LISTS);
if (!present) console.warn(`real-list tests skipped: ${LISTS} is absent`);

const read = (relative: string) => readFileSync(path.join(LISTS, relative), 'utf8');

// category: [nonBlank domains lines, IP lines, public suffixes listed, nonBlank urls, IP urls]
const UT1: Record<string, [number, number, string[], number, number]> = {
  'audio-video': [3710, 90, [], 164, 46],
  chat: [268, 73, [], 17, 3],
  dating: [6504, 1, [], 15, 0],
  doh: [3015, 19, [], 1, 0],
  gambling: [32247, 14, [], 5, 0],
  games: [33741, 26, [], 1655, 3],
  radio: [567, 6, [], 10, 0],
  redirector: [132323, 22530, [], 293, 7],
  'remote-control': [170, 0, [], 1, 0],
  // bet.br, game.tw and the short private suffixes (ju.mp, now.sh, …) are listable: blocking a
  // whole betting registry or link shortener is what these lists mean (lib/public-suffixes.ts).
  shortener: [4558, 0, [], 0, 0],
  social_networks: [715, 0, [], 1, 0],
  vpn: [6039, 0, [], 0, 0],
  warez: [1546, 22, [], 15, 1],
  webmail: [404, 0, [], 9, 0],
};

describe.skipIf(!present)('UT1 category lists', () => {
  for (const [category, [lines, ips, suffixes, urlLines, urlIps]] of Object.entries(UT1)) {
    it(`${category}/domains`, () => {
      const result = parseList(read(`ut1/${category}/domains`), 'ut1-domains', 'domains');
      expect(result.lines).toBe(lines);
      expect(result.domains.length).toBe(lines - ips - suffixes.length);
      expect(result.skipped.filter((s) => s.reason.includes('IP address')).length).toBe(ips);
      expect(
        result.skipped.filter((s) => s.reason.includes('public suffix')).map((s) => s.text),
      ).toEqual(suffixes);
      expect(result.skipped.length).toBe(ips + suffixes.length);
      // Already canonical in UT1: nothing to rewrite.
      expect(new Set(result.domains).size).toBeGreaterThan(0);
    });

    it(`${category}/urls`, () => {
      const result = parseList(read(`ut1/${category}/urls`), 'ut1-urls', 'urls');
      expect(result.lines).toBe(urlLines);
      expect(result.skipped.length).toBe(urlIps);
      // games/urls line 536 is `equilibriumsystems.com/#platform-porting`: a fragment is never
      // sent to a server, so the prefix is the whole site (grep -c '^[^/]*/#' finds that one).
      const wholeSites = category === 'games' ? 1 : 0;
      expect(result.domains.length).toBe(wholeSites);
      expect(result.urlPrefixes.length).toBe(urlLines - urlIps - wholeSites);
    });
  }

  it('auto-detects UT1 files as plain and reads them the same way', () => {
    const text = read('ut1/gambling/domains');
    const auto = parseList(text, 'auto');
    expect(auto.format).toBe('plain');
    expect(auto.domains).toEqual(parseList(text, 'ut1-domains').domains);
  });
});

const BLOCKLISTPROJECT: [string, ListFormat, number][] = [
  ['basic.txt', 'hosts', 76036],
  ['drugs.txt', 'hosts', 26029],
  ['facebook.txt', 'hosts', 22362],
  ['redirect.txt', 'hosts', 108685],
  ['tiktok.txt', 'hosts', 3725],
  ['youtube.txt', 'hosts', 24280],
  ['youtube-ags.txt', 'adblock', 24280],
  ['youtube-nl.txt', 'plain', 24280],
  ['tiktok-dnsmasq.txt', 'dnsmasq', 3725],
];

describe.skipIf(!present)('The Block List Project lists', () => {
  for (const [file, format, entries] of BLOCKLISTPROJECT) {
    it(`${file} (${format})`, () => {
      const text = read(`blocklistproject/${file}`);
      const result = parseList(text, format, file);
      expect(result.domains.length).toBe(entries);
      expect(result.skipped).toEqual([]);
      expect(parseList(text, 'auto', file).format).toBe(format);
    });
  }

  it('the same YouTube list in three formats gives the same domains', () => {
    const hosts = parseList(read('blocklistproject/youtube.txt'), 'hosts').domains;
    const adblock = parseList(read('blocklistproject/youtube-ags.txt'), 'adblock').domains;
    const plain = parseList(read('blocklistproject/youtube-nl.txt'), 'plain').domains;
    expect(adblock).toEqual(hosts);
    expect(plain).toEqual(hosts);
  });

  it('the same TikTok list as hosts and dnsmasq gives the same domains', () => {
    const hosts = parseList(read('blocklistproject/tiktok.txt'), 'hosts').domains;
    const dnsmasq = parseList(read('blocklistproject/tiktok-dnsmasq.txt'), 'dnsmasq').domains;
    expect(dnsmasq).toEqual(hosts);
  });
});
