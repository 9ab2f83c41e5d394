import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeDocumentOf, serialiseChangeDocument } from '../../../lib/rule-list/changes.ts';
import { parseRuleList, toCompiledRuleList } from '../../../lib/rule-list/document.ts';
import {
  generateRuleListKeyPair,
  type RuleListKeyPair,
  signRuleList,
} from '../../../lib/rule-list/signature.ts';
import {
  checkForUpdate,
  type FetchLike,
  sha256Hex,
  signatureUrlOf,
} from '../../../lib/rule-list/update.ts';
import { documentOf, publish } from '../support/rule-list-versions.ts';

const URL_ = 'https://lists.example.org/steward/list.json';
const NOW = Date.parse('2026-08-23T12:00:00Z');

const listBytes = (version: number, extra: Record<string, unknown> = {}) =>
  new TextEncoder().encode(
    JSON.stringify({
      format: 'steward.rule-list/1',
      version,
      issuedAt: '2026-08-23T09:00:00Z',
      categories: { gambling: { domains: ['bet365.com'] } },
      ...extra,
    }),
  );

type Route = (init: { headers: Record<string, string> }) => Response | Promise<Response>;

/** A fake server: path → handler; records every request. */
function fakeFetch(routes: Record<string, Route>) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers });
    const route = routes[url];
    if (!route) return new Response('not found', { status: 404, statusText: 'Not Found' });
    return route(init);
  };
  return { fetch, calls };
}

let keys: RuleListKeyPair;
beforeAll(async () => {
  keys = await generateRuleListKeyPair();
});

async function published(bytes: Uint8Array, headers: Record<string, string> = {}) {
  const sig = await signRuleList(bytes, keys.privateKeyPem);
  return fakeFetch({
    [URL_]: () => new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers }),
    [signatureUrlOf(URL_)]: () => new Response(`${sig}\n`, { status: 200 }),
  });
}

const check = (fetch: FetchLike, previous = {}, extra = {}) =>
  checkForUpdate({
    url: URL_,
    publicKey: keys.publicKey,
    previous,
    fetch,
    now: () => NOW,
    ...extra,
  });

describe('checkForUpdate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('fetches, verifies and returns a new list with its validators', async () => {
    const bytes = listBytes(5);
    const { fetch, calls } = await published(bytes, {
      etag: '"v5"',
      'last-modified': 'Sun, 23 Aug 2026 09:00:00 GMT',
    });
    const outcome = await check(fetch, { version: 4 });
    expect(outcome.kind).toBe('updated');
    if (outcome.kind !== 'updated') return;
    expect(outcome.document.version).toBe(5);
    expect(outcome.etag).toBe('"v5"');
    expect(outcome.lastModified).toBe('Sun, 23 Aug 2026 09:00:00 GMT');
    expect(outcome.sha256).toBe(await sha256Hex(bytes));
    expect(outcome.checkedAt).toBe(NOW);
    expect(calls.map((c) => c.url)).toEqual([URL_, `${URL_}.sig`]);
  });

  it('sends conditional headers and reports 304 as unchanged without fetching the signature', async () => {
    const { fetch, calls } = fakeFetch({ [URL_]: () => new Response(null, { status: 304 }) });
    const outcome = await check(fetch, {
      etag: '"v5"',
      lastModified: 'Sun, 23 Aug 2026 09:00:00 GMT',
      version: 5,
    });
    expect(outcome).toEqual({ kind: 'unchanged', checkedAt: NOW, version: 5 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers).toEqual({
      'If-None-Match': '"v5"',
      'If-Modified-Since': 'Sun, 23 Aug 2026 09:00:00 GMT',
    });
  });

  it('asks for the signature with the list when it sends no validator (no 304 possible), after the answer when it does', async () => {
    const bytes = listBytes(5);
    const sig = await signRuleList(bytes, keys.privateKeyPem);
    let answer: (r: Response) => void = () => {};
    const seenBeforeAnswer: string[] = [];
    const { fetch, calls } = fakeFetch({
      [URL_]: () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
      [signatureUrlOf(URL_)]: () => new Response(sig),
    });
    const checking = check(fetch, { version: 4 });
    await new Promise((r) => setTimeout(r, 10));
    seenBeforeAnswer.push(...calls.map((c) => c.url));
    answer(new Response(bytes as Uint8Array<ArrayBuffer>));
    expect((await checking).kind).toBe('updated');
    expect(seenBeforeAnswer).toEqual([URL_, signatureUrlOf(URL_)]);

    // With a validator the list may answer 304: the signature waits for a 200.
    const conditional = fakeFetch({
      [URL_]: () =>
        new Promise<Response>((resolve) => {
          answer = resolve;
        }),
      [signatureUrlOf(URL_)]: () => new Response(sig),
    });
    const again = check(conditional.fetch, { version: 4, etag: '"v4"' });
    await new Promise((r) => setTimeout(r, 10));
    expect(conditional.calls.map((c) => c.url)).toEqual([URL_]);
    answer(new Response(bytes as Uint8Array<ArrayBuffer>));
    expect((await again).kind).toBe('updated');
    expect(conditional.calls.map((c) => c.url)).toEqual([URL_, signatureUrlOf(URL_)]);
  });

  it('reports HTTP 404 and 500 with the status', async () => {
    const notFound = await check(fakeFetch({}).fetch);
    expect(notFound).toMatchObject({ kind: 'error', error: { code: 'http-error', status: 404 } });
    if (notFound.kind === 'error') expect(notFound.error.message).toContain('HTTP 404 Not Found');
    const broken = fakeFetch({ [URL_]: () => new Response('oops', { status: 500 }) });
    expect(await check(broken.fetch)).toMatchObject({
      kind: 'error',
      error: { code: 'http-error', status: 500 },
    });
  });

  it('reports a network failure as offline, never throwing', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    };
    const outcome = await check(fetch);
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'offline' } });
    if (outcome.kind === 'error') expect(outcome.error.message).toContain('ENOTFOUND');
  });

  it('gives up after the timeout', async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        );
      });
    const outcome = await check(fetch, {}, { timeoutMs: 30 });
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'timeout' } });
  });

  it('reports a missing signature file', async () => {
    const bytes = listBytes(5);
    const { fetch } = fakeFetch({ [URL_]: () => new Response(bytes as Uint8Array<ArrayBuffer>) });
    expect(await check(fetch)).toMatchObject({
      kind: 'error',
      error: { code: 'signature-missing', status: 404 },
    });
  });

  it('rejects a bad signature before parsing', async () => {
    const bytes = listBytes(5);
    const sig = await signRuleList(listBytes(4), keys.privateKeyPem);
    const { fetch } = fakeFetch({
      [URL_]: () => new Response(bytes as Uint8Array<ArrayBuffer>),
      [`${URL_}.sig`]: () => new Response(sig),
    });
    expect(await check(fetch)).toMatchObject({ kind: 'error', error: { code: 'bad-signature' } });
    // Garbage that is not JSON, badly signed: the signature error wins (nothing was parsed).
    const junk = fakeFetch({
      [URL_]: () => new Response('<html>'),
      [`${URL_}.sig`]: () => new Response(sig),
    });
    expect(await check(junk.fetch)).toMatchObject({
      kind: 'error',
      error: { code: 'bad-signature' },
    });
  });

  it('asks the browser to check the signature and hash the bytes before reading the JSON', async () => {
    // The check runs off the worker's thread only if it is asked for first: asked for after
    // JSON.parse (a key still to import), it waited for the parse, 5–10 ms of a 100k update.
    const bytes = listBytes(5);
    const { fetch } = await published(bytes);
    const order: string[] = [];
    const subtle = globalThis.crypto.subtle;
    const verify = subtle.verify.bind(subtle);
    const digest = subtle.digest.bind(subtle);
    const parse = JSON.parse;
    vi.spyOn(subtle, 'verify').mockImplementation((...args) => {
      order.push('verify');
      return verify(...args);
    });
    vi.spyOn(subtle, 'digest').mockImplementation((...args) => {
      if ((args[1] as ArrayBuffer).byteLength === bytes.byteLength) order.push('hash');
      return digest(...args);
    });
    vi.spyOn(JSON, 'parse').mockImplementation((text, reviver) => {
      if (text.length === bytes.byteLength) order.push('parse');
      return parse(text, reviver);
    });
    expect((await check(fetch)).kind).toBe('updated');
    expect(order).toEqual(['verify', 'hash', 'parse']);
  });

  it('reads a badly signed list meanwhile, but nothing read comes out of the check', async () => {
    // The reading overlaps the browser's signature check; a leak of what was read (a document, an
    // entry count, a reason from the JSON) would let an unsigned list be applied or stored.
    const bytes = listBytes(5, { categories: { gambling: { domains: ['attacker.example'] } } });
    const other = await generateRuleListKeyPair();
    const sig = await signRuleList(bytes, other.privateKeyPem);
    const { fetch } = fakeFetch({
      [URL_]: () => new Response(bytes as Uint8Array<ArrayBuffer>),
      [`${URL_}.sig`]: () => new Response(sig),
    });
    const parse = JSON.parse;
    let read = 0;
    vi.spyOn(JSON, 'parse').mockImplementation((text, reviver) => {
      if (text.length === bytes.byteLength) read++;
      return parse(text, reviver);
    });
    const outcome = await check(fetch, { version: 4 });
    expect(read).toBe(1);
    expect(outcome.kind).toBe('error');
    expect(outcome).not.toHaveProperty('document');
    expect(outcome).not.toHaveProperty('bytes');
    expect(JSON.stringify(outcome)).not.toContain('attacker.example');
    if (outcome.kind === 'error') expect(outcome.error.code).toBe('bad-signature');
    // Not JSON and badly signed: the signature is the reason, not the JSON read meanwhile.
    const junk = new TextEncoder().encode('{"format": ');
    const junkFetch = fakeFetch({
      [URL_]: () => new Response(junk as Uint8Array<ArrayBuffer>),
      [`${URL_}.sig`]: () => new Response(sig),
    });
    expect(await check(junkFetch.fetch)).toMatchObject({
      kind: 'error',
      error: { code: 'bad-signature' },
    });
  });

  it('decodes the body as it arrives: characters split across chunks read as one decode would', async () => {
    const label = 'Paris sportifs € 🎲 — Ünïcödé';
    const bytes = listBytes(6, { categories: { gambling: { label, domains: ['bet.example'] } } });
    const sig = await signRuleList(bytes, keys.privateKeyPem);
    for (const size of [1, 2, 3, 7]) {
      // Chunks of `size` bytes: multi-byte characters split at every place they can be.
      const { fetch } = fakeFetch({
        [URL_]: () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(controller) {
                for (let i = 0; i < bytes.length; i += size)
                  controller.enqueue(bytes.slice(i, i + size));
                controller.close();
              },
            }),
          ),
        [`${URL_}.sig`]: () => new Response(sig),
      });
      const read = await check(fetch);
      expect(read.kind).toBe('updated');
      if (read.kind !== 'updated') return;
      expect(read.document.categories.gambling?.label).toBe(label);
      expect(read.bytes).toEqual(bytes);
      expect(read.sha256).toBe(await sha256Hex(bytes));
    }
  });

  it('signed bytes that are not UTF-8, in chunks: refused as not valid JSON, as when whole', async () => {
    const good = listBytes(5);
    const bytes = new Uint8Array([...good.slice(0, 20), 0xc3, ...good.slice(20)]);
    const sig = await signRuleList(bytes, keys.privateKeyPem);
    const { fetch } = fakeFetch({
      [URL_]: () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(bytes.slice(0, 21));
              controller.enqueue(bytes.slice(21));
              controller.close();
            },
          }),
        ),
      [`${URL_}.sig`]: () => new Response(sig),
    });
    expect(await check(fetch)).toMatchObject({ kind: 'error', error: { code: 'bad-json' } });
  });

  it('rejects signed bytes that are not JSON, or not a valid list', async () => {
    const notJson = await published(new TextEncoder().encode('{"format": "steward.rule-list/1"'));
    expect(await check(notJson.fetch)).toMatchObject({
      kind: 'error',
      error: { code: 'bad-json' },
    });
    const invalid = await published(
      listBytes(5, { categories: { gambling: { domains: ['exa mple.com'] } } }),
    );
    const outcome = await check(invalid.fetch);
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'invalid' } });
    if (outcome.kind === 'error') {
      expect(outcome.error.message).toContain(
        'categories.gambling.domains[0]: "exa mple.com" is not a domain name',
      );
    }
  });

  it('rejects an expired list', async () => {
    const { fetch } = await published(listBytes(5, { expiresAt: '2026-08-23T11:59:59Z' }));
    const outcome = await check(fetch);
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'expired' } });
    if (outcome.kind === 'error')
      expect(outcome.error.message).toContain('expired at 2026-08-23T11:59:59Z');
  });

  it('rejects an older version than the one in force (a replay)', async () => {
    const { fetch } = await published(listBytes(4));
    const outcome = await check(fetch, { version: 5 });
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'older-version' } });
  });

  it('with no stored list to compare (unreadable), a minimum version still refuses a replay', async () => {
    const older = await published(listBytes(4));
    const outcome = await check(older.fetch, {}, { minimumVersion: 5 });
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'older-version' } });
    if (outcome.kind === 'error') expect(outcome.error.message).toContain('recorded as in force');
    // The same version is taken: it is not known to be in force.
    const same = await published(listBytes(5));
    expect(await check(same.fetch, {}, { minimumVersion: 5 })).toMatchObject({ kind: 'updated' });
  });

  it('same version: unchanged if the same bytes, an error if the bytes changed', async () => {
    const bytes = listBytes(5);
    const same = await published(bytes);
    expect(await check(same.fetch, { version: 5, sha256: await sha256Hex(bytes) })).toEqual({
      kind: 'unchanged',
      checkedAt: NOW,
      version: 5,
    });
    const changed = await published(listBytes(5, { blockList: ['example.com'] }));
    expect(
      await check(changed.fetch, { version: 5, sha256: await sha256Hex(bytes) }),
    ).toMatchObject({
      kind: 'error',
      error: { code: 'same-version-changed' },
    });
  });

  it('refuses a list larger than the limit, declared or not', async () => {
    const bytes = listBytes(5);
    const declared = await published(bytes, { 'content-length': String(bytes.length) });
    expect(await check(declared.fetch, {}, { maxBytes: 50 })).toMatchObject({
      kind: 'error',
      error: { code: 'too-large' },
    });
    const streamed = fakeFetch({
      [URL_]: () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.enqueue(new Uint8Array(40));
            },
          }),
        ),
    });
    expect(await check(streamed.fetch, {}, { maxBytes: 1000 })).toMatchObject({
      kind: 'error',
      error: { code: 'too-large' },
    });
  });

  it('allows only https, and http to this machine', async () => {
    const { fetch, calls } = fakeFetch({});
    const outcome = await checkForUpdate({
      url: 'http://lists.example.org/l.json',
      publicKey: keys.publicKey,
      fetch,
      now: () => NOW,
    });
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'insecure-url' } });
    expect(calls).toHaveLength(0);
    const local = await checkForUpdate({
      url: 'http://127.0.0.1:8080/l.json',
      publicKey: keys.publicKey,
      fetch,
      now: () => NOW,
    });
    expect(local).toMatchObject({ kind: 'error', error: { code: 'http-error' } });
    const none = await checkForUpdate({
      url: '',
      publicKey: keys.publicKey,
      fetch,
      now: () => NOW,
    });
    expect(none).toMatchObject({ kind: 'error', error: { code: 'not-configured' } });
  });

  it('puts .sig before the query string', () => {
    expect(signatureUrlOf('https://x.example/a/list.json?token=1')).toBe(
      'https://x.example/a/list.json.sig?token=1',
    );
  });
});

describe('checkForUpdate beside a change document (changesSince)', () => {
  const CHANGES_URL = `${URL_}.changes`;

  /** Versions 1 and 2 as a publisher signs them, and the change document from 1 to 2. */
  async function twoVersions() {
    const v1 = await publish(await toCompiledRuleList(documentOf({ adult: ['old.example'] }, 1)));
    const v2 = await publish(await toCompiledRuleList(documentOf({ adult: ['new.example'] }, 2)));
    const parse = (text: string) => {
      const parsed = parseRuleList(new TextEncoder().encode(text));
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.document;
    };
    const made = await changeDocumentOf(parse(v2.text), parse(v1.text), v1.sha, v2.sha);
    if (!made.ok) throw new Error(made.reason);
    const changes = serialiseChangeDocument(made.document);
    const sign = (text: string) => signRuleList(new TextEncoder().encode(text), keys.privateKeyPem);
    return {
      v1,
      v2,
      v2Sig: await sign(v2.text),
      changes,
      changesSig: await sign(changes),
    };
  }

  /**
   * A server whose change-document answers wait until the list is being read (`beforeReading`),
   * as a 404 queued behind the list's last byte on the list's own server does.
   */
  function listFirst(
    published: Awaited<ReturnType<typeof twoVersions>>,
    changes: 'none' | 'usable',
  ) {
    const order: string[] = [];
    let reading: () => void = () => {};
    const listRead = new Promise<void>((resolve) => {
      reading = resolve;
    });
    const answerOnceRead = async (answer: () => Response) => {
      await listRead;
      order.push('change document answered');
      return answer();
    };
    const { fetch } = fakeFetch({
      [URL_]: () => new Response(published.v2.text, { status: 200 }),
      [signatureUrlOf(URL_)]: () => new Response(published.v2Sig, { status: 200 }),
      [CHANGES_URL]: () =>
        answerOnceRead(() =>
          changes === 'none'
            ? new Response('not found', { status: 404 })
            : new Response(published.changes, { status: 200 }),
        ),
      [signatureUrlOf(CHANGES_URL)]: () =>
        answerOnceRead(() =>
          changes === 'none'
            ? new Response('not found', { status: 404 })
            : new Response(published.changesSig, { status: 200 }),
        ),
    });
    const beforeReading = () => {
      order.push('list read');
      reading();
    };
    return { fetch, order, beforeReading };
  }

  it('what beforeReading asks for behind a promise goes out before the list is parsed', async () => {
    const order: string[] = [];
    const parse = JSON.parse;
    const spy = vi.spyOn(JSON, 'parse').mockImplementation((text, reviver) => {
      if (typeof text === 'string' && text.includes('"categories"')) order.push('list parsed');
      return parse(text, reviver);
    });
    try {
      const { fetch } = await published(listBytes(5));
      const outcome = await check(
        fetch,
        { version: 4 },
        {
          // As wxt's storage item does: the browser is asked one promise later.
          beforeReading: () => {
            void Promise.resolve().then(() => order.push('read asked'));
          },
        },
      );
      expect(outcome.kind).toBe('updated');
      expect(order).toEqual(['read asked', 'list parsed']);
    } finally {
      spy.mockRestore();
    }
  });

  it('none published: the list is read while the 404 comes, not after it', async () => {
    const published = await twoVersions();
    const { fetch, order, beforeReading } = listFirst(published, 'none');
    const outcome = await check(
      fetch,
      { version: 1, sha256: published.v1.sha },
      { changesSince: { sha256: published.v1.sha, version: 1 }, beforeReading },
    );
    expect(outcome.kind).toBe('updated');
    if (outcome.kind !== 'updated') return;
    expect(outcome.document.version).toBe(2);
    expect(order[0]).toBe('list read');
    expect(order).toContain('change document answered');
  });

  it('a usable change document answered after the list was read is still the one used', async () => {
    const published = await twoVersions();
    const { fetch, order, beforeReading } = listFirst(published, 'usable');
    const outcome = await check(
      fetch,
      { version: 1, sha256: published.v1.sha },
      { changesSince: { sha256: published.v1.sha, version: 1 }, beforeReading },
    );
    expect(order[0]).toBe('list read');
    expect(outcome.kind).toBe('changes');
    if (outcome.kind !== 'changes') return;
    expect(outcome.document.version).toBe(2);
  });

  it('a tampered list with a usable change document: the change document, never the list', async () => {
    const published = await twoVersions();
    const tampered = {
      ...published,
      v2: { ...published.v2, text: published.v2.text.replace('new.example', 'nww.example') },
    };
    const { fetch, beforeReading } = listFirst(tampered, 'usable');
    const outcome = await check(
      fetch,
      { version: 1, sha256: published.v1.sha },
      { changesSince: { sha256: published.v1.sha, version: 1 }, beforeReading },
    );
    expect(outcome.kind).toBe('changes');
  });

  it('a tampered list and no change document: refused', async () => {
    const published = await twoVersions();
    const tampered = {
      ...published,
      v2: { ...published.v2, text: published.v2.text.replace('new.example', 'nww.example') },
    };
    const { fetch, beforeReading } = listFirst(tampered, 'none');
    const outcome = await check(
      fetch,
      { version: 1, sha256: published.v1.sha },
      { changesSince: { sha256: published.v1.sha, version: 1 }, beforeReading },
    );
    expect(outcome).toMatchObject({ kind: 'error', error: { code: 'bad-signature' } });
  });
});
