import { describe, expect, it } from 'vitest';
import { detectFormat, type ListFormat, parseList } from '../../../lib/lists/parse.ts';

const reasons = (text: string, format: ListFormat | 'auto') =>
  parseList(text, format, 'test.txt').skipped.map((s) => [s.line, s.reason]);

describe('every format: line ends, BOM, comments, IDN, blanks, garbage', () => {
  const cases: [ListFormat, string][] = [
    ['plain', '\uFEFF# c\r\nexample.com\r\n\r\nbücher.de # trailing\r\n<<garbage>>\r\n'],
    ['ut1-domains', '\uFEFF# c\r\nexample.com\r\n\r\nbücher.de\r\n<<garbage>>\r\n'],
    ['hosts', '\uFEFF# c\r\n0.0.0.0 example.com\r\n\r\n127.0.0.1 bücher.de # t\r\n<<garbage>>\r\n'],
    ['adblock', '\uFEFF! c\r\n||example.com^\r\n\r\n||bücher.de^\r\n<<garbage>>\r\n'],
    [
      'dnsmasq',
      '\uFEFF# c\r\nserver=/example.com/\r\n\r\naddress=/bücher.de/0.0.0.0\r\n<<garbage>>\r\n',
    ],
  ];
  for (const [format, text] of cases) {
    it(format, () => {
      const result = parseList(text, format, 'list.txt');
      expect(result.domains).toEqual(['example.com', 'xn--bcher-kva.de']);
      expect(result.lines).toBe(5);
      expect(result.format).toBe(format);
      // The garbage line is the only one reported, with file, line number and text.
      expect(result.skipped).toHaveLength(1);
      expect(result.skipped[0]).toMatchObject({ file: 'list.txt', line: 5, text: '<<garbage>>' });
      expect(result.skipped[0]!.reason.length).toBeGreaterThan(10);
    });
  }

  it('ut1-urls: CRLF, BOM, IDN host, garbage', () => {
    const result = parseList(
      '\uFEFFexample.com/Path/\r\nbücher.de/x\r\n\r\nexa mple.com/x\r\n',
      'ut1-urls',
      'urls',
    );
    expect(result.urlPrefixes).toEqual([
      { host: 'example.com', path: '/Path/' },
      { host: 'xn--bcher-kva.de', path: '/x' },
    ]);
    expect(result.skipped.map((s) => s.line)).toEqual([4]);
  });

  it('counts lines whether or not the file ends with a line end', () => {
    expect(parseList('a.com\nb.com', 'plain').lines).toBe(2);
    expect(parseList('a.com\nb.com\n', 'plain').lines).toBe(2);
    expect(parseList('', 'plain').lines).toBe(0);
  });

  it('keeps only the first 200 characters of a skipped line', () => {
    const result = parseList(`${'x'.repeat(5000)} y\n`, 'plain');
    expect(result.skipped[0]!.text.length).toBeLessThanOrEqual(201);
  });
});

describe('plain', () => {
  it('reads domains and URL prefixes, rejects IPs and public suffixes', () => {
    const result = parseList(
      'WWW.Example.COM.\nyoutube.com/edu\n1.2.3.4\nco.uk\n*.wild.example.org\n',
      'plain',
    );
    expect(result.domains).toEqual(['example.com', 'wild.example.org']);
    expect(result.urlPrefixes).toEqual([{ host: 'youtube.com', path: '/edu' }]);
    expect(result.skipped.map((s) => s.line)).toEqual([3, 4]);
    expect(result.skipped[1]!.reason).toContain('public suffix');
  });
});

describe('hosts', () => {
  it('reads several names per line and any leading IP address', () => {
    const result = parseList(
      '0.0.0.0 a.example.com b.example.com\t c.example.com\n::1 d.example.com\n127.0.0.1 e.example.com#x\n',
      'hosts',
    );
    expect(result.domains).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com',
      'd.example.com',
      'e.example.com',
    ]);
    expect(result.skipped).toEqual([]);
  });

  it("ignores the machine's own names silently", () => {
    const text = [
      '127.0.0.1 localhost',
      '127.0.0.1 localhost.localdomain',
      '::1 localhost ip6-localhost ip6-loopback',
      '255.255.255.255 broadcasthost',
      '0.0.0.0 0.0.0.0',
      '0.0.0.0 LocalHost',
      'fe80::1%lo0 localhost',
    ].join('\n');
    const result = parseList(text, 'hosts');
    expect(result.domains).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it('reports lines without an address, and bad names on a good line', () => {
    expect(
      reasons('example.com\n0.0.0.0\n1.2.3 x.com\n0.0.0.0 ok.com bad_name!.com\n', 'hosts'),
    ).toEqual([
      [1, 'not a hosts line: expected an IP address and then host names'],
      [2, 'not a hosts line: an IP address with no host name'],
      [3, 'not a hosts line: "1.2.3" is not an IP address'],
      [4, expect.stringContaining('bad_name!.com')],
    ]);
  });
});

describe('adblock', () => {
  it('reads whole-domain rules, with or without whole-site options', () => {
    const text = [
      '[Adblock Plus 2.0]',
      '! Title: test',
      '# a hosts-style comment',
      '||a.example.com^',
      '||b.example.com^$important',
      '||c.example.com^$document,important',
      '||d.example.com^|',
      '||*.e.example.com^',
      'f.example.com',
      '||G.Example.COM^',
    ].join('\n');
    const result = parseList(text, 'adblock');
    expect(result.domains).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com',
      'd.example.com',
      'e.example.com',
      'f.example.com',
      'g.example.com',
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('reports every rule it cannot use, with why', () => {
    const text = [
      'example.com##.advert',
      '##.banner',
      'example.com#@#.advert',
      'example.com#$#abort-on-property-read x',
      'example.com#%#//scriptlet("x")',
      '@@||allowed.example.com^',
      '/banner\\d+/',
      '/ads[0-9]+/$script',
      '||example.com/ads/',
      '||ex*ample.com^',
      '||example.com^$third-party',
      '||example.com^$script,important',
      '|https://example.com/',
      '/ads/banner.gif',
      '||example.com:8080^',
      'example.com$$script',
    ].join('\n');
    const got = reasons(text, 'adblock');
    expect(got.map(([line]) => line)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const why = got.map(([, reason]) => reason as string);
    expect(why.slice(0, 5).every((r) => r.startsWith('element-hiding or scriptlet'))).toBe(true);
    expect(why[5]).toContain('exception rule');
    expect(why[6]).toContain('regular-expression');
    expect(why[7]).toContain('regular-expression');
    expect(why[8]).toContain('path');
    expect(why[9]).toContain('wildcard');
    expect(why[10]).toContain('"$third-party"');
    expect(why[11]).toContain('"$script"');
    expect(why[12]).toContain('address rule');
    expect(why[13]).toContain('not a whole-domain rule');
    expect(why[14]).toContain('not a domain rule');
    expect(why[15]).toContain('element-hiding or scriptlet');
  });
});

describe('dnsmasq', () => {
  it('reads server=, address= and local= blocks, several domains per line', () => {
    const text = [
      'server=/a.example.com/',
      'server=/b.example.com/c.example.com/',
      'address=/d.example.com/0.0.0.0',
      'address=/e.example.com/::',
      'address=/f.example.com/',
      'local=/g.example.com/',
      'server=/h.example.com/ # comment',
    ].join('\n');
    const result = parseList(text, 'dnsmasq');
    expect(result.domains).toEqual([
      'a.example.com',
      'b.example.com',
      'c.example.com',
      'd.example.com',
      'e.example.com',
      'f.example.com',
      'g.example.com',
      'h.example.com',
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('does not turn forwards into blocks, and never blocks the whole web', () => {
    const got = reasons(
      'server=/fwd.example.com/1.1.1.1\nserver=/std.example.com/#\naddress=/#/0.0.0.0\ncache-size=1000\nserver=1.1.1.1\n',
      'dnsmasq',
    );
    expect(got).toEqual([
      [1, 'forwards to the resolver "1.1.1.1" rather than blocking'],
      [2, 'forwards to the resolver "#" rather than blocking'],
      [3, '"#" means every domain: a list may not block the whole web'],
      [4, 'not a server=/…/, address=/…/ or local=/…/ line'],
      [5, 'server= without /domain/: not a per-domain rule'],
    ]);
  });
});

describe('ut1-domains', () => {
  it('reports a URL in a domains file rather than guessing', () => {
    const result = parseList('example.com\nexample.org/path\n', 'ut1-domains');
    expect(result.domains).toEqual(['example.com']);
    expect(result.urlPrefixes).toEqual([]);
    expect(result.skipped[0]!.reason).toContain('urls file');
  });
});

describe('auto detection', () => {
  it('recognises each format from its content', () => {
    expect(detectFormat('# hosts\n0.0.0.0 a.com\n0.0.0.0 b.com\n')).toBe('hosts');
    expect(detectFormat('127.0.0.1\tlocalhost\n::1 localhost\n0.0.0.0 a.com\n')).toBe('hosts');
    expect(detectFormat('[Adblock Plus 2.0]\na.com\nb.com\n')).toBe('adblock');
    expect(detectFormat('! list\n||a.com^\n||b.com^\n')).toBe('adblock');
    expect(detectFormat('# x\nserver=/a.com/\naddress=/b.com/0.0.0.0\n')).toBe('dnsmasq');
    expect(detectFormat('\uFEFFa.com\nb.com/path\n# c\n')).toBe('plain');
    expect(detectFormat('')).toBe('plain');
    expect(detectFormat('\n\n# only comments\n')).toBe('plain');
  });

  it('parseList(…, "auto") reports the format it used', () => {
    const result = parseList('0.0.0.0 a.com\n0.0.0.0 b.com\n', 'auto');
    expect(result.format).toBe('hosts');
    expect(result.domains).toEqual(['a.com', 'b.com']);
  });
});

describe('a million lines', () => {
  // How fast is measured by `npm run bench` (compile: "parse + normalise 1,000,000 lines"), not
  // asserted here: a timed test flakes on a loaded two-core machine and proves nothing a bench
  // does not.
  it('parses 1,000,000 canonical domains, every one kept, in order', () => {
    const lines: string[] = [];
    for (let i = 0; i < 1_000_000; i++) lines.push(`site${i}.example${i % 17}.com`);
    const result = parseList(lines.join('\n'), 'plain');
    expect(result.domains.length).toBe(1_000_000);
    expect(result.domains[0]).toBe('site0.example0.com');
    expect(result.domains[999_999]).toBe('site999999.example8.com');
  });
});
