/**
 * Rule lists managed on the server (issue 12, part 2): the school's list source (categories,
 * allow and block lists, and the access the IT team granted from requests), checked before
 * publishing, signed, and published atomically, with a history to roll back to.
 *
 * Everything lives in `<data folder>/rule-lists/`:
 *
 *   source.json                the list source the dashboard edits
 *   current.json               { version, signature }: the published list's pointer
 *   versions/<v>.json          each published list, byte for byte as signed (never changed)
 *   versions/<v>.source.json   the source it was built from (what a rollback restores)
 *   history.json               what was published when, how, and what changed
 *   rule-list-private.pem      the signing key, 0600 (not with offline signing)
 *
 * Atomic publishing: the list bytes are written under their own version first; then one rename
 * of current.json swaps the version and its signature together. A browser that fetched the old
 * list and then the new signature (a publish between its two requests) sees a signature that
 * does not match, keeps its last good list and tries again at its next check.
 *
 * Every instance re-reads current.json when it changes on disk, so a new list is served without
 * a restart (several instances need the data folder shared, e.g. on one volume).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { normaliseDomain, normaliseEntry } from '../lib/domains.ts';
import { isListFormat, type ListFormat, parseList } from '../lib/lists/parse.ts';
import {
  BUILT_IN_CATEGORIES,
  CATEGORY_ID,
  CATEGORY_MODES,
  type CategoryMode,
  DEFAULT_POLICY,
} from '../lib/policy.ts';
import { GROUP_RULE, isGroupName } from '../lib/report/group.ts';
import { changeDocumentOf, serialiseChangeDocument } from '../lib/rule-list/changes.ts';
import {
  isBuiltInCategory,
  parseRuleList,
  type RuleListDocument,
  serialiseRuleList,
  urlPrefixToString,
} from '../lib/rule-list/document.ts';
import {
  categoriesFromDrafts,
  changesBetween,
  type DraftFinding,
  documentOf,
  emptyDraft,
  findingsOf,
  type ListChange,
  splitPrefix,
} from '../lib/rule-list/draft.ts';
import {
  generateRuleListKeyPair,
  publicKeyOf,
  signRuleList,
  verifyRuleList,
} from '../lib/rule-list/signature.ts';
import { sha256Hex } from '../lib/rule-list/update.ts';
import { JsonState, writeFileAtomic } from './json-state.ts';
import type { ServedFile } from './rule-list.ts';

export type ListSigning = 'server' | 'offline';

export type ManagedCategory = {
  label?: string;
  clause?: string;
  /** What the school's policy sets for this category: used to find conflicts, not enforced. */
  mode: CategoryMode;
  /** Include Steward's built-in list for this category (built-in categories only). */
  builtIn: boolean;
  domains: string[];
  urlPrefixes: string[];
};

/**
 * Access granted from an approved request (or by hand): an allow-list entry, for everyone or
 * for one group (the policy's `reportGroup`), published in the list's `groupAllowLists`.
 */
export type Grant = {
  entry: string;
  /** The group it is for; absent or null: everyone. */
  group?: string | null;
  /** ISO time the access ends, or null for good. */
  until: string | null;
  requestId: string | null;
  addedAt: string;
};

export type ListSource = {
  categories: Record<string, ManagedCategory>;
  allowList: string[];
  blockList: string[];
  grants: Grant[];
};

export type HistoryEntry = {
  version: number;
  issuedAt: string;
  publishedAt: string;
  how: 'server' | 'offline' | 'rollback' | 'expiry';
  /** For a rollback: the version whose content was published again. */
  restored?: number;
  entries: number;
  changes: ListChange[];
};

type Pointer = {
  version: number;
  signature: string;
  earliestExpiry: string | null;
  /** The signature of the change document from the version before (versions/N.changes.json). */
  changesSignature?: string;
};

/** A list part the dashboard edits: a category's entries, or the allow or block list. */
export type ListPart = { kind: 'category'; id: string } | { kind: 'allowList' | 'blockList' };

export class ListError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const MAX_HISTORY = 200;
/** How often (at most) serving a list checks whether a granted access has run out. */
const EXPIRY_CHECK_MS = 60_000;

export interface ManagedListsOptions {
  dataDir: string;
  signing: ListSigning;
  /** Offline signing: the public key uploads must verify with (the policy's ruleListPublicKey). */
  publicKey?: string | null;
  /** Steward's built-in category lists (rules/load.ts). */
  builtIns: Record<string, { domains: string[]; urlPrefixes: { host: string; path: string }[] }>;
  now?: () => number;
  /** Told after every publish (the inbox notes which version carries each approval). */
  onPublished?: (entry: HistoryEntry, source: ListSource) => Promise<void>;
}

export class ManagedLists {
  readonly dir: string;
  readonly signing: ListSigning;
  private readonly keyFile: string;
  private readonly source: JsonState<ListSource>;
  private readonly history: JsonState<HistoryEntry[]>;
  private readonly pointerFile: string;
  private key: { privatePem: string; publicKey: string } | null = null;
  private offlineKey: string | null;
  private readonly builtIns: ManagedListsOptions['builtIns'];
  private readonly now: () => number;
  private publishing: Promise<unknown> = Promise.resolve();
  private pointerCache: { mtimeMs: number; pointer: Pointer } | null = null;
  private listCache: { version: number; file: ServedFile } | null = null;
  private lastExpiryCheck = 0;
  onPublished: ManagedListsOptions['onPublished'];

  constructor(options: ManagedListsOptions) {
    this.dir = path.join(options.dataDir, 'rule-lists');
    this.signing = options.signing;
    this.keyFile = path.join(this.dir, 'rule-list-private.pem');
    this.pointerFile = path.join(this.dir, 'current.json');
    this.builtIns = options.builtIns;
    this.offlineKey = options.publicKey?.replace(/\s+/g, '') || null;
    this.now = options.now ?? Date.now;
    this.onPublished = options.onPublished;
    this.source = new JsonState(path.join(this.dir, 'source.json'), () => initialSource());
    this.history = new JsonState(path.join(this.dir, 'history.json'), () => []);
  }

  /** Make the folder and, for server signing, the key (generated once, 0600, never replaced). */
  async init(): Promise<void> {
    await fs.mkdir(path.join(this.dir, 'versions'), { recursive: true, mode: 0o700 });
    if (this.signing === 'offline') return;
    if (!existsSync(this.keyFile)) {
      const keys = await generateRuleListKeyPair();
      try {
        await fs.writeFile(this.keyFile, keys.privateKeyPem, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another instance made it first: use theirs.
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      }
    }
    const privatePem = await fs.readFile(this.keyFile, 'utf8');
    this.key = { privatePem, publicKey: await publicKeyOf(privatePem) };
  }

  /** The key browsers must trust (the policy's ruleListPublicKey), or null if none is known. */
  publicKey(): string | null {
    return this.key?.publicKey ?? this.offlineKey;
  }

  // ─── the source ────────────────────────────────────────────────────────────────────────────

  async readSource(): Promise<ListSource> {
    return this.source.read();
  }

  /** Change a category's settings, or add a category. */
  async setCategory(
    id: string,
    settings: { label?: string | null; clause?: string | null; mode?: string; builtIn?: boolean },
  ): Promise<void> {
    if (!CATEGORY_ID.test(id)) {
      throw new ListError(
        `"${id}" is not a category id: use a-z, 0-9, "-" and "_", starting with a letter.`,
      );
    }
    if (
      settings.mode !== undefined &&
      !(CATEGORY_MODES as readonly string[]).includes(settings.mode)
    )
      throw new ListError('The mode is block, warn or allow.');
    await this.source.update((source) => {
      const existing = source.categories[id];
      const category: ManagedCategory = existing ?? {
        mode: 'block',
        builtIn: false,
        domains: [],
        urlPrefixes: [],
      };
      if (settings.label !== undefined) {
        const label = settings.label?.trim() ?? '';
        if (label.length > 80) throw new ListError('A category name may be 80 characters.');
        if (label) category.label = label;
        else delete category.label;
      }
      if (settings.clause !== undefined) {
        const clause = settings.clause?.trim() ?? '';
        if (clause.length > 2000) throw new ListError('A policy clause may be 2,000 characters.');
        if (clause) category.clause = clause;
        else delete category.clause;
      }
      if (settings.mode !== undefined) category.mode = settings.mode as CategoryMode;
      if (settings.builtIn !== undefined)
        category.builtIn = settings.builtIn && isBuiltInCategory(id);
      if (!isBuiltInCategory(id) && !category.label) {
        throw new ListError(
          `"${id}" is not one of Steward's categories, so it needs a name to show staff on the block page.`,
        );
      }
      source.categories[id] = category;
      return { value: source, result: undefined };
    });
  }

  async removeCategory(id: string): Promise<void> {
    await this.source.update((source) => {
      if (!source.categories[id]) throw new ListError(`There is no category "${id}".`, 404);
      delete source.categories[id];
      return { value: source, result: undefined };
    });
  }

  /**
   * Add entries typed on the dashboard. Each is checked as the browsers will; a bad one is named
   * with the reason and nothing else is lost.
   */
  async addEntries(
    part: ListPart,
    entries: string[],
  ): Promise<{ added: number; refused: { entry: string; reason: string }[] }> {
    const refused: { entry: string; reason: string }[] = [];
    const domains: string[] = [];
    const prefixes: string[] = [];
    for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
      const result = normaliseEntry(raw);
      if (!result.ok) refused.push({ entry: raw, reason: result.reason });
      else if (result.kind === 'domain') domains.push(result.domain);
      else prefixes.push(urlPrefixToString(result.prefix));
    }
    const added = await this.source.update((source) => {
      const n = addTo(source, part, domains, prefixes);
      return { value: source, result: n };
    });
    return { added, refused };
  }

  async removeEntries(part: ListPart, entries: string[]): Promise<number> {
    const gone = new Set(entries);
    return this.source.update((source) => {
      let removed = 0;
      const keep = (list: string[]) => {
        const kept = list.filter((e) => !gone.has(e));
        removed += list.length - kept.length;
        return kept;
      };
      if (part.kind === 'category') {
        const c = source.categories[part.id];
        if (!c) throw new ListError(`There is no category "${part.id}".`, 404);
        c.domains = keep(c.domains);
        c.urlPrefixes = keep(c.urlPrefixes);
      } else source[part.kind] = keep(source[part.kind]);
      if (part.kind === 'allowList')
        source.grants = source.grants.filter((g) => !gone.has(g.entry));
      return { value: source, result: removed };
    });
  }

  /** Import an uploaded list (UT1, hosts, AdBlock, dnsmasq or plain) into a part of the source. */
  async importList(
    part: ListPart,
    text: string,
    format: string,
    fileName: string,
  ): Promise<{
    format: ListFormat;
    read: number;
    added: number;
    skipped: { line: number; text: string; reason: string }[];
    skippedCount: number;
  }> {
    if (format !== 'auto' && !isListFormat(format)) {
      throw new ListError(
        `"${format}" is not a list format: auto, plain, hosts, adblock, dnsmasq, ut1-domains or ut1-urls.`,
      );
    }
    if (text.slice(0, 4096).includes('\u0000')) {
      throw new ListError(
        `${fileName} is a binary file, not a text list (is it still compressed? UT1 lists come as .tar.gz: upload the "domains" file from the category's folder).`,
      );
    }
    const parsed = parseList(text, format as ListFormat | 'auto', fileName);
    const added = await this.source.update((source) => {
      const n = addTo(source, part, parsed.domains, parsed.urlPrefixes.map(urlPrefixToString));
      return { value: source, result: n };
    });
    return {
      format: parsed.format,
      read: parsed.domains.length + parsed.urlPrefixes.length,
      added,
      skipped: parsed.skipped
        .slice(0, 20)
        .map(({ line, text, reason }) => ({ line, text, reason })),
      skippedCount: parsed.skipped.length,
    };
  }

  /** A page of one part's entries, optionally only those containing `query`. */
  async entries(part: ListPart, query: string, offset: number, limit: number) {
    const source = await this.source.read();
    let list: string[];
    if (part.kind === 'category') {
      const c = source.categories[part.id];
      if (!c) throw new ListError(`There is no category "${part.id}".`, 404);
      list = [...c.domains, ...c.urlPrefixes];
    } else list = source[part.kind];
    const q = query.trim().toLowerCase();
    const matching = q ? list.filter((e) => e.toLowerCase().includes(q)) : list;
    return { total: matching.length, entries: matching.slice(offset, offset + limit) };
  }

  /** Grant access to everyone or one group (from an approved request): it goes into the next list. */
  async addGrant(
    entry: string,
    until: Date | null,
    requestId: string | null,
    group: string | null = null,
  ): Promise<string> {
    const result = normaliseEntry(entry);
    if (!result.ok) throw new ListError(`${entry}: ${result.reason}.`);
    if (group !== null && !isGroupName(group)) {
      throw new ListError(`"${group}" is not a group name: use ${GROUP_RULE}.`);
    }
    const text = result.kind === 'domain' ? result.domain : urlPrefixToString(result.prefix);
    await this.source.update((source) => {
      source.grants = source.grants.filter((g) => !(requestId && g.requestId === requestId));
      source.grants.push({
        entry: text,
        until: until ? until.toISOString() : null,
        group,
        requestId,
        addedAt: new Date(this.now()).toISOString(),
      });
      return { value: source, result: undefined };
    });
    return text;
  }

  // ─── drafts, findings, publishing ────────────────────────────────────────────────────────────

  /** The list the source makes now, with what to check before publishing it. */
  async draft(version?: number): Promise<{
    document: RuleListDocument;
    findings: DraftFinding[];
    changes: ListChange[];
    text: string;
  }> {
    const source = await this.source.read();
    return this.build(source, version ?? (await this.nextVersion()));
  }

  private async build(source: ListSource, version: number) {
    const now = this.now();
    const drafts = new Map<string, ReturnType<typeof emptyDraft>>();
    const labels = new Map<string, string>();
    const clauses = new Map<string, string>();
    const modes: Record<string, CategoryMode> = {};
    for (const [id, c] of Object.entries(source.categories)) {
      const d = emptyDraft();
      const builtIn = c.builtIn ? this.builtIns[id] : undefined;
      for (const domain of builtIn?.domains ?? []) d.domains.add(domain);
      for (const prefix of builtIn?.urlPrefixes ?? []) {
        d.urlPrefixes.set(urlPrefixToString(prefix), prefix);
      }
      for (const domain of c.domains) d.domains.add(domain);
      for (const text of c.urlPrefixes) d.urlPrefixes.set(text, splitPrefix(text));
      d.read = d.domains.size + d.urlPrefixes.size;
      drafts.set(id, d);
      if (c.label) labels.set(id, c.label);
      if (c.clause) clauses.set(id, c.clause);
      modes[id] = c.mode;
    }
    const { categories, covered } = categoriesFromDrafts(drafts, labels, clauses);
    const grants = source.grants.filter((g) => g.until === null || Date.parse(g.until) > now);
    const forGroups: Record<string, string[]> = {};
    for (const g of grants) {
      if (g.group) forGroups[g.group] = [...(forGroups[g.group] ?? []), g.entry];
    }
    const document = documentOf(
      version,
      new Date(now),
      categories,
      [...source.allowList, ...grants.filter((g) => !g.group).map((g) => g.entry)],
      source.blockList,
      undefined,
      forGroups,
    );
    const text = serialiseRuleList(document);
    const findings = findingsOf(document, modes, covered);
    const current = await this.currentDocument();
    return { document, findings, changes: changesBetween(current, document), text };
  }

  private async nextVersion(): Promise<number> {
    const pointer = await this.pointer();
    return Math.max((pointer?.version ?? 0) + 1, Math.floor(this.now() / 1000));
  }

  /** The published list's document, or null before the first publish. */
  async currentDocument(): Promise<RuleListDocument | null> {
    const pointer = await this.pointer();
    if (!pointer) return null;
    const parsed = parseRuleList(await fs.readFile(this.versionFile(pointer.version)));
    return parsed.ok ? parsed.document : null;
  }

  async readHistory(): Promise<HistoryEntry[]> {
    return this.history.read();
  }

  /** Build, sign with the server's key and publish the source as it is now. */
  publish(how: 'server' | 'expiry' = 'server'): Promise<HistoryEntry> {
    return this.serialised(async () => {
      if (!this.key) {
        throw new ListError(
          'This server signs offline: export the draft, sign it with steward rules sign, and upload both files.',
          409,
        );
      }
      const source = await this.source.read();
      const built = await this.build(source, await this.nextVersion());
      const bytes = new TextEncoder().encode(built.text);
      const signature = await signRuleList(bytes, this.key.privatePem);
      const changes = await this.changesTo(built.document, bytes);
      return this.swapIn(bytes, signature, source, how, changes);
    });
  }

  /**
   * The signed change document from the published version to this one (lib/rule-list/changes.ts),
   * or null when there is none to publish (first version, or more than category names changed).
   * Server signing only: an offline-signed upload has no change document, so browsers take it whole.
   */
  private async changesTo(
    next: RuleListDocument,
    nextBytes: Uint8Array,
  ): Promise<{ bytes: Uint8Array; signature: string } | null> {
    const pointer = await this.pointer();
    if (!pointer || !this.key) return null;
    const previousBytes = new Uint8Array(await fs.readFile(this.versionFile(pointer.version)));
    const previous = parseRuleList(previousBytes);
    if (!previous.ok) return null;
    const made = await changeDocumentOf(
      next,
      previous.document,
      await sha256Hex(previousBytes),
      await sha256Hex(nextBytes),
    );
    if (!made.ok) return null;
    const bytes = new TextEncoder().encode(serialiseChangeDocument(made.document));
    return { bytes, signature: await signRuleList(bytes, this.key.privatePem) };
  }

  /**
   * Offline signing, step 1: the draft's exact bytes, to sign with `steward rules sign`. With
   * `restore`, the draft is that published version's content under a new version (a rollback).
   */
  async exportDraft(restore?: number): Promise<{ version: number; text: string }> {
    const version = await this.nextVersion();
    if (restore === undefined) {
      const { text } = await this.draft(version);
      return { version, text };
    }
    const old = await this.versionDocument(restore);
    return { version, text: serialiseRuleList({ ...old, version, issuedAt: isoNow(this.now()) }) };
  }

  /**
   * Offline signing, step 2: the signed list and its signature, uploaded together. Checked as a
   * browser would (signature against the policy's key, then the list), and newer than what is
   * published, before it replaces anything.
   */
  uploadSigned(listBytes: Uint8Array, signatureText: string): Promise<HistoryEntry> {
    return this.serialised(async () => {
      const publicKey = this.publicKey();
      if (!publicKey) {
        throw new ListError(
          "The server does not know the public key to check uploads with: set STEWARD_RULE_LIST_PUBLIC_KEY to the policy's ruleListPublicKey.",
          409,
        );
      }
      const verified = await verifyRuleList(listBytes, signatureText, publicKey);
      if (!verified.ok) throw new ListError(`Not published: ${verified.reason}`);
      const parsed = parseRuleList(listBytes);
      if (!parsed.ok) {
        throw new ListError(`Not published: browsers would refuse this list. ${parsed.reason}`);
      }
      const pointer = await this.pointer();
      if (pointer && parsed.document.version <= pointer.version) {
        throw new ListError(
          `Not published: version ${parsed.document.version} is not newer than the published version ${pointer.version}, so browsers would refuse it. Export a fresh draft and sign that.`,
        );
      }
      // The uploaded list's content becomes the source's published state only when it came from
      // this source; a list built elsewhere is published as it is and the source kept.
      return this.swapIn(listBytes, signatureText.trim(), await this.source.read(), 'offline');
    });
  }

  /**
   * Put an earlier version's content back: the source it was built from is restored and published
   * under a new, higher version (browsers refuse lower versions).
   */
  rollback(version: number): Promise<HistoryEntry> {
    return this.serialised(async () => {
      if (!this.key) {
        throw new ListError(
          'This server signs offline: export the rollback draft, sign it, and upload both files.',
          409,
        );
      }
      const old = await this.versionDocument(version);
      let source: ListSource | null = null;
      try {
        source = JSON.parse(
          await fs.readFile(this.versionSourceFile(version), 'utf8'),
        ) as ListSource;
      } catch {
        source = null;
      }
      if (source) {
        const restored = source;
        await this.source.update(() => ({ value: restored, result: undefined }));
      }
      const text = serialiseRuleList({
        ...old,
        version: await this.nextVersion(),
        issuedAt: isoNow(this.now()),
      });
      const bytes = new TextEncoder().encode(text);
      const signature = await signRuleList(bytes, this.key.privatePem);
      const entry = await this.swapIn(
        bytes,
        signature,
        source ?? (await this.source.read()),
        'rollback',
      );
      return entry;
    });
  }

  private async versionDocument(version: number): Promise<RuleListDocument> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.versionFile(version));
    } catch {
      throw new ListError(`Version ${version} is not in this server's history.`, 404);
    }
    const parsed = parseRuleList(bytes);
    if (!parsed.ok) throw new ListError(`Version ${version} cannot be read: ${parsed.reason}`);
    return parsed.document;
  }

  /** Write the version, then swap the pointer: list and signature change in one rename. */
  private async swapIn(
    bytes: Uint8Array,
    signature: string,
    source: ListSource,
    how: HistoryEntry['how'],
    changes: { bytes: Uint8Array; signature: string } | null = null,
  ): Promise<HistoryEntry> {
    const parsed = parseRuleList(bytes);
    if (!parsed.ok) throw new ListError(`Not published: ${parsed.reason}`);
    const document = parsed.document;
    const before = await this.currentDocument();
    const beforeVersion = (await this.pointer())?.version;
    await writeFileAtomic(this.versionFile(document.version), bytes);
    await writeFileAtomic(this.versionSourceFile(document.version), JSON.stringify(source));
    if (changes) await writeFileAtomic(this.versionChangesFile(document.version), changes.bytes);
    const now = this.now();
    const expiries = source.grants
      .map((g) => g.until)
      .filter((u): u is string => u !== null && Date.parse(u) > now)
      .sort();
    const pointer: Pointer = {
      version: document.version,
      signature,
      earliestExpiry: expiries[0] ?? null,
      ...(changes ? { changesSignature: changes.signature } : {}),
    };
    await writeFileAtomic(this.pointerFile, JSON.stringify(pointer));
    this.pointerCache = null;
    const entry: HistoryEntry = {
      version: document.version,
      issuedAt: document.issuedAt,
      publishedAt: isoNow(now),
      how,
      entries: parsed.entries,
      changes: changesBetween(before, document),
    };
    if (how === 'rollback' && before) {
      const restoredFrom = await this.restoredVersion(document, beforeVersion);
      if (restoredFrom !== undefined) entry.restored = restoredFrom;
    }
    await this.history.update((list) => ({
      value: [entry, ...list].slice(0, MAX_HISTORY),
      result: undefined,
    }));
    await this.onPublished?.(entry, source);
    return entry;
  }

  /** Which earlier version a rollback's content equals (for the history line). */
  private async restoredVersion(
    document: RuleListDocument,
    skip: number | undefined,
  ): Promise<number | undefined> {
    const key = contentKey(document);
    for (const h of await this.history.read()) {
      if (h.version === skip) continue;
      try {
        const old = await this.versionDocument(h.version);
        if (contentKey(old) === key) return h.version;
      } catch {
        // an old version pruned by hand
      }
    }
    return undefined;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.publishing.then(work);
    this.publishing = run.catch(() => undefined);
    return run;
  }

  private versionFile(version: number): string {
    return path.join(this.dir, 'versions', `${version}.json`);
  }

  private versionChangesFile(version: number): string {
    return path.join(this.dir, 'versions', `${version}.changes.json`);
  }

  private versionSourceFile(version: number): string {
    return path.join(this.dir, 'versions', `${version}.source.json`);
  }

  // ─── serving ───────────────────────────────────────────────────────────────────────────────

  private async pointer(): Promise<Pointer | null> {
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.stat(this.pointerFile)).mtimeMs;
    } catch {
      return null;
    }
    if (this.pointerCache?.mtimeMs === mtimeMs) return this.pointerCache.pointer;
    const pointer = JSON.parse(await fs.readFile(this.pointerFile, 'utf8')) as Pointer;
    this.pointerCache = { mtimeMs, pointer };
    return pointer;
  }

  /**
   * The published list and its signature, read from one pointer so they always belong together.
   * When granted access has run out since the last publish, the list is republished first
   * (server signing only; offline, the dashboard says a new list is due).
   */
  async served(): Promise<{ list: ServedFile; sig: ServedFile } | null> {
    await this.republishIfExpired();
    const pointer = await this.pointer();
    if (!pointer) return null;
    if (this.listCache?.version !== pointer.version) {
      const body = await fs.readFile(this.versionFile(pointer.version));
      this.listCache = { version: pointer.version, file: { body, etag: etagOf(body) } };
    }
    const sigBody = Buffer.from(`${pointer.signature}\n`);
    return { list: this.listCache.file, sig: { body: sigBody, etag: etagOf(sigBody) } };
  }

  /** The change document to the published version and its signature, if it has one. */
  async servedChanges(): Promise<{ changes: ServedFile; sig: ServedFile } | null> {
    const pointer = await this.pointer();
    if (!pointer?.changesSignature) return null;
    const body = await fs.readFile(this.versionChangesFile(pointer.version)).catch(() => null);
    if (!body) return null;
    const sigBody = Buffer.from(`${pointer.changesSignature}\n`);
    return { changes: { body, etag: etagOf(body) }, sig: { body: sigBody, etag: etagOf(sigBody) } };
  }

  /** Whether granted access in the published list has run out (a new list is due). */
  async expiredGrantsPublished(): Promise<boolean> {
    const pointer = await this.pointer();
    return !!pointer?.earliestExpiry && Date.parse(pointer.earliestExpiry) <= this.now();
  }

  private async republishIfExpired(): Promise<void> {
    if (!this.key || this.now() - this.lastExpiryCheck < EXPIRY_CHECK_MS) return;
    this.lastExpiryCheck = this.now();
    if (await this.expiredGrantsPublished()) await this.publish('expiry');
  }

  /** The two files in the shape the rule-list routes serve. */
  files(): {
    list: ServedSource;
    sig: ServedSource;
    changes: ServedSource;
    changesSig: ServedSource;
  } {
    return {
      list: { name: 'the managed rule list', get: async () => (await this.served())?.list ?? null },
      sig: { name: 'its signature', get: async () => (await this.served())?.sig ?? null },
      changes: {
        name: 'the change document',
        get: async () => (await this.servedChanges())?.changes ?? null,
      },
      changesSig: {
        name: "the change document's signature",
        get: async () => (await this.servedChanges())?.sig ?? null,
      },
    };
  }
}

/** What the rule-list routes need from a file: its bytes and ETag, and a name for messages. */
export type ServedSource = { name: string; get(): Promise<ServedFile | null> };

function etagOf(body: Buffer): string {
  return `"sha256-${createHash('sha256').update(body).digest('base64url')}"`;
}

function isoNow(now: number): string {
  return new Date(now).toISOString();
}

function contentKey(document: RuleListDocument): string {
  return JSON.stringify([document.categories, document.allowList ?? [], document.blockList ?? []]);
}

function addTo(source: ListSource, part: ListPart, domains: string[], prefixes: string[]): number {
  const merge = (list: string[], extra: string[]) => {
    const set = new Set(list);
    const before = set.size;
    for (const e of extra) set.add(e);
    return { list: [...set].sort(), added: set.size - before };
  };
  if (part.kind === 'category') {
    const c = source.categories[part.id];
    if (!c) throw new ListError(`There is no category "${part.id}": add it first.`, 404);
    const d = merge(c.domains, domains);
    const p = merge(c.urlPrefixes, prefixes);
    c.domains = d.list;
    c.urlPrefixes = p.list;
    return d.added + p.added;
  }
  const merged = merge(source[part.kind], [...domains, ...prefixes]);
  source[part.kind] = merged.list;
  return merged.added;
}

/** A new source: Steward's built-in categories, each in the default policy's mode. */
function initialSource(): ListSource {
  const categories: Record<string, ManagedCategory> = {};
  for (const id of BUILT_IN_CATEGORIES) {
    categories[id] = {
      mode: DEFAULT_POLICY.categories[id] ?? 'block',
      builtIn: true,
      domains: [],
      urlPrefixes: [],
    };
  }
  return { categories, allowList: [], blockList: [], grants: [] };
}

/** `category:<id>`, `allowList` or `blockList` from a request, or null. */
export function partFrom(text: string | null): ListPart | null {
  if (text === 'allowList' || text === 'blockList') return { kind: text };
  const m = /^category:(.+)$/.exec(text ?? '');
  return m && CATEGORY_ID.test(m[1]!) ? { kind: 'category', id: m[1]! } : null;
}

/** A domain for an approval's "this site" scope (the request's host, without www.). */
export function siteEntry(host: string): string | null {
  const d = normaliseDomain(host);
  return d.ok ? d.domain : null;
}
