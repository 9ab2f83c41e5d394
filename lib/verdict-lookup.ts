/**
 * "What do the rules in force say about this URL?" answered from a few small records instead of
 * every rule the browser holds. Pure; the service worker stores the records in IndexedDB
 * (platform/verdict-index.ts) and reads back only the ones a URL needs.
 *
 * Why: with a 1,000,000-domain list in force, "test a site", the block page and Continue used to
 * ask the browser for every dynamic rule (`getDynamicRules()`: tens of megabytes copied across
 * processes, then kept for 30 s) to look up one host. A navigation's verdict only depends on
 * whether each domain rule lists the host or one of its parents (lib/compiler.ts `explainUrls`),
 * and on the rules that carry no domain list (URL prefixes, the marker), which are few.
 *
 * How: each set of rules the browser holds under one marker (the dynamic rules, and the overlay's
 * session rules, lib/overlay.ts) is written as a layer:
 *
 *  - its navigation rules as they are, except that every `requestDomains` is emptied (kilobytes);
 *  - every domain of those lists, spread over buckets by a hash of the domain (about 2,048 names
 *    a bucket, each bucket one string: a `#id` line, then that rule's names, one a line), so a host
 *    and its parents need one bucket each, whatever the list's size. Building it is one hash and
 *    one array push a name, then one join a bucket: no string is made per name.
 *
 * A look-up reads the layers' rules and the buckets of the host and its parents, and puts back into
 * each rule the asked names it lists (`rulesFor`): `explainUrl` over those rules gives exactly what
 * it gives over every rule in force, because matching a URL never looks at any other name.
 * tests/unit/verdict-lookup.test.ts checks that on random policies, lists and overlays.
 *
 * Trust (`trustedLayers`): a layer is used only when the browser's own marker rule names it (the
 * fingerprint of what was applied) and, for the dynamic rules, when the rule ids the worker
 * recorded are the layer's. Anything else (no layer, an older one, a corrupt record) means the
 * caller reads the browser's rules in full, as before.
 */
import { type DnrRule, fnv64, type RuleKey } from './compiler.ts';
import { parentDomains } from './domains.ts';

/** The rule sets the browser holds, each proved by its own marker rule. */
export type RuleLayer = 'dynamic' | 'overlay';
export const RULE_LAYERS: readonly RuleLayer[] = ['dynamic', 'overlay'];

/** What a layer's small record holds (the buckets are records of their own). */
export type LayerIndex = {
  /** The fingerprint the layer's marker rule carries (what the browser reports back). */
  marker: string;
  /** Dynamic rules: which id each rule has (`ruleIdsTag` of the state's ruleKeys); else ''. */
  idsTag: string;
  /** How many buckets the names are spread over (a power of two). */
  buckets: number;
  /** The layer's navigation rules by id, each domain rule with `requestDomains: []`. */
  rules: DnrRule[];
  /** (domain, rule) pairs in all. */
  names: number;
};

export type IndexedLayer = { index: LayerIndex; buckets: string[] };

/** A layer as read back for one look-up: its record and the buckets asked for, by number. */
export type ReadLayer = { index: LayerIndex; buckets: Map<number, unknown> };

/** About this many names a bucket: a look-up reads some 40 kB per name asked. */
const NAMES_PER_BUCKET = 2_048;

/** Account-header rules change requests; they never decide a navigation. */
const isNavigationRule = (rule: { action: { type: string } }) =>
  rule.action.type !== 'modifyHeaders';

/** Which bucket holds `name` (FNV-1a, 32 bits). */
export function bucketOf(name: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) & (buckets - 1);
}

function bucketCountFor(names: number): number {
  let n = 1;
  while (n * NAMES_PER_BUCKET < names) n *= 2;
  return n;
}

/**
 * The layer for these rules (the whole set the browser holds under `marker`). A bucket is "\n",
 * then lines joined by "\n", then "\n": `#<rule id>` before the names of that rule, so
 * `indexOf("\n" + name + "\n")` finds an exact name and the `#` line above it says its rule.
 */
export function indexRules(
  rules: readonly { id: number; action: { type: string } }[],
  marker: string,
  idsTag = '',
): IndexedLayer {
  const navigation = (rules.filter(isNavigationRule) as DnrRule[]).sort((a, b) => a.id - b.id);
  let names = 0;
  for (const rule of navigation) names += rule.condition.requestDomains?.length ?? 0;
  const count = bucketCountFor(names);
  const lines: string[][] = Array.from({ length: count }, () => []);
  /** The rule whose names each bucket is taking now. */
  const taking = new Array<number>(count).fill(-1);
  const skeleton: DnrRule[] = [];
  for (const rule of navigation) {
    const domains = rule.condition.requestDomains;
    if (!domains) {
      skeleton.push(rule);
      continue;
    }
    skeleton.push({ ...rule, condition: { ...rule.condition, requestDomains: [] } });
    const header = `#${rule.id}`;
    for (const domain of domains) {
      const b = bucketOf(domain, count);
      if (taking[b] !== rule.id) {
        taking[b] = rule.id;
        lines[b]!.push(header);
      }
      lines[b]!.push(domain);
    }
  }
  return {
    index: { marker, idsTag, buckets: count, rules: skeleton, names },
    buckets: lines.map((l) => (l.length === 0 ? '\n' : `\n${l.join('\n')}\n`)),
  };
}

/** The rule ids listing `name` in a bucket. */
function idsListing(bucket: string, name: string): number[] {
  const needle = `\n${name}\n`;
  const ids: number[] = [];
  for (let at = bucket.indexOf(needle); at !== -1; at = bucket.indexOf(needle, at + 1)) {
    const header = bucket.lastIndexOf('\n#', at);
    if (header === -1) continue;
    ids.push(Number(bucket.slice(header + 2, bucket.indexOf('\n', header + 1))));
  }
  return ids;
}

/**
 * The names a navigation to `url` can match in a domain rule: its host and each parent, as
 * `explainUrls` asks them (none for something that is not a URL).
 */
export function namesAsked(url: string): string[] {
  try {
    const host = new URL(url).hostname.replace(/\.$/, '');
    return [host, ...parentDomains(host)];
  } catch {
    return [];
  }
}

/** The buckets of a layer a look-up of these names reads. */
export function bucketsFor(index: LayerIndex, names: readonly string[]): number[] {
  return [...new Set(names.map((n) => bucketOf(n, index.buckets)))];
}

/**
 * The layers' rules with, in each domain rule, the asked names it lists: give them to
 * `explainUrl` / `verdictForUrl` / `decideContinue` as if they were every rule in force. Null when
 * a bucket asked for is missing or not what this module writes (a corrupt store).
 */
export function rulesFor(layers: readonly ReadLayer[], names: readonly string[]): DnrRule[] | null {
  const out: DnrRule[] = [];
  for (const { index, buckets } of layers) {
    const listed = new Map<number, string[]>();
    for (const name of names) {
      const bucket = buckets.get(bucketOf(name, index.buckets));
      if (typeof bucket !== 'string' || !bucket.startsWith('\n') || !bucket.endsWith('\n'))
        return null;
      for (const id of idsListing(bucket, name)) {
        const found = listed.get(id);
        if (found) found.push(name);
        else listed.set(id, [name]);
      }
    }
    for (const rule of index.rules) {
      if (!rule.condition.requestDomains) out.push(rule);
      else {
        out.push({
          ...rule,
          condition: { ...rule.condition, requestDomains: listed.get(rule.id) ?? [] },
        });
      }
    }
  }
  return out;
}

/** What identifies the rule ids of the dynamic rules in force (the state's ruleKeys). */
export function ruleIdsTag(ruleKeys: Record<number, RuleKey> | undefined): string {
  const entries = Object.entries(ruleKeys ?? {})
    .map(([id, k]) => [Number(id), `${id} ${k.key} ${k.fingerprint}`] as const)
    .sort((a, b) => a[0] - b[0]);
  return fnv64(entries.map(([, line]) => line).join('\n'));
}

/** A record read back is one this module wrote (a corrupt or foreign one is not used). */
export function isLayerIndex(value: unknown): value is LayerIndex {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.marker === 'string' &&
    typeof v.idsTag === 'string' &&
    typeof v.buckets === 'number' &&
    Number.isInteger(v.buckets) &&
    v.buckets > 0 &&
    (v.buckets & (v.buckets - 1)) === 0 &&
    typeof v.names === 'number' &&
    Array.isArray(v.rules) &&
    v.rules.every(
      (r: unknown) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as DnrRule).id === 'number' &&
        typeof (r as DnrRule).priority === 'number' &&
        typeof (r as DnrRule).action?.type === 'string' &&
        typeof (r as DnrRule).condition === 'object',
    )
  );
}

export type TrustInput = {
  /** The layers as stored (undefined: none stored). */
  stored: Partial<Record<RuleLayer, ReadLayer>>;
  /** The fingerprint on the dynamic marker rule in the browser now (null: none). */
  dynamicMarker: string | null;
  /** The fingerprint on the overlay's session marker now (null: no overlay in force). */
  overlayMarker: string | null;
  /** `ruleIdsTag` of the ruleKeys the worker recorded for the dynamic rules in force. */
  idsTag: string;
};

/**
 * The stored layers that say exactly what the browser holds, or why they cannot be used (then the
 * caller reads the browser's rules in full).
 */
export function trustedLayers(
  input: TrustInput,
): { ok: true; layers: ReadLayer[] } | { ok: false; reason: string } {
  const dynamic = input.stored.dynamic;
  if (input.dynamicMarker === null) return { ok: false, reason: 'no marker rule in the browser' };
  if (!dynamic || !isLayerIndex(dynamic.index))
    return { ok: false, reason: 'no stored index of the dynamic rules' };
  if (dynamic.index.marker !== input.dynamicMarker)
    return { ok: false, reason: 'the stored index is of other dynamic rules than the browser’s' };
  if (dynamic.index.idsTag !== input.idsTag)
    return { ok: false, reason: 'the stored index numbers the rules differently' };
  if (input.overlayMarker === null) return { ok: true, layers: [dynamic] };
  const overlay = input.stored.overlay;
  if (!overlay || !isLayerIndex(overlay.index) || overlay.index.marker !== input.overlayMarker)
    return { ok: false, reason: 'the overlay in force has no stored index' };
  return { ok: true, layers: [dynamic, overlay] };
}
