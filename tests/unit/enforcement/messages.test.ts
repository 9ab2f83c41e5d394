/**
 * The one message protocol (lib/messages.ts): who may send what is decided by the browser's facts
 * about the sender, and a request of the wrong shape is refused before any handler runs.
 */
import { describe, expect, it } from 'vitest';
import {
  classifySender,
  dispatch,
  type Handlers,
  type MessagesFrom,
  messenger,
  PROTOCOL,
  type SenderFacts,
} from '../../../lib/messages.ts';

const ours = {
  extensionId: 'steward',
  extensionOrigin: 'chrome-extension://steward/',
  blockPageUrl: 'chrome-extension://steward/blocked.html',
};
const blockPageTop: SenderFacts = {
  id: 'steward',
  url: 'chrome-extension://steward/blocked.html?c=social&m=warn#https://reddit.com/',
  frameId: 0,
  tab: { id: 4 },
};
const blockPageFramed: SenderFacts = { ...blockPageTop, frameId: 3 };
const popup: SenderFacts = { id: 'steward', url: 'chrome-extension://steward/popup.html' };
const contentScript: SenderFacts = {
  id: 'steward',
  url: 'https://mail.google.com/mail/u/0/',
  frameId: 0,
  tab: { id: 9 },
};
const otherExtension: SenderFacts = { ...blockPageTop, id: 'someone-else' };

const calls: string[] = [];
const handler =
  <R>(reply: R) =>
  async (m: { type: string }) => {
    calls.push(m.type);
    return reply;
  };
const handlers: Handlers<SenderFacts> = {
  'blockPage/verdict': handler({ outcome: 'invalid', url: null, host: null, accessRequest: {} }),
  'blockPage/opened': handler({ counted: true }),
  'blockPage/continue': handler({ ok: false, reason: 'test' }),
  'blockPage/requestAccess': handler({ ok: false, reason: 'not_blocked', message: 'test' }),
  'accessRequests/state': handler(null as never),
  'options/testUrl': handler({ kind: 'invalid' }),
  'options/refreshRuleList': handler({
    outcome: 'unchanged',
    timings: { fetchAndVerifyMs: 0, applyMs: 0, totalMs: 0 },
  }),
  'downloadPage/details': handler(null),
  'downloadPage/downloadAnyway': handler({ ok: false, reason: 'unknown' }),
  'options/sendReportsNow': handler(null as never),
  'options/reportingState': handler(null as never),
  'report/count': handler({ ok: true }),
  'webmail/health': handler({ ok: true }),
  'webmail/patternEngine': handler({ ok: true }),
  'webmail/policy': handler({
    orgDomains: [],
    webmailSites: [],
    compose: undefined,
    mailbox: undefined,
  }),
};

const send = (message: unknown, sender: SenderFacts) =>
  dispatch(handlers, message, classifySender(sender, ours), sender);

describe('classifying senders from the browser’s facts', () => {
  it('tells the block page in a tab’s top frame from a framed one', () => {
    expect([...classifySender(blockPageTop, ours)].sort()).toEqual([
      'block page',
      'block page (top frame)',
    ]);
    expect([...classifySender(blockPageFramed, ours)]).toEqual(['block page']);
    expect([...classifySender(popup, ours)]).toEqual(['extension page']);
    expect([...classifySender(contentScript, ours)]).toEqual(['content script']);
    expect(classifySender(otherExtension, ours).size).toBe(0);
    expect(classifySender({ id: 'steward' }, ours).size).toBe(0);
  });
});

describe('dispatch', () => {
  it('routes an allowed message to its handler', async () => {
    calls.length = 0;
    const reply = await send({ type: 'blockPage/continue', url: 'https://x.org/' }, blockPageTop);
    expect(reply).toEqual({ ok: false, reason: 'test' });
    expect(calls).toEqual(['blockPage/continue']);
  });

  it('refuses Continue and counts from a framed block page', () => {
    calls.length = 0;
    expect(send({ type: 'blockPage/continue', url: 'https://x.org/' }, blockPageFramed)).toEqual({
      refused: expect.stringContaining('block page (top frame)'),
    });
    expect(
      send({ type: 'blockPage/opened', url: 'https://x.org/' }, blockPageFramed),
    ).toHaveProperty('refused');
    expect(calls).toEqual([]);
  });

  it('refuses extension-page messages from content scripts and the block page', () => {
    for (const type of ['options/testUrl', 'options/sendReportsNow', 'options/refreshRuleList']) {
      expect(send({ type, url: 'https://x.org/' }, contentScript), type).toHaveProperty('refused');
      expect(send({ type, url: 'https://x.org/' }, blockPageTop), type).toHaveProperty('refused');
    }
    expect(
      send({ type: 'blockPage/continue', url: 'https://x.org/' }, contentScript),
    ).toHaveProperty('refused');
    expect(send({ type: 'blockPage/continue', url: 'https://x.org/' }, popup)).toHaveProperty(
      'refused',
    );
  });

  it('refuses everything from another extension, and malformed requests', () => {
    expect(
      send({ type: 'blockPage/verdict', url: 'https://x.org/' }, otherExtension),
    ).toHaveProperty('refused');
    expect(send({ type: 'blockPage/continue', url: 42 }, blockPageTop)).toEqual({
      refused: 'blockPage/continue: the request is malformed',
    });
    expect(
      send({ type: 'report/count', event: { kind: 'navigation' } }, contentScript),
    ).toHaveProperty('refused');
  });

  it('ignores what is not a Steward message', () => {
    expect(send({ type: 'someone/else' }, popup)).toBeNull();
    expect(send('hello', popup)).toBeNull();
    expect(send({ type: 'toString' }, popup)).toBeNull();
  });

  it('has no message nobody may send', () => {
    for (const [type, spec] of Object.entries(PROTOCOL))
      expect(spec.from.length, type).toBeGreaterThan(0);
  });
});

describe('typed senders', () => {
  it('offer a context only the messages it may send (checked by tsc)', async () => {
    const sent: unknown[] = [];
    const fromContentScript = messenger<'content script'>(async (m) => {
      sent.push(m);
      return { ok: true };
    });
    await fromContentScript('webmail/health', { service: 'gmail', problem: 'body_not_found' });
    expect(sent).toEqual([{ service: 'gmail', problem: 'body_not_found', type: 'webmail/health' }]);
    // @ts-expect-error a content script may not ask for Continue
    void fromContentScript('blockPage/continue', { url: 'https://x.org/' });
    type ContentScriptMessages = MessagesFrom<'content script'>;
    const allowed: ContentScriptMessages[] = [
      'report/count',
      'webmail/health',
      'webmail/policy',
      'webmail/patternEngine',
    ];
    expect(allowed).toHaveLength(4);
  });

  it('make a handler with the wrong reply a compile error', () => {
    const wrong: Partial<Handlers<SenderFacts>> = {
      // @ts-expect-error blockPage/continue replies { ok, url } or { ok: false, reason }
      'blockPage/continue': async () => ({ counted: true }),
    };
    expect(wrong).toBeDefined();
  });
});

describe('the pattern engine', () => {
  it('only a content script may ask for it to be injected (into its own frame)', async () => {
    const ask = { type: 'webmail/patternEngine' };
    expect(send(ask, popup)).toMatchObject({ refused: expect.any(String) });
    expect(send(ask, blockPageTop)).toMatchObject({ refused: expect.any(String) });
    expect(send(ask, otherExtension)).toMatchObject({ refused: expect.any(String) });
    await expect(send(ask, contentScript)).resolves.toEqual({ ok: true });
  });
});

describe('access requests', () => {
  it('only the block page in a tab may ask for access; a content script or the popup may not', async () => {
    const ask = { type: 'blockPage/requestAccess', url: 'https://www.bet365.com/', reason: 'PSHE' };
    expect(send(ask, contentScript)).toMatchObject({ refused: expect.any(String) });
    expect(send(ask, popup)).toMatchObject({ refused: expect.any(String) });
    expect(send(ask, blockPageFramed)).toMatchObject({ refused: expect.any(String) });
    expect(send({ ...ask, reason: 5 }, blockPageTop)).toMatchObject({
      refused: expect.any(String),
    });
    await expect(send(ask, blockPageTop)).resolves.toMatchObject({ reason: 'not_blocked' });
    expect(send({ type: 'accessRequests/state', check: true }, contentScript)).toMatchObject({
      refused: expect.any(String),
    });
  });
});
