/**
 * Signed rule lists end to end: a list served over HTTPS at a real hostname, verified, compiled
 * and applied without a restart; a bad list keeps the old rules; with the server down, a restarted
 * browser still enforces the last good list.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { BrowserContext, Worker } from '@playwright/test';
import { changeDocumentOf, serialiseChangeDocument } from '../../lib/rule-list/changes.ts';
import {
  type RuleListDocument,
  serialiseRuleList,
  toCompiledRuleList,
  withChangesSince,
} from '../../lib/rule-list/document.ts';
import { generateRuleListKeyPair, signRuleList } from '../../lib/rule-list/signature.ts';
import {
  EXTENSION_ID,
  enforcement,
  expect,
  launchWithExtension,
  serviceWorkerOf,
  test,
  writePolicy,
} from './support/extension.ts';
import { LIST_URL, serveList } from './support/rule-list-server.ts';
import type { SiteServer } from './support/sites.ts';

const BLOCK_PAGE = `chrome-extension://${EXTENSION_ID}/blocked.html`;

async function listFor(
  version: number,
  gamblingExtra: string[],
  privateKeyPem: string,
  extra = {},
) {
  const text = serialiseRuleList({
    format: 'steward.rule-list/1',
    version,
    issuedAt: new Date().toISOString(),
    categories: {
      gambling: { domains: ['bet365.com', ...gamblingExtra] },
      esports: {
        label: 'Esports betting',
        clause: 'Trust policy 4.2: no betting of any kind.',
        domains: ['esportsbet.example.net'],
      },
    },
    ...extra,
  });
  const body = Buffer.from(text);
  return { body, sig: await signRuleList(new Uint8Array(body), privateKeyPem) };
}

async function refreshNow(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
  const reply = await page.evaluate(() =>
    (
      globalThis as unknown as {
        chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
      }
    ).chrome.runtime.sendMessage({
      type: 'options/refreshRuleList',
    }),
  );
  await page.close();
  return reply as { outcome: string; message?: string };
}

async function expectBlocked(context: BrowserContext, url: string, category: string) {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page).toHaveURL(new RegExp(`^${BLOCK_PAGE}\\?c=${category}&m=block#`));
  await page.close();
}

async function expectAllowed(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.locator('#site')).toHaveText(`Site ${new URL(url).hostname}`);
  await page.close();
}

/**
 * A browser whose policy points at the served list, once Steward has applied it (the category
 * named has `count` domains in force).
 */
async function launchWithList(
  sites: SiteServer,
  publicKey: string,
  category: string,
  count: number,
  timeout = 20_000,
) {
  writePolicy({ ruleListUrl: LIST_URL, ruleListPublicKey: publicKey });
  const launched = await launchWithExtension(sites, ['--ignore-certificate-errors']);
  const worker = await serviceWorkerOf(launched.context);
  await expect
    .poll(async () => (await enforcement(worker))?.summary?.domainsByCategory[category] ?? 0, {
      timeout,
      intervals: [250, 500, 1000],
    })
    .toBe(count);
  return { ...launched, worker };
}

test('a signed list is applied without a restart, a bad one is refused, and the last good list survives a restart offline', async ({
  sites,
}) => {
  test.setTimeout(120_000);
  const keys = await generateRuleListKeyPair();
  const { publish, stop, listRequests } = serveList(sites);
  publish(await listFor(10, ['listonly-casino.example.com'], keys.privateKeyPem));

  const { context, userDataDir } = await launchWithList(sites, keys.publicKey, 'esports', 1);
  try {
    // Only the list names these.
    await expectBlocked(context, 'https://listonly-casino.example.com/', 'gambling');
    await expectBlocked(context, 'https://www.esportsbet.example.net/', 'esports');
    const page = await context.newPage();
    await page.goto('https://esportsbet.example.net/');
    await expect(page.getByTestId('blocked-category')).toHaveText('Esports betting');
    await expect(page.getByTestId('policy-clause')).toHaveText(
      'Trust policy 4.2: no betting of any kind.',
    );
    await page.close();
    // The list's gambling category replaced the built-in one, which blocked skybet.com.
    await expectAllowed(context, 'https://www.skybet.com/');

    // A new version adds a domain: applied without a restart.
    publish(
      await listFor(
        11,
        ['listonly-casino.example.com', 'second-casino.example.com'],
        keys.privateKeyPem,
      ),
    );
    expect((await refreshNow(context)).outcome).toBe('updated');
    await expectBlocked(context, 'https://second-casino.example.com/', 'gambling');

    // Nothing new: the poll asks with the stored list's ETag and gets 304, no body.
    const asked = listRequests.length;
    expect((await refreshNow(context)).outcome).toBe('unchanged');
    expect(listRequests.slice(asked)).toEqual([
      { ifNoneMatch: expect.stringMatching(/^"[0-9a-f]{32}"$/), status: 304 },
    ]);

    // Tampered (one byte changed after signing): refused, old rules stay.
    const good = await listFor(12, ['third-casino.example.com'], keys.privateKeyPem);
    const tampered = Buffer.from(good.body);
    tampered[tampered.indexOf('third')] = 'x'.charCodeAt(0); // "third-casino" → "xhird-casino"
    publish({ body: tampered, sig: good.sig });
    const refused = await refreshNow(context);
    expect(refused.outcome).toBe('error');
    expect(refused.message).toMatch(/signature/i);
    await expectBlocked(context, 'https://second-casino.example.com/', 'gambling');
    await expectAllowed(context, 'https://xhird-casino.example.com/');

    // Not JSON, signed correctly: refused too.
    const garbage = Buffer.from('{"format": "steward.rule-list/1", "version": 13, ');
    publish({
      body: garbage,
      sig: await signRuleList(new Uint8Array(garbage), keys.privateKeyPem),
    });
    expect((await refreshNow(context)).outcome).toBe('error');
    // An older version: refused.
    publish(await listFor(9, [], keys.privateKeyPem));
    expect((await refreshNow(context)).outcome).toBe('error');
    await expectBlocked(context, 'https://second-casino.example.com/', 'gambling');

    // Signed and valid, but more URL prefixes than the browser has regular-expression rules for:
    // the policy with it cannot compile. Not applied, not stored over version 11, and said so.
    const tooManyPrefixes = Buffer.from(
      serialiseRuleList({
        format: 'steward.rule-list/1',
        version: 14,
        issuedAt: new Date().toISOString(),
        categories: {
          gambling: {
            domains: ['bet365.com', 'fourth-casino.example.com'],
            urlPrefixes: Array.from({ length: 1_000 }, (_, i) => `prefixes.example.org/p${i}`),
          },
        },
      }),
    );
    publish({
      body: tooManyPrefixes,
      sig: await signRuleList(new Uint8Array(tooManyPrefixes), keys.privateKeyPem),
    });
    const notApplied = await refreshNow(context);
    expect(notApplied.outcome).toBe('error');
    expect(notApplied.message).toMatch(
      /version 14 .*could not be applied.*version 11 stays in force/,
    );
    await expectAllowed(context, 'https://fourth-casino.example.com/');
    await expectBlocked(context, 'https://second-casino.example.com/', 'gambling');

    // The popup says what went wrong.
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
    await expect(popup.getByTestId('rule-list-status')).toContainText('version 11');
    await expect(popup.getByTestId('rule-list-error')).toContainText('could not be applied');
    await popup.close();
  } finally {
    await context.close();
  }

  // Server down, browser restarted with the same profile: the last good list still blocks.
  publish('down');
  const restarted = await launchWithExtension(sites, ['--ignore-certificate-errors'], userDataDir);
  try {
    const worker = await serviceWorkerOf(restarted.context);
    await expectBlocked(restarted.context, 'https://second-casino.example.com/', 'gambling');
    await expectBlocked(restarted.context, 'https://esportsbet.example.net/', 'esports');
    // The stored list is still version 11 (version 14 was never stored over it): the start's
    // reconcile applies it without a policy error.
    await expect
      .poll(async () => {
        const state = await enforcement(worker);
        return state?.appliedAt
          ? { version: state.ruleListVersion, errors: state.policyErrors }
          : null;
      })
      .toEqual({ version: 11, errors: [] });
  } finally {
    stop();
    await restarted.context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

/** A format-2 list (the compiled section, as `steward rules build` publishes it), signed. */
async function compiledListFor(version: number, esports: string[], privateKeyPem: string) {
  const document: RuleListDocument = {
    format: 'steward.rule-list/1',
    version,
    issuedAt: new Date().toISOString(),
    categories: {
      gambling: {
        domains: ['bet365.com', 'listonly-casino.example.com', 'deep.casino.example.org'],
      },
      esports: { label: 'Esports betting', domains: esports },
    },
  };
  const text = serialiseRuleList(await toCompiledRuleList(document));
  const body = Buffer.from(text);
  return { text, body, sig: await signRuleList(new Uint8Array(body), privateKeyPem) };
}

/** Every dynamic rule in the browser, by id, as JSON (what the browser holds, not what we sent). */
async function rulesById(worker: Worker): Promise<Map<number, string>> {
  const rules = await worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { declarativeNetRequest: { getDynamicRules(): Promise<{ id: number }[]> } };
    };
    return chrome.declarativeNetRequest.getDynamicRules();
  });
  return new Map(rules.map((r) => [r.id, JSON.stringify(r)]));
}

test('a compiled list applies; a change to one category re-sends only its rules; a tampered compiled section is refused', async ({
  sites,
}) => {
  test.setTimeout(120_000);
  const keys = await generateRuleListKeyPair();
  const { publish, stop } = serveList(sites);
  publish(await compiledListFor(20, ['esportsbet.example.net'], keys.privateKeyPem));
  const { context, userDataDir, worker } = await launchWithList(
    sites,
    keys.publicKey,
    'esports',
    1,
  );
  try {
    await expectBlocked(context, 'https://listonly-casino.example.com/', 'gambling');
    await expectBlocked(context, 'https://a.deep.casino.example.org/', 'gambling');
    await expectBlocked(context, 'https://www.esportsbet.example.net/', 'esports');
    await expectAllowed(context, 'https://casino.example.org/');

    // Version 21 adds one esports domain; gambling is byte-for-byte the same.
    const before = await rulesById(worker);
    publish(
      await compiledListFor(
        21,
        ['esportsbet.example.net', 'second-esports.example.net'],
        keys.privateKeyPem,
      ),
    );
    expect((await refreshNow(context)).outcome).toBe('updated');
    await expectBlocked(context, 'https://second-esports.example.net/', 'esports');
    const after = await rulesById(worker);
    const state = await enforcement(worker);
    const keyOf = (id: number) => state?.ruleKeys?.[id]?.key ?? `rule ${id}`;
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (id) => before.get(id) !== after.get(id) && id !== 101_000, // the marker always moves
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.map(keyOf).filter((key) => !key.includes('esports'))).toEqual([]);
    // Gambling's rules are still there under the same ids, untouched.
    const gambling = [...before.keys()].filter((id) => keyOf(id).includes('gambling'));
    expect(gambling.length).toBeGreaterThan(0);
    for (const id of gambling) expect(after.get(id)).toBe(before.get(id));
    expect(state?.lastUpdate?.sent).toBe(changed.filter((id) => after.has(id)).length);

    // The compiled section changed after signing (one byte of a domain): the signature fails.
    const next = await compiledListFor(
      22,
      ['esportsbet.example.net', 'second-esports.example.net', 'third-esports.example.net'],
      keys.privateKeyPem,
    );
    const tampered = Buffer.from(next.body);
    tampered[tampered.indexOf('third-esports')] = 'x'.charCodeAt(0);
    publish({ body: tampered, sig: next.sig });
    const refused = await refreshNow(context);
    expect(refused).toMatchObject({ outcome: 'error' });
    expect(refused.message).toMatch(/signature/i);

    // Signed, but the compiled section breaks what the browser relies on (a group out of order):
    // refused, naming where, before anything is applied.
    const disordered = next.text.replace(
      '"second-esports.example.net"',
      '"zzz-esports.example.net"',
    );
    expect(disordered).not.toBe(next.text);
    const disorderedBody = Buffer.from(disordered);
    publish({
      body: disorderedBody,
      sig: await signRuleList(new Uint8Array(disorderedBody), keys.privateKeyPem),
    });
    const invalid = await refreshNow(context);
    expect(invalid).toMatchObject({ outcome: 'error' });
    expect(invalid.message).toMatch(
      /esports\.compiled\.groups\[\d+\]\.domains\[\d+\].*out of order/,
    );

    // The last good list (version 21) is still what is in force.
    expect(await rulesById(worker)).toEqual(after);
    await expectBlocked(context, 'https://second-esports.example.net/', 'esports');
    await expectAllowed(context, 'https://third-esports.example.net/');
    await expectAllowed(context, 'https://xhird-esports.example.net/');
  } finally {
    stop();
    await context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

/** Every session rule in the browser (the overlay's, and any Continue grants). */
async function sessionRules(worker: Worker) {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: {
        declarativeNetRequest: {
          getSessionRules(): Promise<{ id: number; condition: { requestDomains?: string[] } }[]>;
        };
      };
    };
    return chrome.declarativeNetRequest.getSessionRules();
  });
}

test('a small list change goes into session rules over the dynamic rules, which stay as they were, and survives a browser restart', async ({
  sites,
}) => {
  test.setTimeout(150_000);
  const keys = await generateRuleListKeyPair();
  const { publish, stop } = serveList(sites);
  // 1,000 esports domains, so a four-domain change is well under the overlay's 2 %.
  const filler = Array.from({ length: 1_000 }, (_, i) => `team${i}.esports-filler.example`);
  const documentFor = (version: number, esports: string[]): RuleListDocument => ({
    format: 'steward.rule-list/1',
    version,
    issuedAt: new Date().toISOString(),
    categories: {
      gambling: { domains: ['bet365.com', 'listonly-casino.example.com'] },
      esports: { label: 'Esports betting', domains: [...esports, ...filler] },
    },
  });
  const signed = async (document: RuleListDocument) => {
    const body = Buffer.from(serialiseRuleList(document));
    return { body, sig: await signRuleList(new Uint8Array(body), keys.privateKeyPem) };
  };
  const v30 = await toCompiledRuleList(
    documentFor(30, [
      'esportsbet.example.net',
      'gone-esports.example.net',
      'gone2-esports.example.net',
    ]),
  );
  const first = await signed(v30);
  publish(first);
  const { context, userDataDir, worker } = await launchWithList(
    sites,
    keys.publicKey,
    'esports',
    1_003,
  );
  try {
    await expectBlocked(context, 'https://gone-esports.example.net/', 'esports');
    await expectAllowed(context, 'https://new-esports.example.net/');
    const dynamicBefore = await rulesById(worker);

    // Version 31: two esports domains gone, two new, published with its changes since 30.
    const v31 = await withChangesSince(
      documentFor(31, [
        'esportsbet.example.net',
        'new-esports.example.net',
        'new2-esports.example.net',
      ]),
      v30,
      createHash('sha256').update(first.body).digest('hex'),
    );
    expect(v31.changes?.domains.length).toBe(4);
    publish(await signed(v31));
    expect((await refreshNow(context)).outcome).toBe('updated');
    // The block page's verdict for a name only the overlay lists comes from the index's overlay
    // layer: no copy of every rule.
    await spyOnDynamicRuleReads(worker);
    const overlaid = await context.newPage();
    await overlaid.goto('https://www.new2-esports.example.net/');
    await expect(overlaid.getByRole('heading', { level: 1 })).toHaveText('This site is blocked');
    await expect(overlaid.locator('body')).toContainText('Esports betting');
    await overlaid.close();
    expect((await dynamicRuleReads(worker)).full).toBe(0);
    await expectBlocked(context, 'https://new-esports.example.net/', 'esports');
    await expectBlocked(context, 'https://www.new2-esports.example.net/', 'esports');
    await expectAllowed(context, 'https://gone-esports.example.net/');
    await expectAllowed(context, 'https://gone2-esports.example.net/');
    await expectBlocked(context, 'https://esportsbet.example.net/', 'esports');
    await expectBlocked(context, 'https://listonly-casino.example.com/', 'gambling');

    // The dynamic rules are exactly as before (ids and content, marker included): the change is
    // in the overlay's session rules.
    expect((await enforcement(worker))?.lastUpdate?.overlayRefused).toBeUndefined();
    expect(await rulesById(worker)).toEqual(dynamicBefore);
    const overlay = (await sessionRules(worker)).filter((r) => r.id >= 2_000_000);
    const named = overlay.flatMap((r) => r.condition.requestDomains ?? []);
    for (const domain of v31.changes!.domains) expect(named).toContain(domain);
    const state = await enforcement(worker);
    expect(state?.ruleListVersion).toBe(31);
    expect(state?.overlay).toMatchObject({ cover: 4 });
  } finally {
    await context.close();
  }

  // Browser restarted (session rules gone), server down: the worker puts the overlay back.
  publish('down');
  const restarted = await launchWithExtension(sites, ['--ignore-certificate-errors'], userDataDir);
  try {
    const worker2 = await serviceWorkerOf(restarted.context);
    await expect
      .poll(async () => (await sessionRules(worker2)).filter((r) => r.id >= 2_000_000).length, {
        timeout: 20_000,
      })
      .toBeGreaterThan(1);
    await expectBlocked(restarted.context, 'https://new-esports.example.net/', 'esports');
    await expectAllowed(restarted.context, 'https://gone-esports.example.net/');
  } finally {
    stop();
    await restarted.context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

test('a change document is fetched instead of the whole list, its changes blocked and allowed; a tampered one is refused and the last good rules stay', async ({
  sites,
}) => {
  test.setTimeout(150_000);
  const keys = await generateRuleListKeyPair();
  const other = await generateRuleListKeyPair();
  const { publish, stop, served } = serveList(sites);
  const filler = Array.from({ length: 1_000 }, (_, i) => `team${i}.esports-filler.example`);
  const documentFor = async (version: number, esports: string[]) =>
    toCompiledRuleList({
      format: 'steward.rule-list/1',
      version,
      issuedAt: new Date().toISOString(),
      categories: {
        gambling: { domains: ['bet365.com'] },
        esports: { label: 'Esports betting', domains: [...esports, ...filler] },
      },
    });
  const sha = (body: Buffer) => createHash('sha256').update(body).digest('hex');
  const signedList = async (document: RuleListDocument) => {
    const body = Buffer.from(serialiseRuleList(document));
    return { body, sig: await signRuleList(new Uint8Array(body), keys.privateKeyPem) };
  };
  /** The change document from `from` to `to`, as `steward rules build --previous` writes it. */
  const changesFor = async (
    from: { document: RuleListDocument; body: Buffer },
    to: { document: RuleListDocument; body: Buffer },
  ) => {
    const made = await changeDocumentOf(to.document, from.document, sha(from.body), sha(to.body));
    if (!made.ok) throw new Error(made.reason);
    return made.document;
  };
  const signed = async (text: string, privateKeyPem = keys.privateKeyPem) => {
    const body = Buffer.from(text);
    return { body, sig: await signRuleList(new Uint8Array(body), privateKeyPem) };
  };

  const v40 = await documentFor(40, ['esportsbet.example.net', 'gone-esports.example.net']);
  const list40 = await signedList(v40);
  publish(list40);
  const { context, userDataDir, worker } = await launchWithList(
    sites,
    keys.publicKey,
    'esports',
    1_002,
  );
  try {
    await expectBlocked(context, 'https://gone-esports.example.net/', 'esports');
    await expectAllowed(context, 'https://new-esports.example.net/');
    const dynamicBefore = await rulesById(worker);

    // Version 41 with its change document. The list's body is held back for 8 s: Steward must
    // not wait for it.
    const v41 = await documentFor(41, ['esportsbet.example.net', 'new-esports.example.net']);
    const list41 = await signedList(v41);
    const changes41 = await changesFor(
      { document: v40, body: list40.body },
      { document: v41, body: list41.body },
    );
    publish({
      ...list41,
      changes: await signed(serialiseChangeDocument(changes41)),
      bodyDelayMs: 8_000,
      tag: '41',
    });
    const listsServed = () => served.filter((p) => p === '/steward/list.json#41').length;
    expect((await refreshNow(context)).outcome).toBe('updated');
    // The change document was fetched, and the update went in before any full list was sent.
    expect(served).toContain('/steward/list.json.changes#41');
    expect(served).toContain('/steward/list.json.changes.sig#41');
    expect(listsServed()).toBe(0);
    const state = await enforcement(worker);
    expect(state?.ruleListVersion).toBe(41);
    expect(state?.lastUpdate?.fromChangeDocument).toBe(true);
    await expectBlocked(context, 'https://new-esports.example.net/', 'esports');
    await expectBlocked(context, 'https://www.new-esports.example.net/', 'esports');
    await expectAllowed(context, 'https://gone-esports.example.net/');
    await expectBlocked(context, 'https://esportsbet.example.net/', 'esports');
    expect(await rulesById(worker)).toEqual(dynamicBefore);
    // The full list follows in the background; storing it changes no rule.
    await expect.poll(listsServed, { timeout: 30_000 }).toBeGreaterThan(0);
    // Recorded twice: the change document, then its full list stored.
    const fetchesOf41 = () =>
      worker.evaluate(async () => {
        const { chrome } = globalThis as unknown as {
          chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } };
        };
        const { ruleListStatus } = await chrome.storage.local.get('ruleListStatus');
        const fetches = (ruleListStatus as { fetches: { outcome: string; version?: number }[] })
          .fetches;
        return fetches.filter((f) => f.outcome === 'updated' && f.version === 41).length;
      });
    await expect.poll(fetchesOf41, { timeout: 30_000 }).toBe(2);
    // The overlay was checked against the full list once stored: the same verdicts, so kept.
    await expect
      .poll(async () => (await enforcement(worker))?.overlay?.unverified, { timeout: 10_000 })
      .toBe(false);
    expect((await enforcement(worker))?.ruleListVersion).toBe(41);
    expect(await rulesById(worker)).toEqual(dynamicBefore);

    // Version 42: its change document is tampered with after signing (esportsbet.example.net
    // "removed"), and the full list is signed by another key. Both refused: version 41 stays.
    const v42 = await documentFor(42, ['new-esports.example.net']);
    const forgedList = await signedList(v42);
    const changes42 = await changesFor(
      { document: v41, body: list41.body },
      { document: v42, body: forgedList.body },
    );
    const genuine = await signed(
      serialiseChangeDocument({
        ...changes42,
        categories: { esports: { added: [], removed: [] } },
      }),
    );
    publish({
      body: forgedList.body,
      sig: await signRuleList(new Uint8Array(forgedList.body), other.privateKeyPem),
      changes: { body: Buffer.from(serialiseChangeDocument(changes42)), sig: genuine.sig },
    });
    const refused = await refreshNow(context);
    expect(refused.outcome).toBe('error');
    expect((await enforcement(worker))?.ruleListVersion).toBe(41);
    await expectBlocked(context, 'https://esportsbet.example.net/', 'esports');
    await expectBlocked(context, 'https://new-esports.example.net/', 'esports');
    await expectAllowed(context, 'https://gone-esports.example.net/');
  } finally {
    stop();
    await context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

test('a signed list of 1,000,000 domains downloads, verifies, compiles and applies', async ({
  sites,
}) => {
  test.setTimeout(180_000);
  const keys = await generateRuleListKeyPair();
  const { publish, stop } = serveList(sites);
  const domains = Array.from({ length: 1_000_000 }, (_, i) => `casino${i}.example.com`);
  const text = serialiseRuleList({
    format: 'steward.rule-list/1',
    version: 1,
    issuedAt: new Date().toISOString(),
    categories: { gambling: { domains } },
  });
  const body = Buffer.from(text);
  publish({ body, sig: await signRuleList(new Uint8Array(body), keys.privateKeyPem) });

  const { context, userDataDir, worker } = await launchWithList(
    sites,
    keys.publicKey,
    'gambling',
    1_000_000,
    120_000,
  );
  try {
    // "Test a site" and the block page answer from a few stored records: a spy in the worker
    // counts every call that would copy all the rules out of the browser (no ruleIds filter).
    await spyOnDynamicRuleReads(worker);
    await expectBlocked(context, 'https://www.casino999999.example.com/', 'gambling');
    await expectBlocked(context, 'https://casino0.example.com/', 'gambling');
    await expectAllowed(context, 'https://casino1000000.example.com/');
    const options = await context.newPage();
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const result = options.getByTestId('test-url-result');
    const testSite = async (url: string) => {
      await options.getByLabel('Web address').fill(url);
      await options.getByLabel('Web address').press('Enter');
    };
    await testSite('https://m.casino424242.example.com/poker');
    await expect(result).toContainText(
      'Blocked by Online gambling (entry: casino424242.example.com)',
    );
    await testSite('casino1000001.example.com');
    await expect(result).toContainText('Allowed: no rule in force matches');
    await testSite('CASINO7.example.com.');
    await expect(result).toContainText('Blocked by Online gambling (entry: casino7.example.com)');
    const blocked = await context.newPage();
    await blocked.goto('https://www.casino31337.example.com/');
    await expect(blocked.getByRole('heading', { level: 1 })).toHaveText('This site is blocked');
    await expect(blocked.locator('body')).toContainText('Online gambling');
    // None of the worker's calls copied the rules (with the index switched off, this same test
    // counts one full read: the spy sits where the worker calls).
    expect((await dynamicRuleReads(worker)).full).toBe(0);
  } finally {
    stop();
    await context.close();
    writePolicy(null);
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

/**
 * A spy in the service worker on `getDynamicRules`: every call, and those that copy every dynamic
 * rule out of the browser (no `ruleIds` filter: megabytes with a 1,000,000-domain list).
 */
async function spyOnDynamicRuleReads(worker: Worker) {
  await worker.evaluate(() => {
    type Read = (filter?: { ruleIds?: number[] }) => Promise<unknown[]>;
    const g = globalThis as unknown as {
      chrome: { declarativeNetRequest: { getDynamicRules: Read } };
      browser?: { declarativeNetRequest?: { getDynamicRules: Read } };
      dynamicRuleReads: { all: number; full: number };
    };
    g.dynamicRuleReads = { all: 0, full: 0 };
    const apis = new Set([g.chrome.declarativeNetRequest, g.browser?.declarativeNetRequest]);
    for (const api of apis) {
      if (!api) continue;
      const real = api.getDynamicRules.bind(api);
      api.getDynamicRules = (filter) => {
        g.dynamicRuleReads.all++;
        if (!filter?.ruleIds) g.dynamicRuleReads.full++;
        return real(filter);
      };
    }
  });
  // The spy answers for both names the worker may call the API by (WXT's `browser` is one).
  const seen = await worker.evaluate(async () => {
    type Read = (filter?: { ruleIds?: number[] }) => Promise<unknown[]>;
    const g = globalThis as unknown as {
      chrome: { declarativeNetRequest: { getDynamicRules: Read } };
      browser?: { declarativeNetRequest?: { getDynamicRules: Read } };
      dynamicRuleReads: { all: number; full: number };
    };
    await g.chrome.declarativeNetRequest.getDynamicRules({ ruleIds: [1] });
    await g.browser?.declarativeNetRequest?.getDynamicRules({ ruleIds: [1] });
    const all = g.dynamicRuleReads.all;
    g.dynamicRuleReads = { all: 0, full: 0 };
    return { all, browser: Boolean(g.browser?.declarativeNetRequest) };
  });
  expect(seen.all).toBe(seen.browser ? 2 : 1);
}

const dynamicRuleReads = (worker: Worker) =>
  worker.evaluate(
    () =>
      (globalThis as unknown as { dynamicRuleReads: { all: number; full: number } })
        .dynamicRuleReads,
  );
