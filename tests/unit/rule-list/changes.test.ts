/**
 * The change document (lib/rule-list/changes.ts) and the overlay planned from it alone
 * (lib/enforcement-plan.ts `planFromChangeDocument`), proved against a full recompile: random list
 * histories (adds, removals, moves between categories, parents and children across categories,
 * block/warn/allow modes, a built-in category, the policy's allow and block lists) are published
 * with the real publisher (`changeDocumentOf`), parsed back from their bytes, and planned by the
 * real `planEnforcement` given ONLY the change document (the full list is never handed over). After
 * every step the verdicts of dynamic + session rules must equal those of the new list compiled
 * from nothing, for every pool domain, a subdomain of each and every changed domain. Then the
 * attacks: another base, an older version, non-canonical names, a locked category, a tampered
 * document (signature), and a result that is not the list in force later.
 */
import { describe, expect, it } from 'vitest';
import { type DnrRule, explainUrls } from '../../../lib/compiler.ts';
import {
  MARKER_RULE_ID,
  markerHash,
  type PlanInput,
  planEnforcement,
  type RuleListContribution,
  type StoredOverlay,
} from '../../../lib/enforcement-plan.ts';
import { type EnforcementState, INITIAL_STATE } from '../../../lib/enforcement-state.ts';
import {
  isOverlayRuleId,
  OVERLAY_MARKER_RULE_ID,
  overlayMarkerHash,
} from '../../../lib/overlay.ts';
import {
  type ChangeDocument,
  changeDocumentOf,
  parseChangeDocument,
  serialiseChangeDocument,
} from '../../../lib/rule-list/changes.ts';
import { parseRuleList, toCompiledRuleList } from '../../../lib/rule-list/document.ts';
import {
  generateRuleListKeyPair,
  signRuleList,
  verifyRuleList,
} from '../../../lib/rule-list/signature.ts';
import { documentOf, type Published, publish, sha256 } from '../support/rule-list-versions.ts';
import { type SeededRandom, seededRandom } from '../support/seeded-random.ts';

type Rng = SeededRandom;

const POOL: string[] = [];
for (const tld of ['com', 'net']) {
  for (const x of ['a', 'b', 'c']) {
    POOL.push(`${x}.${tld}`);
    for (const y of ['a', 'b', 'c']) {
      POOL.push(`${y}.${x}.${tld}`);
      for (const z of ['a', 'b']) POOL.push(`${z}.${y}.${x}.${tld}`);
    }
  }
}
const CATEGORIES = ['cat-a', 'cat-b', 'cat-c'];
const FILLER = 1_500;
/** A built-in category the list does not supply: its domains decide alongside the list's. */
const BUILT_IN = { gambling: { domains: ['b.a.com', 'c.net'], urlPrefixes: [] } };

type Lists = Record<string, Set<string>>;

function randomLists(rng: Rng): Lists {
  const lists: Lists = {};
  for (const id of CATEGORIES) {
    const set = new Set<string>();
    for (let i = 0; i < 8 + rng.int(20); i++) set.add(rng.pick(POOL));
    for (let i = 0; i < FILLER; i++) set.add(`f${i}.${id}.filler.org`);
    lists[id] = set;
  }
  return lists;
}

function change(rng: Rng, lists: Lists): Lists {
  const next: Lists = Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, new Set(v)]));
  for (let i = 0; i < 1 + rng.int(6); i++) {
    const from = next[rng.pick(CATEGORIES)]!;
    const to = next[rng.pick(CATEGORIES)]!;
    const listed = [...from].filter((d) => POOL.includes(d));
    const kind = rng.int(3);
    if (kind === 0 || listed.length === 0) to.add(rng.pick(POOL));
    else {
      const d = rng.pick(listed);
      from.delete(d);
      if (kind === 2) to.add(d);
    }
  }
  return next;
}

/** A browser holding dynamic and session rules, executing plans as platform/enforcement.ts does. */
class Browser {
  dynamic = new Map<number, DnrRule>();
  session = new Map<number, DnrRule>();
  state: EnforcementState = INITIAL_STATE;
  stored: StoredOverlay | null = null;
  dynamicUpdates = 0;

  async reconcile(
    managed: unknown,
    contribution: RuleListContribution | null,
    changes: ChangeDocument | null = null,
  ) {
    const input: PlanInput = {
      previous: this.state,
      lastGoodPolicy: null,
      managed,
      builtIn: { lists: BUILT_IN, clauses: {}, fingerprint: 'built-in' },
      ruleListFor: async () => {
        if (changes) throw new Error('the full list was asked for');
        return contribution;
      },
      ruleListChangesFor: async () => changes,
      markerInBrowser: markerHash(this.dynamic.get(MARKER_RULE_ID)),
      overlayInBrowser: overlayMarkerHash(this.session.get(OVERLAY_MARKER_RULE_ID)),
      storedOverlay: this.stored,
      blockPageUrl: 'chrome-extension://abc/blocked.html',
      target: 'chrome',
      now: 1_000,
      sha256,
    };
    const plan = await planEnforcement(input);
    if (plan.overlayBefore) this.setOverlay(plan.overlayBefore.rules);
    if (plan.update) {
      this.dynamicUpdates++;
      for (const id of plan.update.removeRuleIds) this.dynamic.delete(id);
      for (const rule of plan.update.addRules) this.dynamic.set(rule.id, rule as DnrRule);
    }
    if (plan.overlayUpdate) this.setOverlay(plan.overlayUpdate.rules);
    if (plan.storeOverlay !== undefined) this.stored = plan.storeOverlay;
    // Through storage: JSON, as the browser keeps it.
    this.state = JSON.parse(JSON.stringify(plan.state)) as EnforcementState;
    if (this.stored) this.stored = JSON.parse(JSON.stringify(this.stored)) as StoredOverlay;
    return plan;
  }

  setOverlay(rules: DnrRule[]) {
    for (const id of [...this.session.keys()]) if (isOverlayRuleId(id)) this.session.delete(id);
    for (const rule of rules) this.session.set(rule.id, rule);
  }

  rules(): DnrRule[] {
    return [...this.dynamic.values(), ...this.session.values()].filter(
      (r) => (r.action.type as string) !== 'modifyHeaders',
    );
  }
}

const verdicts = (rules: DnrRule[], hosts: string[]) =>
  explainUrls(
    rules,
    hosts.map((h) => `https://${h}/`),
  ).map((v) => ('reason' in v ? 'no rule' : `${v.outcome} by ${v.source}`));

/** Publish a version with the real publisher: the full list, and the change document from `previous`. */
async function publishStep(lists: Lists, version: number, previous?: Published) {
  const document = await toCompiledRuleList(documentOf(lists, version));
  const published = await publish(document);
  if (!previous) return { published, changes: null };
  const before = parseRuleList(new TextEncoder().encode(previous.text));
  if (!before.ok) throw new Error(before.reason);
  const made = await changeDocumentOf(document, before.document, previous.sha, published.sha);
  if (!made.ok) throw new Error(made.reason);
  // Through its bytes, as a browser gets it.
  const parsed = parseChangeDocument(
    new TextEncoder().encode(serialiseChangeDocument(made.document)),
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  return { published, changes: parsed.document };
}

function managedPolicy(rng: Rng) {
  const modes = ['block', 'warn', 'allow'] as const;
  return {
    categories: Object.fromEntries(
      [...CATEGORIES, 'gambling'].map((c) => [c, modes[rng.int(3)]!] as const),
    ),
    allowList: rng.int(2) ? [rng.pick(POOL)] : [],
    blockList: rng.int(2) ? [rng.pick(POOL)] : [],
  };
}

describe('an overlay from a change document alone equals a full recompile', () => {
  it('over random list histories, several changes in a row', async () => {
    let overlays = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const rng = seededRandom(seed);
      const managed = managedPolicy(rng);
      let lists = randomLists(rng);
      let step = await publishStep(lists, 1);
      const browser = new Browser();
      await browser.reconcile(managed, step.published.contribution);
      for (let version = 2; version <= 5; version++) {
        lists = change(rng, lists);
        const previous = step.published;
        step = await publishStep(lists, version, previous);
        const plan = await browser.reconcile(managed, null, step.changes);
        expect(plan.action, `seed ${seed} version ${version}`).toBe('overlay');
        overlays++;
        expect(browser.state.ruleListFingerprint).toBe(step.published.sha);
        expect(browser.state.ruleListVersion).toBe(version);
        const reference = new Browser();
        await reference.reconcile(managed, step.published.contribution);
        const changed = Object.values(step.changes!.categories).flatMap((c) => [
          ...c.added,
          ...c.removed,
        ]);
        const hosts = [...new Set([...POOL, ...changed])].flatMap((d) => [d, `x.${d}`]);
        expect(verdicts(browser.rules(), hosts), `seed ${seed} version ${version}`).toEqual(
          verdicts(reference.rules(), hosts),
        );
        // Once the full list arrives (the background fetch), it is checked and nothing is re-sent.
        const after = await browser.reconcile(managed, step.published.contribution);
        expect(after.action).toBe('unchanged');
        expect(browser.state.overlay?.unverified).toBe(false);
      }
      expect(browser.dynamicUpdates).toBe(1);
    }
    expect(overlays).toBe(100);
  });
});

describe('change documents the browser refuses (the full list decides, last good rules kept)', () => {
  const managed = { categories: { 'cat-a': 'block', 'cat-b': 'warn', 'cat-c': 'block' } };
  async function inForce() {
    const lists: Lists = {
      'cat-a': new Set(['a.com', 'b.com']),
      'cat-b': new Set(['c.com']),
      'cat-c': new Set(Array.from({ length: 2_000 }, (_, i) => `f${i}.filler.org`)),
    };
    const v1 = await publishStep(lists, 1);
    const next = { ...lists, 'cat-a': new Set(['a.com', 'new.com']) };
    const v2 = await publishStep(next, 2, v1.published);
    const browser = new Browser();
    await browser.reconcile(managed, v1.published.contribution);
    return { browser, v1, v2 };
  }

  it('uses a good one (the control for the cases below)', async () => {
    const { browser, v2 } = await inForce();
    expect((await browser.reconcile(managed, null, v2.changes)).action).toBe('overlay');
  });

  it('refuses one replayed against another base, or older than the list in force', async () => {
    const { browser, v2 } = await inForce();
    const otherBase = { ...v2.changes!, since: 'f'.repeat(64) };
    const before = browser.state;
    // Refused: the planner asks for the full list (throws in this browser) instead.
    await expect(browser.reconcile(managed, null, otherBase)).rejects.toThrow(/full list/);
    expect(browser.state).toEqual(before);
    // Applied once; the same document again, or one from a lower version, is not re-applied.
    await browser.reconcile(managed, null, v2.changes);
    await expect(browser.reconcile(managed, null, v2.changes)).rejects.toThrow(/full list/);
    const downgrade = { ...v2.changes!, since: browser.state.ruleListFingerprint!, version: 1 };
    await expect(browser.reconcile(managed, null, downgrade)).rejects.toThrow(/full list/);
  });

  it('refuses one naming a domain in a locked category', async () => {
    const lists: Lists = {
      'cat-a': new Set(['a.com']),
      'cat-c': new Set(Array.from({ length: 2_000 }, (_, i) => `f${i}.filler.org`)),
      'cat-locked': new Set(['bad.com']),
    };
    const doc = await toCompiledRuleList(documentOf(lists, 1, {}, { locked: ['cat-locked'] }));
    const v1 = await publish(doc);
    const browser = new Browser();
    await browser.reconcile(managed, v1.contribution);
    // Signed by the publisher, yet it would take bad.com out of a locked category: refused.
    const hostile: ChangeDocument = {
      format: 'steward.rule-changes/1',
      version: 2,
      issuedAt: '2026-09-02T08:00:00Z',
      since: v1.sha,
      sinceVersion: 1,
      result: 'e'.repeat(64),
      categories: { 'cat-locked': { added: [], removed: ['bad.com'] } },
      context: {},
    };
    await expect(browser.reconcile(managed, null, hostile)).rejects.toThrow(/full list/);
    // And the publisher never writes one for a locked category's change.
    const next = await toCompiledRuleList(
      documentOf({ ...lists, 'cat-locked': new Set() }, 2, {}, { locked: ['cat-locked'] }),
    );
    const made = await changeDocumentOf(next, doc, v1.sha, 'e'.repeat(64));
    expect(made).toEqual({ ok: false, reason: 'locked category cat-locked changed.' });
  });

  it('refuses non-canonical names, versions that go backwards and bad hashes', async () => {
    const { v2 } = await inForce();
    const bytes = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
    const good = v2.changes!;
    expect(parseChangeDocument(bytes(good)).ok).toBe(true);
    const cases: [unknown, RegExp][] = [
      [
        { ...good, categories: { 'cat-a': { added: ['New.com'], removed: [] } } },
        /not a canonical domain/,
      ],
      [
        { ...good, categories: { 'cat-a': { added: ['www.new.com'], removed: [] } } },
        /not a canonical domain/,
      ],
      [{ ...good, categories: { 'cat-a': { added: ['com'], removed: [] } } }, /canonical/],
      [{ ...good, context: { 'cat-a': ['*.new.com'] } }, /canonical/],
      [{ ...good, version: 1 }, /must be higher than sinceVersion/],
      [{ ...good, result: 'not a hash' }, /result: must be a SHA-256/],
      [{ ...good, format: 'steward.rule-changes/9' }, /format/],
      [{ ...good, extra: 1 }, /extra: not expected/],
      [{ ...good, context: {} }, /lacks new.com/],
    ];
    for (const [doc, reason] of cases) {
      const parsed = parseChangeDocument(bytes(doc));
      expect(parsed.ok, JSON.stringify(doc).slice(0, 200)).toBe(false);
      if (!parsed.ok) expect(parsed.errors.join(' ')).toMatch(reason);
    }
  });

  it('refuses one signed by another key, or changed after signing', async () => {
    const { v2 } = await inForce();
    const school = await generateRuleListKeyPair();
    const other = await generateRuleListKeyPair();
    const bytes = new TextEncoder().encode(serialiseChangeDocument(v2.changes!));
    const signature = await signRuleList(bytes, school.privateKeyPem);
    expect((await verifyRuleList(bytes, signature, school.publicKey)).ok).toBe(true);
    const forged = await signRuleList(bytes, other.privateKeyPem);
    expect((await verifyRuleList(bytes, forged, school.publicKey)).ok).toBe(false);
    const tampered = new TextEncoder().encode(
      serialiseChangeDocument(v2.changes!).replace('new.com', 'gov.uk'),
    );
    expect((await verifyRuleList(tampered, signature, school.publicKey)).ok).toBe(false);
  });

  it('a result that is not the full list published: the full list is applied when it arrives', async () => {
    const { browser, v1, v2 } = await inForce();
    const lying = { ...v2.changes!, result: 'a'.repeat(64) };
    expect((await browser.reconcile(managed, null, lying)).action).toBe('overlay');
    // The background fetch brings the real version 2, whose SHA-256 is not the one recorded: a
    // new list, applied in full (its verdicts, not the change document's, end in force).
    const plan = await browser.reconcile(managed, v2.published.contribution);
    expect(plan.action).toBe('apply');
    expect(browser.state.ruleListFingerprint).toBe(v2.published.sha);
    expect(browser.state.overlay).toBeNull();
    expect(v1.published.sha).not.toBe(v2.published.sha);
  });

  it('an overlay from a document that disagrees with its full list is replaced when the list is stored', async () => {
    const { browser, v2 } = await inForce();
    // Signed, from the right base, with the right result, but its context says b.com moved to
    // the warned category, which the list does not say.
    const lying = { ...v2.changes!, context: { ...v2.changes!.context, 'cat-b': ['b.com'] } };
    expect((await browser.reconcile(managed, null, lying)).action).toBe('overlay');
    expect(browser.state.overlay?.unverified).toBe(true);
    const hosts = ['a.com', 'b.com', 'x.b.com', 'c.com', 'new.com', 'x.new.com'];
    const reference = new Browser();
    await reference.reconcile(managed, v2.published.contribution);
    expect(verdicts(browser.rules(), hosts)).not.toEqual(verdicts(reference.rules(), hosts));
    // The full list arrives (its SHA-256 is the document's result): the list decides.
    const checked = await browser.reconcile(managed, v2.published.contribution);
    expect(checked.action).toBe('overlay');
    expect(browser.state.overlay?.unverified).toBe(false);
    expect(browser.state.lastUpdate?.overlayRefused).toMatch(/disagreed/);
    expect(verdicts(browser.rules(), hosts)).toEqual(verdicts(reference.rules(), hosts));
    expect(browser.dynamicUpdates).toBe(1);
    expect((await browser.reconcile(managed, v2.published.contribution)).action).toBe('unchanged');
  });

  it('the publisher writes none when more than category domains changed', async () => {
    const lists: Lists = { 'cat-a': new Set(['a.com']) };
    const v1 = await toCompiledRuleList(documentOf(lists, 1));
    const v2 = await toCompiledRuleList(documentOf(lists, 2, { blockList: ['x.com'] }));
    expect(await changeDocumentOf(v2, v1, 'a'.repeat(64), 'b'.repeat(64))).toEqual({
      ok: false,
      reason: 'the allow or block list changed.',
    });
  });
});
