/**
 * Guard against entries that are public suffixes (`co.uk`, `leeds.sch.uk`): listing one would block
 * or allow every site registered under it, which is how one bad line in a list could "block
 * everything". `psl` knows the suffixes but costs ~3 µs a look-up, too slow for every entry of a
 * 1M-domain list, so only entries shaped like a registry's own suffix are looked up:
 *
 * - `co.uk`-shaped: a registry label (co, ac, gov, org, …) under a country code;
 * - `leeds.sch.uk`-shaped: any label under a parent that has a wildcard rule (`*.sch.uk`); whether
 *   a parent has one is looked up once and remembered, so a million `.co.uk` names cost one look-up.
 *
 * Private suffixes such as `github.io` or `ju.mp` stay listable on purpose: blocking all of a
 * hosting platform or link shortener is a legitimate school decision.
 */
import psl from 'psl';

const REGISTRY_LABELS = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'gov',
  'govt',
  'ltd',
  'me',
  'mil',
  'mod',
  'net',
  'nhs',
  'nic',
  'nom',
  'or',
  'org',
  'plc',
  'police',
  'sch',
  'ne',
  'go',
  'gob',
  'gv',
  'int',
  'info',
  'biz',
]);
const SECOND_LEVEL = /^([a-z0-9-]{1,6})\.[a-z]{2}$/;
const THIRD_LEVEL_UNDER_CC = /^[a-z0-9-]+\.([a-z0-9-]{1,6}\.[a-z]{2})$/;
const PROBE = 'zz-steward-probe';

const wildcardParents = new Map<string, boolean>();

function hasWildcardRule(parent: string): boolean {
  let known = wildcardParents.get(parent);
  if (known === undefined) {
    known = psl.get(`${PROBE}.${parent}`) === null;
    wildcardParents.set(parent, known);
  }
  return known;
}

export function isBarePublicSuffix(domain: string): boolean {
  const second = SECOND_LEVEL.exec(domain);
  if (second) return REGISTRY_LABELS.has(second[1]!) && psl.get(domain) === null;
  const third = THIRD_LEVEL_UNDER_CC.exec(domain);
  if (third) return hasWildcardRule(third[1]!) && psl.get(domain) === null;
  return false;
}

/**
 * Is this host a public suffix (`com`, `co.uk`, `leeds.sch.uk`, `github.io`) or a single label?
 * Used where one decision would cover every site under it (a Continue grant); IP addresses are
 * hosts, not suffixes.
 */
export function isPublicSuffixHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.startsWith('[')) return false;
  if (!h.includes('.')) return true;
  return psl.get(h) === null;
}
